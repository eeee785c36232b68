-- Lifecycle metrics: each customer's stored metrics (JSON, as of their last
-- computation), stage history, segment memberships and sizes over time, and
-- the portfolio state (fitted model, RFM breakpoints, CLV ranks).

-- What pairs the events of one thing (the ticket of an opening and a solving).
ALTER TABLE activities ADD COLUMN reference TEXT NOT NULL DEFAULT '';

CREATE TABLE customer_metrics (
    golden_id    TEXT PRIMARY KEY,
    as_of        BIGINT NOT NULL,
    computed_at  BIGINT NOT NULL,
    stage        TEXT NOT NULL,
    metrics      TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX customer_metrics_by_stage ON customer_metrics (stage);

CREATE TABLE stage_history (
    golden_id   TEXT NOT NULL,
    ordinal     BIGINT NOT NULL,
    stage       TEXT NOT NULL,
    entered_at  BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    PRIMARY KEY (golden_id, ordinal)
) WITHOUT ROWID;

CREATE TABLE segment_members (
    segment    TEXT NOT NULL,
    golden_id  TEXT NOT NULL,
    PRIMARY KEY (segment, golden_id)
) WITHOUT ROWID;
CREATE INDEX segment_members_by_golden ON segment_members (golden_id);

CREATE TABLE segment_sizes (
    segment  TEXT NOT NULL,
    at       BIGINT NOT NULL,
    size     BIGINT NOT NULL,
    PRIMARY KEY (segment, at)
) WITHOUT ROWID;

CREATE TABLE lifecycle_state (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
) WITHOUT ROWID;
