-- The distinct enterprises each ancestor's subtree reached, kept so that a
-- province's or the nation's report reads a few dozen rows instead of
-- counting its tree_reach rows (one per enterprise, metric, year and
-- state) each time. For each ancestor, metric and basis (every state, or
-- approved only), enterprises counts those reached in year whose previous
-- year reached there is prev_year (0 for none). An enterprise is reached
-- over from…to once, in its first year there at or after from, the one
-- whose previous year is before from: so the distinct enterprises of
-- from…to are SUM(enterprises) WHERE year BETWEEN from AND to AND
-- prev_year < from, whatever the span. Writes move these rows as an
-- enterprise's years at an ancestor change; the query below, which
-- store.reachYearsSQL repeats, counts them again from tree_reach.

-- +goose Up
CREATE TABLE tree_reach_years (
    ancestor_id BIGINT NOT NULL REFERENCES org_units (id),
    metric_id   BIGINT NOT NULL REFERENCES metrics (id),
    basis       TEXT NOT NULL CHECK (basis IN ('all', 'approved')),
    year        BIGINT NOT NULL,
    prev_year   BIGINT NOT NULL,
    enterprises BIGINT NOT NULL,
    PRIMARY KEY (ancestor_id, metric_id, basis, year, prev_year)
);
INSERT INTO tree_reach_years (ancestor_id, metric_id, basis, year, prev_year, enterprises)
SELECT ancestor_id, metric_id, basis, year, prev_year, COUNT(*) FROM (
    SELECT ancestor_id, metric_id, basis, year,
        COALESCE(LAG(year) OVER (PARTITION BY ancestor_id, metric_id, basis, tax_code ORDER BY year), 0) AS prev_year
    FROM (
        SELECT DISTINCT ancestor_id, metric_id, 'all' AS basis, tax_code, year FROM tree_reach WHERE activities > 0
        UNION ALL
        SELECT ancestor_id, metric_id, 'approved', tax_code, year FROM tree_reach WHERE activities > 0 AND state = 'approved'
    ) p
) g GROUP BY ancestor_id, metric_id, basis, year, prev_year;
CREATE INDEX tree_reach_years_empty ON tree_reach_years (ancestor_id) WHERE enterprises = 0;
-- An enterprise's years at an ancestor, which a write reads before and
-- after it changes them.
CREATE INDEX tree_reach_enterprise ON tree_reach (ancestor_id, metric_id, tax_code, year, state);

-- +goose Down
DROP INDEX tree_reach_enterprise;
DROP TABLE tree_reach_years;
