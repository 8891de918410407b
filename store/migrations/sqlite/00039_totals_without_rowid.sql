-- The kept totals and counts, of each unit and of each ancestor, and the
-- tree's ancestors were tables with a rowid and their primary key beside
-- it: two B-trees where one will do. A report or a dashboard finds each row
-- by its key, then reads it from the table through its rowid (the nation's
-- dashboard some hundreds of rows a build, every page read again after a
-- commit); a write with totals writes both B-trees of every row it moves,
-- at each ancestor. Each is now a table without rowid, keyed as before: one
-- B-tree, its rows in the key's order. The raw activities' tables keep
-- their rowid: a bulk load appends to them. PostgreSQL's tables stay as
-- they are (its migration 00039 does nothing).

-- +goose Up
CREATE TABLE unit_totals_keyed (
    unit_id    INTEGER NOT NULL REFERENCES org_units (id),
    metric_id  INTEGER NOT NULL REFERENCES metrics (id),
    year       INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    total      INTEGER NOT NULL,
    activities INTEGER NOT NULL,
    listed     INTEGER NOT NULL DEFAULT 0,
    unlisted   INTEGER NOT NULL DEFAULT 0,
    latest_on  TEXT,
    PRIMARY KEY (unit_id, metric_id, year, state)
) WITHOUT ROWID;
INSERT INTO unit_totals_keyed (unit_id, metric_id, year, state, total, activities, listed, unlisted, latest_on)
SELECT unit_id, metric_id, year, state, total, activities, listed, unlisted, latest_on FROM unit_totals ORDER BY unit_id, metric_id, year, state;
DROP TABLE unit_totals;
ALTER TABLE unit_totals_keyed RENAME TO unit_totals;
CREATE INDEX unit_totals_metric_year ON unit_totals (metric_id, year);

CREATE TABLE reach_totals_keyed (
    unit_id    INTEGER NOT NULL REFERENCES org_units (id),
    metric_id  INTEGER NOT NULL REFERENCES metrics (id),
    year       INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    tax_code   TEXT NOT NULL,
    activities INTEGER NOT NULL,
    PRIMARY KEY (unit_id, metric_id, year, state, tax_code)
) WITHOUT ROWID;
INSERT INTO reach_totals_keyed (unit_id, metric_id, year, state, tax_code, activities)
SELECT unit_id, metric_id, year, state, tax_code, activities FROM reach_totals ORDER BY unit_id, metric_id, year, state, tax_code;
DROP TABLE reach_totals;
ALTER TABLE reach_totals_keyed RENAME TO reach_totals;
CREATE INDEX reach_totals_metric_year ON reach_totals (metric_id, year);
CREATE INDEX reach_totals_empty ON reach_totals (unit_id) WHERE activities = 0;

CREATE TABLE tree_totals_keyed (
    ancestor_id INTEGER NOT NULL REFERENCES org_units (id),
    metric_id   INTEGER NOT NULL REFERENCES metrics (id),
    year        INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    total       INTEGER NOT NULL,
    activities  INTEGER NOT NULL,
    listed      INTEGER NOT NULL,
    unlisted    INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, metric_id, year, state)
) WITHOUT ROWID;
INSERT INTO tree_totals_keyed (ancestor_id, metric_id, year, state, total, activities, listed, unlisted)
SELECT ancestor_id, metric_id, year, state, total, activities, listed, unlisted FROM tree_totals ORDER BY ancestor_id, metric_id, year, state;
DROP TABLE tree_totals;
ALTER TABLE tree_totals_keyed RENAME TO tree_totals;
CREATE INDEX tree_totals_empty ON tree_totals (ancestor_id) WHERE activities = 0;

CREATE TABLE tree_latest_keyed (
    ancestor_id INTEGER NOT NULL REFERENCES org_units (id),
    metric_id   INTEGER NOT NULL REFERENCES metrics (id),
    basis       TEXT NOT NULL CHECK (basis IN ('all', 'approved')),
    year        INTEGER NOT NULL,
    until_year  INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    units       INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, metric_id, basis, year, until_year)
) WITHOUT ROWID;
INSERT INTO tree_latest_keyed (ancestor_id, metric_id, basis, year, until_year, total, units)
SELECT ancestor_id, metric_id, basis, year, until_year, total, units FROM tree_latest ORDER BY ancestor_id, metric_id, basis, year, until_year;
DROP TABLE tree_latest;
ALTER TABLE tree_latest_keyed RENAME TO tree_latest;
CREATE INDEX tree_latest_empty ON tree_latest (ancestor_id) WHERE units = 0;

CREATE TABLE tree_reach_years_keyed (
    ancestor_id INTEGER NOT NULL REFERENCES org_units (id),
    metric_id   INTEGER NOT NULL REFERENCES metrics (id),
    basis       TEXT NOT NULL CHECK (basis IN ('all', 'approved')),
    year        INTEGER NOT NULL,
    prev_year   INTEGER NOT NULL,
    enterprises INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, metric_id, basis, year, prev_year)
) WITHOUT ROWID;
INSERT INTO tree_reach_years_keyed (ancestor_id, metric_id, basis, year, prev_year, enterprises)
SELECT ancestor_id, metric_id, basis, year, prev_year, enterprises FROM tree_reach_years ORDER BY ancestor_id, metric_id, basis, year, prev_year;
DROP TABLE tree_reach_years;
ALTER TABLE tree_reach_years_keyed RENAME TO tree_reach_years;
CREATE INDEX tree_reach_years_empty ON tree_reach_years (ancestor_id) WHERE enterprises = 0;

CREATE TABLE activity_counts_keyed (
    unit_id       INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL,
    task_group_id INTEGER NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    INTEGER NOT NULL,
    PRIMARY KEY (unit_id, programme_id, year, month, task_group_id, kind)
) WITHOUT ROWID;
INSERT INTO activity_counts_keyed (unit_id, programme_id, year, month, task_group_id, kind, activities)
SELECT unit_id, programme_id, year, month, task_group_id, kind, activities FROM activity_counts ORDER BY unit_id, programme_id, year, month, task_group_id, kind;
DROP TABLE activity_counts;
ALTER TABLE activity_counts_keyed RENAME TO activity_counts;

CREATE TABLE approved_counts_keyed (
    unit_id       INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    task_group_id INTEGER NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    INTEGER NOT NULL,
    PRIMARY KEY (unit_id, programme_id, year, task_group_id, kind)
) WITHOUT ROWID;
INSERT INTO approved_counts_keyed (unit_id, programme_id, year, task_group_id, kind, activities)
SELECT unit_id, programme_id, year, task_group_id, kind, activities FROM approved_counts ORDER BY unit_id, programme_id, year, task_group_id, kind;
DROP TABLE approved_counts;
ALTER TABLE approved_counts_keyed RENAME TO approved_counts;

CREATE TABLE tree_activity_counts_keyed (
    ancestor_id   INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    task_group_id INTEGER NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, programme_id, year, task_group_id, kind)
) WITHOUT ROWID;
INSERT INTO tree_activity_counts_keyed (ancestor_id, programme_id, year, task_group_id, kind, activities)
SELECT ancestor_id, programme_id, year, task_group_id, kind, activities FROM tree_activity_counts ORDER BY ancestor_id, programme_id, year, task_group_id, kind;
DROP TABLE tree_activity_counts;
ALTER TABLE tree_activity_counts_keyed RENAME TO tree_activity_counts;
CREATE INDEX tree_activity_counts_empty ON tree_activity_counts (ancestor_id) WHERE activities = 0;

CREATE TABLE tree_reporting_keyed (
    ancestor_id   INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, programme_id, year)
) WITHOUT ROWID;
INSERT INTO tree_reporting_keyed (ancestor_id, programme_id, year, units)
SELECT ancestor_id, programme_id, year, units FROM tree_reporting ORDER BY ancestor_id, programme_id, year;
DROP TABLE tree_reporting;
ALTER TABLE tree_reporting_keyed RENAME TO tree_reporting;
CREATE INDEX tree_reporting_empty ON tree_reporting (ancestor_id) WHERE units = 0;

CREATE TABLE tree_approved_counts_keyed (
    ancestor_id   INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    task_group_id INTEGER NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, programme_id, year, task_group_id, kind)
) WITHOUT ROWID;
INSERT INTO tree_approved_counts_keyed (ancestor_id, programme_id, year, task_group_id, kind, activities)
SELECT ancestor_id, programme_id, year, task_group_id, kind, activities FROM tree_approved_counts ORDER BY ancestor_id, programme_id, year, task_group_id, kind;
DROP TABLE tree_approved_counts;
ALTER TABLE tree_approved_counts_keyed RENAME TO tree_approved_counts;
CREATE INDEX tree_approved_counts_empty ON tree_approved_counts (ancestor_id) WHERE activities = 0;

CREATE TABLE unit_ancestors_keyed (
    unit_id     INTEGER NOT NULL REFERENCES org_units (id),
    ancestor_id INTEGER NOT NULL REFERENCES org_units (id),
    depth       INTEGER NOT NULL,
    PRIMARY KEY (unit_id, ancestor_id)
) WITHOUT ROWID;
INSERT INTO unit_ancestors_keyed (unit_id, ancestor_id, depth)
SELECT unit_id, ancestor_id, depth FROM unit_ancestors ORDER BY unit_id, ancestor_id;
DROP TABLE unit_ancestors;
ALTER TABLE unit_ancestors_keyed RENAME TO unit_ancestors;
CREATE INDEX unit_ancestors_of ON unit_ancestors (ancestor_id, unit_id);
-- +goose Down
CREATE TABLE unit_totals_rowid (
    unit_id    INTEGER NOT NULL REFERENCES org_units (id),
    metric_id  INTEGER NOT NULL REFERENCES metrics (id),
    year       INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    total      INTEGER NOT NULL,
    activities INTEGER NOT NULL,
    listed     INTEGER NOT NULL DEFAULT 0,
    unlisted   INTEGER NOT NULL DEFAULT 0,
    latest_on  TEXT,
    PRIMARY KEY (unit_id, metric_id, year, state)
);
INSERT INTO unit_totals_rowid (unit_id, metric_id, year, state, total, activities, listed, unlisted, latest_on)
SELECT unit_id, metric_id, year, state, total, activities, listed, unlisted, latest_on FROM unit_totals ORDER BY unit_id, metric_id, year, state;
DROP TABLE unit_totals;
ALTER TABLE unit_totals_rowid RENAME TO unit_totals;
CREATE INDEX unit_totals_metric_year ON unit_totals (metric_id, year);

CREATE TABLE reach_totals_rowid (
    unit_id    INTEGER NOT NULL REFERENCES org_units (id),
    metric_id  INTEGER NOT NULL REFERENCES metrics (id),
    year       INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    tax_code   TEXT NOT NULL,
    activities INTEGER NOT NULL,
    PRIMARY KEY (unit_id, metric_id, year, state, tax_code)
);
INSERT INTO reach_totals_rowid (unit_id, metric_id, year, state, tax_code, activities)
SELECT unit_id, metric_id, year, state, tax_code, activities FROM reach_totals ORDER BY unit_id, metric_id, year, state, tax_code;
DROP TABLE reach_totals;
ALTER TABLE reach_totals_rowid RENAME TO reach_totals;
CREATE INDEX reach_totals_metric_year ON reach_totals (metric_id, year);
CREATE INDEX reach_totals_empty ON reach_totals (unit_id) WHERE activities = 0;

CREATE TABLE tree_totals_rowid (
    ancestor_id INTEGER NOT NULL REFERENCES org_units (id),
    metric_id   INTEGER NOT NULL REFERENCES metrics (id),
    year        INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    total       INTEGER NOT NULL,
    activities  INTEGER NOT NULL,
    listed      INTEGER NOT NULL,
    unlisted    INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, metric_id, year, state)
);
INSERT INTO tree_totals_rowid (ancestor_id, metric_id, year, state, total, activities, listed, unlisted)
SELECT ancestor_id, metric_id, year, state, total, activities, listed, unlisted FROM tree_totals ORDER BY ancestor_id, metric_id, year, state;
DROP TABLE tree_totals;
ALTER TABLE tree_totals_rowid RENAME TO tree_totals;
CREATE INDEX tree_totals_empty ON tree_totals (ancestor_id) WHERE activities = 0;

CREATE TABLE tree_latest_rowid (
    ancestor_id INTEGER NOT NULL REFERENCES org_units (id),
    metric_id   INTEGER NOT NULL REFERENCES metrics (id),
    basis       TEXT NOT NULL CHECK (basis IN ('all', 'approved')),
    year        INTEGER NOT NULL,
    until_year  INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    units       INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, metric_id, basis, year, until_year)
);
INSERT INTO tree_latest_rowid (ancestor_id, metric_id, basis, year, until_year, total, units)
SELECT ancestor_id, metric_id, basis, year, until_year, total, units FROM tree_latest ORDER BY ancestor_id, metric_id, basis, year, until_year;
DROP TABLE tree_latest;
ALTER TABLE tree_latest_rowid RENAME TO tree_latest;
CREATE INDEX tree_latest_empty ON tree_latest (ancestor_id) WHERE units = 0;

CREATE TABLE tree_reach_years_rowid (
    ancestor_id INTEGER NOT NULL REFERENCES org_units (id),
    metric_id   INTEGER NOT NULL REFERENCES metrics (id),
    basis       TEXT NOT NULL CHECK (basis IN ('all', 'approved')),
    year        INTEGER NOT NULL,
    prev_year   INTEGER NOT NULL,
    enterprises INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, metric_id, basis, year, prev_year)
);
INSERT INTO tree_reach_years_rowid (ancestor_id, metric_id, basis, year, prev_year, enterprises)
SELECT ancestor_id, metric_id, basis, year, prev_year, enterprises FROM tree_reach_years ORDER BY ancestor_id, metric_id, basis, year, prev_year;
DROP TABLE tree_reach_years;
ALTER TABLE tree_reach_years_rowid RENAME TO tree_reach_years;
CREATE INDEX tree_reach_years_empty ON tree_reach_years (ancestor_id) WHERE enterprises = 0;

CREATE TABLE activity_counts_rowid (
    unit_id       INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL,
    task_group_id INTEGER NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    INTEGER NOT NULL,
    PRIMARY KEY (unit_id, programme_id, year, month, task_group_id, kind)
);
INSERT INTO activity_counts_rowid (unit_id, programme_id, year, month, task_group_id, kind, activities)
SELECT unit_id, programme_id, year, month, task_group_id, kind, activities FROM activity_counts ORDER BY unit_id, programme_id, year, month, task_group_id, kind;
DROP TABLE activity_counts;
ALTER TABLE activity_counts_rowid RENAME TO activity_counts;

CREATE TABLE approved_counts_rowid (
    unit_id       INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    task_group_id INTEGER NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    INTEGER NOT NULL,
    PRIMARY KEY (unit_id, programme_id, year, task_group_id, kind)
);
INSERT INTO approved_counts_rowid (unit_id, programme_id, year, task_group_id, kind, activities)
SELECT unit_id, programme_id, year, task_group_id, kind, activities FROM approved_counts ORDER BY unit_id, programme_id, year, task_group_id, kind;
DROP TABLE approved_counts;
ALTER TABLE approved_counts_rowid RENAME TO approved_counts;

CREATE TABLE tree_activity_counts_rowid (
    ancestor_id   INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    task_group_id INTEGER NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, programme_id, year, task_group_id, kind)
);
INSERT INTO tree_activity_counts_rowid (ancestor_id, programme_id, year, task_group_id, kind, activities)
SELECT ancestor_id, programme_id, year, task_group_id, kind, activities FROM tree_activity_counts ORDER BY ancestor_id, programme_id, year, task_group_id, kind;
DROP TABLE tree_activity_counts;
ALTER TABLE tree_activity_counts_rowid RENAME TO tree_activity_counts;
CREATE INDEX tree_activity_counts_empty ON tree_activity_counts (ancestor_id) WHERE activities = 0;

CREATE TABLE tree_reporting_rowid (
    ancestor_id   INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    units         INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, programme_id, year)
);
INSERT INTO tree_reporting_rowid (ancestor_id, programme_id, year, units)
SELECT ancestor_id, programme_id, year, units FROM tree_reporting ORDER BY ancestor_id, programme_id, year;
DROP TABLE tree_reporting;
ALTER TABLE tree_reporting_rowid RENAME TO tree_reporting;
CREATE INDEX tree_reporting_empty ON tree_reporting (ancestor_id) WHERE units = 0;

CREATE TABLE tree_approved_counts_rowid (
    ancestor_id   INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    task_group_id INTEGER NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, programme_id, year, task_group_id, kind)
);
INSERT INTO tree_approved_counts_rowid (ancestor_id, programme_id, year, task_group_id, kind, activities)
SELECT ancestor_id, programme_id, year, task_group_id, kind, activities FROM tree_approved_counts ORDER BY ancestor_id, programme_id, year, task_group_id, kind;
DROP TABLE tree_approved_counts;
ALTER TABLE tree_approved_counts_rowid RENAME TO tree_approved_counts;
CREATE INDEX tree_approved_counts_empty ON tree_approved_counts (ancestor_id) WHERE activities = 0;

CREATE TABLE unit_ancestors_rowid (
    unit_id     INTEGER NOT NULL REFERENCES org_units (id),
    ancestor_id INTEGER NOT NULL REFERENCES org_units (id),
    depth       INTEGER NOT NULL,
    PRIMARY KEY (unit_id, ancestor_id)
);
INSERT INTO unit_ancestors_rowid (unit_id, ancestor_id, depth)
SELECT unit_id, ancestor_id, depth FROM unit_ancestors ORDER BY unit_id, ancestor_id;
DROP TABLE unit_ancestors;
ALTER TABLE unit_ancestors_rowid RENAME TO unit_ancestors;
CREATE INDEX unit_ancestors_of ON unit_ancestors (ancestor_id, unit_id);
