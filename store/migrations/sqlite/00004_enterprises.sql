-- The registry of enterprises by tax code, calls for participation and the
-- registrations sent through their public page. Activities keep naming
-- their beneficiaries by tax code (activity_beneficiaries); a record merged
-- into another (merged_into) counts as that one, and a merge is undone by
-- clearing it.

-- +goose Up
-- Kept beside each total, so that a report reads what beneficiary lists say
-- without counting activities: of the activities with a figure for the
-- metric, the beneficiaries they name (visits) and those naming none.
ALTER TABLE unit_totals ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_totals ADD COLUMN unlisted INTEGER NOT NULL DEFAULT 0;
UPDATE unit_totals SET
    listed = (SELECT COUNT(*) FROM activity_quantities q JOIN activity_beneficiaries b ON b.activity_id = q.activity_id
        WHERE q.metric_id = unit_totals.metric_id AND q.unit_id = unit_totals.unit_id AND q.year = unit_totals.year AND q.quantity > 0),
    unlisted = (SELECT COUNT(*) FROM activity_quantities q
        WHERE q.metric_id = unit_totals.metric_id AND q.unit_id = unit_totals.unit_id AND q.year = unit_totals.year AND q.quantity > 0
            AND NOT EXISTS (SELECT 1 FROM activity_beneficiaries b WHERE b.activity_id = q.activity_id));

-- Each enterprise a unit's activities with a figure for a metric name in a
-- year, with how many of them do: distinct enterprises are counted from
-- these rows, a few per enterprise reached, not from every activity.
CREATE TABLE reach_totals (
    unit_id    INTEGER NOT NULL REFERENCES org_units (id),
    metric_id  INTEGER NOT NULL REFERENCES metrics (id),
    year       INTEGER NOT NULL,
    tax_code   TEXT NOT NULL,
    activities INTEGER NOT NULL,
    PRIMARY KEY (unit_id, metric_id, year, tax_code)
);
CREATE INDEX reach_totals_metric_year ON reach_totals (metric_id, year);
INSERT INTO reach_totals (unit_id, metric_id, year, tax_code, activities)
    SELECT q.unit_id, q.metric_id, q.year, b.tax_code, COUNT(*)
    FROM activity_quantities q JOIN activity_beneficiaries b ON b.activity_id = q.activity_id
    WHERE q.quantity > 0
    GROUP BY q.unit_id, q.metric_id, q.year, b.tax_code;

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
    district_key  TEXT NOT NULL DEFAULT '', -- the district folded as searches compare it
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
    version      INTEGER NOT NULL DEFAULT 1,
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
DROP TABLE reach_totals;
ALTER TABLE unit_totals DROP COLUMN unlisted;
ALTER TABLE unit_totals DROP COLUMN listed;
DROP TABLE registrations;
DROP TABLE calls;
DROP INDEX activity_beneficiaries_tax_code;
DROP TABLE enterprises;
