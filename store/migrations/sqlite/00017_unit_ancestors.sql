-- Every unit's ancestors in today's tree, the unit itself at depth 0:
-- what a write needs to keep the totals of each ancestor beside the
-- unit's own, in one statement, and what a report reads a subtree by.
-- Kept on unit create and move. tree_version counts the changes to the
-- tree, its history and its successions, so that a reader (in this
-- process or another) knows when to draw the tree again.

-- +goose Up
CREATE TABLE unit_ancestors (
    unit_id     INTEGER NOT NULL REFERENCES org_units (id),
    ancestor_id INTEGER NOT NULL REFERENCES org_units (id),
    depth       INTEGER NOT NULL,
    PRIMARY KEY (unit_id, ancestor_id)
);
CREATE INDEX unit_ancestors_of ON unit_ancestors (ancestor_id, unit_id);
INSERT INTO unit_ancestors (unit_id, ancestor_id, depth)
WITH RECURSIVE chain (unit_id, ancestor_id, depth) AS (
    SELECT id, id, 0 FROM org_units
    UNION ALL
    SELECT chain.unit_id, u.parent_id, chain.depth + 1 FROM chain JOIN org_units u ON u.id = chain.ancestor_id
    WHERE u.parent_id IS NOT NULL
) SELECT unit_id, ancestor_id, depth FROM chain;

CREATE TABLE tree_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO tree_version (id, version) VALUES (1, 1);

-- +goose Down
DROP TABLE tree_version;
DROP TABLE unit_ancestors;
