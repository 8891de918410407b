-- A metric may begin with a later phase of the programme (experts
-- certified internationally are a target of 2026–2030 only): the year it
-- begins, 0 for the programme's first year, as every metric so far.

-- +goose Up
ALTER TABLE metrics ADD COLUMN first_year INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE metrics DROP COLUMN first_year;
