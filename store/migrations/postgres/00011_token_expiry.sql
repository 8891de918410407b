-- API tokens expire, and are revoked one by one: a revoked token keeps its
-- row so that it answers "revoked" rather than "unknown". Tokens made
-- before this had no end; they last 90 days from the upgrade, so that no
-- script stops without warning. Each user's tokens are listed; the
-- sign-in failures, kept in the audit log as the entity sign_in, are read
-- newest first.

-- +goose Up
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE api_tokens ADD COLUMN revoked_at TIMESTAMPTZ;
UPDATE api_tokens SET expires_at = now() + interval '90 days';
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE INDEX audit_log_entity_newest ON audit_log (entity, id);

-- +goose Down
DROP INDEX audit_log_entity_newest;
DROP INDEX api_tokens_user;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
ALTER TABLE api_tokens DROP COLUMN expires_at;
