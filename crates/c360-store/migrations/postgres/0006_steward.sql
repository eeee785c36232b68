-- Data stewardship: the review queue's ordering and decisions, and the
-- values stewards pin over survivorship.

-- What the steward queue sorts by (the two customers' revenue plus predicted
-- CLV, refreshed when their metrics change), who the task is assigned to,
-- and what a steward decided, with whom and why.
ALTER TABLE review_tasks ADD COLUMN impact DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE review_tasks ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE review_tasks ADD COLUMN decision TEXT NOT NULL DEFAULT '';
ALTER TABLE review_tasks ADD COLUMN comment TEXT NOT NULL DEFAULT '';
ALTER TABLE review_tasks ADD COLUMN resolved_by TEXT NOT NULL DEFAULT '';

-- The queue's order: a page is one index range scan, whatever the backlog.
CREATE INDEX review_tasks_queue ON review_tasks (status, impact DESC, probability DESC, id);
-- Tasks by either record (the pair index leads with the left one): impact
-- refreshes and merges find the tasks of a customer's records.
CREATE INDEX review_tasks_by_right ON review_tasks (right_record);

-- A steward's value for one golden attribute: it wins survivorship until
-- unpinned or expired (expires_at NULL: never).
CREATE TABLE attribute_pins (
    golden_id   TEXT NOT NULL,
    attribute   TEXT NOT NULL,
    value       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    expires_at  BIGINT,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (golden_id, attribute)
);
