-- c360 foundation schema (SQLite). Timestamps are unix microseconds (UTC) in
-- BIGINT columns and JSON is TEXT, so the same queries run on PostgreSQL.
-- Narrow tables keyed by a natural primary key are WITHOUT ROWID: one B-tree
-- per table instead of two.

CREATE TABLE sources (
    name        TEXT PRIMARY KEY,
    created_at  BIGINT NOT NULL
);

-- A customer as one source system sees them: raw payload, normalized form,
-- and the content hash that makes re-ingest of unchanged data a no-op.
CREATE TABLE source_records (
    id                 INTEGER PRIMARY KEY,
    source             TEXT NOT NULL,
    external_id        TEXT NOT NULL,
    payload            TEXT NOT NULL,
    normalized         TEXT NOT NULL,
    content_hash       TEXT NOT NULL,
    source_updated_at  BIGINT,
    first_seen         BIGINT NOT NULL,
    last_seen          BIGINT NOT NULL,
    last_changed       BIGINT NOT NULL,
    deleted            BIGINT NOT NULL DEFAULT 0,
    UNIQUE (source, external_id)
);

CREATE TABLE golden_records (
    id             TEXT PRIMARY KEY,
    version        BIGINT NOT NULL,
    attributes     TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    primary_email  TEXT NOT NULL,
    primary_phone  TEXT NOT NULL,
    record_count   BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX golden_records_by_update ON golden_records (updated_at, id);

-- A golden id absorbed by a merge points at its survivor (always one hop:
-- older redirects are re-pointed when their target is absorbed in turn).
CREATE TABLE golden_redirects (
    from_id    TEXT PRIMARY KEY,
    to_id      TEXT NOT NULL,
    merged_at  BIGINT NOT NULL
) WITHOUT ROWID;
CREATE INDEX golden_redirects_by_target ON golden_redirects (to_id);

-- Which golden record each source record belongs to, and why.
CREATE TABLE memberships (
    record_id  BIGINT PRIMARY KEY,
    golden_id  TEXT NOT NULL,
    linked_by  TEXT NOT NULL,
    linked_at  BIGINT NOT NULL
) WITHOUT ROWID;
CREATE INDEX memberships_by_golden ON memberships (golden_id);

-- Identifier keys (canonical e-mail, E.164 phone, cross-reference) each record
-- carries: the index real-time matching looks candidates up in.
CREATE TABLE block_keys (
    key        TEXT NOT NULL,
    record_id  BIGINT NOT NULL,
    PRIMARY KEY (key, record_id)
) WITHOUT ROWID;
CREATE INDEX block_keys_by_record ON block_keys (record_id);

CREATE TABLE attribute_lineage (
    golden_id   TEXT NOT NULL,
    attribute   TEXT NOT NULL,
    ordinal     BIGINT NOT NULL,
    value       TEXT NOT NULL,
    normalized  TEXT NOT NULL,
    record_id   BIGINT NOT NULL,
    rule        TEXT NOT NULL,
    PRIMARY KEY (golden_id, attribute, ordinal)
) WITHOUT ROWID;

-- Activities attach to a source record by (source, record_external_id), so one
-- that arrives before its record is kept and attaches when the record comes.
CREATE TABLE activities (
    id                  INTEGER PRIMARY KEY,
    source              TEXT NOT NULL,
    external_id         TEXT NOT NULL,
    record_external_id  TEXT NOT NULL,
    kind                TEXT NOT NULL,
    occurred_at         BIGINT NOT NULL,
    amount_minor        BIGINT,
    currency            TEXT,
    score               BIGINT,
    summary             TEXT NOT NULL,
    payload             TEXT NOT NULL,
    content_hash        TEXT NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX activities_by_record ON activities (source, record_external_id, occurred_at);

-- Append-only history of every golden change.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    golden_id  TEXT NOT NULL,
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL
);
CREATE INDEX audit_log_by_golden ON audit_log (golden_id, id);

-- Quarantine: input that could not be stored, with where it came from and why.
CREATE TABLE row_errors (
    id        INTEGER PRIMARY KEY,
    source    TEXT NOT NULL,
    location  TEXT NOT NULL,
    field     TEXT NOT NULL,
    reason    TEXT NOT NULL,
    raw       TEXT NOT NULL,
    at        BIGINT NOT NULL
);
CREATE INDEX row_errors_by_source ON row_errors (source, id);

-- Folded name and e-mail terms of each golden record, for prefix search.
CREATE TABLE search_terms (
    term       TEXT NOT NULL,
    golden_id  TEXT NOT NULL,
    field      TEXT NOT NULL,
    PRIMARY KEY (term, golden_id, field)
) WITHOUT ROWID;
CREATE INDEX search_terms_by_golden ON search_terms (golden_id);
