-- Kept totals carry the approval state of what they count: an activity is
-- approved once its unit's submission to a round whose period covers its
-- date is approved, pending until then. A total is kept per unit, metric,
-- year and state, so that a report of approved figures only, or the part
-- not yet approved, reads as few rows as before. For the last-value rule,
-- latest_on is the date of the value kept: the latest of both states is
-- the one with the later date (a unit's activities of one day share a
-- state). The totals are counted again from the activities, with their
-- states.

-- +goose Up
DROP TABLE unit_totals;
CREATE TABLE unit_totals (
    unit_id    BIGINT NOT NULL REFERENCES org_units (id),
    metric_id  BIGINT NOT NULL REFERENCES metrics (id),
    year       BIGINT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    total      BIGINT NOT NULL,
    activities BIGINT NOT NULL,
    listed     BIGINT NOT NULL DEFAULT 0,
    unlisted   BIGINT NOT NULL DEFAULT 0,
    latest_on  DATE,
    PRIMARY KEY (unit_id, metric_id, year, state)
);
CREATE INDEX unit_totals_metric_year ON unit_totals (metric_id, year);
INSERT INTO unit_totals (unit_id, metric_id, year, state, total, activities, listed, unlisted, latest_on)
SELECT a.unit_id, q.metric_id, a.year, a.state,
    CASE WHEN m.rule = 'last' THEN (
        SELECT q2.quantity FROM activity_quantities q2 JOIN activities a2 ON a2.id = q2.activity_id
        WHERE q2.metric_id = q.metric_id AND a2.unit_id = a.unit_id AND a2.year = a.year
            AND CASE WHEN EXISTS (SELECT 1 FROM submissions s JOIN rounds r ON r.id = s.round_id
                WHERE s.unit_id = a2.unit_id AND s.status = 'approved' AND r.programme_id = a2.programme_id
                    AND a2.occurred_on BETWEEN r.period_start AND r.period_end) THEN 'approved' ELSE 'pending' END = a.state
        ORDER BY a2.occurred_on DESC, a2.id DESC LIMIT 1)
    ELSE SUM(q.quantity) END,
    COUNT(*),
    SUM(CASE WHEN q.quantity > 0 THEN (SELECT COUNT(*) FROM activity_beneficiaries b WHERE b.activity_id = a.id) ELSE 0 END),
    SUM(CASE WHEN q.quantity > 0 AND NOT EXISTS (SELECT 1 FROM activity_beneficiaries b WHERE b.activity_id = a.id) THEN 1 ELSE 0 END),
    CASE WHEN m.rule = 'last' THEN MAX(a.occurred_on) END
FROM activity_quantities q
JOIN (SELECT a.id, a.unit_id, a.year, a.occurred_on,
        CASE WHEN EXISTS (SELECT 1 FROM submissions s JOIN rounds r ON r.id = s.round_id
            WHERE s.unit_id = a.unit_id AND s.status = 'approved' AND r.programme_id = a.programme_id
                AND a.occurred_on BETWEEN r.period_start AND r.period_end) THEN 'approved' ELSE 'pending' END AS state
    FROM activities a) a ON a.id = q.activity_id
JOIN metrics m ON m.id = q.metric_id
GROUP BY a.unit_id, q.metric_id, a.year, a.state, m.rule;

DROP TABLE reach_totals;
CREATE TABLE reach_totals (
    unit_id    BIGINT NOT NULL REFERENCES org_units (id),
    metric_id  BIGINT NOT NULL REFERENCES metrics (id),
    year       INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    tax_code   TEXT NOT NULL,
    activities BIGINT NOT NULL,
    PRIMARY KEY (unit_id, metric_id, year, state, tax_code)
);
CREATE INDEX reach_totals_metric_year ON reach_totals (metric_id, year);
INSERT INTO reach_totals (unit_id, metric_id, year, state, tax_code, activities)
SELECT a.unit_id, q.metric_id, a.year, a.state, b.tax_code, COUNT(*)
FROM activity_quantities q
JOIN (SELECT a.id, a.unit_id, a.year,
        CASE WHEN EXISTS (SELECT 1 FROM submissions s JOIN rounds r ON r.id = s.round_id
            WHERE s.unit_id = a.unit_id AND s.status = 'approved' AND r.programme_id = a.programme_id
                AND a.occurred_on BETWEEN r.period_start AND r.period_end) THEN 'approved' ELSE 'pending' END AS state
    FROM activities a) a ON a.id = q.activity_id
JOIN activity_beneficiaries b ON b.activity_id = a.id
WHERE q.quantity > 0
GROUP BY a.unit_id, q.metric_id, a.year, a.state, b.tax_code;

-- +goose Down
DROP TABLE reach_totals;
CREATE TABLE reach_totals (
    unit_id    BIGINT NOT NULL REFERENCES org_units (id),
    metric_id  BIGINT NOT NULL REFERENCES metrics (id),
    year       INTEGER NOT NULL,
    tax_code   TEXT NOT NULL,
    activities BIGINT NOT NULL,
    PRIMARY KEY (unit_id, metric_id, year, tax_code)
);
CREATE INDEX reach_totals_metric_year ON reach_totals (metric_id, year);
INSERT INTO reach_totals (unit_id, metric_id, year, tax_code, activities)
SELECT q.unit_id, q.metric_id, q.year, b.tax_code, COUNT(*)
FROM activity_quantities q JOIN activity_beneficiaries b ON b.activity_id = q.activity_id
WHERE q.quantity > 0
GROUP BY q.unit_id, q.metric_id, q.year, b.tax_code;

DROP TABLE unit_totals;
CREATE TABLE unit_totals (
    unit_id    BIGINT NOT NULL REFERENCES org_units (id),
    metric_id  BIGINT NOT NULL REFERENCES metrics (id),
    year       BIGINT NOT NULL,
    total      BIGINT NOT NULL,
    activities BIGINT NOT NULL,
    listed     BIGINT NOT NULL DEFAULT 0,
    unlisted   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, metric_id, year)
);
CREATE INDEX unit_totals_metric_year ON unit_totals (metric_id, year);
INSERT INTO unit_totals (unit_id, metric_id, year, total, activities, listed, unlisted)
SELECT a.unit_id, q.metric_id, a.year,
    CASE WHEN m.rule = 'last' THEN (
        SELECT q2.quantity FROM activity_quantities q2 JOIN activities a2 ON a2.id = q2.activity_id
        WHERE q2.metric_id = q.metric_id AND a2.unit_id = a.unit_id AND a2.year = a.year
        ORDER BY a2.occurred_on DESC, a2.id DESC LIMIT 1)
    ELSE SUM(q.quantity) END,
    COUNT(*),
    SUM(CASE WHEN q.quantity > 0 THEN (SELECT COUNT(*) FROM activity_beneficiaries b WHERE b.activity_id = a.id) ELSE 0 END),
    SUM(CASE WHEN q.quantity > 0 AND NOT EXISTS (SELECT 1 FROM activity_beneficiaries b WHERE b.activity_id = a.id) THEN 1 ELSE 0 END)
FROM activity_quantities q JOIN activities a ON a.id = q.activity_id JOIN metrics m ON m.id = q.metric_id
GROUP BY a.unit_id, q.metric_id, a.year, m.rule;
