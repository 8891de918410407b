-- Where the public portal's articles, materials and classes count in a
-- programme's totals (nscl.PortalCounting): one row a programme, by the
-- programme's own task group letter and metric codes; '' counts nothing.

-- +goose Up
CREATE TABLE portal_counting (
    programme_id             BIGINT PRIMARY KEY REFERENCES programmes (id),
    communication_group      TEXT NOT NULL DEFAULT '',
    article_metric           TEXT NOT NULL DEFAULT '',
    video_metric             TEXT NOT NULL DEFAULT '',
    document_metric          TEXT NOT NULL DEFAULT '',
    class_enterprises_metric TEXT NOT NULL DEFAULT '',
    class_trainees_metric    TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE portal_counting;
