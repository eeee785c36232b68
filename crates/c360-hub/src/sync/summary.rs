//! What a sync reports: events while it runs, a summary when it ends.

use serde::{Deserialize, Serialize};

/// Totals of one source's run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSummary {
    pub source: String,
    pub files_read: u64,
    /// Files skipped because they were completely stored already.
    pub files_unchanged: u64,
    /// Files whose reading resumed from a checkpoint.
    pub files_resumed: u64,
    /// Files that could not be read at all (missing, not the declared format).
    pub files_failed: u64,
    pub records_read: u64,
    pub records_inserted: u64,
    pub records_updated: u64,
    pub records_unchanged: u64,
    /// Records the hub refused (an invalid e-mail, no name nor identifier …).
    pub records_rejected: u64,
    pub activities_read: u64,
    pub activities_inserted: u64,
    pub activities_updated: u64,
    pub activities_unchanged: u64,
    pub activities_rejected: u64,
    /// Rows the connector could not read at all (bad date, wrong column count …).
    pub rows_unreadable: u64,
    /// Records marked deleted because a complete run no longer delivered them.
    pub records_deleted: u64,
    pub golden_created: u64,
    pub golden_merged: u64,
    pub elapsed_ms: u64,
    /// Why files failed, one line each.
    pub failures: Vec<String>,
}

impl SyncSummary {
    /// Every row that did not make it in: unreadable or rejected.
    pub fn rejected(&self) -> u64 {
        self.rows_unreadable + self.records_rejected + self.activities_rejected
    }
}

/// How one file went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitOutcome {
    Read,
    Resumed,
    Unchanged,
    Failed,
}

/// What a running sync tells its observer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncEvent {
    /// A file starts; `resume_from` items of it are already stored.
    FileStarted {
        source: String,
        file: String,
        size: u64,
        resume_from: u64,
    },
    /// A batch is stored; totals so far for the source.
    Progress {
        source: String,
        file: String,
        items_done: u64,
        summary: SyncSummary,
    },
    FileFinished {
        source: String,
        file: String,
        outcome: UnitOutcome,
    },
    SourceFinished(SyncSummary),
}

/// Receives sync events (a terminal progress bar, a gRPC stream).
pub trait SyncObserver: Send + Sync {
    fn event(&self, event: SyncEvent);
}

/// Events nobody watches.
impl SyncObserver for () {
    fn event(&self, _event: SyncEvent) {}
}
