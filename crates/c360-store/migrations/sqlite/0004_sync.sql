-- Sync runs of declared sources, their per-file checkpoints, and an
-- idempotent quarantine (a resumed run re-reads rows it had reported).

CREATE TABLE sync_runs (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT,
    -- running, completed, failed
    status       TEXT NOT NULL,
    -- The run's totals as JSON (records read, inserted, … ; see c360-hub sync).
    summary      TEXT NOT NULL
);
CREATE INDEX sync_runs_by_source ON sync_runs (source, id);

-- How far a source's file has been read: `items_done` items of the file
-- whose fingerprint (size, mtime, head and tail) and config digest are given.
CREATE TABLE sync_checkpoints (
    source         TEXT NOT NULL,
    unit           TEXT NOT NULL,
    fingerprint    TEXT NOT NULL,
    config_digest  TEXT NOT NULL,
    items_done     BIGINT NOT NULL,
    completed      BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (source, unit)
) WITHOUT ROWID;

ALTER TABLE row_errors ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
UPDATE row_errors SET fingerprint = 'legacy-' || id;
CREATE UNIQUE INDEX row_errors_by_fingerprint ON row_errors (source, fingerprint);
