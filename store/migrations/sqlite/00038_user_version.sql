-- user_version counts the changes to the users. PostgreSQL's trigger moves
-- it, and its writes read it to take the user writing from those kept at
-- the same version. SQLite's writes read the user, which costs no round
-- trip, and move nothing here: the table is kept so that both schemas hold
-- the same tables, and a copy to PostgreSQL carries it.

-- +goose Up
CREATE TABLE user_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO user_version (id, version) VALUES (1, 1);

-- +goose Down
DROP TABLE user_version;
