-- tree_reach was a table, its primary key (ancestor, metric, year, state,
-- tax code) and the index tree_reach_enterprise (ancestor, metric, tax code,
-- year, state) beside it: three B-trees written for every enterprise an
-- activity reaches at each of its ancestors, a third of an import into a
-- national database. It is now one: a table without rowid keyed in the
-- enterprise's order, which is how writes read it (the years of each
-- enterprise at each ancestor). A report over several roots (a merger)
-- reads a root's rows of a metric by this key and keeps the years it asks.

-- +goose Up
CREATE TABLE tree_reach_by_enterprise (
    ancestor_id INTEGER NOT NULL REFERENCES org_units (id),
    metric_id   INTEGER NOT NULL REFERENCES metrics (id),
    year        INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    tax_code    TEXT NOT NULL,
    activities  INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, metric_id, tax_code, year, state)
) WITHOUT ROWID;
INSERT INTO tree_reach_by_enterprise (ancestor_id, metric_id, year, state, tax_code, activities)
SELECT ancestor_id, metric_id, year, state, tax_code, activities FROM tree_reach ORDER BY ancestor_id, metric_id, tax_code, year, state;
DROP TABLE tree_reach;
ALTER TABLE tree_reach_by_enterprise RENAME TO tree_reach;
CREATE INDEX tree_reach_empty ON tree_reach (ancestor_id) WHERE activities = 0;

-- +goose Down
CREATE TABLE tree_reach_by_year (
    ancestor_id INTEGER NOT NULL REFERENCES org_units (id),
    metric_id   INTEGER NOT NULL REFERENCES metrics (id),
    year        INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    tax_code    TEXT NOT NULL,
    activities  INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, metric_id, year, state, tax_code)
);
INSERT INTO tree_reach_by_year (ancestor_id, metric_id, year, state, tax_code, activities)
SELECT ancestor_id, metric_id, year, state, tax_code, activities FROM tree_reach;
DROP TABLE tree_reach;
ALTER TABLE tree_reach_by_year RENAME TO tree_reach;
CREATE INDEX tree_reach_empty ON tree_reach (ancestor_id) WHERE activities = 0;
CREATE INDEX tree_reach_enterprise ON tree_reach (ancestor_id, metric_id, tax_code, year, state);
