//! `block_keys` and `key_stats`: the identifier index real-time matching
//! looks candidates up in, and how many different people carry each key.

use std::collections::HashMap;

use c360_model::NormalizedRecord;
use sqlx::AnyConnection;

use crate::error::{StoreError, StoreResult};
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

/// A stored record carrying a key: what a matcher compares a new record to.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub key: String,
    pub record_id: i64,
    pub golden_id: Option<String>,
    pub normalized: NormalizedRecord,
}

/// Live records carrying any of `keys`, at most `per_key` per key.
pub async fn candidates(
    connection: &mut AnyConnection,
    keys: &[String],
    per_key: i64,
) -> StoreResult<Vec<Candidate>> {
    let mut found = Vec::new();
    for chunk in keys.chunks(rows_per_statement(1) - 1) {
        let sql = format!(
            "SELECT key, record_id, golden_id, normalized FROM ( \
               SELECT k.key, k.record_id, m.golden_id, r.normalized, \
                      ROW_NUMBER() OVER (PARTITION BY k.key ORDER BY k.record_id) AS rank \
               FROM block_keys k \
               JOIN source_records r ON r.id = k.record_id AND r.deleted = 0 \
               LEFT JOIN memberships m ON m.record_id = k.record_id \
               WHERE k.key IN ({}) \
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
            found.push(Candidate {
                key: get_string(&row, "key")?,
                record_id: get_i64(&row, "record_id")?,
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

/// How many records, and which distinct names, carry a key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyStats {
    pub record_count: i64,
    /// Distinct name keys seen with the key, capped by the caller.
    pub name_keys: Vec<String>,
}

pub async fn stats(
    connection: &mut AnyConnection,
    keys: &[String],
) -> StoreResult<HashMap<String, KeyStats>> {
    let mut found = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(rows_per_statement(1)) {
        let sql = format!(
            "SELECT key, record_count, name_keys FROM key_stats WHERE key IN ({})",
            list_placeholders(Style::of(connection), chunk.len(), 1)
        );
        let values = chunk.iter().map(|key| Value::from(key.as_str())).collect();
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            let names: Vec<String> = serde_json::from_str(&get_string(&row, "name_keys")?)
                .map_err(|error| StoreError::corrupt("key_stats.name_keys", error))?;
            found.insert(
                get_string(&row, "key")?,
                KeyStats {
                    record_count: get_i64(&row, "record_count")?,
                    name_keys: names,
                },
            );
        }
    }
    Ok(found)
}

pub async fn upsert_stats(
    connection: &mut AnyConnection,
    stats: &[(String, KeyStats)],
) -> StoreResult<()> {
    for chunk in stats.chunks(rows_per_statement(3)) {
        let sql = format!(
            "INSERT INTO key_stats (key, record_count, name_keys) VALUES {} \
             ON CONFLICT (key) DO UPDATE SET record_count = excluded.record_count, \
             name_keys = excluded.name_keys",
            row_placeholders(Style::of(connection), chunk.len(), 3, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * 3);
        for (key, stat) in chunk {
            let names = serde_json::to_string(&stat.name_keys)
                .map_err(|error| StoreError::corrupt("key_stats.name_keys", error))?;
            values.extend([
                Value::from(key.as_str()),
                Value::from(stat.record_count),
                Value::from(names),
            ]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}
