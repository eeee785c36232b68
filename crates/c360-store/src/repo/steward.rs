//! Steward state: the review queue (filtered, ordered by impact, keyset
//! paginated), versioned task decisions, attribute pins, steward
//! constraints by golden record, and the audit log by page.

use std::collections::HashMap;

use sqlx::AnyConnection;

use crate::error::StoreResult;
use crate::sql::{
    Style, Value, bind_all, fetch_for_ids, get_f64, get_i64, get_opt_i64, get_string,
    list_placeholders, rows_per_statement,
};

/// Which review tasks a queue page shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskFilter {
    /// Stored statuses to include (`open`, `deferred`, `resolved`, `merged`).
    pub statuses: Vec<String>,
    /// `potential_match` or `attribute_conflict`; `None`: both.
    pub kind: Option<String>,
    pub min_probability: Option<f64>,
    pub max_probability: Option<f64>,
    /// Only tasks with a record from this source.
    pub source: Option<String>,
    pub assignee: Option<String>,
}

/// Where the previous page ended, in queue order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskCursor {
    pub impact: f64,
    pub probability: f64,
    pub id: i64,
}

/// A review task with its steward fields.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    pub id: i64,
    pub kind: String,
    pub left: i64,
    pub right: i64,
    pub probability: f64,
    pub reason: String,
    pub explanation: String,
    pub status: String,
    pub version: i64,
    pub impact: f64,
    pub assignee: String,
    pub decision: String,
    pub comment: String,
    pub resolved_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const TASK_COLUMNS: &str = "t.id, t.kind, t.left_record, t.right_record, t.probability, t.reason, \
     t.explanation, t.status, t.version, t.impact, t.assignee, t.decision, t.comment, \
     t.resolved_by, t.created_at, t.updated_at";

fn task_row(row: &sqlx::any::AnyRow) -> StoreResult<TaskRow> {
    Ok(TaskRow {
        id: get_i64(row, "id")?,
        kind: get_string(row, "kind")?,
        left: get_i64(row, "left_record")?,
        right: get_i64(row, "right_record")?,
        probability: get_f64(row, "probability")?,
        reason: get_string(row, "reason")?,
        explanation: get_string(row, "explanation")?,
        status: get_string(row, "status")?,
        version: get_i64(row, "version")?,
        impact: get_f64(row, "impact")?,
        assignee: get_string(row, "assignee")?,
        decision: get_string(row, "decision")?,
        comment: get_string(row, "comment")?,
        resolved_by: get_string(row, "resolved_by")?,
        created_at: get_i64(row, "created_at")?,
        updated_at: get_i64(row, "updated_at")?,
    })
}

/// One page of the queue: highest impact first, then highest probability,
/// then oldest task. The order is the `review_tasks_queue` index, so a page
/// is a range scan from the cursor.
pub async fn list_tasks(
    connection: &mut AnyConnection,
    filter: &TaskFilter,
    after: Option<TaskCursor>,
    limit: i64,
) -> StoreResult<Vec<TaskRow>> {
    let style = Style::of(connection);
    let mut next = 0;
    let mut placeholder = || {
        next += 1;
        style.one(next)
    };
    let mut conditions = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let statuses: Vec<String> = filter.statuses.iter().map(|_| placeholder()).collect();
    conditions.push(format!("t.status IN ({})", statuses.join(", ")));
    values.extend(
        filter
            .statuses
            .iter()
            .map(|status| Value::from(status.as_str())),
    );
    if let Some(kind) = &filter.kind {
        conditions.push(format!("t.kind = {}", placeholder()));
        values.push(Value::from(kind.as_str()));
    }
    // The score band is written `probability + 0` so that the planner walks
    // the queue index (already in impact order, stops after a page) instead
    // of the (status, probability) index, whose band of tens of thousands
    // of tasks would all be read and sorted before the first page.
    if let Some(min) = filter.min_probability {
        conditions.push(format!("t.probability + 0 >= {}", placeholder()));
        values.push(Value::from(min));
    }
    if let Some(max) = filter.max_probability {
        conditions.push(format!("t.probability + 0 <= {}", placeholder()));
        values.push(Value::from(max));
    }
    if let Some(assignee) = &filter.assignee {
        conditions.push(format!("t.assignee = {}", placeholder()));
        values.push(Value::from(assignee.as_str()));
    }
    if let Some(source) = &filter.source {
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM source_records r WHERE r.id IN (t.left_record, t.right_record) \
             AND r.source = {})",
            placeholder()
        ));
        values.push(Value::from(source.as_str()));
    }
    if let Some(cursor) = after {
        // `impact <= x` first: a range the index can seek to; the rest
        // breaks ties in queue order.
        let (a, b, c, d, e, f) = (
            placeholder(),
            placeholder(),
            placeholder(),
            placeholder(),
            placeholder(),
            placeholder(),
        );
        conditions.push(format!(
            "t.impact <= {a} AND (t.impact < {b} OR (t.impact = {c} AND \
             (t.probability < {d} OR (t.probability = {e} AND t.id > {f}))))"
        ));
        values.extend([
            Value::from(cursor.impact),
            Value::from(cursor.impact),
            Value::from(cursor.impact),
            Value::from(cursor.probability),
            Value::from(cursor.probability),
            Value::from(cursor.id),
        ]);
    }
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM review_tasks t WHERE {} \
         ORDER BY t.impact DESC, t.probability DESC, t.id LIMIT {}",
        conditions.join(" AND "),
        placeholder()
    );
    values.push(Value::from(limit));
    let rows = bind_all(sqlx::query(&sql), values)
        .fetch_all(&mut *connection)
        .await?;
    rows.iter().map(task_row).collect()
}

pub async fn get_task(connection: &mut AnyConnection, id: i64) -> StoreResult<Option<TaskRow>> {
    let sql = format!("SELECT {TASK_COLUMNS} FROM review_tasks t WHERE t.id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *connection)
        .await?;
    row.as_ref().map(task_row).transpose()
}

/// A steward's decision on a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDecision<'a> {
    pub status: &'a str,
    pub decision: &'a str,
    pub comment: &'a str,
    pub actor: &'a str,
}

/// Records `decision` when the task is still at `expected_version`, bumping
/// the version. False when another write got there first (or no such task):
/// the caller aborts its transaction and changes nothing.
pub async fn decide_task(
    connection: &mut AnyConnection,
    id: i64,
    expected_version: i64,
    decision: &TaskDecision<'_>,
    now: i64,
) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE review_tasks SET status = $1, decision = $2, comment = $3, resolved_by = $4, \
         updated_at = $5, version = version + 1 WHERE id = $6 AND version = $7",
    )
    .bind(decision.status)
    .bind(decision.decision)
    .bind(decision.comment)
    .bind(decision.actor)
    .bind(now)
    .bind(id)
    .bind(expected_version)
    .execute(&mut *connection)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Sets (or, with `""`, clears) the steward a task is assigned to when
/// the task is still at `expected_version`, bumping the version. False when
/// another write got there first (or no such task).
pub async fn assign_task(
    connection: &mut AnyConnection,
    id: i64,
    expected_version: i64,
    assignee: &str,
    now: i64,
) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE review_tasks SET assignee = $1, updated_at = $2, version = version + 1 \
         WHERE id = $3 AND version = $4",
    )
    .bind(assignee)
    .bind(now)
    .bind(id)
    .bind(expected_version)
    .execute(&mut *connection)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// `(status || '')` in the two queries below keeps SQLite off the status
/// indexes: with a large open backlog, "every open task" is the worst
/// starting point; the record indexes find the few tasks of a customer.
///
/// Closes the open or deferred tasks between two records of `record_ids`
/// (only those of `scope`'s kind and reason when given): a merge or a pin
/// answered them. Returns how many it closed.
pub async fn close_tasks_within(
    connection: &mut AnyConnection,
    record_ids: &[i64],
    scope: Option<(&str, &str)>,
    decision: &TaskDecision<'_>,
    now: i64,
) -> StoreResult<u64> {
    if record_ids.is_empty() || record_ids.len() * 2 + 6 > crate::sql::MAX_PARAMS {
        return Ok(0);
    }
    let style = Style::of(connection);
    let count = record_ids.len();
    let kind_condition = match scope {
        Some(_) => format!(
            " AND kind = {} AND reason = {}",
            style.one(2 * count + 6),
            style.one(2 * count + 7)
        ),
        None => String::new(),
    };
    let sql = format!(
        "UPDATE review_tasks SET status = {}, decision = {}, comment = {}, resolved_by = {}, \
         updated_at = {}, version = version + 1 WHERE (status || '') IN ('open', 'deferred') \
         AND left_record IN ({}) AND right_record IN ({}){kind_condition}",
        style.one(1),
        style.one(2),
        style.one(3),
        style.one(4),
        style.one(5),
        list_placeholders(style, count, 6),
        list_placeholders(style, count, count + 6),
    );
    let mut values = vec![
        Value::from(decision.status),
        Value::from(decision.decision),
        Value::from(decision.comment),
        Value::from(decision.actor),
        Value::from(now),
    ];
    values.extend(record_ids.iter().map(|id| Value::from(*id)));
    values.extend(record_ids.iter().map(|id| Value::from(*id)));
    if let Some((kind, reason)) = scope {
        values.push(Value::from(kind));
        values.push(Value::from(reason));
    }
    let result = bind_all(sqlx::query(&sql), values)
        .execute(&mut *connection)
        .await?;
    Ok(result.rows_affected())
}

/// Bumps a golden record's version when it is still `expected_version`:
/// the optimistic lock every steward write on a golden record takes first.
/// False when it moved on (or does not exist).
pub async fn claim_golden_version(
    connection: &mut AnyConnection,
    golden_id: &str,
    expected_version: i64,
) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE golden_records SET version = version + 1 WHERE id = $1 AND version = $2",
    )
    .bind(golden_id)
    .bind(expected_version)
    .execute(&mut *connection)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// (record id, golden id) of every member of `golden_ids`, by record id.
pub async fn member_ids(
    connection: &mut AnyConnection,
    golden_ids: &[String],
) -> StoreResult<Vec<(i64, String)>> {
    let rows = fetch_for_ids(
        connection,
        "SELECT m.record_id, m.golden_id FROM memberships m \
         JOIN source_records r ON r.id = m.record_id \
         WHERE r.deleted = 0 AND m.golden_id IN",
        "",
        golden_ids,
    )
    .await?;
    let mut found = rows
        .iter()
        .map(|row| Ok((get_i64(row, "record_id")?, get_string(row, "golden_id")?)))
        .collect::<StoreResult<Vec<_>>>()?;
    found.sort_unstable();
    Ok(found)
}

/// The golden record of each of `record_ids` that has one.
pub async fn goldens_of(
    connection: &mut AnyConnection,
    record_ids: &[i64],
) -> StoreResult<HashMap<i64, String>> {
    let rows = fetch_for_ids(
        connection,
        "SELECT record_id, golden_id FROM memberships WHERE record_id IN",
        "",
        record_ids,
    )
    .await?;
    rows.iter()
        .map(|row| Ok((get_i64(row, "record_id")?, get_string(row, "golden_id")?)))
        .collect()
}

/// True when any steward has ever kept two records apart: until then the
/// deterministic matcher skips looking constraints up at all.
pub async fn any_never_constraint(connection: &mut AnyConnection) -> StoreResult<bool> {
    let row = sqlx::query("SELECT 1 AS found FROM match_constraints WHERE kind = 'never' LIMIT 1")
        .fetch_optional(&mut *connection)
        .await?;
    Ok(row.is_some())
}

/// Drops `never` constraints between two records of `record_ids` (a
/// steward merged them: the newer decision wins).
pub async fn drop_never_within(
    connection: &mut AnyConnection,
    record_ids: &[i64],
) -> StoreResult<()> {
    if record_ids.is_empty() || record_ids.len() * 2 > crate::sql::MAX_PARAMS {
        return Ok(());
    }
    let style = Style::of(connection);
    let count = record_ids.len();
    let sql = format!(
        "DELETE FROM match_constraints WHERE kind = 'never' AND left_record IN ({}) \
         AND right_record IN ({})",
        list_placeholders(style, count, 1),
        list_placeholders(style, count, count + 1)
    );
    let values = record_ids
        .iter()
        .chain(record_ids)
        .map(|id| Value::from(*id))
        .collect();
    bind_all(sqlx::query(&sql), values)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// True when some task is open: until then nothing needs re-weighing.
pub async fn any_open_task(connection: &mut AnyConnection) -> StoreResult<bool> {
    let row = sqlx::query("SELECT 1 AS found FROM review_tasks WHERE status = 'open' LIMIT 1")
        .fetch_optional(&mut *connection)
        .await?;
    Ok(row.is_some())
}

/// Open tasks with a record among `record_ids`: (task id, left, right).
pub async fn open_tasks_touching(
    connection: &mut AnyConnection,
    record_ids: &[i64],
) -> StoreResult<Vec<(i64, i64, i64)>> {
    let mut found = Vec::new();
    let style = Style::of(connection);
    for chunk in record_ids.chunks(rows_per_statement(2) / 2) {
        let sql = format!(
            "SELECT id, left_record, right_record FROM review_tasks WHERE (status || '') = 'open' \
             AND (left_record IN ({}) OR right_record IN ({}))",
            list_placeholders(style, chunk.len(), 1),
            list_placeholders(style, chunk.len(), chunk.len() + 1)
        );
        let values = chunk
            .iter()
            .chain(chunk)
            .map(|id| Value::from(*id))
            .collect();
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            found.push((
                get_i64(&row, "id")?,
                get_i64(&row, "left_record")?,
                get_i64(&row, "right_record")?,
            ));
        }
    }
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// Sets the queue impact of tasks (impact does not change their version:
/// it is not a decision, and a steward holding the task must not be aborted
/// by a metrics refresh).
pub async fn set_impacts(
    connection: &mut AnyConnection,
    impacts: &[(i64, f64)],
) -> StoreResult<()> {
    for (id, impact) in impacts {
        sqlx::query("UPDATE review_tasks SET impact = $1 WHERE id = $2")
            .bind(*impact)
            .bind(*id)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// A steward's pinned value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinRow {
    pub golden_id: String,
    pub attribute: String,
    pub value: String,
    pub reason: String,
    pub actor: String,
    pub expires_at: Option<i64>,
    pub created_at: i64,
}

pub async fn upsert_pin(connection: &mut AnyConnection, pin: &PinRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO attribute_pins (golden_id, attribute, value, reason, actor, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (golden_id, attribute) DO UPDATE SET \
         value = excluded.value, reason = excluded.reason, actor = excluded.actor, \
         expires_at = excluded.expires_at, created_at = excluded.created_at",
    )
    .bind(pin.golden_id.as_str())
    .bind(pin.attribute.as_str())
    .bind(pin.value.as_str())
    .bind(pin.reason.as_str())
    .bind(pin.actor.as_str())
    .bind(pin.expires_at)
    .bind(pin.created_at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Removes a pin; false when there was none.
pub async fn delete_pin(
    connection: &mut AnyConnection,
    golden_id: &str,
    attribute: &str,
) -> StoreResult<bool> {
    let result = sqlx::query("DELETE FROM attribute_pins WHERE golden_id = $1 AND attribute = $2")
        .bind(golden_id)
        .bind(attribute)
        .execute(&mut *connection)
        .await?;
    Ok(result.rows_affected() > 0)
}

/// The pins of `golden_ids` still in force at `now`.
pub async fn pins_of(
    connection: &mut AnyConnection,
    golden_ids: &[String],
    now: i64,
) -> StoreResult<Vec<PinRow>> {
    let mut found = Vec::new();
    for chunk in golden_ids.chunks(rows_per_statement(1) - 1) {
        let sql = format!(
            "SELECT golden_id, attribute, value, reason, actor, expires_at, created_at \
             FROM attribute_pins WHERE golden_id IN ({}) AND (expires_at IS NULL OR expires_at > {})",
            list_placeholders(Style::of(connection), chunk.len(), 1),
            Style::of(connection).one(chunk.len() + 1)
        );
        let mut values: Vec<Value> = chunk.iter().map(|id| Value::from(id.as_str())).collect();
        values.push(Value::from(now));
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            found.push(PinRow {
                golden_id: get_string(&row, "golden_id")?,
                attribute: get_string(&row, "attribute")?,
                value: get_string(&row, "value")?,
                reason: get_string(&row, "reason")?,
                actor: get_string(&row, "actor")?,
                expires_at: get_opt_i64(&row, "expires_at")?,
                created_at: get_i64(&row, "created_at")?,
            });
        }
    }
    found.sort_by(|a, b| (&a.golden_id, &a.attribute).cmp(&(&b.golden_id, &b.attribute)));
    Ok(found)
}

/// Pins of absorbed golden records follow them into the survivor, unless
/// the survivor pins the same attribute (its own decision stands).
pub async fn move_pins(
    connection: &mut AnyConnection,
    absorbed: &[String],
    survivor: &str,
) -> StoreResult<()> {
    for from in absorbed {
        sqlx::query(
            "INSERT INTO attribute_pins (golden_id, attribute, value, reason, actor, expires_at, created_at) \
             SELECT $1, attribute, value, reason, actor, expires_at, created_at FROM attribute_pins \
             WHERE golden_id = $2 ON CONFLICT (golden_id, attribute) DO NOTHING",
        )
        .bind(survivor)
        .bind(from.as_str())
        .execute(&mut *connection)
        .await?;
        sqlx::query("DELETE FROM attribute_pins WHERE golden_id = $1")
            .bind(from.as_str())
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// One audit entry with its position in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub entry: super::audit_log::AuditEntry,
}

/// Entries of `golden_id` after `after_id`, oldest first.
pub async fn audit_page(
    connection: &mut AnyConnection,
    golden_id: &str,
    after_id: i64,
    limit: i64,
) -> StoreResult<Vec<AuditRow>> {
    let rows = sqlx::query(
        "SELECT id, golden_id, at, actor, action, detail FROM audit_log \
         WHERE golden_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(golden_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AuditRow {
                id: get_i64(row, "id")?,
                entry: super::audit_log::AuditEntry {
                    golden_id: get_string(row, "golden_id")?,
                    at: get_i64(row, "at")?,
                    actor: get_string(row, "actor")?,
                    action: get_string(row, "action")?,
                    detail: get_string(row, "detail")?,
                },
            })
        })
        .collect()
}

/// A record as a task shows it: its key, golden record and stored forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    pub id: i64,
    pub source: String,
    pub external_id: String,
    pub golden_id: Option<String>,
    pub payload: String,
    pub normalized: String,
}

/// The records among `record_ids` (deleted ones too: a task may outlive them).
pub async fn record_refs(
    connection: &mut AnyConnection,
    record_ids: &[i64],
) -> StoreResult<HashMap<i64, RecordRef>> {
    let mut found = HashMap::with_capacity(record_ids.len());
    for chunk in record_ids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "SELECT r.id, r.source, r.external_id, m.golden_id, r.payload, r.normalized \
             FROM source_records r LEFT JOIN memberships m ON m.record_id = r.id \
             WHERE r.id IN ({})",
            list_placeholders(Style::of(connection), chunk.len(), 1)
        );
        let values = chunk.iter().map(|id| Value::from(*id)).collect();
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            let record = RecordRef {
                id: get_i64(&row, "id")?,
                source: get_string(&row, "source")?,
                external_id: get_string(&row, "external_id")?,
                golden_id: crate::sql::get_opt_string(&row, "golden_id")?,
                payload: get_string(&row, "payload")?,
                normalized: get_string(&row, "normalized")?,
            };
            found.insert(record.id, record);
        }
    }
    Ok(found)
}
