-- The activities each unit reported by month, task group and kind
-- (activity_counts), each subtree's sums (tree_activity_counts) and how
-- many of a subtree's units reported in a year (tree_reporting) were kept
-- by triggers on activities. They are now moved by the store's own writes,
-- with the kept totals, in the same transaction: gathered for an import and
-- moved once each. On SQLite a trigger made every insert into activities
-- keep a statement journal (a copy of each page the statement changes);
-- without them, and without RETURNING (which SQLite runs as a trigger too),
-- imports run 1,1 to 1,3 times as fast (1,3 to 1,7 on PostgreSQL, where
-- the triggers ran PL/pgSQL for every row). A path that writes activities
-- in SQL of its own counts them again with store.RebuildTotals, and
-- `nscl check` compares the counts with the activities. IF EXISTS: a bulk
-- load cut short (store.BulkLoad) left its database without some of them.

-- +goose Up
DROP TRIGGER IF EXISTS tree_activity_counts_update;
DROP TRIGGER IF EXISTS tree_activity_counts_delete;
DROP TRIGGER IF EXISTS tree_activity_counts_insert;
DROP TRIGGER IF EXISTS activity_counts_update;
DROP TRIGGER IF EXISTS activity_counts_delete;
DROP TRIGGER IF EXISTS activity_counts_insert;

-- +goose Down
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

-- +goose StatementBegin
CREATE TRIGGER tree_activity_counts_insert AFTER INSERT ON activities BEGIN
    INSERT INTO tree_activity_counts (ancestor_id, programme_id, year, task_group_id, kind, activities)
    SELECT ancestor_id, NEW.programme_id, NEW.year, NEW.task_group_id, NEW.kind, 1 FROM unit_ancestors WHERE unit_id = NEW.unit_id
    ON CONFLICT (ancestor_id, programme_id, year, task_group_id, kind) DO UPDATE SET activities = activities + 1;
    INSERT INTO tree_reporting (ancestor_id, programme_id, year, units)
    SELECT ancestor_id, NEW.programme_id, NEW.year, 1 FROM unit_ancestors WHERE unit_id = NEW.unit_id
        AND NOT EXISTS (SELECT 1 FROM activities WHERE unit_id = NEW.unit_id AND year = NEW.year AND programme_id = NEW.programme_id AND id <> NEW.id)
    ON CONFLICT (ancestor_id, programme_id, year) DO UPDATE SET units = units + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER tree_activity_counts_delete AFTER DELETE ON activities BEGIN
    UPDATE tree_activity_counts SET activities = activities - 1
    WHERE ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = OLD.unit_id)
        AND programme_id = OLD.programme_id AND year = OLD.year AND task_group_id = OLD.task_group_id AND kind = OLD.kind;
    DELETE FROM tree_activity_counts
    WHERE ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = OLD.unit_id)
        AND programme_id = OLD.programme_id AND year = OLD.year AND task_group_id = OLD.task_group_id AND kind = OLD.kind
        AND activities = 0;
    UPDATE tree_reporting SET units = units - 1
    WHERE ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = OLD.unit_id) AND programme_id = OLD.programme_id AND year = OLD.year
        AND NOT EXISTS (SELECT 1 FROM activities WHERE unit_id = OLD.unit_id AND year = OLD.year AND programme_id = OLD.programme_id);
    DELETE FROM tree_reporting
    WHERE ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = OLD.unit_id) AND programme_id = OLD.programme_id AND year = OLD.year
        AND units = 0;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER tree_activity_counts_update AFTER UPDATE OF unit_id, programme_id, year, task_group_id, kind ON activities
WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.programme_id IS NOT NEW.programme_id
    OR OLD.year IS NOT NEW.year OR OLD.task_group_id IS NOT NEW.task_group_id OR OLD.kind IS NOT NEW.kind
BEGIN
    UPDATE tree_activity_counts SET activities = activities - 1
    WHERE ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = OLD.unit_id)
        AND programme_id = OLD.programme_id AND year = OLD.year AND task_group_id = OLD.task_group_id AND kind = OLD.kind;
    DELETE FROM tree_activity_counts
    WHERE ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = OLD.unit_id)
        AND programme_id = OLD.programme_id AND year = OLD.year AND task_group_id = OLD.task_group_id AND kind = OLD.kind
        AND activities = 0;
    INSERT INTO tree_activity_counts (ancestor_id, programme_id, year, task_group_id, kind, activities)
    SELECT ancestor_id, NEW.programme_id, NEW.year, NEW.task_group_id, NEW.kind, 1 FROM unit_ancestors WHERE unit_id = NEW.unit_id
    ON CONFLICT (ancestor_id, programme_id, year, task_group_id, kind) DO UPDATE SET activities = activities + 1;
    UPDATE tree_reporting SET units = units - 1
    WHERE ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = OLD.unit_id) AND programme_id = OLD.programme_id AND year = OLD.year
        AND (OLD.unit_id IS NOT NEW.unit_id OR OLD.programme_id IS NOT NEW.programme_id OR OLD.year IS NOT NEW.year)
        AND NOT EXISTS (SELECT 1 FROM activities WHERE unit_id = OLD.unit_id AND year = OLD.year AND programme_id = OLD.programme_id);
    DELETE FROM tree_reporting
    WHERE ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = OLD.unit_id) AND programme_id = OLD.programme_id AND year = OLD.year
        AND units = 0;
    INSERT INTO tree_reporting (ancestor_id, programme_id, year, units)
    SELECT ancestor_id, NEW.programme_id, NEW.year, 1 FROM unit_ancestors WHERE unit_id = NEW.unit_id
        AND (OLD.unit_id IS NOT NEW.unit_id OR OLD.programme_id IS NOT NEW.programme_id OR OLD.year IS NOT NEW.year)
        AND NOT EXISTS (SELECT 1 FROM activities WHERE unit_id = NEW.unit_id AND year = NEW.year AND programme_id = NEW.programme_id AND id <> NEW.id)
    ON CONFLICT (ancestor_id, programme_id, year) DO UPDATE SET units = units + 1;
END;
-- +goose StatementEnd
