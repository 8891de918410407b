-- tree_reach had its primary key (ancestor, metric, year, state, tax code)
-- and the index tree_reach_enterprise (ancestor, metric, tax code, year,
-- state) beside it: two indexes written for every enterprise an activity
-- reaches at each of its ancestors, and on each change of its count (a
-- change of a column a partial index names is never a heap-only update).
-- The primary key now follows the enterprise's order, which is how writes
-- read it (the years of each enterprise at each ancestor), and the second
-- index goes. A report over several roots (a merger) reads a root's rows of
-- a metric by this key and keeps the years it asks.

-- +goose Up
ALTER TABLE tree_reach DROP CONSTRAINT tree_reach_pkey;
DROP INDEX tree_reach_enterprise;
ALTER TABLE tree_reach ADD PRIMARY KEY (ancestor_id, metric_id, tax_code, year, state);

-- +goose Down
ALTER TABLE tree_reach DROP CONSTRAINT tree_reach_pkey;
ALTER TABLE tree_reach ADD PRIMARY KEY (ancestor_id, metric_id, year, state, tax_code);
CREATE INDEX tree_reach_enterprise ON tree_reach (ancestor_id, metric_id, tax_code, year, state);
