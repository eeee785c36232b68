-- Probabilistic matching: trained models, links with their explanations,
-- review tasks for the steward queue, and steward constraints.

-- Every trained model, newest version in use.
CREATE TABLE match_models (
    version     INTEGER PRIMARY KEY,
    created_at  BIGINT NOT NULL,
    model       TEXT NOT NULL
);

-- Scored pairs at or above the link threshold (left_record < right_record):
-- the edges real-time matching re-clusters over, and why each holds.
CREATE TABLE match_links (
    left_record   BIGINT NOT NULL,
    right_record  BIGINT NOT NULL,
    probability   DOUBLE PRECISION NOT NULL,
    explanation   TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (left_record, right_record)
);
CREATE INDEX match_links_by_right ON match_links (right_record);

-- Pairs a steward should decide: review-band scores and links the
-- clustering refused. One open task per pair; versioned for optimistic
-- concurrency.
CREATE TABLE review_tasks (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    left_record   BIGINT NOT NULL,
    right_record  BIGINT NOT NULL,
    probability   DOUBLE PRECISION NOT NULL,
    reason        TEXT NOT NULL,
    explanation   TEXT NOT NULL,
    status        TEXT NOT NULL,
    version       BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (kind, left_record, right_record)
);
CREATE INDEX review_tasks_by_status ON review_tasks (status, probability);

-- Steward decisions between two records: never (keep apart) or always.
CREATE TABLE match_constraints (
    left_record   BIGINT NOT NULL,
    right_record  BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    actor         TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (left_record, right_record)
);
CREATE INDEX match_constraints_by_right ON match_constraints (right_record);
