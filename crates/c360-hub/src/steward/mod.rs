//! Data stewardship: what the steward service and console call.
//!
//! - [`queue`]: the review queue (filters, impact order, pages) and one task
//!   side by side; the impact refresh after metrics change.
//! - [`resolve`]: merge, keep apart, defer or dismiss a task.
//! - [`assign`]: a task claimed by (or released from) a steward.
//! - [`merge`]: several golden records into one (the oldest id survives).
//! - [`split`]: chosen records out of a golden record into a new one.
//! - [`pins`]: steward values that win survivorship, and applying them.
//! - [`conflicts`]: attribute-conflict tasks raised while golden records are rewritten.
//! - [`history`]: the audit log by page and the lineage of each attribute.
//!
//! Every write is one transaction under the hub's write lock and checks the
//! version the steward saw with a conditional `UPDATE … WHERE version = $n`
//! (of the task or the golden record) before it changes anything: a stale
//! version is [`HubError::Conflict`] and the transaction rolls back. The
//! decisions are stored as `never`/`always` constraints between records,
//! which both engines honour in real time and in a full re-match.

mod assign;
mod conflicts;
mod history;
mod merge;
mod pins;
mod queue;
mod resolve;
mod split;

use c360_model::GoldenId;
use c360_store::AnyConnection;
use c360_store::repo::golden_records;

pub use history::{AuditPage, LineageView, PinnedLineage};
pub use merge::MergeOutcome;
pub use pins::PinRequest;
pub use queue::{RecordSide, TaskDetail, TaskPage, TaskQuery, TaskView};
pub use resolve::Resolution;
pub use split::SplitOutcome;

pub(crate) use conflicts::conflict_tasks;
pub(crate) use pins::apply_pins;

use crate::error::{HubError, HubResult};

/// What a task asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    /// Two customers that may be one.
    PotentialMatch,
    /// One customer's sources disagree on a survivorship-relevant attribute.
    AttributeConflict,
}

impl TaskKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PotentialMatch => "potential_match",
            Self::AttributeConflict => "attribute_conflict",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "potential_match" => Some(Self::PotentialMatch),
            "attribute_conflict" => Some(Self::AttributeConflict),
            _ => None,
        }
    }
}

/// Where a task stands, as a steward sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    Open,
    /// Decided by a steward, or answered by the engine (`merged`).
    Resolved,
    Deferred,
}

impl TaskStatus {
    /// The stored statuses this status covers.
    pub(crate) fn stored(self) -> &'static [&'static str] {
        match self {
            Self::Open => &["open"],
            Self::Resolved => &["resolved", "merged"],
            Self::Deferred => &["deferred"],
        }
    }

    pub(crate) fn of_stored(status: &str) -> Self {
        match status {
            "open" => Self::Open,
            "deferred" => Self::Deferred,
            _ => Self::Resolved,
        }
    }
}

/// A steward's answer to a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Merge,
    KeepApart,
    Defer,
    /// Attribute conflicts only: the disagreement stands as it is.
    Dismiss,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Merge => "merge",
            Self::KeepApart => "keep_apart",
            Self::Defer => "defer",
            Self::Dismiss => "dismiss",
        }
    }
}

/// A golden id a steward named, checked and followed to the live record.
/// Writes need the live id: the version they check is that record's.
pub(crate) async fn live_golden(
    connection: &mut AnyConnection,
    field: &str,
    golden_id: &str,
) -> HubResult<String> {
    let id =
        GoldenId::parse(golden_id).map_err(|error| HubError::invalid(field, error.reason()))?;
    golden_records::resolve(connection, id.as_str())
        .await?
        .ok_or_else(|| HubError::not_found(format!("golden record {id}")))
}

/// Takes the optimistic lock of a golden record: its version must still be
/// `expected` (it is bumped, so a concurrent writer holding the same version
/// fails). Missing → not found; moved on → conflict.
pub(crate) async fn claim_golden(
    connection: &mut AnyConnection,
    golden_id: &str,
    expected: i64,
) -> HubResult<()> {
    if c360_store::repo::steward::claim_golden_version(connection, golden_id, expected).await? {
        return Ok(());
    }
    match golden_records::get(connection, golden_id).await? {
        None => Err(HubError::not_found(format!("golden record {golden_id}"))),
        Some(row) => Err(HubError::conflict(format!(
            "golden record {golden_id} (version {expected} requested, now {})",
            row.version
        ))),
    }
}
