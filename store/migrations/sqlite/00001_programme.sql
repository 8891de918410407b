-- The programme model: documents, programmes with task groups and metrics,
-- the org-unit tree, plans with targets, activities with their quantities
-- and beneficiaries, and the totals kept per unit, metric and year.
-- Dates are ISO text (YYYY-MM-DD); text is stored in NFC. Keys are
-- AUTOINCREMENT so that the id of a deleted record is never given to a new
-- one: a form still open on the deleted record must not overwrite another.

-- +goose Up
CREATE TABLE documents (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    type      TEXT NOT NULL,
    number    TEXT NOT NULL,
    symbol    TEXT NOT NULL DEFAULT '',
    issued_on TEXT,
    issuer    TEXT NOT NULL,
    title     TEXT NOT NULL DEFAULT '',
    source    TEXT NOT NULL DEFAULT ''
);
-- A document is known by its number, symbol and date; an undated one by
-- its number and symbol alone.
CREATE UNIQUE INDEX documents_number ON documents (number, symbol, COALESCE(issued_on, ''));

CREATE TABLE programmes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    start_year  INTEGER NOT NULL,
    end_year    INTEGER NOT NULL CHECK (end_year >= start_year),
    document_id INTEGER REFERENCES documents (id)
);

CREATE TABLE task_groups (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id INTEGER NOT NULL REFERENCES programmes (id),
    position     INTEGER NOT NULL,
    letter       TEXT NOT NULL,
    name         TEXT NOT NULL,
    UNIQUE (programme_id, letter)
);

CREATE TABLE metrics (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    position      INTEGER NOT NULL,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    unit          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('indicator', 'measure')),
    rule          TEXT NOT NULL CHECK (rule IN ('sum', 'distinct', 'last')),
    task_group_id INTEGER REFERENCES task_groups (id),
    UNIQUE (programme_id, code)
);

CREATE TABLE org_units (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id  INTEGER REFERENCES org_units (id),
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    level      TEXT NOT NULL CHECK (level IN ('ministry', 'province', 'department', 'district', 'unit')),
    opened_on  TEXT,
    closed_on  TEXT
);
CREATE INDEX org_units_parent ON org_units (parent_id);

CREATE TABLE plans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id INTEGER NOT NULL REFERENCES programmes (id),
    unit_id      INTEGER NOT NULL REFERENCES org_units (id),
    kind         TEXT NOT NULL CHECK (kind IN ('five_year', 'annual')),
    start_year   INTEGER NOT NULL,
    end_year     INTEGER NOT NULL CHECK (end_year >= start_year),
    document_id  INTEGER REFERENCES documents (id),
    name         TEXT NOT NULL
);

CREATE TABLE targets (
    plan_id   INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL REFERENCES metrics (id),
    value     INTEGER NOT NULL CHECK (value >= 0),
    PRIMARY KEY (plan_id, metric_id)
);

CREATE TABLE activities (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    unit_id       INTEGER NOT NULL REFERENCES org_units (id),
    task_group_id INTEGER NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    occurred_on   TEXT NOT NULL,
    year          INTEGER NOT NULL,
    description   TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT '',
    ref           TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX activities_ref ON activities (programme_id, ref) WHERE ref <> '';
CREATE INDEX activities_unit_year ON activities (unit_id, year);

-- unit_id, year and occurred_on are copied from the activity so that the
-- latest value of a unit and the kept totals can be found through an index.
CREATE TABLE activity_quantities (
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    metric_id   INTEGER NOT NULL REFERENCES metrics (id),
    unit_id     INTEGER NOT NULL,
    year        INTEGER NOT NULL,
    occurred_on TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (activity_id, metric_id)
);
CREATE INDEX activity_quantities_latest ON activity_quantities (metric_id, unit_id, year, occurred_on, activity_id);

CREATE TABLE activity_beneficiaries (
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    tax_code    TEXT NOT NULL,
    unit_id     INTEGER NOT NULL,
    year        INTEGER NOT NULL,
    PRIMARY KEY (activity_id, tax_code)
);
CREATE INDEX activity_beneficiaries_unit_year ON activity_beneficiaries (unit_id, year, tax_code);

-- total is the sum of quantities (or, for the last-value rule, the latest
-- value) of the unit's activities in the year; activities counts them.
CREATE TABLE unit_totals (
    unit_id    INTEGER NOT NULL REFERENCES org_units (id),
    metric_id  INTEGER NOT NULL REFERENCES metrics (id),
    year       INTEGER NOT NULL,
    total      INTEGER NOT NULL,
    activities INTEGER NOT NULL,
    PRIMARY KEY (unit_id, metric_id, year)
);
CREATE INDEX unit_totals_metric_year ON unit_totals (metric_id, year);

-- +goose Down
DROP TABLE unit_totals;
DROP TABLE activity_beneficiaries;
DROP TABLE activity_quantities;
DROP TABLE activities;
DROP TABLE targets;
DROP TABLE plans;
DROP TABLE org_units;
DROP TABLE metrics;
DROP TABLE task_groups;
DROP TABLE programmes;
DROP TABLE documents;
