-- Accounts and sessions, reporting rounds with one submission per unit,
-- and the audit log of every write. Timestamps are RFC 3339 text in UTC.

-- +goose Up
-- Descriptions folded for search (lower case, no diacritics), kept on write.
ALTER TABLE activities ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
-- Plans and units become editable; a stale edit must be refused.
ALTER TABLE plans ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE org_units ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'focal', 'reporter', 'viewer')),
    unit_id       INTEGER NOT NULL REFERENCES org_units (id),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

-- Only a hash of the session and token secrets is kept: a copy of the
-- database does not let anyone sign in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);

CREATE TABLE rounds (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id INTEGER NOT NULL REFERENCES programmes (id),
    title        TEXT NOT NULL,
    document_id  INTEGER REFERENCES documents (id),
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    cutoff       TEXT,
    deadline     TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL
);

CREATE TABLE submissions (
    round_id     INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id      INTEGER NOT NULL REFERENCES org_units (id),
    status       TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
    submitted_at TEXT,
    first_sent_at TEXT,
    reviewed_at  TEXT,
    reviewer_id  INTEGER REFERENCES users (id),
    comment      TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (round_id, unit_id)
);
CREATE INDEX submissions_unit ON submissions (unit_id, status);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    user_id   INTEGER,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    old_values TEXT NOT NULL DEFAULT '',
    new_values TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_user ON audit_log (user_id, at);

-- The written parts of a year's report for a unit (letterhead, narrative
-- sections, recipients, signature), one row per part, edited by focal staff.
CREATE TABLE report_texts (
    programme_id INTEGER NOT NULL REFERENCES programmes (id),
    unit_id      INTEGER NOT NULL REFERENCES org_units (id),
    year         INTEGER NOT NULL,
    part         TEXT NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (programme_id, unit_id, year, part)
);

-- +goose Down
DROP TABLE report_texts;
DROP TABLE audit_log;
DROP TABLE submissions;
DROP TABLE rounds;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
ALTER TABLE activities DROP COLUMN search_text;
ALTER TABLE plans DROP COLUMN version;
ALTER TABLE org_units DROP COLUMN version;
