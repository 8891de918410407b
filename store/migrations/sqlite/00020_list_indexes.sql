-- An index for the activity list of one task group, oldest or newest
-- first: the report page reads each group's first activities through it,
-- and stops after them, however many the year holds.

-- +goose Up
CREATE INDEX activities_group_list ON activities (programme_id, task_group_id, occurred_on, id);

-- +goose Down
DROP INDEX activities_group_list;
