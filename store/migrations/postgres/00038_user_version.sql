-- user_version counts the changes to the users, as lock_version counts the
-- submissions'. A PostgreSQL write reads it with the audit chain's lock and
-- takes the user writing from those kept at the same version, instead of a
-- round trip to read what the user may do now. A trigger moves it, so that
-- a user disabled by hand in SQL is seen too.

-- +goose Up
CREATE TABLE user_version (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO user_version (id, version) VALUES (1, 1);

-- +goose StatementBegin
CREATE FUNCTION user_version_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE user_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER users_user_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION user_version_move();

-- +goose Down
DROP TRIGGER users_user_version ON users;
DROP FUNCTION user_version_move();
DROP TABLE user_version;
