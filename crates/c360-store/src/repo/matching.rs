//! Matching state: trained models, links, review tasks and steward
//! constraints, and the inputs the engine needs per record.

use std::collections::HashSet;

use c360_model::{NormalizedRecord, SourceRecord};
use sqlx::AnyConnection;

use crate::error::StoreResult;
use crate::sql::{
    Style, Value, bind_all, get_f64, get_i64, get_json, get_opt_string, get_string,
    list_placeholders, row_placeholders, rows_per_statement,
};

/// Stores a model as the next version; returns the version.
pub async fn save_model(connection: &mut AnyConnection, model: &str, now: i64) -> StoreResult<i64> {
    let row = sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 AS next FROM match_models")
        .fetch_one(&mut *connection)
        .await?;
    let version = get_i64(&row, "next")?;
    sqlx::query("INSERT INTO match_models (version, created_at, model) VALUES ($1, $2, $3)")
        .bind(version)
        .bind(now)
        .bind(model)
        .execute(&mut *connection)
        .await?;
    Ok(version)
}

/// The newest stored model: (version, JSON).
pub async fn latest_model(connection: &mut AnyConnection) -> StoreResult<Option<(i64, String)>> {
    let row = sqlx::query("SELECT version, model FROM match_models ORDER BY version DESC LIMIT 1")
        .fetch_optional(&mut *connection)
        .await?;
    row.map(|row| Ok((get_i64(&row, "version")?, get_string(&row, "model")?)))
        .transpose()
}

/// What the engine needs of a stored record.
#[derive(Debug, Clone)]
pub struct MatchInput {
    pub record_id: i64,
    pub golden_id: Option<String>,
    pub record: SourceRecord,
    pub normalized: NormalizedRecord,
}

/// The live records among `record_ids`.
pub async fn inputs(
    connection: &mut AnyConnection,
    record_ids: &[i64],
) -> StoreResult<Vec<MatchInput>> {
    let mut found = Vec::with_capacity(record_ids.len());
    for chunk in record_ids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "SELECT r.id, m.golden_id, r.payload, r.normalized FROM source_records r \
             LEFT JOIN memberships m ON m.record_id = r.id \
             WHERE r.deleted = 0 AND r.id IN ({})",
            list_placeholders(Style::of(connection), chunk.len(), 1)
        );
        let values = chunk.iter().map(|id| Value::from(*id)).collect();
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            found.push(MatchInput {
                record_id: get_i64(&row, "id")?,
                golden_id: get_opt_string(&row, "golden_id")?,
                record: get_json(&row, "payload")?,
                normalized: get_json(&row, "normalized")?,
            });
        }
    }
    found.sort_unstable_by_key(|input| input.record_id);
    Ok(found)
}

/// Ids of every live record, in arrival order (for a full re-match).
pub async fn live_record_ids(connection: &mut AnyConnection) -> StoreResult<Vec<i64>> {
    let rows = sqlx::query("SELECT id FROM source_records WHERE deleted = 0 ORDER BY id")
        .fetch_all(&mut *connection)
        .await?;
    rows.iter().map(|row| get_i64(row, "id")).collect()
}

/// A link or a review candidate between two records.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRow {
    pub left: i64,
    pub right: i64,
    pub probability: f64,
    pub explanation: String,
}

/// `{statement} WHERE left_record IN (…) OR right_record IN (…)` for each
/// chunk of `record_ids`: the shape of every query on a pair table by record.
fn touching_chunks(
    connection: &AnyConnection,
    statement: &str,
    record_ids: &[i64],
) -> Vec<(String, Vec<Value>)> {
    let style = Style::of(connection);
    record_ids
        .chunks(rows_per_statement(2) / 2)
        .map(|chunk| {
            let sql = format!(
                "{statement} WHERE left_record IN ({}) OR right_record IN ({})",
                list_placeholders(style, chunk.len(), 1),
                list_placeholders(style, chunk.len(), chunk.len() + 1)
            );
            let values = chunk
                .iter()
                .chain(chunk)
                .map(|id| Value::from(*id))
                .collect();
            (sql, values)
        })
        .collect()
}

/// Drops every link touching `record_ids` (their records changed).
pub async fn delete_links_of(
    connection: &mut AnyConnection,
    record_ids: &[i64],
) -> StoreResult<()> {
    for (sql, values) in touching_chunks(connection, "DELETE FROM match_links", record_ids) {
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// Drops every link (a full re-match rewrites them all).
pub async fn delete_all_links(connection: &mut AnyConnection) -> StoreResult<()> {
    sqlx::query("DELETE FROM match_links")
        .execute(&mut *connection)
        .await?;
    Ok(())
}

pub async fn insert_links(
    connection: &mut AnyConnection,
    rows: &[LinkRow],
    now: i64,
) -> StoreResult<()> {
    for chunk in rows.chunks(rows_per_statement(5)) {
        let sql = format!(
            "INSERT INTO match_links (left_record, right_record, probability, explanation, created_at) \
             VALUES {} ON CONFLICT (left_record, right_record) DO UPDATE SET \
             probability = excluded.probability, explanation = excluded.explanation",
            row_placeholders(Style::of(connection), chunk.len(), 5, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * 5);
        for row in chunk {
            values.extend([
                Value::from(row.left.min(row.right)),
                Value::from(row.left.max(row.right)),
                Value::from(row.probability),
                Value::from(row.explanation.as_str()),
                Value::from(now),
            ]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// 2^53: a probability in [2^-53, 1] times this is a float whose integer
/// and fractional parts are both exact multiples SQLite can cast losslessly.
const TWO_POW_53: f64 = 9_007_199_254_740_992.0;

/// Links with an end among `record_ids`: (left, right, probability).
///
/// Real-time matching reads every link of a component: a hundred records
/// of one customer hold thousands. The links come back packed into one text
/// value per chunk (`left,right,probability;…`) because SQLite hands every
/// row from its worker thread to the caller one by one, which cost ten
/// times the query itself. The probability must read back as the stored
/// `f64` bit for bit (it orders the links the clustering takes): PostgreSQL
/// prints floats exactly; SQLite's exact printing (`%!.17g`) is slow, so
/// it sends the two integers `hi = trunc(p·2^53)` and `lo = frac(p·2^53)·2^53`
/// (`hi.lo` below), both exact for every p ≥ 2^-53 — far below any link.
pub async fn links_touching(
    connection: &mut AnyConnection,
    record_ids: &[i64],
) -> StoreResult<Vec<(i64, i64, f64)>> {
    let style = Style::of(connection);
    let statement = match style {
        Style::Anonymous => format!(
            "SELECT group_concat(left_record || ',' || right_record || ',' || \
             CAST(probability * {TWO_POW_53:.1} AS INTEGER) || '.' || \
             CAST((probability * {TWO_POW_53:.1} - CAST(probability * {TWO_POW_53:.1} AS INTEGER)) \
             * {TWO_POW_53:.1} AS INTEGER), ';') AS packed FROM match_links"
        ),
        Style::Numbered => "SELECT string_agg(left_record || ',' || right_record || ',' || \
             probability::text, ';') AS packed FROM match_links"
            .to_owned(),
    };
    let mut found = Vec::new();
    for (sql, values) in touching_chunks(connection, &statement, record_ids) {
        let row = bind_all(sqlx::query(&sql), values)
            .fetch_one(&mut *connection)
            .await?;
        let Some(packed) = get_opt_string(&row, "packed")? else {
            continue;
        };
        for link in packed.split(';') {
            found.push(unpack_link(link, style)?);
        }
    }
    found.sort_by_key(|link| (link.0, link.1));
    found.dedup_by(|a, b| (a.0, a.1) == (b.0, b.1));
    Ok(found)
}

/// One `left,right,probability` of [`links_touching`].
fn unpack_link(text: &str, style: Style) -> StoreResult<(i64, i64, f64)> {
    let malformed =
        || crate::error::StoreError::corrupt("match_links", format!("packed link {text:?}"));
    let mut parts = text.split(',');
    let (Some(left), Some(right), Some(probability), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed());
    };
    let probability = match style {
        Style::Numbered => probability.parse().map_err(|_| malformed())?,
        Style::Anonymous => {
            let (hi, lo) = probability.split_once('.').ok_or_else(malformed)?;
            let hi: u64 = hi.parse().map_err(|_| malformed())?;
            let lo: u64 = lo.parse().map_err(|_| malformed())?;
            // Both at most 2^53: exact as f64, and so is every step here.
            (hi as f64 + lo as f64 / TWO_POW_53) / TWO_POW_53
        }
    };
    Ok((
        left.parse().map_err(|_| malformed())?,
        right.parse().map_err(|_| malformed())?,
        probability,
    ))
}

/// Steward constraints with an end among `record_ids`: (left, right, kind).
pub async fn constraints_touching(
    connection: &mut AnyConnection,
    record_ids: &[i64],
) -> StoreResult<Vec<(i64, i64, String)>> {
    let mut found = Vec::new();
    let statement = "SELECT left_record, right_record, kind FROM match_constraints";
    for (sql, values) in touching_chunks(connection, statement, record_ids) {
        for row in bind_all(sqlx::query(&sql), values)
            .fetch_all(&mut *connection)
            .await?
        {
            found.push((
                get_i64(&row, "left_record")?,
                get_i64(&row, "right_record")?,
                get_string(&row, "kind")?,
            ));
        }
    }
    Ok(found)
}

/// Records a steward constraint (`never` or `always`) between two records.
pub async fn add_constraint(
    connection: &mut AnyConnection,
    left: i64,
    right: i64,
    kind: &str,
    actor: &str,
    now: i64,
) -> StoreResult<()> {
    add_constraints(connection, &[(left, right)], kind, actor, now).await
}

/// Records many constraints of one kind (`never` or `always`) at once.
pub async fn add_constraints(
    connection: &mut AnyConnection,
    pairs: &[(i64, i64)],
    kind: &str,
    actor: &str,
    now: i64,
) -> StoreResult<()> {
    const COLUMNS: usize = 5;
    for chunk in pairs.chunks(rows_per_statement(COLUMNS)) {
        let sql = format!(
            "INSERT INTO match_constraints (left_record, right_record, kind, actor, created_at) \
             VALUES {} ON CONFLICT (left_record, right_record) DO UPDATE SET \
             kind = excluded.kind, actor = excluded.actor, created_at = excluded.created_at",
            row_placeholders(Style::of(connection), chunk.len(), COLUMNS, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * COLUMNS);
        for (left, right) in chunk {
            values.extend([
                Value::from(*left.min(right)),
                Value::from(*left.max(right)),
                Value::from(kind),
                Value::from(actor),
                Value::from(now),
            ]);
        }
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// A review task to open (or refresh while still open).
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    /// `potential_match`.
    pub kind: String,
    pub link: LinkRow,
    /// Why it needs a steward: `review_band`, `weak_chain`, `never_match`.
    pub reason: String,
}

pub async fn open_review_tasks(
    connection: &mut AnyConnection,
    rows: &[ReviewRow],
    now: i64,
) -> StoreResult<()> {
    for chunk in rows.chunks(rows_per_statement(10)) {
        let sql = format!(
            "INSERT INTO review_tasks (kind, left_record, right_record, probability, reason, \
             explanation, status, version, created_at, updated_at) VALUES {} \
             ON CONFLICT (kind, left_record, right_record) DO UPDATE SET \
             probability = excluded.probability, reason = excluded.reason, \
             explanation = excluded.explanation, updated_at = excluded.updated_at, \
             version = review_tasks.version + 1 \
             WHERE review_tasks.status = 'open'",
            row_placeholders(Style::of(connection), chunk.len(), 10, 1)
        );
        let mut values = Vec::with_capacity(chunk.len() * 10);
        for row in chunk {
            values.extend([
                Value::from(row.kind.as_str()),
                Value::from(row.link.left.min(row.link.right)),
                Value::from(row.link.left.max(row.link.right)),
                Value::from(row.link.probability),
                Value::from(row.reason.as_str()),
                Value::from(row.link.explanation.as_str()),
                Value::from("open"),
                Value::from(1i64),
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

/// Closes open potential-match tasks between records that now belong
/// together: the question answered itself. One read of the open tasks
/// touching these records (few), then one update per chunk of them: a
/// component of a hundred records has thousands of linked pairs, and a
/// statement per pair cost more than the clustering.
pub async fn close_review_tasks(
    connection: &mut AnyConnection,
    pairs: &[(i64, i64)],
    status: &str,
    now: i64,
) -> StoreResult<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    let wanted: HashSet<(i64, i64)> = pairs
        .iter()
        .map(|(left, right)| ((*left).min(*right), (*left).max(*right)))
        .collect();
    let mut records: Vec<i64> = wanted.iter().flat_map(|(a, b)| [*a, *b]).collect();
    records.sort_unstable();
    records.dedup();
    let task_ids: Vec<i64> = super::steward::open_tasks_touching(connection, &records)
        .await?
        .into_iter()
        .filter(|(_, left, right)| wanted.contains(&((*left).min(*right), (*left).max(*right))))
        .map(|(id, _, _)| id)
        .collect();
    let style = Style::of(connection);
    for chunk in task_ids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "UPDATE review_tasks SET status = {}, updated_at = {}, version = version + 1 \
             WHERE kind = 'potential_match' AND status = 'open' AND id IN ({})",
            style.one(1),
            style.one(2),
            list_placeholders(style, chunk.len(), 3)
        );
        let values = [Value::from(status), Value::from(now)]
            .into_iter()
            .chain(chunk.iter().map(|id| Value::from(*id)))
            .collect();
        bind_all(sqlx::query(&sql), values)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// A stored review task.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewTask {
    pub id: i64,
    pub kind: String,
    pub left: i64,
    pub right: i64,
    pub probability: f64,
    pub reason: String,
    pub explanation: String,
    pub status: String,
    pub version: i64,
}

/// Open tasks (or any status), highest probability first.
pub async fn list_review_tasks(
    connection: &mut AnyConnection,
    status: &str,
    limit: i64,
) -> StoreResult<Vec<ReviewTask>> {
    let rows = sqlx::query(
        "SELECT id, kind, left_record, right_record, probability, reason, explanation, status, version \
         FROM review_tasks WHERE status = $1 ORDER BY probability DESC, id LIMIT $2",
    )
    .bind(status)
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ReviewTask {
                id: get_i64(row, "id")?,
                kind: get_string(row, "kind")?,
                left: get_i64(row, "left_record")?,
                right: get_i64(row, "right_record")?,
                probability: get_f64(row, "probability")?,
                reason: get_string(row, "reason")?,
                explanation: get_string(row, "explanation")?,
                status: get_string(row, "status")?,
                version: get_i64(row, "version")?,
            })
        })
        .collect()
}

/// Every live record's (source, external id, golden id): what an evaluation
/// against ground truth reads.
pub async fn assignments(
    connection: &mut AnyConnection,
) -> StoreResult<Vec<(String, String, String)>> {
    let rows = sqlx::query(
        "SELECT r.source, r.external_id, m.golden_id FROM source_records r \
         JOIN memberships m ON m.record_id = r.id WHERE r.deleted = 0 ORDER BY r.id",
    )
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                get_string(row, "source")?,
                get_string(row, "external_id")?,
                get_string(row, "golden_id")?,
            ))
        })
        .collect()
}
