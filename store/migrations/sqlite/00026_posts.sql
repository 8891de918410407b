-- The public portal's news articles and materials library (nscl.Post), and
-- the files uploaded with them, kept in the database so that backups and a
-- move to PostgreSQL carry them. A published post owns one activity, whose
-- ID it keeps (its Ref is portal-post-<id>). Each public list has an index
-- in its own order, holding published posts only.

-- +goose Up
CREATE TABLE portal_files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id INTEGER NOT NULL REFERENCES programmes (id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE posts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id INTEGER NOT NULL REFERENCES programmes (id),
    unit_id      INTEGER NOT NULL REFERENCES org_units (id),
    kind         TEXT NOT NULL CHECK (kind IN ('article', 'video', 'document')),
    title        TEXT NOT NULL,
    topic        TEXT NOT NULL DEFAULT '',
    topic_key    TEXT NOT NULL DEFAULT '',
    summary      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    video_url    TEXT NOT NULL DEFAULT '',
    file_id      INTEGER REFERENCES portal_files (id),
    published_on TEXT,
    state        TEXT NOT NULL CHECK (state IN ('draft', 'published')),
    activity_id  INTEGER REFERENCES activities (id),
    views        INTEGER NOT NULL DEFAULT 0,
    downloads    INTEGER NOT NULL DEFAULT 0,
    search_text  TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX posts_staff_list ON posts (programme_id, id);
CREATE INDEX posts_news ON posts (programme_id, published_on DESC, id DESC) WHERE state = 'published' AND kind = 'article';
CREATE INDEX posts_materials ON posts (programme_id, topic_key, published_on DESC, id DESC) WHERE state = 'published' AND kind <> 'article';
CREATE UNIQUE INDEX posts_file ON posts (file_id) WHERE file_id IS NOT NULL;
-- Deleting an activity looks up the post that points to it.
CREATE INDEX posts_activity ON posts (activity_id);

-- +goose Down
DROP TABLE posts;
DROP TABLE portal_files;
