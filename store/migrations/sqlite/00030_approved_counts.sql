-- How many approved activities each unit, and each ancestor's subtree,
-- reported, by year, task group and kind: what a report of approved figures
-- only counts its task groups from, as tree_activity_counts serves a report
-- of every state. An activity is approved when an approved submission of
-- its unit covers its day; an approved period is locked, so these rows
-- change only when a submission becomes approved or stops being so, which
-- counts the unit's rows again (store.recountUnit), and with a unit's move,
-- which carries its subtree's rows (store.pushSubtree).

-- +goose Up
CREATE TABLE approved_counts (
    unit_id       INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    task_group_id INTEGER NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    INTEGER NOT NULL,
    PRIMARY KEY (unit_id, programme_id, year, task_group_id, kind)
);

CREATE TABLE tree_approved_counts (
    ancestor_id   INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    task_group_id INTEGER NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, programme_id, year, task_group_id, kind)
);
CREATE INDEX tree_approved_counts_empty ON tree_approved_counts (ancestor_id) WHERE activities = 0;

INSERT INTO approved_counts (unit_id, programme_id, year, task_group_id, kind, activities)
SELECT a.unit_id, a.programme_id, a.year, a.task_group_id, a.kind, COUNT(*) FROM activities a
WHERE EXISTS (SELECT 1 FROM submissions ap_s JOIN rounds ap_r ON ap_r.id = ap_s.round_id
    WHERE ap_s.unit_id = a.unit_id AND ap_s.status = 'approved' AND ap_r.programme_id = a.programme_id
        AND a.occurred_on BETWEEN ap_r.period_start AND ap_r.period_end)
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO tree_approved_counts (ancestor_id, programme_id, year, task_group_id, kind, activities)
SELECT ua.ancestor_id, k.programme_id, k.year, k.task_group_id, k.kind, SUM(k.activities)
FROM approved_counts k JOIN unit_ancestors ua ON ua.unit_id = k.unit_id
GROUP BY 1, 2, 3, 4, 5;

-- +goose Down
DROP TABLE tree_approved_counts;
DROP TABLE approved_counts;
