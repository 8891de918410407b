-- +goose Up
-- audit_log_kind (00015) is the same index as audit_log_entity_newest (00011),
-- on (entity, id): every audit entry, one a write, was written into both.
DROP INDEX audit_log_kind;

-- +goose Down
CREATE INDEX audit_log_kind ON audit_log (entity, id);
