//! `row_errors`: the quarantine of input that could not be stored.

use sqlx::AnyConnection;

use crate::error::StoreResult;
use crate::sql::{
    Style, Value, bind_all, get_i64, get_string, row_placeholders, rows_per_statement,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub source: String,
    /// Where the input was: `grpc:UpsertSourceRecords[3]`, `file.jsonl:12` …
    pub location: String,
    pub field: String,
    pub reason: String,
    /// The input as received, so nothing is lost.
    pub raw: String,
    pub at: i64,
}

pub async fn insert(connection: &mut AnyConnection, errors: &[RowError]) -> StoreResult<()> {
    const COLUMNS: usize = 6;
    for chunk in errors.chunks(rows_per_statement(COLUMNS)) {
        let sql = format!(
            "INSERT INTO row_errors (source, location, field, reason, raw, at) VALUES {}",
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
            ]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// The newest quarantined rows, optionally of one source.
pub async fn list(
    connection: &mut AnyConnection,
    source: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<RowError>> {
    let rows = sqlx::query(
        "SELECT source, location, field, reason, raw, at FROM row_errors \
         WHERE ($1 = '' OR source = $1) ORDER BY id DESC LIMIT $2",
    )
    .bind(source.unwrap_or_default())
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RowError {
                source: get_string(row, "source")?,
                location: get_string(row, "location")?,
                field: get_string(row, "field")?,
                reason: get_string(row, "reason")?,
                raw: get_string(row, "raw")?,
                at: get_i64(row, "at")?,
            })
        })
        .collect()
}
