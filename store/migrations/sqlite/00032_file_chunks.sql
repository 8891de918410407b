-- The portal's files kept in chunks of 256 KB (store.FileChunk), one row
-- each, so that a download reads one chunk by its key: SQLite reads a
-- BLOB column whole whatever part of it a query takes, so a download of
-- a 20 MB file in 80 pieces of one column read it 80 times.

-- +goose Up
CREATE TABLE portal_file_chunks (
    file_id INTEGER NOT NULL REFERENCES portal_files (id),
    n       INTEGER NOT NULL,
    data    BLOB NOT NULL,
    PRIMARY KEY (file_id, n)
);
INSERT INTO portal_file_chunks (file_id, n, data)
WITH RECURSIVE parts (file_id, n) AS (
    SELECT id, 0 FROM portal_files
    UNION ALL
    SELECT p.file_id, p.n + 1 FROM parts p JOIN portal_files f ON f.id = p.file_id WHERE (p.n + 1) * 262144 < length(f.data)
)
SELECT p.file_id, p.n, substr(f.data, p.n * 262144 + 1, 262144) FROM parts p JOIN portal_files f ON f.id = p.file_id;
ALTER TABLE portal_files DROP COLUMN data;

-- +goose Down
ALTER TABLE portal_files ADD COLUMN data BLOB NOT NULL DEFAULT x'';
UPDATE portal_files SET data = coalesce((
    WITH RECURSIVE whole (n, bytes) AS (
        SELECT 0, data FROM portal_file_chunks WHERE file_id = portal_files.id AND n = 0
        UNION ALL
        SELECT whole.n + 1, whole.bytes || c.data FROM whole JOIN portal_file_chunks c ON c.file_id = portal_files.id AND c.n = whole.n + 1
    )
    SELECT CAST(bytes AS BLOB) FROM whole ORDER BY n DESC LIMIT 1), x'');
DROP TABLE portal_file_chunks;
