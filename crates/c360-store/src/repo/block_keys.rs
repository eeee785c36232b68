//! `block_keys`: the identifier index real-time matching looks candidates up in.

use c360_model::NormalizedRecord;
use sqlx::AnyConnection;

use crate::error::StoreResult;
use crate::sql::{
    Style, Value, bind_all, get_i64, get_json, get_opt_string, get_string, list_placeholders,
    row_placeholders, rows_per_statement,
};

/// Replaces the keys of `record_ids` with `rows` (key, record id).
pub async fn replace_for_records(
    connection: &mut AnyConnection,
    record_ids: &[i64],
    rows: &[(String, i64)],
) -> StoreResult<()> {
    for chunk in record_ids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "DELETE FROM block_keys WHERE record_id IN ({})",
            list_placeholders(Style::of(connection), chunk.len(), 1)
        );
        let values = chunk.iter().map(|id| Value::from(*id)).collect();
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    for chunk in rows.chunks(rows_per_statement(2)) {
        let sql = format!(
            "INSERT INTO block_keys (key, record_id) VALUES {} ON CONFLICT DO NOTHING",
            row_placeholders(Style::of(connection), chunk.len(), 2, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * 2);
        for (key, record_id) in chunk {
            values.extend([Value::from(key.as_str()), Value::from(*record_id)]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// Stored records carrying each of `keys`: (key, record id), at most
/// `per_key` per key (lowest ids first), so a key shared by thousands of
/// records costs a bounded read. Reads only the key index.
pub async fn carriers(
    connection: &mut AnyConnection,
    keys: &[String],
    per_key: i64,
) -> StoreResult<Vec<(String, i64)>> {
    let mut found = Vec::new();
    for chunk in keys.chunks(rows_per_statement(1) - 1) {
        let sql = format!(
            "SELECT key, record_id FROM ( \
               SELECT key, record_id, ROW_NUMBER() OVER (PARTITION BY key ORDER BY record_id) AS rank \
               FROM block_keys WHERE key IN ({}) \
             ) ranked WHERE rank <= {}",
            list_placeholders(Style::of(connection), chunk.len(), 1),
            Style::of(connection).one(chunk.len() + 1)
        );
        let mut values: Vec<Value> = chunk.iter().map(|key| Value::from(key.as_str())).collect();
        values.push(Value::from(per_key));
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            found.push((get_string(&row, "key")?, get_i64(&row, "record_id")?));
        }
    }
    Ok(found)
}

/// A stored record a new record is compared with.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub record_id: i64,
    pub golden_id: Option<String>,
    pub normalized: NormalizedRecord,
}

/// The live records among `record_ids`, with their golden record.
pub async fn candidates(
    connection: &mut AnyConnection,
    record_ids: &[i64],
) -> StoreResult<Vec<Candidate>> {
    let mut found = Vec::with_capacity(record_ids.len());
    for chunk in record_ids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "SELECT r.id, m.golden_id, r.normalized FROM source_records r \
             LEFT JOIN memberships m ON m.record_id = r.id \
             WHERE r.deleted = 0 AND r.id IN ({})",
            list_placeholders(Style::of(connection), chunk.len(), 1)
        );
        let values = chunk.iter().map(|id| Value::from(*id)).collect();
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            found.push(Candidate {
                record_id: get_i64(&row, "id")?,
                golden_id: get_opt_string(&row, "golden_id")?,
                normalized: get_json(&row, "normalized")?,
            });
        }
    }
    Ok(found)
}

/// Golden records holding a key (lookup by e-mail or phone), most records first.
pub async fn golden_ids_with_key(
    connection: &mut AnyConnection,
    key: &str,
    limit: i64,
) -> StoreResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT m.golden_id, COUNT(*) AS n FROM block_keys k \
         JOIN memberships m ON m.record_id = k.record_id \
         WHERE k.key = $1 GROUP BY m.golden_id ORDER BY n DESC, m.golden_id LIMIT $2",
    )
    .bind(key)
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| get_string(row, "golden_id"))
        .collect()
}
