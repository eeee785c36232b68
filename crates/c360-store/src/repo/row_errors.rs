//! `row_errors`: the quarantine of input that could not be stored.
//!
//! Inserts are idempotent: an error is keyed by a digest of its location,
//! field, reason and raw input, so a sync that resumes and re-reads rows it
//! had already reported (or re-runs over the same bad file) adds nothing.

use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::error::StoreResult;
use crate::sql::{
    Style, Value, bind_all, get_i64, get_string, row_placeholders, rows_per_statement,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub source: String,
    /// Where the input was: `grpc:UpsertSourceRecords[3]`, `file.csv:12` …
    pub location: String,
    pub field: String,
    pub reason: String,
    /// The input as received, so nothing is lost.
    pub raw: String,
    pub at: i64,
}

impl RowError {
    fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        for part in [&self.location, &self.field, &self.reason, &self.raw] {
            hasher.update(part.as_bytes());
            hasher.update([0u8]);
        }
        hasher.finalize()[..16]
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// A stored row error with its id (the list's page position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRowError {
    pub id: i64,
    pub error: RowError,
}

/// Stores errors; ones already stored (same source and digest) are skipped.
/// Returns how many were new.
pub async fn insert(connection: &mut AnyConnection, errors: &[RowError]) -> StoreResult<u64> {
    const COLUMNS: usize = 7;
    let mut added = 0;
    for chunk in errors.chunks(rows_per_statement(COLUMNS)) {
        let sql = format!(
            "INSERT INTO row_errors (source, location, field, reason, raw, at, fingerprint) VALUES {} \
             ON CONFLICT DO NOTHING",
            row_placeholders(Style::of(connection), chunk.len(), COLUMNS, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * COLUMNS);
        for error in chunk {
            values.extend([
                Value::from(error.source.as_str()),
                Value::from(error.location.as_str()),
                Value::from(error.field.as_str()),
                Value::from(error.reason.as_str()),
                Value::from(error.raw.as_str()),
                Value::from(error.at),
                Value::from(error.fingerprint()),
            ]);
        }
        added += bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?
            .rows_affected();
    }
    Ok(added)
}

/// The newest quarantined rows, optionally of one source.
pub async fn list(
    connection: &mut AnyConnection,
    source: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<RowError>> {
    Ok(page(connection, source, None, limit)
        .await?
        .into_iter()
        .map(|stored| stored.error)
        .collect())
}

/// Quarantined rows newest first, optionally of one source, with ids below
/// `before` (the previous page's last id).
pub async fn page(
    connection: &mut AnyConnection,
    source: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> StoreResult<Vec<StoredRowError>> {
    let rows = sqlx::query(
        "SELECT id, source, location, field, reason, raw, at FROM row_errors \
         WHERE ($1 = '' OR source = $1) AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(source.unwrap_or_default())
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StoredRowError {
                id: get_i64(row, "id")?,
                error: RowError {
                    source: get_string(row, "source")?,
                    location: get_string(row, "location")?,
                    field: get_string(row, "field")?,
                    reason: get_string(row, "reason")?,
                    raw: get_string(row, "raw")?,
                    at: get_i64(row, "at")?,
                },
            })
        })
        .collect()
}

/// How many rows are quarantined, optionally of one source.
pub async fn count(connection: &mut AnyConnection, source: Option<&str>) -> StoreResult<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM row_errors WHERE ($1 = '' OR source = $1)")
        .bind(source.unwrap_or_default())
        .fetch_one(&mut *connection)
        .await?;
    get_i64(&row, "n")
}
