-- The portal's files kept in chunks of 256 KB (store.FileChunk), one row
-- each, so that a download reads one chunk by its key, as on SQLite (which
-- reads a BLOB column whole whatever part of it a query takes).

-- +goose Up
CREATE TABLE portal_file_chunks (
    file_id BIGINT NOT NULL REFERENCES portal_files (id),
    n       INTEGER NOT NULL,
    data    BYTEA NOT NULL,
    PRIMARY KEY (file_id, n)
);
INSERT INTO portal_file_chunks (file_id, n, data)
SELECT f.id, g.n, substring(f.data FROM g.n * 262144 + 1 FOR 262144)
FROM portal_files f CROSS JOIN LATERAL generate_series(0, (octet_length(f.data) - 1) / 262144) AS g (n);
ALTER TABLE portal_files DROP COLUMN data;

-- +goose Down
ALTER TABLE portal_files ADD COLUMN data BYTEA NOT NULL DEFAULT '';
UPDATE portal_files f SET data = coalesce((SELECT string_agg(c.data, ''::bytea ORDER BY c.n) FROM portal_file_chunks c WHERE c.file_id = f.id), '');
ALTER TABLE portal_files ALTER COLUMN data DROP DEFAULT;
DROP TABLE portal_file_chunks;
