-- How many activities each ancestor's subtree reported, by year, task
-- group and kind: activity_counts summed over unit_ancestors, kept by the
-- database itself as activities are written, beside activity_counts. A
-- province's or the nation's report page counts its task groups from a
-- few dozen of these rows instead of every unit's months; tree_reporting
-- keeps how many units of each subtree reported any activity of a year,
-- which its report says (a unit counts once the year holds one of its
-- activities, and no more once none is left). A unit's move
-- carries its subtree's rows from its old ancestors to the new ones, as
-- with the other tree_ tables (store.pushSubtree).

-- +goose Up
CREATE TABLE tree_activity_counts (
    ancestor_id   BIGINT NOT NULL REFERENCES org_units (id),
    programme_id  BIGINT NOT NULL REFERENCES programmes (id),
    year          BIGINT NOT NULL,
    task_group_id BIGINT NOT NULL REFERENCES task_groups (id),
    kind          TEXT NOT NULL,
    activities    BIGINT NOT NULL,
    PRIMARY KEY (ancestor_id, programme_id, year, task_group_id, kind)
);
CREATE INDEX tree_activity_counts_empty ON tree_activity_counts (ancestor_id) WHERE activities = 0;

CREATE TABLE tree_reporting (
    ancestor_id   BIGINT NOT NULL REFERENCES org_units (id),
    programme_id  BIGINT NOT NULL REFERENCES programmes (id),
    year          BIGINT NOT NULL,
    units         BIGINT NOT NULL,
    PRIMARY KEY (ancestor_id, programme_id, year)
);
CREATE INDEX tree_reporting_empty ON tree_reporting (ancestor_id) WHERE units = 0;

INSERT INTO tree_activity_counts (ancestor_id, programme_id, year, task_group_id, kind, activities)
SELECT ua.ancestor_id, k.programme_id, k.year, k.task_group_id, k.kind, SUM(k.activities)
FROM activity_counts k JOIN unit_ancestors ua ON ua.unit_id = k.unit_id
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO tree_reporting (ancestor_id, programme_id, year, units)
SELECT ua.ancestor_id, k.programme_id, k.year, COUNT(DISTINCT k.unit_id)
FROM activity_counts k JOIN unit_ancestors ua ON ua.unit_id = k.unit_id
GROUP BY 1, 2, 3;

-- +goose StatementBegin
CREATE FUNCTION tree_activity_counts_move() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE tree_activity_counts SET activities = activities - 1
        WHERE ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = OLD.unit_id)
            AND programme_id = OLD.programme_id AND year = OLD.year AND task_group_id = OLD.task_group_id AND kind = OLD.kind;
        DELETE FROM tree_activity_counts
        WHERE ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = OLD.unit_id)
            AND programme_id = OLD.programme_id AND year = OLD.year AND task_group_id = OLD.task_group_id AND kind = OLD.kind
            AND activities = 0;
        IF TG_OP = 'DELETE' OR (OLD.unit_id, OLD.programme_id, OLD.year) IS DISTINCT FROM (NEW.unit_id, NEW.programme_id, NEW.year) THEN
            UPDATE tree_reporting SET units = units - 1
            WHERE ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = OLD.unit_id) AND programme_id = OLD.programme_id AND year = OLD.year
                AND NOT EXISTS (SELECT 1 FROM activities WHERE unit_id = OLD.unit_id AND year = OLD.year AND programme_id = OLD.programme_id);
            DELETE FROM tree_reporting
            WHERE ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = OLD.unit_id) AND programme_id = OLD.programme_id AND year = OLD.year
                AND units = 0;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tree_activity_counts (ancestor_id, programme_id, year, task_group_id, kind, activities)
        SELECT ancestor_id, NEW.programme_id, NEW.year, NEW.task_group_id, NEW.kind, 1 FROM unit_ancestors WHERE unit_id = NEW.unit_id
        ON CONFLICT (ancestor_id, programme_id, year, task_group_id, kind) DO UPDATE SET activities = tree_activity_counts.activities + 1;
        IF TG_OP = 'INSERT' OR (OLD.unit_id, OLD.programme_id, OLD.year) IS DISTINCT FROM (NEW.unit_id, NEW.programme_id, NEW.year) THEN
            INSERT INTO tree_reporting (ancestor_id, programme_id, year, units)
            SELECT ancestor_id, NEW.programme_id, NEW.year, 1 FROM unit_ancestors WHERE unit_id = NEW.unit_id
                AND NOT EXISTS (SELECT 1 FROM activities WHERE unit_id = NEW.unit_id AND year = NEW.year AND programme_id = NEW.programme_id AND id <> NEW.id)
            ON CONFLICT (ancestor_id, programme_id, year) DO UPDATE SET units = tree_reporting.units + 1;
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER tree_activity_counts_write AFTER INSERT OR DELETE ON activities
    FOR EACH ROW EXECUTE FUNCTION tree_activity_counts_move();
CREATE TRIGGER tree_activity_counts_update AFTER UPDATE OF unit_id, programme_id, year, task_group_id, kind ON activities
    FOR EACH ROW WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.programme_id IS DISTINCT FROM NEW.programme_id
        OR OLD.year IS DISTINCT FROM NEW.year OR OLD.task_group_id IS DISTINCT FROM NEW.task_group_id OR OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION tree_activity_counts_move();

-- +goose Down
DROP TRIGGER tree_activity_counts_update ON activities;
DROP TRIGGER tree_activity_counts_write ON activities;
DROP FUNCTION tree_activity_counts_move();
DROP TABLE tree_reporting;
DROP TABLE tree_activity_counts;
