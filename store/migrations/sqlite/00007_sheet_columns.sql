-- What a unit's own sheets hold under headings the template does not know
-- ("Số DN tập huấn"): a metric's figures, or (metric_id NULL) nothing to
-- read. An import remembers what its user chose, so that the unit's next
-- sheet of the same layout imports without asking again.
--
-- Activities of a unit on a day and task group are looked up before an
-- import or a form writes one, to show those that look the same.

-- +goose Up
CREATE TABLE sheet_columns (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id INTEGER NOT NULL REFERENCES programmes (id),
    unit_id      INTEGER NOT NULL REFERENCES org_units (id),
    heading_key  TEXT NOT NULL, -- the heading as nscl.HeadingKey folds it
    heading      TEXT NOT NULL, -- as the sheet last wrote it
    metric_id    INTEGER REFERENCES metrics (id),
    updated_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX sheet_columns_unit_heading ON sheet_columns (programme_id, unit_id, heading_key);
CREATE INDEX activities_unit_day ON activities (unit_id, occurred_on, task_group_id);

-- +goose Down
DROP INDEX activities_unit_day;
DROP TABLE sheet_columns;
