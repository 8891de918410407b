-- Indexes in the order of the registrations' and the registry's lists, for
-- each filter, so that each page starts after the last one's row and stops
-- after its own rows, however long the list. The index of merged records
-- holds them only, so that the list of unmerged ones ("merged_into IS
-- NULL") goes by its order instead. The index of a task group's
-- activities holds their unit too, so that the report page's first
-- activities of a group among the report's units check the unit in the
-- index instead of reading each row the units did not report.

-- +goose Up
DROP INDEX registrations_call_status;
CREATE INDEX registrations_call_list ON registrations (call_id, status, id);
CREATE INDEX registrations_call_all ON registrations (call_id, id);
CREATE INDEX registrations_status_list ON registrations (status, id);
DROP INDEX enterprises_merged_into;
CREATE INDEX enterprises_merged_into ON enterprises (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX enterprises_list ON enterprises (name, tax_code);
CREATE INDEX enterprises_size_list ON enterprises (size, name, tax_code);
DROP INDEX activities_group_list;
CREATE INDEX activities_group_list ON activities (programme_id, task_group_id, occurred_on, id, unit_id);

-- +goose Down
DROP INDEX activities_group_list;
CREATE INDEX activities_group_list ON activities (programme_id, task_group_id, occurred_on, id);
DROP INDEX enterprises_merged_into;
CREATE INDEX enterprises_merged_into ON enterprises (merged_into);
DROP INDEX enterprises_size_list;
DROP INDEX enterprises_list;
DROP INDEX registrations_status_list;
DROP INDEX registrations_call_all;
DROP INDEX registrations_call_list;
CREATE INDEX registrations_call_status ON registrations (call_id, status);
