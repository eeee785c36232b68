//! `source_records` and `memberships`: raw + normalized records, and which
//! golden record each belongs to.

use std::collections::HashMap;

use c360_model::{NormalizedRecord, SourceKey, SourceRecord};
use sqlx::AnyConnection;

use crate::error::StoreResult;
use crate::sql::{
    Style, Value, bind_all, get_i64, get_json, get_opt_i64, get_opt_string, get_string,
    list_placeholders, row_placeholders, rows_per_statement,
};

/// What ingest needs to know about a stored record to classify a new version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordHead {
    pub id: i64,
    pub key: SourceKey,
    pub content_hash: String,
    pub deleted: bool,
    pub golden_id: Option<String>,
}

/// The stored heads of `keys` (missing keys are simply absent).
pub async fn heads(
    connection: &mut AnyConnection,
    keys: &[SourceKey],
) -> StoreResult<HashMap<SourceKey, RecordHead>> {
    let mut by_source: HashMap<&str, Vec<&str>> = HashMap::new();
    for key in keys {
        by_source
            .entry(&key.source)
            .or_default()
            .push(&key.external_id);
    }
    let mut found = HashMap::with_capacity(keys.len());
    for (source, external_ids) in by_source {
        for chunk in external_ids.chunks(rows_per_statement(1) - 1) {
            let sql = format!(
                "SELECT r.id, r.source, r.external_id, r.content_hash, r.deleted, m.golden_id \
                 FROM source_records r LEFT JOIN memberships m ON m.record_id = r.id \
                 WHERE r.source = {} AND r.external_id IN ({})",
                Style::of(connection).one(1),
                list_placeholders(Style::of(connection), chunk.len(), 2)
            );
            let mut values = vec![Value::from(source)];
            values.extend(chunk.iter().map(|id| Value::from(*id)));
            let rows = bind_all(sqlx::query(&sql), values)
                .fetch_all(&mut *connection)
                .await?;
            for row in rows {
                let key = SourceKey::new(
                    get_string(&row, "source")?,
                    get_string(&row, "external_id")?,
                );
                let head = RecordHead {
                    id: get_i64(&row, "id")?,
                    key: key.clone(),
                    content_hash: get_string(&row, "content_hash")?,
                    deleted: get_i64(&row, "deleted")? != 0,
                    golden_id: get_opt_string(&row, "golden_id")?,
                };
                found.insert(key, head);
            }
        }
    }
    Ok(found)
}

/// A record version to store.
#[derive(Debug, Clone)]
pub struct RecordRow {
    pub key: SourceKey,
    pub payload: String,
    pub normalized: String,
    pub content_hash: String,
    pub source_updated_at: Option<i64>,
}

/// Inserts or replaces records; returns each key's row id.
pub async fn upsert(
    connection: &mut AnyConnection,
    rows: &[RecordRow],
    now: i64,
) -> StoreResult<HashMap<SourceKey, i64>> {
    const COLUMNS: usize = 10;
    let mut ids = HashMap::with_capacity(rows.len());
    for chunk in rows.chunks(rows_per_statement(COLUMNS)) {
        let sql = format!(
            "INSERT INTO source_records (source, external_id, payload, normalized, content_hash, \
             source_updated_at, first_seen, last_seen, last_changed, deleted) VALUES {} \
             ON CONFLICT (source, external_id) DO UPDATE SET payload = excluded.payload, \
             normalized = excluded.normalized, content_hash = excluded.content_hash, \
             source_updated_at = excluded.source_updated_at, last_seen = excluded.last_seen, \
             last_changed = excluded.last_changed, deleted = 0 \
             RETURNING id, source, external_id",
            row_placeholders(Style::of(connection), chunk.len(), COLUMNS, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * COLUMNS);
        for row in chunk {
            values.extend([
                Value::from(row.key.source.as_str()),
                Value::from(row.key.external_id.as_str()),
                Value::from(row.payload.clone()),
                Value::from(row.normalized.clone()),
                Value::from(row.content_hash.clone()),
                Value::from(row.source_updated_at),
                Value::from(now),
                Value::from(now),
                Value::from(now),
                Value::from(0_i64),
            ]);
        }
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            let key = SourceKey::new(
                get_string(&row, "source")?,
                get_string(&row, "external_id")?,
            );
            ids.insert(key, get_i64(&row, "id")?);
        }
    }
    Ok(ids)
}

/// Records that `ids` were delivered again, unchanged.
pub async fn touch(connection: &mut AnyConnection, ids: &[i64], now: i64) -> StoreResult<()> {
    for chunk in ids.chunks(rows_per_statement(1) - 1) {
        let sql = format!(
            "UPDATE source_records SET last_seen = {} WHERE id IN ({})",
            Style::of(connection).one(1),
            list_placeholders(Style::of(connection), chunk.len(), 2)
        );
        let mut values = vec![Value::from(now)];
        values.extend(chunk.iter().map(|id| Value::from(*id)));
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// Marks a record deleted (its raw data stays) and removes it from its golden record.
pub async fn mark_deleted(connection: &mut AnyConnection, id: i64, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE source_records SET deleted = 1, last_changed = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *connection)
        .await?;
    sqlx::query("DELETE FROM memberships WHERE record_id = $1")
        .bind(id)
        .execute(&mut *connection)
        .await?;
    sqlx::query("DELETE FROM block_keys WHERE record_id = $1")
        .bind(id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// A live record of a golden record, with everything survivorship needs.
#[derive(Debug, Clone)]
pub struct MemberRecord {
    pub id: i64,
    pub record: SourceRecord,
    pub normalized: NormalizedRecord,
    pub source_updated_at: Option<i64>,
    pub first_seen: i64,
    pub last_seen: i64,
    pub last_changed: i64,
    pub golden_id: String,
    pub linked_by: String,
}

/// Every live record of the given golden records.
pub async fn members_of(
    connection: &mut AnyConnection,
    golden_ids: &[String],
) -> StoreResult<Vec<MemberRecord>> {
    let mut members = Vec::new();
    for chunk in golden_ids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "SELECT r.id, r.payload, r.normalized, r.source_updated_at, r.first_seen, r.last_seen, \
             r.last_changed, m.golden_id, m.linked_by \
             FROM memberships m JOIN source_records r ON r.id = m.record_id \
             WHERE m.golden_id IN ({}) AND r.deleted = 0 ORDER BY r.id",
            list_placeholders(Style::of(connection), chunk.len(), 1)
        );
        let values = chunk.iter().map(|id| Value::from(id.as_str())).collect();
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            members.push(MemberRecord {
                id: get_i64(&row, "id")?,
                record: get_json(&row, "payload")?,
                normalized: get_json(&row, "normalized")?,
                source_updated_at: get_opt_i64(&row, "source_updated_at")?,
                first_seen: get_i64(&row, "first_seen")?,
                last_seen: get_i64(&row, "last_seen")?,
                last_changed: get_i64(&row, "last_changed")?,
                golden_id: get_string(&row, "golden_id")?,
                linked_by: get_string(&row, "linked_by")?,
            });
        }
    }
    Ok(members)
}

/// Where a source record lives now: its row id and golden record.
pub async fn locate(
    connection: &mut AnyConnection,
    key: &SourceKey,
) -> StoreResult<Option<(i64, Option<String>)>> {
    let row = sqlx::query(
        "SELECT r.id, m.golden_id FROM source_records r \
         LEFT JOIN memberships m ON m.record_id = r.id \
         WHERE r.source = $1 AND r.external_id = $2 AND r.deleted = 0",
    )
    .bind(key.source.as_str())
    .bind(key.external_id.as_str())
    .fetch_optional(&mut *connection)
    .await?;
    match row {
        Some(row) => Ok(Some((
            get_i64(&row, "id")?,
            get_opt_string(&row, "golden_id")?,
        ))),
        None => Ok(None),
    }
}

/// A membership to write: record → golden record, and the reason.
#[derive(Debug, Clone)]
pub struct MembershipRow {
    pub record_id: i64,
    pub golden_id: String,
    pub linked_by: String,
}

pub async fn upsert_memberships(
    connection: &mut AnyConnection,
    rows: &[MembershipRow],
    now: i64,
) -> StoreResult<()> {
    const COLUMNS: usize = 4;
    for chunk in rows.chunks(rows_per_statement(COLUMNS)) {
        let sql = format!(
            "INSERT INTO memberships (record_id, golden_id, linked_by, linked_at) VALUES {} \
             ON CONFLICT (record_id) DO UPDATE SET golden_id = excluded.golden_id, \
             linked_by = excluded.linked_by, linked_at = excluded.linked_at",
            row_placeholders(Style::of(connection), chunk.len(), COLUMNS, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * COLUMNS);
        for row in chunk {
            values.extend([
                Value::from(row.record_id),
                Value::from(row.golden_id.as_str()),
                Value::from(row.linked_by.as_str()),
                Value::from(now),
            ]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// Moves every member of `from` golden records to `to` (a merge).
pub async fn move_members(
    connection: &mut AnyConnection,
    from: &[String],
    to: &str,
) -> StoreResult<()> {
    if from.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE memberships SET golden_id = {} WHERE golden_id IN ({})",
        Style::of(connection).one(1),
        list_placeholders(Style::of(connection), from.len(), 2)
    );
    let mut values = vec![Value::from(to)];
    values.extend(from.iter().map(|id| Value::from(id.as_str())));
    bind_all(sqlx::query(&sql), values)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// One line of a profile's crosswalk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrosswalkRow {
    pub key: SourceKey,
    pub first_seen: i64,
    pub last_seen: i64,
    pub linked_by: String,
}

/// The live source records of a golden record, oldest first.
pub async fn crosswalk(
    connection: &mut AnyConnection,
    golden_id: &str,
) -> StoreResult<Vec<CrosswalkRow>> {
    let rows = sqlx::query(
        "SELECT r.source, r.external_id, r.first_seen, r.last_seen, m.linked_by \
         FROM memberships m JOIN source_records r ON r.id = m.record_id \
         WHERE m.golden_id = $1 AND r.deleted = 0 ORDER BY r.first_seen, r.id",
    )
    .bind(golden_id)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(CrosswalkRow {
                key: SourceKey::new(get_string(row, "source")?, get_string(row, "external_id")?),
                first_seen: get_i64(row, "first_seen")?,
                last_seen: get_i64(row, "last_seen")?,
                linked_by: get_string(row, "linked_by")?,
            })
        })
        .collect()
}

/// External ids of a source's live records not delivered since `since`
/// (a complete sync run's start): what a full export no longer contains.
pub async fn not_seen_since(
    connection: &mut AnyConnection,
    source: &str,
    since: i64,
) -> StoreResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT external_id FROM source_records \
         WHERE source = $1 AND deleted = 0 AND last_seen < $2 ORDER BY external_id",
    )
    .bind(source)
    .bind(since)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| get_string(row, "external_id"))
        .collect()
}
