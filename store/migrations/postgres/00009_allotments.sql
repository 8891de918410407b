-- A plan's targets given out to units under the plan's unit (giao chỉ
-- tiêu): a department's or a district's own target for an indicator,
-- against which its dashboard and report measure it. A unit with none has
-- no target of its own; its results are shown as a share of its parent's.

-- +goose Up
CREATE TABLE allotments (
    plan_id   BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    unit_id   BIGINT NOT NULL REFERENCES org_units (id),
    metric_id BIGINT NOT NULL REFERENCES metrics (id),
    value     BIGINT NOT NULL CHECK (value >= 0),
    PRIMARY KEY (plan_id, unit_id, metric_id)
);

-- +goose Down
DROP TABLE allotments;
