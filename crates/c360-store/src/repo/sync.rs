//! `sync_runs` and `sync_checkpoints`: what each sync of a declared source
//! did, and how far into each of its files it got.

use sqlx::AnyConnection;

use crate::error::StoreResult;
use crate::sql::{get_i64, get_opt_i64, get_string};

/// How far one file of a source has been read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub source: String,
    pub unit: String,
    pub fingerprint: String,
    pub config_digest: String,
    pub items_done: i64,
    pub completed: bool,
}

pub async fn checkpoint(
    connection: &mut AnyConnection,
    source: &str,
    unit: &str,
) -> StoreResult<Option<Checkpoint>> {
    let row = sqlx::query(
        "SELECT fingerprint, config_digest, items_done, completed FROM sync_checkpoints \
         WHERE source = $1 AND unit = $2",
    )
    .bind(source)
    .bind(unit)
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|row| {
        Ok(Checkpoint {
            source: source.to_owned(),
            unit: unit.to_owned(),
            fingerprint: get_string(&row, "fingerprint")?,
            config_digest: get_string(&row, "config_digest")?,
            items_done: get_i64(&row, "items_done")?,
            completed: get_i64(&row, "completed")? != 0,
        })
    })
    .transpose()
}

pub async fn save_checkpoint(
    connection: &mut AnyConnection,
    checkpoint: &Checkpoint,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sync_checkpoints \
         (source, unit, fingerprint, config_digest, items_done, completed, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (source, unit) DO UPDATE SET fingerprint = excluded.fingerprint, \
         config_digest = excluded.config_digest, items_done = excluded.items_done, \
         completed = excluded.completed, updated_at = excluded.updated_at",
    )
    .bind(&checkpoint.source)
    .bind(&checkpoint.unit)
    .bind(&checkpoint.fingerprint)
    .bind(&checkpoint.config_digest)
    .bind(checkpoint.items_done)
    .bind(i64::from(checkpoint.completed))
    .bind(now)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// One sync run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRun {
    pub id: i64,
    pub source: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub status: String,
    pub summary: String,
}

pub async fn start_run(
    connection: &mut AnyConnection,
    source: &str,
    started_at: i64,
) -> StoreResult<i64> {
    let row = sqlx::query(
        "INSERT INTO sync_runs (source, started_at, status, summary) \
         VALUES ($1, $2, 'running', '{}') RETURNING id",
    )
    .bind(source)
    .bind(started_at)
    .fetch_one(&mut *connection)
    .await?;
    get_i64(&row, "id")
}

pub async fn finish_run(
    connection: &mut AnyConnection,
    id: i64,
    status: &str,
    summary: &str,
    finished_at: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE sync_runs SET status = $1, summary = $2, finished_at = $3 WHERE id = $4")
        .bind(status)
        .bind(summary)
        .bind(finished_at)
        .bind(id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// The newest runs, optionally of one source.
pub async fn recent_runs(
    connection: &mut AnyConnection,
    source: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<SyncRun>> {
    let rows = sqlx::query(
        "SELECT id, source, started_at, finished_at, status, summary FROM sync_runs \
         WHERE ($1 = '' OR source = $1) ORDER BY id DESC LIMIT $2",
    )
    .bind(source.unwrap_or_default())
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(SyncRun {
                id: get_i64(row, "id")?,
                source: get_string(row, "source")?,
                started_at: get_i64(row, "started_at")?,
                finished_at: get_opt_i64(row, "finished_at")?,
                status: get_string(row, "status")?,
                summary: get_string(row, "summary")?,
            })
        })
        .collect()
}

/// Marks runs of `source` still `running` as `interrupted`: their process
/// died (a new run starts only after the previous one ended).
pub async fn interrupt_running(
    connection: &mut AnyConnection,
    source: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE sync_runs SET status = 'interrupted', finished_at = $1 \
         WHERE source = $2 AND status = 'running'",
    )
    .bind(now)
    .bind(source)
    .execute(&mut *connection)
    .await?;
    Ok(())
}
