-- Every activity gets a row key, so that a list exported to a spreadsheet,
-- edited and imported again updates its activities instead of adding
-- copies. New activities entered without one get "nscl:<id>" on creation.

-- +goose Up
UPDATE activities SET ref = 'nscl:' || id WHERE ref = '';

-- +goose Down
UPDATE activities SET ref = '' WHERE ref = 'nscl:' || id;
