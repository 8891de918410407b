-- The audit log becomes a hash chain: each entry carries the hash of the
-- entry before it and a hash of its own content and that previous hash
-- (docs/operations.md, "Audit log"), so that a row deleted, rewritten or
-- moved shows. audit_chain is the chain's head: the last entry and its
-- hash, which tell a log cut short at its end, and the row that writers
-- lock to append one at a time. The entries already written are chained
-- by the program when it first opens the database (SQLite has no SHA-256
-- in SQL); sealed says that was done, so that it is done only once.

-- +goose Up
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';

CREATE TABLE audit_chain (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_id   INTEGER NOT NULL DEFAULT 0,
    last_hash TEXT NOT NULL DEFAULT '',
    sealed    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO audit_chain (id) VALUES (1);

-- +goose Down
DROP TABLE audit_chain;
ALTER TABLE audit_log DROP COLUMN hash;
ALTER TABLE audit_log DROP COLUMN prev_hash;
