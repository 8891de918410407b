-- A unit's report settings (letterhead, number symbol, recipients, signer)
-- are kept under year 0 and start every new year's report; each year keeps
-- its own once saved, so that changing the signer for next year does not
-- rewrite a report already issued. A database from before takes each
-- unit's latest year's parts as its settings.

-- +goose Up
INSERT INTO report_texts (programme_id, unit_id, year, part, body)
SELECT t.programme_id, t.unit_id, 0, t.part, t.body
FROM report_texts t
WHERE t.year > 0
  AND t.part IN ('parent_agency', 'agency', 'agency_name', 'agency_short', 'number', 'place', 'recipients', 'signer_title', 'signer_name')
  AND t.year = (SELECT MAX(l.year) FROM report_texts l
                WHERE l.programme_id = t.programme_id AND l.unit_id = t.unit_id AND l.part = t.part AND l.year > 0)
  AND NOT EXISTS (SELECT 1 FROM report_texts s
                  WHERE s.programme_id = t.programme_id AND s.unit_id = t.unit_id AND s.year = 0);

-- +goose Down
-- Settings written since cannot be told from those copied here: both go.
DELETE FROM report_texts WHERE year = 0;
