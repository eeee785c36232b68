//! The ingest side of a sync: files in order, batches stored with their
//! checkpoint, observer told as it goes.

use std::sync::Arc;
use std::time::Instant;

use c360_connector::{Connector, OnMissing, SourceItem, SourceUnit};
use c360_model::{Activity, SourceRecord};
use c360_store::repo::row_errors::{self, RowError as StoredRowError};
use c360_store::repo::sync::{self, Checkpoint};
use c360_store::time::now_micros;
use tracing::instrument;

use super::reader::{self, Batch};
use super::summary::{SyncEvent, SyncObserver, SyncSummary, UnitOutcome};
use crate::error::HubResult;
use crate::hub::Hub;
use crate::ingest::Origin;

impl Hub {
    /// Syncs one source through its connector (see the module docs).
    #[instrument(name = "sync.source", skip_all, fields(source = connector.config().name))]
    pub async fn sync_source(
        &self,
        connector: Arc<dyn Connector>,
        actor: &str,
        observer: &dyn SyncObserver,
    ) -> HubResult<SyncSummary> {
        let config = connector.config().clone();
        let started = Instant::now();
        let started_at = now_micros();
        let mut summary = SyncSummary {
            source: config.name.clone(),
            ..SyncSummary::default()
        };
        let run_id = {
            let mut connection = self.inner.store.begin_write().await?;
            sync::interrupt_running(&mut connection, &config.name, started_at).await?;
            let id = sync::start_run(&mut connection, &config.name, started_at).await?;
            connection
                .commit()
                .await
                .map_err(c360_store::StoreError::from)?;
            id
        };
        let result = self
            .sync_units(&connector, actor, observer, &mut summary)
            .await;
        if result.is_ok() && config.on_missing == OnMissing::Delete && summary.files_failed == 0 {
            summary.records_deleted = self.delete_missing(&config.name, started_at, actor).await?;
        }
        summary.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let status = match &result {
            Ok(()) if summary.files_failed == 0 => "completed",
            Ok(()) => "completed_with_failures",
            Err(_) => "failed",
        };
        let summary_json = serde_json::to_string(&summary).unwrap_or_default();
        let mut connection = self.inner.store.begin_write().await?;
        sync::finish_run(&mut connection, run_id, status, &summary_json, now_micros()).await?;
        connection
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        result?;
        observer.event(SyncEvent::SourceFinished(summary.clone()));
        Ok(summary)
    }

    async fn sync_units(
        &self,
        connector: &Arc<dyn Connector>,
        actor: &str,
        observer: &dyn SyncObserver,
        summary: &mut SyncSummary,
    ) -> HubResult<()> {
        let config = connector.config();
        let units = match connector.units() {
            Ok(units) => units,
            Err(error) => {
                summary.files_failed += 1;
                summary.failures.push(error.to_string());
                return Ok(());
            }
        };
        let digest = config.digest();
        for unit in units {
            let checkpoint = {
                let mut connection = self.read_connection().await?;
                sync::checkpoint(&mut connection, &config.name, &unit.name).await?
            };
            let same_version = checkpoint.as_ref().is_some_and(|checkpoint| {
                checkpoint.fingerprint == unit.fingerprint && checkpoint.config_digest == digest
            });
            let completed = same_version && checkpoint.as_ref().is_some_and(|c| c.completed);
            // Deleting what a run did not see needs every record seen again.
            if completed && config.on_missing == OnMissing::Keep {
                summary.files_unchanged += 1;
                observer.event(SyncEvent::FileFinished {
                    source: config.name.clone(),
                    file: unit.name.clone(),
                    outcome: UnitOutcome::Unchanged,
                });
                continue;
            }
            let skip = match &checkpoint {
                Some(checkpoint) if same_version && !checkpoint.completed => {
                    u64::try_from(checkpoint.items_done).unwrap_or(0)
                }
                _ => 0,
            };
            let outcome = self
                .sync_unit(connector, &unit, &digest, skip, actor, observer, summary)
                .await?;
            match outcome {
                UnitOutcome::Read => summary.files_read += 1,
                UnitOutcome::Resumed => {
                    summary.files_read += 1;
                    summary.files_resumed += 1;
                }
                UnitOutcome::Failed => summary.files_failed += 1,
                UnitOutcome::Unchanged => summary.files_unchanged += 1,
            }
            observer.event(SyncEvent::FileFinished {
                source: config.name.clone(),
                file: unit.name.clone(),
                outcome,
            });
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn sync_unit(
        &self,
        connector: &Arc<dyn Connector>,
        unit: &SourceUnit,
        digest: &str,
        skip: u64,
        actor: &str,
        observer: &dyn SyncObserver,
        summary: &mut SyncSummary,
    ) -> HubResult<UnitOutcome> {
        let source = connector.config().name.clone();
        observer.event(SyncEvent::FileStarted {
            source: source.clone(),
            file: unit.name.clone(),
            size: unit.size,
            resume_from: skip,
        });
        let batch_size = self
            .inner
            .config
            .sync
            .batch_size
            .clamp(1, crate::ingest::MAX_BATCH);
        let mut batches = reader::spawn(Arc::clone(connector), unit.clone(), skip, batch_size);
        let mut checkpoint = Checkpoint {
            source: source.clone(),
            unit: unit.name.clone(),
            fingerprint: unit.fingerprint.clone(),
            config_digest: digest.to_owned(),
            items_done: i64::try_from(skip).unwrap_or(i64::MAX),
            completed: false,
        };
        while let Some(batch) = batches.recv().await {
            let batch = match batch {
                Ok(batch) => batch,
                Err(error) => {
                    summary.failures.push(error.to_string());
                    return Ok(UnitOutcome::Failed);
                }
            };
            let end = batch.end;
            self.store_batch(&source, batch, actor, summary).await?;
            checkpoint.items_done = i64::try_from(end).unwrap_or(i64::MAX);
            let mut connection = self.inner.store.begin_write().await?;
            sync::save_checkpoint(&mut connection, &checkpoint, now_micros()).await?;
            connection
                .commit()
                .await
                .map_err(c360_store::StoreError::from)?;
            observer.event(SyncEvent::Progress {
                source: source.clone(),
                file: unit.name.clone(),
                items_done: end,
                summary: summary.clone(),
            });
        }
        checkpoint.completed = true;
        let mut connection = self.inner.store.begin_write().await?;
        sync::save_checkpoint(&mut connection, &checkpoint, now_micros()).await?;
        connection
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        Ok(if skip > 0 {
            UnitOutcome::Resumed
        } else {
            UnitOutcome::Read
        })
    }

    /// Stores one batch: records, activities, then the unreadable rows.
    /// Each step is idempotent (see the module docs).
    async fn store_batch(
        &self,
        source: &str,
        batch: Batch,
        actor: &str,
        summary: &mut SyncSummary,
    ) -> HubResult<()> {
        let mut records: Vec<SourceRecord> = Vec::new();
        let mut record_locations: Vec<String> = Vec::new();
        let mut activities: Vec<Activity> = Vec::new();
        let mut activity_locations: Vec<String> = Vec::new();
        let mut unreadable: Vec<StoredRowError> = Vec::new();
        let now = now_micros();
        for item in batch.items {
            match item {
                SourceItem::Record(record, location) => {
                    records.push(*record);
                    record_locations.push(location.to_string());
                }
                SourceItem::Activity(activity, location) => {
                    activities.push(*activity);
                    activity_locations.push(location.to_string());
                }
                SourceItem::Error(error) => unreadable.push(StoredRowError {
                    source: source.to_owned(),
                    location: error.location.to_string(),
                    field: error.field,
                    reason: error.reason,
                    raw: error.raw,
                    at: now,
                }),
            }
        }
        summary.records_read += records.len() as u64;
        summary.activities_read += activities.len() as u64;
        summary.rows_unreadable += unreadable.len() as u64;
        if !records.is_empty() {
            let outcome = self
                .upsert_source_records_from(records, Origin::Items(&record_locations), actor)
                .await?;
            summary.records_inserted += outcome.inserted;
            summary.records_updated += outcome.updated;
            summary.records_unchanged += outcome.unchanged;
            summary.records_rejected += outcome.rejections.len() as u64;
            summary.golden_created += outcome.golden_created;
            summary.golden_merged += outcome.golden_merged;
        }
        if !activities.is_empty() {
            let outcome = self
                .upsert_activities_from(activities, Origin::Items(&activity_locations))
                .await?;
            summary.activities_inserted += outcome.inserted;
            summary.activities_updated += outcome.updated;
            summary.activities_unchanged += outcome.unchanged;
            summary.activities_rejected += outcome.rejections.len() as u64;
        }
        if !unreadable.is_empty() {
            let mut connection = self.inner.store.begin_write().await?;
            row_errors::insert(&mut connection, &unreadable).await?;
            connection
                .commit()
                .await
                .map_err(c360_store::StoreError::from)?;
        }
        Ok(())
    }
}
