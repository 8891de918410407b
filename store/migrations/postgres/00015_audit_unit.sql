-- The audit log is read by date, by user, by unit and by kind of record,
-- newest first, and may hold millions of entries: each filter gets an
-- index in the log's order (id), so a page costs the same however deep.
-- unit_id is the unit an entry is about (the unit itself, the activity's,
-- the submission's, the predecessor of a succession …), kept on write by
-- the program (store/audit.go, auditUnit); the entries already written
-- get it here by the same rules. It is an index, not evidence: the hash
-- chain covers what the entry says, and unit_id is read from that. Every
-- value was written by the program as JSON, so the casts hold.

-- +goose Up
ALTER TABLE audit_log ADD COLUMN unit_id BIGINT;

UPDATE audit_log SET unit_id = CASE
    WHEN entity = 'unit' THEN entity_id::bigint
    WHEN entity = 'submission' THEN split_part(entity_id, '/', 2)::bigint
    WHEN entity = 'report_text' THEN split_part(entity_id, '/', 1)::bigint
    WHEN entity = 'unit_succession' THEN split_part(entity_id, '>', 1)::bigint
    WHEN new_values LIKE '{%' THEN (new_values::jsonb ->> 'unit_id')::bigint
    WHEN old_values LIKE '{%' THEN (old_values::jsonb ->> 'unit_id')::bigint
END;
UPDATE audit_log SET unit_id = NULL WHERE unit_id = 0;

CREATE INDEX audit_log_unit ON audit_log (unit_id, id);
CREATE INDEX audit_log_kind ON audit_log (entity, id);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_user_id ON audit_log (user_id, id);

-- +goose Down
DROP INDEX audit_log_user_id;
DROP INDEX audit_log_at;
DROP INDEX audit_log_kind;
DROP INDEX audit_log_unit;
ALTER TABLE audit_log DROP COLUMN unit_id;
