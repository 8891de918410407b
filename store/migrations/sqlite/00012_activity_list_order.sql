-- The activity list is read newest first, a page at a time, each page
-- starting after the last one's (date, id). These indexes hold that order
-- for one unit's list and for the whole programme's, so a page at any
-- depth reads its own rows only; a year is read as a range of dates.

-- +goose Up
CREATE INDEX activities_unit_list ON activities (unit_id, programme_id, occurred_on, id);
CREATE INDEX activities_programme_list ON activities (programme_id, occurred_on, id);

-- +goose Down
DROP INDEX activities_programme_list;
DROP INDEX activities_unit_list;
