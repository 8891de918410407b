-- How many activities each unit reported, by month, task group and kind,
-- kept by the database itself as activities are written, whichever path
-- writes them (form, API, import, exchange). The round page counts a
-- unit's activities of a period, and the report page a task group's, from
-- these rows: their number follows units × months, not the activities.
-- No approval state: a count of approved activities reads these rows for
-- the months an approval covers whole, and the activities of the rest.

-- +goose Up
CREATE TABLE activity_counts (
    unit_id       BIGINT NOT NULL REFERENCES org_units (id),
    programme_id  BIGINT NOT NULL REFERENCES programmes (id),
    year          BIGINT NOT NULL,
    month         BIGINT NOT NULL,
    task_group_id BIGINT NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    BIGINT NOT NULL,
    PRIMARY KEY (unit_id, programme_id, year, month, task_group_id, kind)
);

INSERT INTO activity_counts (unit_id, programme_id, year, month, task_group_id, kind, activities)
SELECT unit_id, programme_id, year, EXTRACT(MONTH FROM occurred_on), task_group_id, kind, COUNT(*)
FROM activities GROUP BY 1, 2, 3, 4, 5, 6;

-- +goose StatementBegin
CREATE FUNCTION activity_counts_move() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE activity_counts SET activities = activities - 1
        WHERE unit_id = OLD.unit_id AND programme_id = OLD.programme_id AND year = OLD.year
            AND month = EXTRACT(MONTH FROM OLD.occurred_on) AND task_group_id = OLD.task_group_id AND kind = OLD.kind;
        DELETE FROM activity_counts
        WHERE unit_id = OLD.unit_id AND programme_id = OLD.programme_id AND year = OLD.year
            AND month = EXTRACT(MONTH FROM OLD.occurred_on) AND task_group_id = OLD.task_group_id AND kind = OLD.kind
            AND activities = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO activity_counts (unit_id, programme_id, year, month, task_group_id, kind, activities)
        VALUES (NEW.unit_id, NEW.programme_id, NEW.year, EXTRACT(MONTH FROM NEW.occurred_on), NEW.task_group_id, NEW.kind, 1)
        ON CONFLICT (unit_id, programme_id, year, month, task_group_id, kind) DO UPDATE SET activities = activity_counts.activities + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER activity_counts_write AFTER INSERT OR DELETE ON activities
    FOR EACH ROW EXECUTE FUNCTION activity_counts_move();
CREATE TRIGGER activity_counts_update AFTER UPDATE OF unit_id, programme_id, occurred_on, year, task_group_id, kind ON activities
    FOR EACH ROW WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.programme_id IS DISTINCT FROM NEW.programme_id
        OR OLD.occurred_on IS DISTINCT FROM NEW.occurred_on OR OLD.year IS DISTINCT FROM NEW.year
        OR OLD.task_group_id IS DISTINCT FROM NEW.task_group_id OR OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION activity_counts_move();

-- +goose Down
DROP TRIGGER activity_counts_update ON activities;
DROP TRIGGER activity_counts_write ON activities;
DROP FUNCTION activity_counts_move();
DROP TABLE activity_counts;
