-- plan_version counts the changes to the programmes' plans, their
-- targets and their allotments, as tree_version counts the tree's: every
-- report reads the plans, and a reader (in this process or another) that
-- holds them from an earlier request reads them again only when this
-- number moved.

-- +goose Up
CREATE TABLE plan_version (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO plan_version (id, version) VALUES (1, 1);

-- +goose Down
DROP TABLE plan_version;
