//! `audit_log`: the append-only history of every golden change.

use sqlx::AnyConnection;

use crate::error::StoreResult;
use crate::sql::{
    Style, Value, bind_all, get_i64, get_string, row_placeholders, rows_per_statement,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub golden_id: String,
    pub at: i64,
    /// Who made the change: `system:ingest`, a token's subject …
    pub actor: String,
    /// `created`, `updated`, `merged`, `absorbed`, `record_removed`, `retired`.
    pub action: String,
    /// JSON: what changed and why (before/after, records, keys).
    pub detail: String,
}

pub async fn append(connection: &mut AnyConnection, entries: &[AuditEntry]) -> StoreResult<()> {
    const COLUMNS: usize = 5;
    for chunk in entries.chunks(rows_per_statement(COLUMNS)) {
        let sql = format!(
            "INSERT INTO audit_log (golden_id, at, actor, action, detail) VALUES {}",
            row_placeholders(Style::of(connection), chunk.len(), COLUMNS, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * COLUMNS);
        for entry in chunk {
            values.extend([
                Value::from(entry.golden_id.as_str()),
                Value::from(entry.at),
                Value::from(entry.actor.as_str()),
                Value::from(entry.action.as_str()),
                Value::from(entry.detail.as_str()),
            ]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// The entries of one golden id, oldest first.
pub async fn for_golden(
    connection: &mut AnyConnection,
    golden_id: &str,
    limit: i64,
) -> StoreResult<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT golden_id, at, actor, action, detail FROM audit_log \
         WHERE golden_id = $1 ORDER BY id LIMIT $2",
    )
    .bind(golden_id)
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                golden_id: get_string(row, "golden_id")?,
                at: get_i64(row, "at")?,
                actor: get_string(row, "actor")?,
                action: get_string(row, "action")?,
                detail: get_string(row, "detail")?,
            })
        })
        .collect()
}
