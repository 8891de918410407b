-- The audit log is read by date, by user, by unit and by kind of record,
-- newest first, and may hold millions of entries: each filter gets an
-- index in the log's order (id), so a page costs the same however deep.
-- unit_id is the unit an entry is about (the unit itself, the activity's,
-- the submission's, the predecessor of a succession …), kept on write by
-- the program (store/audit.go, auditUnit); the entries already written
-- get it here by the same rules. It is an index, not evidence: the hash
-- chain covers what the entry says, and unit_id is read from that.

-- +goose Up
ALTER TABLE audit_log ADD COLUMN unit_id INTEGER;

UPDATE audit_log SET unit_id = CASE
    WHEN entity = 'unit' THEN CAST(entity_id AS INTEGER)
    WHEN entity = 'submission' THEN CAST(substr(entity_id, instr(entity_id, '/') + 1) AS INTEGER)
    WHEN entity = 'report_text' THEN CAST(substr(entity_id, 1, instr(entity_id, '/') - 1) AS INTEGER)
    WHEN entity = 'unit_succession' THEN CAST(substr(entity_id, 1, instr(entity_id, '>') - 1) AS INTEGER)
    WHEN json_valid(new_values) AND json_type(new_values) = 'object' THEN json_extract(new_values, '$.unit_id')
    WHEN json_valid(old_values) AND json_type(old_values) = 'object' THEN json_extract(old_values, '$.unit_id')
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
