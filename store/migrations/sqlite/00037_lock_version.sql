-- lock_version counts the changes to the submissions and the rounds, from
-- which a unit's locked periods follow. PostgreSQL's triggers move it, and
-- its writes read it to take a unit's locks from those kept at the same
-- version. SQLite's writes read the locks, which costs no round trip, and
-- move nothing here: the table is kept so that both schemas hold the same
-- tables, and a copy to PostgreSQL carries it.

-- +goose Up
CREATE TABLE lock_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO lock_version (id, version) VALUES (1, 1);

-- +goose Down
DROP TABLE lock_version;
