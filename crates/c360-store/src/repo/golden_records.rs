//! `golden_records`, `golden_redirects` and `attribute_lineage`.

use std::collections::HashMap;

use c360_model::golden::GoldenAttributes;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::error::StoreResult;
use crate::sql::{
    Style, Value, bind_all, get_i64, get_json, get_string, list_placeholders, row_placeholders,
    rows_per_statement,
};

/// A stored golden record.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldenRow {
    pub id: String,
    pub version: i64,
    pub attributes: GoldenAttributes,
    pub display_name: String,
    pub primary_email: String,
    pub primary_phone: String,
    pub record_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const GOLDEN_COLUMNS: &str = "id, version, attributes, display_name, primary_email, primary_phone, \
                              record_count, created_at, updated_at";

fn golden_from_row(row: &AnyRow) -> StoreResult<GoldenRow> {
    Ok(GoldenRow {
        id: get_string(row, "id")?,
        version: get_i64(row, "version")?,
        attributes: get_json(row, "attributes")?,
        display_name: get_string(row, "display_name")?,
        primary_email: get_string(row, "primary_email")?,
        primary_phone: get_string(row, "primary_phone")?,
        record_count: get_i64(row, "record_count")?,
        created_at: get_i64(row, "created_at")?,
        updated_at: get_i64(row, "updated_at")?,
    })
}

/// A golden record's new state. `version` and `created_at` are kept by the
/// database for existing records (version is incremented there).
#[derive(Debug, Clone)]
pub struct GoldenWrite {
    pub id: String,
    pub attributes_json: String,
    pub display_name: String,
    pub primary_email: String,
    pub primary_phone: String,
    pub record_count: i64,
}

/// Creates or updates golden records; an update bumps the version by one.
pub async fn upsert(
    connection: &mut AnyConnection,
    rows: &[GoldenWrite],
    now: i64,
) -> StoreResult<()> {
    const COLUMNS: usize = 9;
    for chunk in rows.chunks(rows_per_statement(COLUMNS)) {
        let sql = format!(
            "INSERT INTO golden_records ({GOLDEN_COLUMNS}) VALUES {} \
             ON CONFLICT (id) DO UPDATE SET version = golden_records.version + 1, \
             attributes = excluded.attributes, display_name = excluded.display_name, \
             primary_email = excluded.primary_email, primary_phone = excluded.primary_phone, \
             record_count = excluded.record_count, updated_at = excluded.updated_at",
            row_placeholders(Style::of(connection), chunk.len(), COLUMNS, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * COLUMNS);
        for row in chunk {
            values.extend([
                Value::from(row.id.as_str()),
                Value::from(1_i64),
                Value::from(row.attributes_json.clone()),
                Value::from(row.display_name.as_str()),
                Value::from(row.primary_email.as_str()),
                Value::from(row.primary_phone.as_str()),
                Value::from(row.record_count),
                Value::from(now),
                Value::from(now),
            ]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// Creation times of existing golden records (the oldest survives a merge).
pub async fn created_at_of(
    connection: &mut AnyConnection,
    ids: &[String],
) -> StoreResult<HashMap<String, i64>> {
    let mut created = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "SELECT id, created_at FROM golden_records WHERE id IN ({})",
            list_placeholders(Style::of(connection), chunk.len(), 1)
        );
        let values = chunk.iter().map(|id| Value::from(id.as_str())).collect();
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            created.insert(get_string(&row, "id")?, get_i64(&row, "created_at")?);
        }
    }
    Ok(created)
}

/// Retires absorbed golden records: their rows go, a redirect to `survivor`
/// stays, and older redirects that pointed at them now point at `survivor`.
pub async fn absorb(
    connection: &mut AnyConnection,
    absorbed: &[String],
    survivor: &str,
    now: i64,
) -> StoreResult<()> {
    if absorbed.is_empty() {
        return Ok(());
    }
    let list = list_placeholders(Style::of(connection), absorbed.len(), 2);
    let mut values = vec![Value::from(survivor)];
    values.extend(absorbed.iter().map(|id| Value::from(id.as_str())));
    let first = Style::of(connection).one(1);
    let repoint = format!("UPDATE golden_redirects SET to_id = {first} WHERE to_id IN ({list})");
    bind_all(sqlx::query(&repoint), values.clone())
        .execute(&mut *connection)
        .await?;
    let delete = format!(
        "DELETE FROM golden_records WHERE id IN ({})",
        list_placeholders(Style::of(connection), absorbed.len(), 1)
    );
    bind_all(sqlx::query(&delete), values[1..].to_vec())
        .execute(&mut *connection)
        .await?;
    for table in ["attribute_lineage", "search_terms"] {
        let sql = format!(
            "DELETE FROM {table} WHERE golden_id IN ({})",
            list_placeholders(Style::of(connection), absorbed.len(), 1)
        );
        bind_all(sqlx::query(&sql), values[1..].to_vec())
            .execute(&mut *connection)
            .await?;
    }
    let insert = format!(
        "INSERT INTO golden_redirects (from_id, to_id, merged_at) VALUES {} \
         ON CONFLICT (from_id) DO UPDATE SET to_id = excluded.to_id, merged_at = excluded.merged_at",
        row_placeholders(Style::of(connection), absorbed.len(), 3, 1)
    );
    let mut redirect_values = Vec::with_capacity(absorbed.len() * 3);
    for id in absorbed {
        redirect_values.extend([
            Value::from(id.as_str()),
            Value::from(survivor),
            Value::from(now),
        ]);
    }
    bind_all(sqlx::query(&insert), redirect_values)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Retires a golden record that lost its last source record.
pub async fn retire(connection: &mut AnyConnection, id: &str) -> StoreResult<()> {
    for sql in [
        "DELETE FROM golden_records WHERE id = $1",
        "DELETE FROM attribute_lineage WHERE golden_id = $1",
        "DELETE FROM search_terms WHERE golden_id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *connection).await?;
    }
    Ok(())
}

/// Follows a redirect: the live id `id` resolves to, if any.
pub async fn resolve(connection: &mut AnyConnection, id: &str) -> StoreResult<Option<String>> {
    let live = sqlx::query("SELECT id FROM golden_records WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *connection)
        .await?;
    if live.is_some() {
        return Ok(Some(id.to_owned()));
    }
    let redirect = sqlx::query(
        "SELECT g.id FROM golden_redirects r JOIN golden_records g ON g.id = r.to_id WHERE r.from_id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *connection)
    .await?;
    redirect.map(|row| get_string(&row, "id")).transpose()
}

pub async fn get(connection: &mut AnyConnection, id: &str) -> StoreResult<Option<GoldenRow>> {
    let sql = format!("SELECT {GOLDEN_COLUMNS} FROM golden_records WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *connection)
        .await?;
    row.as_ref().map(golden_from_row).transpose()
}

/// Golden ids that were merged into `id`.
pub async fn merged_into(connection: &mut AnyConnection, id: &str) -> StoreResult<Vec<String>> {
    let rows =
        sqlx::query("SELECT from_id FROM golden_redirects WHERE to_id = $1 ORDER BY from_id")
            .bind(id)
            .fetch_all(&mut *connection)
            .await?;
    rows.iter().map(|row| get_string(row, "from_id")).collect()
}

/// Golden records in (updated_at, id) order, after a cursor.
pub async fn list(
    connection: &mut AnyConnection,
    updated_since: Option<i64>,
    after: Option<(i64, String)>,
    limit: i64,
) -> StoreResult<Vec<GoldenRow>> {
    let since = updated_since.unwrap_or(i64::MIN);
    let (after_time, after_id) = after.unwrap_or((i64::MIN, String::new()));
    let sql = format!(
        "SELECT {GOLDEN_COLUMNS} FROM golden_records \
         WHERE updated_at >= $1 AND (updated_at > $2 OR (updated_at = $2 AND id > $3)) \
         ORDER BY updated_at, id LIMIT $4"
    );
    let rows = sqlx::query(&sql)
        .bind(since)
        .bind(after_time)
        .bind(after_id)
        .bind(limit)
        .fetch_all(&mut *connection)
        .await?;
    rows.iter().map(golden_from_row).collect()
}

/// Several golden records by live id.
pub async fn get_many(
    connection: &mut AnyConnection,
    ids: &[String],
) -> StoreResult<Vec<GoldenRow>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "SELECT {GOLDEN_COLUMNS} FROM golden_records WHERE id IN ({})",
            list_placeholders(Style::of(connection), chunk.len(), 1)
        );
        let values = chunk.iter().map(|id| Value::from(id.as_str())).collect();
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            found.push(golden_from_row(&row)?);
        }
    }
    Ok(found)
}

/// One golden attribute value's lineage.
#[derive(Debug, Clone)]
pub struct LineageRow {
    pub golden_id: String,
    pub attribute: String,
    pub ordinal: i64,
    pub value: String,
    pub normalized: String,
    pub record_id: i64,
    pub rule: String,
}

/// Replaces all lineage rows of the golden records present in `rows`' owners.
pub async fn replace_lineage(
    connection: &mut AnyConnection,
    golden_ids: &[String],
    rows: &[LineageRow],
) -> StoreResult<()> {
    for chunk in golden_ids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "DELETE FROM attribute_lineage WHERE golden_id IN ({})",
            list_placeholders(Style::of(connection), chunk.len(), 1)
        );
        let values = chunk.iter().map(|id| Value::from(id.as_str())).collect();
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    const COLUMNS: usize = 7;
    for chunk in rows.chunks(rows_per_statement(COLUMNS)) {
        let sql = format!(
            "INSERT INTO attribute_lineage (golden_id, attribute, ordinal, value, normalized, record_id, rule) \
             VALUES {}",
            row_placeholders(Style::of(connection), chunk.len(), COLUMNS, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * COLUMNS);
        for row in chunk {
            values.extend([
                Value::from(row.golden_id.as_str()),
                Value::from(row.attribute.as_str()),
                Value::from(row.ordinal),
                Value::from(row.value.as_str()),
                Value::from(row.normalized.as_str()),
                Value::from(row.record_id),
                Value::from(row.rule.as_str()),
            ]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// The lineage rows of one golden record, by attribute then ordinal.
pub async fn lineage_of(
    connection: &mut AnyConnection,
    golden_id: &str,
) -> StoreResult<Vec<LineageRow>> {
    let rows = sqlx::query(
        "SELECT golden_id, attribute, ordinal, value, normalized, record_id, rule \
         FROM attribute_lineage WHERE golden_id = $1 ORDER BY attribute, ordinal",
    )
    .bind(golden_id)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(LineageRow {
                golden_id: get_string(row, "golden_id")?,
                attribute: get_string(row, "attribute")?,
                ordinal: get_i64(row, "ordinal")?,
                value: get_string(row, "value")?,
                normalized: get_string(row, "normalized")?,
                record_id: get_i64(row, "record_id")?,
                rule: get_string(row, "rule")?,
            })
        })
        .collect()
}

/// Counts live golden records (for benchmarks and the demo).
pub async fn count(connection: &mut AnyConnection) -> StoreResult<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM golden_records")
        .fetch_one(&mut *connection)
        .await?;
    get_i64(&row, "n")
}
