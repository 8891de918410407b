-- SQLite's migration 00039 keeps the kept totals and counts and the tree's
-- ancestors in tables without rowid, each one B-tree. A PostgreSQL table is
-- a heap beside its primary key whatever is done, so nothing changes here:
-- the migration is kept so that both engines count the same versions.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
