//! Sync summaries, events and quarantined rows → proto.

use c360_hub::sync::{QuarantinedRow, SyncEvent, SyncSummary, UnitOutcome};
use c360_proto::v1;

use super::time::from_micros;

fn count(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

pub fn summary(summary: &SyncSummary) -> v1::SyncSummary {
    v1::SyncSummary {
        source: summary.source.clone(),
        files_read: count(summary.files_read),
        files_unchanged: count(summary.files_unchanged),
        files_resumed: count(summary.files_resumed),
        files_failed: count(summary.files_failed),
        records_read: count(summary.records_read),
        records_inserted: count(summary.records_inserted),
        records_updated: count(summary.records_updated),
        records_unchanged: count(summary.records_unchanged),
        records_rejected: count(summary.records_rejected),
        activities_read: count(summary.activities_read),
        activities_inserted: count(summary.activities_inserted),
        activities_updated: count(summary.activities_updated),
        activities_unchanged: count(summary.activities_unchanged),
        activities_rejected: count(summary.activities_rejected),
        rows_unreadable: count(summary.rows_unreadable),
        records_deleted: count(summary.records_deleted),
        golden_created: count(summary.golden_created),
        golden_merged: count(summary.golden_merged),
        elapsed_ms: count(summary.elapsed_ms),
        failures: summary.failures.clone(),
    }
}

pub fn event(event: SyncEvent) -> v1::SyncProgress {
    use v1::sync_progress::Event;
    let event = match event {
        SyncEvent::FileStarted {
            source,
            file,
            size,
            resume_from,
        } => Event::FileStarted(v1::SyncFileStarted {
            source,
            file,
            size_bytes: count(size),
            resume_from: count(resume_from),
        }),
        SyncEvent::Progress {
            source,
            file,
            items_done,
            summary: totals,
        } => Event::BatchStored(v1::SyncBatchStored {
            source,
            file,
            items_done: count(items_done),
            totals: Some(summary(&totals)),
        }),
        SyncEvent::FileFinished {
            source,
            file,
            outcome,
        } => Event::FileFinished(v1::SyncFileFinished {
            source,
            file,
            outcome: match outcome {
                UnitOutcome::Read => v1::SyncFileOutcome::Read,
                UnitOutcome::Resumed => v1::SyncFileOutcome::Resumed,
                UnitOutcome::Unchanged => v1::SyncFileOutcome::Unchanged,
                UnitOutcome::Failed => v1::SyncFileOutcome::Failed,
            } as i32,
        }),
        SyncEvent::SourceFinished(totals) => Event::SourceFinished(summary(&totals)),
    };
    v1::SyncProgress { event: Some(event) }
}

pub fn row_error(error: QuarantinedRow) -> v1::RowError {
    v1::RowError {
        source: error.source,
        location: error.location,
        field: error.field,
        reason: error.reason,
        raw: error.raw,
        quarantined_at: Some(from_micros(error.at)),
    }
}
