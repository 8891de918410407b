-- The registry of enterprises by tax code, calls for participation and the
-- registrations sent through their public page. Activities keep naming
-- their beneficiaries by tax code (activity_beneficiaries); a record merged
-- into another (merged_into) counts as that one, and a merge is undone by
-- clearing it.

-- +goose Up
CREATE TABLE enterprises (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tax_code      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    address       TEXT NOT NULL DEFAULT '',
    district      TEXT NOT NULL DEFAULT '',
    sector        TEXT NOT NULL DEFAULT '',
    size          TEXT NOT NULL DEFAULT '' CHECK (size IN ('', 'micro', 'small', 'medium', 'large')),
    contact_name  TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    search_text   TEXT NOT NULL DEFAULT '',
    merged_into   INTEGER REFERENCES enterprises (id),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX enterprises_merged_into ON enterprises (merged_into);
-- An enterprise's page lists the activities that name it.
CREATE INDEX activity_beneficiaries_tax_code ON activity_beneficiaries (tax_code);

CREATE TABLE calls (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id INTEGER NOT NULL REFERENCES programmes (id),
    document_id  INTEGER REFERENCES documents (id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    opens_on     TEXT NOT NULL,
    closes_on    TEXT,
    created_at   TEXT NOT NULL
);

CREATE TABLE registrations (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id           INTEGER NOT NULL REFERENCES calls (id),
    reference         TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL CHECK (kind IN ('enterprise', 'consultant')),
    tax_code          TEXT NOT NULL,
    name              TEXT NOT NULL,
    address           TEXT NOT NULL DEFAULT '',
    district          TEXT NOT NULL DEFAULT '',
    sector            TEXT NOT NULL DEFAULT '',
    size              TEXT NOT NULL DEFAULT '',
    contact_name      TEXT NOT NULL DEFAULT '',
    contact_email     TEXT NOT NULL DEFAULT '',
    contact_phone     TEXT NOT NULL DEFAULT '',
    support_requested TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    reason            TEXT NOT NULL DEFAULT '',
    enterprise_id     INTEGER REFERENCES enterprises (id),
    reviewer_id       INTEGER REFERENCES users (id),
    reviewed_at       TEXT,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL
);
CREATE INDEX registrations_call_status ON registrations (call_id, status);

-- +goose Down
DROP TABLE registrations;
DROP TABLE calls;
DROP INDEX activity_beneficiaries_tax_code;
DROP TABLE enterprises;
