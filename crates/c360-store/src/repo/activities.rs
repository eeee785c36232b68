//! `activities`: what customers did, attached to source records by
//! (source, record_external_id) and so to golden records through memberships.

use std::collections::HashMap;

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::error::StoreResult;
use crate::sql::{
    Style, Value, bind_all, get_i64, get_opt_i64, get_opt_string, get_string, list_placeholders,
    row_placeholders, rows_per_statement,
};

/// An activity to store.
#[derive(Debug, Clone)]
pub struct ActivityRow {
    pub source: String,
    pub external_id: String,
    pub record_external_id: String,
    pub kind: String,
    pub occurred_at: i64,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub score: Option<i64>,
    pub summary: String,
    pub payload: String,
    pub content_hash: String,
    /// What pairs the events of one thing (a ticket's opening and solving).
    pub reference: String,
}

/// Content hashes of stored activities of one source, by external id.
pub async fn hashes(
    connection: &mut AnyConnection,
    source: &str,
    external_ids: &[&str],
) -> StoreResult<HashMap<String, String>> {
    let mut found = HashMap::with_capacity(external_ids.len());
    for chunk in external_ids.chunks(rows_per_statement(1) - 1) {
        let sql = format!(
            "SELECT external_id, content_hash FROM activities WHERE source = {} AND external_id IN ({})",
            Style::of(connection).one(1),
            list_placeholders(Style::of(connection), chunk.len(), 2)
        );
        let mut values = vec![Value::from(source)];
        values.extend(chunk.iter().map(|id| Value::from(*id)));
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            found.insert(
                get_string(&row, "external_id")?,
                get_string(&row, "content_hash")?,
            );
        }
    }
    Ok(found)
}

pub async fn upsert(connection: &mut AnyConnection, rows: &[ActivityRow]) -> StoreResult<()> {
    const COLUMNS: usize = 12;
    for chunk in rows.chunks(rows_per_statement(COLUMNS)) {
        let sql = format!(
            "INSERT INTO activities (source, external_id, record_external_id, kind, occurred_at, \
             amount_minor, currency, score, summary, payload, content_hash, reference) VALUES {} \
             ON CONFLICT (source, external_id) DO UPDATE SET \
             record_external_id = excluded.record_external_id, kind = excluded.kind, \
             occurred_at = excluded.occurred_at, amount_minor = excluded.amount_minor, \
             currency = excluded.currency, score = excluded.score, summary = excluded.summary, \
             payload = excluded.payload, content_hash = excluded.content_hash, \
             reference = excluded.reference",
            row_placeholders(Style::of(connection), chunk.len(), COLUMNS, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * COLUMNS);
        for row in chunk {
            values.extend([
                Value::from(row.source.as_str()),
                Value::from(row.external_id.as_str()),
                Value::from(row.record_external_id.as_str()),
                Value::from(row.kind.as_str()),
                Value::from(row.occurred_at),
                Value::from(row.amount_minor),
                Value::from(row.currency.clone()),
                Value::from(row.score),
                Value::from(row.summary.as_str()),
                Value::from(row.payload.as_str()),
                Value::from(row.content_hash.as_str()),
                Value::from(row.reference.as_str()),
            ]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// Golden records the activities of these (source, record external id) pairs belong to.
pub async fn owners(
    connection: &mut AnyConnection,
    source: &str,
    record_external_ids: &[&str],
) -> StoreResult<Vec<String>> {
    let mut owners = Vec::new();
    for chunk in record_external_ids.chunks(rows_per_statement(1) - 1) {
        let sql = format!(
            "SELECT DISTINCT m.golden_id FROM source_records r \
             JOIN memberships m ON m.record_id = r.id \
             WHERE r.source = {} AND r.external_id IN ({})",
            Style::of(connection).one(1),
            list_placeholders(Style::of(connection), chunk.len(), 2)
        );
        let mut values = vec![Value::from(source)];
        values.extend(chunk.iter().map(|id| Value::from(*id)));
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            owners.push(get_string(&row, "golden_id")?);
        }
    }
    Ok(owners)
}

/// A stored activity as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    pub source: String,
    pub external_id: String,
    pub record_external_id: String,
    pub kind: String,
    pub occurred_at: i64,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub score: Option<i64>,
    pub summary: String,
}

fn timeline_from_row(row: &AnyRow) -> StoreResult<TimelineRow> {
    Ok(TimelineRow {
        source: get_string(row, "source")?,
        external_id: get_string(row, "external_id")?,
        record_external_id: get_string(row, "record_external_id")?,
        kind: get_string(row, "kind")?,
        occurred_at: get_i64(row, "occurred_at")?,
        amount_minor: get_opt_i64(row, "amount_minor")?,
        currency: get_opt_string(row, "currency")?,
        score: get_opt_i64(row, "score")?,
        summary: get_string(row, "summary")?,
    })
}

const OF_GOLDEN: &str = "FROM activities a \
     JOIN source_records r ON r.source = a.source AND r.external_id = a.record_external_id \
     JOIN memberships m ON m.record_id = r.id \
     WHERE m.golden_id = $1";

/// The newest activities of a golden record across all its sources.
pub async fn timeline(
    connection: &mut AnyConnection,
    golden_id: &str,
    limit: i64,
) -> StoreResult<Vec<TimelineRow>> {
    let sql = format!(
        "SELECT a.source, a.external_id, a.record_external_id, a.kind, a.occurred_at, \
         a.amount_minor, a.currency, a.score, a.summary {OF_GOLDEN} \
         ORDER BY a.occurred_at DESC, a.id DESC LIMIT $2"
    );
    let rows = sqlx::query(&sql)
        .bind(golden_id)
        .bind(limit)
        .fetch_all(&mut *connection)
        .await?;
    rows.iter().map(timeline_from_row).collect()
}

/// Per (kind, currency): count, amount sum, first and last occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindTotals {
    pub kind: String,
    pub currency: Option<String>,
    pub count: i64,
    pub amount_minor: i64,
    pub first_at: i64,
    pub last_at: i64,
}

pub async fn totals(
    connection: &mut AnyConnection,
    golden_id: &str,
) -> StoreResult<Vec<KindTotals>> {
    let sql = format!(
        "SELECT a.kind, a.currency, COUNT(*) AS n, \
         CAST(COALESCE(SUM(a.amount_minor), 0) AS BIGINT) AS amount, \
         MIN(a.occurred_at) AS first_at, MAX(a.occurred_at) AS last_at \
         {OF_GOLDEN} GROUP BY a.kind, a.currency"
    );
    let rows = sqlx::query(&sql)
        .bind(golden_id)
        .fetch_all(&mut *connection)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(KindTotals {
                kind: get_string(row, "kind")?,
                currency: get_opt_string(row, "currency")?,
                count: get_i64(row, "n")?,
                amount_minor: get_i64(row, "amount")?,
                first_at: get_i64(row, "first_at")?,
                last_at: get_i64(row, "last_at")?,
            })
        })
        .collect()
}

/// The newest activity of one kind (last order, latest subscription event).
pub async fn latest_of_kinds(
    connection: &mut AnyConnection,
    golden_id: &str,
    kinds: &[&str],
) -> StoreResult<Option<TimelineRow>> {
    let sql = format!(
        "SELECT a.source, a.external_id, a.record_external_id, a.kind, a.occurred_at, \
         a.amount_minor, a.currency, a.score, a.summary {OF_GOLDEN} AND a.kind IN ({}) \
         ORDER BY a.occurred_at DESC, a.id DESC LIMIT 1",
        list_placeholders(Style::Numbered, kinds.len(), 2)
    );
    let mut values = vec![Value::from(golden_id)];
    values.extend(kinds.iter().map(|kind| Value::from(*kind)));
    let row = bind_all(sqlx::query(&sql), values)
        .fetch_optional(&mut *connection)
        .await?;
    row.as_ref().map(timeline_from_row).transpose()
}
