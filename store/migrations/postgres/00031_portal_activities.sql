-- The dashboard shows what the portal counted (its articles, materials and
-- classes: activities whose ref begins with "portal-") beside what units
-- typed. This index holds those activities alone, by year and unit, so that
-- reading them costs what the portal wrote, however many activities the
-- units report by hand. A query uses it when it says the same condition.

-- +goose Up
CREATE INDEX activities_portal ON activities (programme_id, year, unit_id) WHERE substr(ref, 1, 7) = 'portal-';

-- +goose Down
DROP INDEX activities_portal;
