-- A unit that closes names the units its work goes on in (a merger: many
-- rows with one successor; a split: one predecessor with many; a
-- renaming: one row), and a unit may move to another parent on a day.
-- org_units.parent_id holds the parent now; unit_parent_changes keeps the
-- parents before, so that the tree of any day can be drawn again. Nothing
-- else is rewritten: activities and kept totals keep the unit that did
-- the work.

-- +goose Up
CREATE TABLE unit_successions (
    predecessor_id INTEGER NOT NULL REFERENCES org_units (id),
    successor_id   INTEGER NOT NULL REFERENCES org_units (id),
    succeeded_on   TEXT NOT NULL,
    PRIMARY KEY (predecessor_id, successor_id),
    CHECK (predecessor_id <> successor_id)
);
CREATE INDEX unit_successions_successor ON unit_successions (successor_id);

CREATE TABLE unit_parent_changes (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES org_units (id),
    old_parent_id INTEGER REFERENCES org_units (id),
    new_parent_id INTEGER NOT NULL REFERENCES org_units (id),
    changed_on    TEXT NOT NULL,
    UNIQUE (unit_id, changed_on)
);

-- +goose Down
DROP TABLE unit_parent_changes;
DROP TABLE unit_successions;
