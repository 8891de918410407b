-- How many activities each unit reported, by month, task group and kind,
-- kept by the database itself as activities are written, whichever path
-- writes them (form, API, import, exchange). The round page counts a
-- unit's activities of a period, and the report page a task group's, from
-- these rows: their number follows units × months, not the activities.
-- No approval state: a count of approved activities reads these rows for
-- the months an approval covers whole, and the activities of the rest.

-- +goose Up
CREATE TABLE activity_counts (
    unit_id       INTEGER NOT NULL REFERENCES org_units (id),
    programme_id  INTEGER NOT NULL REFERENCES programmes (id),
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL,
    task_group_id INTEGER NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    INTEGER NOT NULL,
    PRIMARY KEY (unit_id, programme_id, year, month, task_group_id, kind)
);

INSERT INTO activity_counts (unit_id, programme_id, year, month, task_group_id, kind, activities)
SELECT unit_id, programme_id, year, CAST(substr(occurred_on, 6, 2) AS INTEGER), task_group_id, kind, COUNT(*)
FROM activities GROUP BY 1, 2, 3, 4, 5, 6;

-- +goose StatementBegin
CREATE TRIGGER activity_counts_insert AFTER INSERT ON activities BEGIN
    INSERT INTO activity_counts (unit_id, programme_id, year, month, task_group_id, kind, activities)
    VALUES (NEW.unit_id, NEW.programme_id, NEW.year, CAST(substr(NEW.occurred_on, 6, 2) AS INTEGER), NEW.task_group_id, NEW.kind, 1)
    ON CONFLICT (unit_id, programme_id, year, month, task_group_id, kind) DO UPDATE SET activities = activities + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER activity_counts_delete AFTER DELETE ON activities BEGIN
    UPDATE activity_counts SET activities = activities - 1
    WHERE unit_id = OLD.unit_id AND programme_id = OLD.programme_id AND year = OLD.year
        AND month = CAST(substr(OLD.occurred_on, 6, 2) AS INTEGER) AND task_group_id = OLD.task_group_id AND kind = OLD.kind;
    DELETE FROM activity_counts
    WHERE unit_id = OLD.unit_id AND programme_id = OLD.programme_id AND year = OLD.year
        AND month = CAST(substr(OLD.occurred_on, 6, 2) AS INTEGER) AND task_group_id = OLD.task_group_id AND kind = OLD.kind
        AND activities = 0;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER activity_counts_update AFTER UPDATE OF unit_id, programme_id, occurred_on, year, task_group_id, kind ON activities
WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.programme_id IS NOT NEW.programme_id OR OLD.occurred_on IS NOT NEW.occurred_on
    OR OLD.year IS NOT NEW.year OR OLD.task_group_id IS NOT NEW.task_group_id OR OLD.kind IS NOT NEW.kind
BEGIN
    UPDATE activity_counts SET activities = activities - 1
    WHERE unit_id = OLD.unit_id AND programme_id = OLD.programme_id AND year = OLD.year
        AND month = CAST(substr(OLD.occurred_on, 6, 2) AS INTEGER) AND task_group_id = OLD.task_group_id AND kind = OLD.kind;
    DELETE FROM activity_counts
    WHERE unit_id = OLD.unit_id AND programme_id = OLD.programme_id AND year = OLD.year
        AND month = CAST(substr(OLD.occurred_on, 6, 2) AS INTEGER) AND task_group_id = OLD.task_group_id AND kind = OLD.kind
        AND activities = 0;
    INSERT INTO activity_counts (unit_id, programme_id, year, month, task_group_id, kind, activities)
    VALUES (NEW.unit_id, NEW.programme_id, NEW.year, CAST(substr(NEW.occurred_on, 6, 2) AS INTEGER), NEW.task_group_id, NEW.kind, 1)
    ON CONFLICT (unit_id, programme_id, year, month, task_group_id, kind) DO UPDATE SET activities = activities + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER activity_counts_update;
DROP TRIGGER activity_counts_delete;
DROP TRIGGER activity_counts_insert;
DROP TABLE activity_counts;
