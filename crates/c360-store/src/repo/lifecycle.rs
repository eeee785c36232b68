//! Lifecycle tables: the events metrics are computed from (activities joined
//! to golden records through memberships), each customer's stored metrics,
//! stage history and segment memberships, segment sizes over time, and the
//! portfolio state (fitted model, breakpoints) as named JSON values.

use std::collections::BTreeMap;

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::error::StoreResult;
use crate::sql::{
    Style, Value, bind_all, fetch_for_ids, get_i64, get_opt_i64, get_opt_string, get_string,
    list_placeholders, row_placeholders, rows_per_statement,
};

/// One activity of a golden record, as the metrics read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub golden_id: String,
    pub kind: String,
    pub occurred_at: i64,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub score: Option<i64>,
    pub reference: String,
    /// Only for subscription events (the plan); empty otherwise.
    pub label: String,
}

const EVENT_COLUMNS: &str = "m.golden_id, a.kind, a.occurred_at, a.amount_minor, a.currency, \
     a.score, a.reference, \
     CASE WHEN a.kind IN ('subscription_started', 'subscription_cancelled') \
     THEN a.summary ELSE '' END AS label \
     FROM memberships m \
     JOIN source_records r ON r.id = m.record_id \
     JOIN activities a ON a.source = r.source AND a.record_external_id = r.external_id";

fn event_from_row(row: &AnyRow) -> StoreResult<EventRow> {
    Ok(EventRow {
        golden_id: get_string(row, "golden_id")?,
        kind: get_string(row, "kind")?,
        occurred_at: get_i64(row, "occurred_at")?,
        amount_minor: get_opt_i64(row, "amount_minor")?,
        currency: get_opt_string(row, "currency")?,
        score: get_opt_i64(row, "score")?,
        reference: get_string(row, "reference")?,
        label: get_string(row, "label")?,
    })
}

/// The events of these golden records, by golden id then time (per chunk of
/// ids, which is all the grouping needs).
pub async fn events_of(
    connection: &mut AnyConnection,
    golden_ids: &[String],
) -> StoreResult<Vec<EventRow>> {
    let head = format!("SELECT {EVENT_COLUMNS} WHERE m.golden_id IN");
    let rows = fetch_for_ids(
        connection,
        &head,
        " ORDER BY m.golden_id, a.occurred_at, a.id",
        golden_ids,
    )
    .await?;
    rows.iter().map(event_from_row).collect()
}

/// Every event of every golden record, by golden id then time.
pub async fn all_events(connection: &mut AnyConnection) -> StoreResult<Vec<EventRow>> {
    let sql = format!("SELECT {EVENT_COLUMNS} ORDER BY m.golden_id, a.occurred_at, a.id");
    let rows = sqlx::query(&sql).fetch_all(&mut *connection).await?;
    rows.iter().map(event_from_row).collect()
}

/// (golden id, created_at) of every golden record.
pub async fn all_customers(connection: &mut AnyConnection) -> StoreResult<Vec<(String, i64)>> {
    let rows = sqlx::query("SELECT id, created_at FROM golden_records ORDER BY id")
        .fetch_all(&mut *connection)
        .await?;
    rows.iter()
        .map(|row| Ok((get_string(row, "id")?, get_i64(row, "created_at")?)))
        .collect()
}

/// created_at of those of these golden ids that exist.
pub async fn existing_customers(
    connection: &mut AnyConnection,
    golden_ids: &[String],
) -> StoreResult<BTreeMap<String, i64>> {
    let rows = fetch_for_ids(
        connection,
        "SELECT id, created_at FROM golden_records WHERE id IN",
        "",
        golden_ids,
    )
    .await?;
    rows.iter()
        .map(|row| Ok((get_string(row, "id")?, get_i64(row, "created_at")?)))
        .collect()
}

/// A customer's stored metrics (the JSON is the hub's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsRow {
    pub golden_id: String,
    pub as_of: i64,
    pub computed_at: i64,
    pub stage: String,
    pub metrics: String,
}

fn metrics_from_row(row: &AnyRow) -> StoreResult<MetricsRow> {
    Ok(MetricsRow {
        golden_id: get_string(row, "golden_id")?,
        as_of: get_i64(row, "as_of")?,
        computed_at: get_i64(row, "computed_at")?,
        stage: get_string(row, "stage")?,
        metrics: get_string(row, "metrics")?,
    })
}

pub async fn get_metrics(
    connection: &mut AnyConnection,
    golden_id: &str,
) -> StoreResult<Option<MetricsRow>> {
    let row = sqlx::query(
        "SELECT golden_id, as_of, computed_at, stage, metrics FROM customer_metrics WHERE golden_id = $1",
    )
    .bind(golden_id)
    .fetch_optional(&mut *connection)
    .await?;
    row.as_ref().map(metrics_from_row).transpose()
}

pub async fn metrics_of(
    connection: &mut AnyConnection,
    golden_ids: &[String],
) -> StoreResult<Vec<MetricsRow>> {
    let rows = fetch_for_ids(
        connection,
        "SELECT golden_id, as_of, computed_at, stage, metrics FROM customer_metrics \
         WHERE golden_id IN",
        "",
        golden_ids,
    )
    .await?;
    rows.iter().map(metrics_from_row).collect()
}

/// One stage-history entry to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRow {
    pub stage: String,
    pub entered_at: i64,
    pub reason: String,
}

/// Everything stored about one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerState {
    pub metrics: MetricsRow,
    pub history: Vec<StageRow>,
    pub segments: Vec<String>,
}

/// Deletes the metrics, stage history and segment memberships of these
/// golden ids (customers merged away, or about to be rewritten).
pub async fn forget(connection: &mut AnyConnection, golden_ids: &[String]) -> StoreResult<()> {
    for chunk in golden_ids.chunks(rows_per_statement(1)) {
        for table in ["customer_metrics", "stage_history", "segment_members"] {
            let sql = format!(
                "DELETE FROM {table} WHERE golden_id IN ({})",
                list_placeholders(Style::of(connection), chunk.len(), 1)
            );
            let values = chunk.iter().map(|id| Value::from(id.as_str())).collect();
            bind_all(sqlx::query(&sql), values)
                .execute(&mut *connection)
                .await?;
        }
    }
    Ok(())
}

/// Deletes every customer's metrics, histories and memberships (before a
/// full recomputation writes them all again).
pub async fn forget_all(connection: &mut AnyConnection) -> StoreResult<()> {
    for table in ["customer_metrics", "stage_history", "segment_members"] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// Writes customers' state (after [`forget`] of the same ids).
pub async fn insert_customers(
    connection: &mut AnyConnection,
    customers: &[CustomerState],
) -> StoreResult<()> {
    let metrics: Vec<&MetricsRow> = customers.iter().map(|customer| &customer.metrics).collect();
    for chunk in metrics.chunks(rows_per_statement(5)) {
        let sql = format!(
            "INSERT INTO customer_metrics (golden_id, as_of, computed_at, stage, metrics) VALUES {}",
            row_placeholders(Style::of(connection), chunk.len(), 5, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * 5);
        for row in chunk {
            values.extend([
                Value::from(row.golden_id.as_str()),
                Value::from(row.as_of),
                Value::from(row.computed_at),
                Value::from(row.stage.as_str()),
                Value::from(row.metrics.as_str()),
            ]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    let history: Vec<(&str, i64, &StageRow)> =
        customers
            .iter()
            .flat_map(|customer| {
                customer.history.iter().enumerate().map(|(ordinal, row)| {
                    (customer.metrics.golden_id.as_str(), ordinal as i64, row)
                })
            })
            .collect();
    for chunk in history.chunks(rows_per_statement(5)) {
        let sql = format!(
            "INSERT INTO stage_history (golden_id, ordinal, stage, entered_at, reason) VALUES {}",
            row_placeholders(Style::of(connection), chunk.len(), 5, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * 5);
        for (golden_id, ordinal, row) in chunk {
            values.extend([
                Value::from(*golden_id),
                Value::from(*ordinal),
                Value::from(row.stage.as_str()),
                Value::from(row.entered_at),
                Value::from(row.reason.as_str()),
            ]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    let members: Vec<(&str, &str)> = customers
        .iter()
        .flat_map(|customer| {
            customer
                .segments
                .iter()
                .map(|segment| (segment.as_str(), customer.metrics.golden_id.as_str()))
        })
        .collect();
    for chunk in members.chunks(rows_per_statement(2)) {
        let sql = format!(
            "INSERT INTO segment_members (segment, golden_id) VALUES {}",
            row_placeholders(Style::of(connection), chunk.len(), 2, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * 2);
        for (segment, golden_id) in chunk {
            values.extend([Value::from(*segment), Value::from(*golden_id)]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

pub async fn stage_history(
    connection: &mut AnyConnection,
    golden_id: &str,
) -> StoreResult<Vec<StageRow>> {
    let rows = sqlx::query(
        "SELECT stage, entered_at, reason FROM stage_history WHERE golden_id = $1 ORDER BY ordinal",
    )
    .bind(golden_id)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StageRow {
                stage: get_string(row, "stage")?,
                entered_at: get_i64(row, "entered_at")?,
                reason: get_string(row, "reason")?,
            })
        })
        .collect()
}

/// A page of a segment's members, by golden id after `after`.
pub async fn segment_members(
    connection: &mut AnyConnection,
    segment: &str,
    after: &str,
    limit: i64,
) -> StoreResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT golden_id FROM segment_members WHERE segment = $1 AND golden_id > $2 \
         ORDER BY golden_id LIMIT $3",
    )
    .bind(segment)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| get_string(row, "golden_id"))
        .collect()
}

/// Current size of every segment with members.
pub async fn segment_counts(connection: &mut AnyConnection) -> StoreResult<BTreeMap<String, i64>> {
    let rows = sqlx::query("SELECT segment, COUNT(*) AS n FROM segment_members GROUP BY segment")
        .fetch_all(&mut *connection)
        .await?;
    rows.iter()
        .map(|row| Ok((get_string(row, "segment")?, get_i64(row, "n")?)))
        .collect()
}

/// Records the sizes of segments at `at` (one point of their history).
pub async fn record_segment_sizes(
    connection: &mut AnyConnection,
    at: i64,
    sizes: &BTreeMap<String, i64>,
) -> StoreResult<()> {
    for (segment, size) in sizes {
        sqlx::query(
            "INSERT INTO segment_sizes (segment, at, size) VALUES ($1, $2, $3) \
             ON CONFLICT (segment, at) DO UPDATE SET size = excluded.size",
        )
        .bind(segment.as_str())
        .bind(at)
        .bind(*size)
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

/// (at, size) of a segment, oldest first.
pub async fn segment_sizes(
    connection: &mut AnyConnection,
    segment: &str,
) -> StoreResult<Vec<(i64, i64)>> {
    let rows = sqlx::query("SELECT at, size FROM segment_sizes WHERE segment = $1 ORDER BY at")
        .bind(segment)
        .fetch_all(&mut *connection)
        .await?;
    rows.iter()
        .map(|row| Ok((get_i64(row, "at")?, get_i64(row, "size")?)))
        .collect()
}

/// A named JSON value of the lifecycle state.
pub async fn get_state(connection: &mut AnyConnection, name: &str) -> StoreResult<Option<String>> {
    let row = sqlx::query("SELECT value FROM lifecycle_state WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *connection)
        .await?;
    row.as_ref().map(|row| get_string(row, "value")).transpose()
}

pub async fn put_state(
    connection: &mut AnyConnection,
    name: &str,
    value: &str,
    at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO lifecycle_state (name, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(name)
    .bind(value)
    .bind(at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}
