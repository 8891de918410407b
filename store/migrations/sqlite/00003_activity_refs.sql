-- Every activity gets a row key, so that a list exported to a spreadsheet,
-- edited and imported again updates its activities instead of adding
-- copies: "nscl:<id>-<6 random hex digits>", the random part keeping keys
-- of two databases apart. New activities entered without one get theirs on
-- creation (store.Tx.giveRef).

-- +goose Up
UPDATE activities SET ref = 'nscl:' || id || '-' || lower(hex(randomblob(3))) WHERE ref = '';

-- +goose Down
UPDATE activities SET ref = '' WHERE ref LIKE 'nscl:%';
