-- Every step of a submission (sent, returned with its comment, approved,
-- an approval undone) is kept with who took it and when: the submission
-- row holds only the last comment, which approval clears, and a reporter
-- needs to read what was asked of it after that.

-- +goose Up
CREATE TABLE submission_history (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id INTEGER NOT NULL,
    unit_id  INTEGER NOT NULL,
    step     TEXT NOT NULL CHECK (step IN ('submit', 'approve', 'return', 'reopen')),
    user_id  INTEGER REFERENCES users (id),
    taken_at TEXT NOT NULL,
    comment  TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (round_id, unit_id) REFERENCES submissions (round_id, unit_id) ON DELETE CASCADE
);
CREATE INDEX submission_history_of ON submission_history (round_id, unit_id, id);

-- What the submissions still say of their past, oldest first: the last
-- sending (by someone no longer known) and the last review, a return
-- whose report was sent again included.
INSERT INTO submission_history (round_id, unit_id, step, user_id, taken_at, comment)
SELECT round_id, unit_id, step, user_id, taken_at, comment FROM (
    SELECT round_id, unit_id, 'submit' AS step, NULL AS user_id, submitted_at AS taken_at, '' AS comment
      FROM submissions WHERE submitted_at IS NOT NULL
    UNION ALL
    SELECT round_id, unit_id, CASE status WHEN 'approved' THEN 'approve' ELSE 'return' END, reviewer_id, reviewed_at, comment
      FROM submissions WHERE reviewed_at IS NOT NULL AND (status IN ('approved', 'returned') OR comment <> '')
) past ORDER BY taken_at;

-- +goose Down
DROP TABLE submission_history;
