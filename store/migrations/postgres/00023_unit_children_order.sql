-- The set-up page lists a unit's children a page at a time in the order of
-- their codes, keyset by code: this index gives that order without
-- sorting every child.

-- +goose Up
CREATE INDEX org_units_parent_code ON org_units (parent_id, code);

-- +goose Down
DROP INDEX org_units_parent_code;
