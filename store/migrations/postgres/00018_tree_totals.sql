-- Totals kept per ancestor in today's tree: a unit's rows count its whole
-- subtree (itself included), so that the report of a province or of the
-- nation reads a few rows of one unit instead of the rows of thousands.
-- tree_totals and tree_reach are the sums of unit_totals and reach_totals
-- over each unit's subtree (but for the total of a last-value metric,
-- which tree_latest keeps, 0). A row no activity counts in is removed:
-- the partial indexes find those at once. tree_latest keeps the last-value rule: for
-- each unit of the subtree and basis (every state, or approved only), its
-- value of a year counts in a report of year Y from year up to the year
-- before its next value (until_year; 0 for none), and units says how many
-- units' values a row holds. All three are counted from the kept totals,
-- which migration 00008 counted from the activities.

-- +goose Up
CREATE TABLE tree_totals (
    ancestor_id BIGINT NOT NULL REFERENCES org_units (id),
    metric_id   BIGINT NOT NULL REFERENCES metrics (id),
    year        BIGINT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    total       BIGINT NOT NULL,
    activities  BIGINT NOT NULL,
    listed      BIGINT NOT NULL,
    unlisted    BIGINT NOT NULL,
    PRIMARY KEY (ancestor_id, metric_id, year, state)
);
INSERT INTO tree_totals (ancestor_id, metric_id, year, state, total, activities, listed, unlisted)
SELECT ua.ancestor_id, t.metric_id, t.year, t.state, SUM(CASE WHEN m.rule = 'last' THEN 0 ELSE t.total END),
    SUM(t.activities), SUM(t.listed), SUM(t.unlisted)
FROM unit_totals t JOIN unit_ancestors ua ON ua.unit_id = t.unit_id JOIN metrics m ON m.id = t.metric_id
GROUP BY ua.ancestor_id, t.metric_id, t.year, t.state;
CREATE INDEX tree_totals_empty ON tree_totals (ancestor_id) WHERE activities = 0;

CREATE TABLE tree_reach (
    ancestor_id BIGINT NOT NULL REFERENCES org_units (id),
    metric_id   BIGINT NOT NULL REFERENCES metrics (id),
    year        BIGINT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    tax_code    TEXT NOT NULL,
    activities  BIGINT NOT NULL,
    PRIMARY KEY (ancestor_id, metric_id, year, state, tax_code)
);
INSERT INTO tree_reach (ancestor_id, metric_id, year, state, tax_code, activities)
SELECT ua.ancestor_id, r.metric_id, r.year, r.state, r.tax_code, SUM(r.activities)
FROM reach_totals r JOIN unit_ancestors ua ON ua.unit_id = r.unit_id
GROUP BY ua.ancestor_id, r.metric_id, r.year, r.state, r.tax_code;
CREATE INDEX tree_reach_empty ON tree_reach (ancestor_id) WHERE activities = 0;

CREATE TABLE tree_latest (
    ancestor_id BIGINT NOT NULL REFERENCES org_units (id),
    metric_id   BIGINT NOT NULL REFERENCES metrics (id),
    basis       TEXT NOT NULL CHECK (basis IN ('all', 'approved')),
    year        BIGINT NOT NULL,
    until_year  BIGINT NOT NULL,
    total       BIGINT NOT NULL,
    units       BIGINT NOT NULL,
    PRIMARY KEY (ancestor_id, metric_id, basis, year, until_year)
);
INSERT INTO tree_latest (ancestor_id, metric_id, basis, year, until_year, total, units)
SELECT ua.ancestor_id, l.metric_id, l.basis, l.year, l.until_year, SUM(l.total), COUNT(*)
FROM (
    SELECT unit_id, metric_id, basis, year,
        COALESCE(LEAD(year) OVER (PARTITION BY unit_id, metric_id, basis ORDER BY year), 0) AS until_year, total
    FROM (
        SELECT t.unit_id, t.metric_id, 'all' AS basis, t.year, t.total,
            ROW_NUMBER() OVER (PARTITION BY t.unit_id, t.metric_id, t.year ORDER BY t.latest_on DESC) AS n
        FROM unit_totals t JOIN metrics m ON m.id = t.metric_id WHERE m.rule = 'last'
        UNION ALL
        SELECT t.unit_id, t.metric_id, 'approved', t.year, t.total, 1
        FROM unit_totals t JOIN metrics m ON m.id = t.metric_id WHERE m.rule = 'last' AND t.state = 'approved'
    ) v WHERE n = 1
) l JOIN unit_ancestors ua ON ua.unit_id = l.unit_id
GROUP BY ua.ancestor_id, l.metric_id, l.basis, l.year, l.until_year;
CREATE INDEX tree_latest_empty ON tree_latest (ancestor_id) WHERE units = 0;
-- The units' own enterprises reached are now written many to a statement,
-- and those no activity names any more removed at once in the same way.
CREATE INDEX reach_totals_empty ON reach_totals (unit_id) WHERE activities = 0;

-- +goose Down
DROP INDEX reach_totals_empty;
DROP TABLE tree_latest;
DROP TABLE tree_reach;
DROP TABLE tree_totals;
