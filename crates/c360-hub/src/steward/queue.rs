//! The review queue: filtered pages in impact order, one task with both
//! records side by side, and the impact refresh.
//!
//! Impact is the two customers' revenue plus predicted CLV (reporting
//! currency, minor units): a steward's hour is best spent where a wrong
//! merge or a missed one costs most. It is stored on the task (the queue is
//! one index range scan) and refreshed after every committed change to the
//! customers' golden records, once their metrics are current.

use std::collections::{BTreeSet, HashMap};

use c360_match::explain::Explanation;
use c360_model::SourceKey;
use c360_store::repo::lifecycle;
use c360_store::repo::steward::{self, RecordRef, TaskCursor, TaskFilter, TaskRow};
use tracing::instrument;

use super::{TaskKind, TaskStatus};
use crate::error::{HubError, HubResult};
use crate::hub::Hub;
use crate::page_token;

/// Most tasks one page holds.
pub const MAX_PAGE_SIZE: i64 = 500;
const DEFAULT_PAGE_SIZE: i64 = 50;

/// Which tasks a queue page shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskQuery {
    /// `None`: both kinds.
    pub kind: Option<TaskKind>,
    /// `None`: open.
    pub status: Option<TaskStatus>,
    pub min_probability: Option<f64>,
    pub max_probability: Option<f64>,
    pub source: Option<String>,
    pub assignee: Option<String>,
    /// 0: the default (50).
    pub page_size: i64,
    pub page_token: String,
}

/// A task as a queue shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskView {
    pub row: TaskRow,
    pub kind: TaskKind,
    pub status: TaskStatus,
    pub left: Option<SourceKey>,
    pub right: Option<SourceKey>,
    pub left_golden: Option<String>,
    pub right_golden: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskPage {
    pub tasks: Vec<TaskView>,
    /// Empty on the last page.
    pub next_page_token: String,
}

/// One record of a task as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordSide {
    pub key: SourceKey,
    pub golden_id: Option<String>,
    pub payload_json: String,
    pub normalized_json: String,
}

/// A task with both records and the engine's per-field evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskDetail {
    pub task: TaskView,
    pub left: Option<RecordSide>,
    pub right: Option<RecordSide>,
    /// The engine's explanation of a potential match (`None` for conflicts).
    pub explanation: Option<Explanation>,
}

fn check_probability(field: &str, value: Option<f64>) -> HubResult<()> {
    match value {
        Some(value) if !(0.0..=1.0).contains(&value) => Err(HubError::invalid(
            field,
            format!("{value} is outside 0..=1"),
        )),
        _ => Ok(()),
    }
}

fn decode_cursor(token: &str) -> HubResult<Option<TaskCursor>> {
    if token.is_empty() {
        return Ok(None);
    }
    let parts = page_token::decode(token, 3)?;
    let invalid = || HubError::invalid("page_token", "not a token returned by a previous page");
    Ok(Some(TaskCursor {
        impact: parts[0].parse().map_err(|_| invalid())?,
        probability: parts[1].parse().map_err(|_| invalid())?,
        id: parts[2].parse().map_err(|_| invalid())?,
    }))
}

fn encode_cursor(row: &TaskRow) -> String {
    // `{:?}` prints the shortest text that parses back to the same f64, so
    // the cursor compares equal to the stored value.
    page_token::encode(&[
        &format!("{:?}", row.impact),
        &format!("{:?}", row.probability),
        &row.id.to_string(),
    ])
}

/// Task rows with their records' keys and golden records.
pub(crate) fn view(row: TaskRow, records: &HashMap<i64, RecordRef>) -> TaskView {
    let key = |id: i64| {
        records
            .get(&id)
            .map(|record| SourceKey::new(record.source.clone(), record.external_id.clone()))
    };
    let golden = |id: i64| records.get(&id).and_then(|record| record.golden_id.clone());
    TaskView {
        kind: TaskKind::parse(&row.kind).unwrap_or(TaskKind::PotentialMatch),
        status: TaskStatus::of_stored(&row.status),
        left: key(row.left),
        right: key(row.right),
        left_golden: golden(row.left),
        right_golden: golden(row.right),
        row,
    }
}

impl Hub {
    /// One page of the review queue (see the module docs for the order).
    #[instrument(name = "steward.list_tasks", skip(self))]
    pub async fn list_review_tasks(&self, query: &TaskQuery) -> HubResult<TaskPage> {
        let page_size = match query.page_size {
            0 => DEFAULT_PAGE_SIZE,
            size if (1..=MAX_PAGE_SIZE).contains(&size) => size,
            size => {
                return Err(HubError::invalid(
                    "page_size",
                    format!("{size} is outside 1..={MAX_PAGE_SIZE}"),
                ));
            }
        };
        check_probability("min_probability", query.min_probability)?;
        check_probability("max_probability", query.max_probability)?;
        let after = decode_cursor(&query.page_token)?;
        let status = query.status.unwrap_or(TaskStatus::Open);
        let filter = TaskFilter {
            statuses: status.stored().iter().map(|s| (*s).to_owned()).collect(),
            kind: query.kind.map(|kind| kind.as_str().to_owned()),
            min_probability: query.min_probability,
            max_probability: query.max_probability,
            source: query.source.clone().filter(|source| !source.is_empty()),
            assignee: query.assignee.clone().filter(|who| !who.is_empty()),
        };
        let mut connection = self.read_connection().await?;
        // One row more than asked says whether another page follows.
        let mut rows = steward::list_tasks(&mut connection, &filter, after, page_size + 1).await?;
        let more = rows.len() as i64 > page_size;
        rows.truncate(page_size as usize);
        let next_page_token = match rows.last() {
            Some(last) if more => encode_cursor(last),
            _ => String::new(),
        };
        let record_ids: Vec<i64> = rows
            .iter()
            .flat_map(|row| [row.left, row.right])
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let records = steward::record_refs(&mut connection, &record_ids).await?;
        Ok(TaskPage {
            tasks: rows.into_iter().map(|row| view(row, &records)).collect(),
            next_page_token,
        })
    }

    /// One task with both records side by side.
    #[instrument(name = "steward.get_task", skip(self))]
    pub async fn get_review_task(&self, task_id: i64) -> HubResult<TaskDetail> {
        let mut connection = self.read_connection().await?;
        let Some(row) = steward::get_task(&mut connection, task_id).await? else {
            return Err(HubError::not_found(format!("review task {task_id}")));
        };
        let records = steward::record_refs(&mut connection, &[row.left, row.right]).await?;
        let side = |id: i64| {
            records.get(&id).map(|record| RecordSide {
                key: SourceKey::new(record.source.clone(), record.external_id.clone()),
                golden_id: record.golden_id.clone(),
                payload_json: record.payload.clone(),
                normalized_json: record.normalized.clone(),
            })
        };
        let (left, right) = (side(row.left), side(row.right));
        // Conflict tasks store their own JSON (the disagreeing values), not
        // an engine explanation.
        let explanation = serde_json::from_str::<Explanation>(&row.explanation).ok();
        Ok(TaskDetail {
            task: view(row, &records),
            left,
            right,
            explanation,
        })
    }

    /// Re-weighs the open tasks of these customers' records by their current
    /// metrics. Runs after the change committed (and after the metrics
    /// refresh); a failure only leaves the queue order stale.
    pub(crate) async fn refresh_review_impact(&self, golden_ids: &[String]) -> HubResult<()> {
        let mut connection = self.read_connection().await?;
        if !steward::any_open_task(&mut connection).await? {
            return Ok(());
        }
        let members = steward::member_ids(&mut connection, golden_ids).await?;
        let record_ids: Vec<i64> = members.iter().map(|(record, _)| *record).collect();
        let tasks = steward::open_tasks_touching(&mut connection, &record_ids).await?;
        if tasks.is_empty() {
            return Ok(());
        }
        let task_records: Vec<i64> = tasks
            .iter()
            .flat_map(|(_, left, right)| [*left, *right])
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let golden_of = steward::goldens_of(&mut connection, &task_records).await?;
        let goldens: Vec<String> = golden_of
            .values()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let value_of: HashMap<String, f64> = lifecycle::metrics_of(&mut connection, &goldens)
            .await?
            .into_iter()
            .map(|row| (row.golden_id, customer_value(&row.metrics)))
            .collect();
        drop(connection);
        let value = |record: &i64| {
            golden_of
                .get(record)
                .and_then(|golden| value_of.get(golden))
                .copied()
                .unwrap_or(0.0)
        };
        let impacts: Vec<(i64, f64)> = tasks
            .iter()
            .map(|(id, left, right)| {
                // Both records in one customer (a conflict task) count once.
                let same = golden_of.get(left) == golden_of.get(right);
                let impact = if same {
                    value(left)
                } else {
                    value(left) + value(right)
                };
                (*id, impact)
            })
            .collect();
        let mut transaction = self.inner.store.begin_write().await?;
        steward::set_impacts(&mut transaction, &impacts).await?;
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        Ok(())
    }
}

/// Revenue plus predicted CLV from stored metrics JSON (0 when absent).
fn customer_value(metrics_json: &str) -> f64 {
    let Ok(metrics) = serde_json::from_str::<serde_json::Value>(metrics_json) else {
        return 0.0;
    };
    let number = |name: &str| metrics[name].as_f64().unwrap_or(0.0);
    number("revenue") + number("predicted_clv")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_exactly() {
        let row = TaskRow {
            id: 42,
            kind: "potential_match".into(),
            left: 1,
            right: 2,
            probability: 0.1 + 0.2,
            reason: String::new(),
            explanation: String::new(),
            status: "open".into(),
            version: 1,
            impact: 1234.5678901234567,
            assignee: String::new(),
            decision: String::new(),
            comment: String::new(),
            resolved_by: String::new(),
            created_at: 0,
            updated_at: 0,
        };
        let cursor = decode_cursor(&encode_cursor(&row))
            .expect("valid")
            .expect("present");
        assert_eq!(cursor.probability, row.probability);
        assert_eq!(cursor.impact, row.impact);
        assert_eq!(cursor.id, 42);
        assert!(decode_cursor("zz").is_err());
    }

    #[test]
    fn customer_value_adds_revenue_and_clv() {
        assert_eq!(
            customer_value(r#"{"revenue": 1000, "predicted_clv": 250}"#),
            1250.0
        );
        assert_eq!(customer_value("not json"), 0.0);
    }
}
