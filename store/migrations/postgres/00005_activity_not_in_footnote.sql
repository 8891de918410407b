-- An activity may count in the totals without being itemised in the
-- report's footnote: a remainder that balances a published total, or work
-- the published report does not list item by item. Existing activities
-- are all itemised, as before.

-- +goose Up
ALTER TABLE activities ADD COLUMN not_in_footnote BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE activities DROP COLUMN not_in_footnote;
