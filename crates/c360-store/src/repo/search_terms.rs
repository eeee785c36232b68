//! `search_terms`: folded name and e-mail terms of golden records, for search.

use sqlx::AnyConnection;

use crate::error::StoreResult;
use crate::sql::{
    Style, Value, bind_all, get_string, list_placeholders, row_placeholders, rows_per_statement,
};

/// (term, golden id, field)
pub type TermRow = (String, String, String);

pub async fn replace(
    connection: &mut AnyConnection,
    golden_ids: &[String],
    rows: &[TermRow],
) -> StoreResult<()> {
    for chunk in golden_ids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "DELETE FROM search_terms WHERE golden_id IN ({})",
            list_placeholders(Style::of(connection), chunk.len(), 1)
        );
        let values = chunk.iter().map(|id| Value::from(id.as_str())).collect();
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    for chunk in rows.chunks(rows_per_statement(3)) {
        let sql = format!(
            "INSERT INTO search_terms (term, golden_id, field) VALUES {} ON CONFLICT DO NOTHING",
            row_placeholders(Style::of(connection), chunk.len(), 3, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * 3);
        for (term, golden_id, field) in chunk {
            values.extend([
                Value::from(term.as_str()),
                Value::from(golden_id.as_str()),
                Value::from(field.as_str()),
            ]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// A search hit: which golden record, on which term and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermHit {
    pub term: String,
    pub golden_id: String,
    pub field: String,
}

/// Terms in `[low, high)` (byte order), after the `(term, golden_id)` cursor.
pub async fn range(
    connection: &mut AnyConnection,
    low: &str,
    high: &str,
    after: Option<(String, String)>,
    limit: i64,
) -> StoreResult<Vec<TermHit>> {
    let (after_term, after_id) = after.unwrap_or_default();
    let rows = sqlx::query(
        "SELECT term, golden_id, field FROM search_terms \
         WHERE term >= $1 AND term < $2 AND (term > $3 OR (term = $3 AND golden_id > $4)) \
         ORDER BY term, golden_id, field LIMIT $5",
    )
    .bind(low)
    .bind(high)
    .bind(after_term)
    .bind(after_id)
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TermHit {
                term: get_string(row, "term")?,
                golden_id: get_string(row, "golden_id")?,
                field: get_string(row, "field")?,
            })
        })
        .collect()
}
