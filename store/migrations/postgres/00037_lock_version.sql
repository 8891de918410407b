-- lock_version counts the changes to the submissions and the rounds, from
-- which a unit's locked periods follow, as tree_version counts the tree's.
-- A PostgreSQL write reads it with the audit chain's lock and takes a
-- unit's locks from those kept at the same version, instead of a round trip
-- to read them. Triggers move it, so that a submission changed by hand in
-- SQL is seen too; the submissions and rounds change seldom.

-- +goose Up
CREATE TABLE lock_version (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO lock_version (id, version) VALUES (1, 1);

-- +goose StatementBegin
CREATE FUNCTION lock_version_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lock_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER submissions_lock_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON submissions
    FOR EACH STATEMENT EXECUTE FUNCTION lock_version_move();
CREATE TRIGGER rounds_lock_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rounds
    FOR EACH STATEMENT EXECUTE FUNCTION lock_version_move();

-- +goose Down
DROP TRIGGER rounds_lock_version ON rounds;
DROP TRIGGER submissions_lock_version ON submissions;
DROP FUNCTION lock_version_move();
DROP TABLE lock_version;
