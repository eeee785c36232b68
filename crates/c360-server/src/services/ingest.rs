//! `c360.v1.IngestService`.

use c360_hub::Rejection;
use c360_hub::sync::{SyncEvent, SyncObserver};
use c360_proto::v1;
use c360_proto::v1::ingest_service_server::IngestService;
use tokio::sync::mpsc;
use tokio_stream::wrappers::UnboundedReceiverStream;
use tonic::{Request, Response, Status};

use super::ServiceState;
use crate::convert::{self, records};
use crate::status::{hub_error_to_status, invalid_argument};

/// Who sent a write, for the audit log (authentication arrives with roles).
const ACTOR: &str = "grpc:ingest";
/// Who ran a sync requested over gRPC.
const SYNC_ACTOR: &str = "grpc:sync";

#[derive(Debug, Clone)]
pub struct IngestServiceImpl {
    state: ServiceState,
}

impl IngestServiceImpl {
    pub fn new(state: ServiceState) -> Self {
        Self { state }
    }
}

/// A request's items after conversion: the valid ones for the hub, where each
/// sat in the request, and the rejections of those that did not convert.
struct ConvertedBatch<T> {
    valid: Vec<T>,
    positions: Vec<usize>,
    rejections: Vec<v1::Rejection>,
}

impl<T> ConvertedBatch<T> {
    /// Converts each item; `reference` names an item in a rejection.
    fn convert<P>(
        items: Vec<P>,
        reference: impl Fn(&P) -> v1::SourceRef,
        convert: impl Fn(P) -> Result<T, (String, String)>,
    ) -> Self {
        let mut batch = Self {
            valid: Vec::with_capacity(items.len()),
            positions: Vec::with_capacity(items.len()),
            rejections: Vec::new(),
        };
        for (index, item) in items.into_iter().enumerate() {
            let record = reference(&item);
            match convert(item) {
                Ok(valid) => {
                    batch.positions.push(index);
                    batch.valid.push(valid);
                }
                Err((field, reason)) => batch.rejections.push(v1::Rejection {
                    index: position(index),
                    record: Some(record),
                    field,
                    reason,
                }),
            }
        }
        batch
    }

    /// Adds the hub's rejections, renumbered from the hub's positions (it saw
    /// only the valid items) to the request's, in request order.
    fn rejections_with(mut self, from_hub: &[Rejection]) -> Vec<v1::Rejection> {
        for rejection in from_hub {
            self.rejections.push(v1::Rejection {
                index: position(
                    self.positions
                        .get(rejection.index)
                        .copied()
                        .unwrap_or(rejection.index),
                ),
                record: rejection.key.as_ref().map(|key| v1::SourceRef {
                    source: key.source.clone(),
                    external_id: key.external_id.clone(),
                }),
                field: rejection.field.clone(),
                reason: rejection.reason.clone(),
            });
        }
        self.rejections.sort_by_key(|rejection| rejection.index);
        self.rejections
    }
}

fn position(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

fn count(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Forwards sync events to a gRPC stream and drops cached profiles as
/// batches land (a sync does not list the golden records it touched).
struct StreamObserver {
    sender: mpsc::UnboundedSender<Result<v1::SyncProgress, Status>>,
    cache: crate::cache::ProfileCache,
}

impl SyncObserver for StreamObserver {
    fn event(&self, event: SyncEvent) {
        if matches!(
            event,
            SyncEvent::Progress { .. } | SyncEvent::SourceFinished(_)
        ) {
            self.cache.invalidate_all();
        }
        // A client that went away stops listening; the sync still completes.
        let _ = self.sender.send(Ok(convert::sync::event(event)));
    }
}

#[tonic::async_trait]
impl IngestService for IngestServiceImpl {
    type RunSyncStream = UnboundedReceiverStream<Result<v1::SyncProgress, Status>>;

    async fn run_sync(
        &self,
        request: Request<v1::RunSyncRequest>,
    ) -> Result<Response<Self::RunSyncStream>, Status> {
        let _timer = self.state.metrics.rpc("RunSync");
        let names = request.into_inner().sources;
        for (index, name) in names.iter().enumerate() {
            if name.trim().is_empty() {
                return Err(invalid_argument(
                    &format!("sources[{index}]"),
                    "must not be empty",
                ));
            }
        }
        // Unknown names fail the call before anything streams.
        self.state
            .hub
            .select_sources(&names)
            .map_err(hub_error_to_status)?;
        let (sender, receiver) = mpsc::unbounded_channel();
        let hub = self.state.hub.clone();
        let observer = StreamObserver {
            sender: sender.clone(),
            cache: self.state.cache.clone(),
        };
        tokio::spawn(async move {
            if let Err(error) = hub.sync_sources(&names, SYNC_ACTOR, &observer).await {
                let _ = sender.send(Err(hub_error_to_status(error)));
            }
        });
        Ok(Response::new(UnboundedReceiverStream::new(receiver)))
    }

    async fn list_row_errors(
        &self,
        request: Request<v1::ListRowErrorsRequest>,
    ) -> Result<Response<v1::ListRowErrorsResponse>, Status> {
        let _timer = self.state.metrics.rpc("ListRowErrors");
        let request = request.into_inner();
        let page = self
            .state
            .hub
            .list_row_errors(
                &request.source,
                i64::from(request.page_size),
                &request.page_token,
            )
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(v1::ListRowErrorsResponse {
            row_errors: page
                .errors
                .into_iter()
                .map(convert::sync::row_error)
                .collect(),
            next_page_token: page.next_page_token,
            total_size: page.total,
        }))
    }

    async fn upsert_source_records(
        &self,
        request: Request<v1::UpsertSourceRecordsRequest>,
    ) -> Result<Response<v1::UpsertSourceRecordsResponse>, Status> {
        let _timer = self.state.metrics.rpc("UpsertSourceRecords");
        let request = request.into_inner();
        if request.records.is_empty() {
            return Err(invalid_argument("records", "must hold at least one record"));
        }
        let mut batch = ConvertedBatch::convert(
            request.records,
            |record| v1::SourceRef {
                source: record.source.clone(),
                external_id: record.external_id.clone(),
            },
            records::source_record,
        );
        let outcome = self
            .state
            .hub
            .upsert_source_records(
                std::mem::take(&mut batch.valid),
                "grpc:UpsertSourceRecords",
                ACTOR,
            )
            .await
            .map_err(hub_error_to_status)?;
        self.state
            .cache
            .invalidate(&outcome.affected_golden_ids)
            .await;
        let rejections = batch.rejections_with(&outcome.rejections);
        let rejected = rejections.len() as u64;
        let metrics = &self.state.metrics;
        metrics.ingested(
            outcome.inserted,
            outcome.updated,
            outcome.unchanged,
            rejected,
        );
        metrics.merges(outcome.golden_merged);
        Ok(Response::new(v1::UpsertSourceRecordsResponse {
            inserted: count(outcome.inserted),
            updated: count(outcome.updated),
            unchanged: count(outcome.unchanged),
            rejected: count(rejected),
            rejections,
            affected_golden_ids: outcome.affected_golden_ids.into_iter().collect(),
            golden_created: count(outcome.golden_created),
            golden_merged: count(outcome.golden_merged),
        }))
    }

    async fn delete_source_record(
        &self,
        request: Request<v1::DeleteSourceRecordRequest>,
    ) -> Result<Response<v1::DeleteSourceRecordResponse>, Status> {
        let _timer = self.state.metrics.rpc("DeleteSourceRecord");
        let Some(reference) = request.into_inner().record else {
            return Err(invalid_argument("record", "is required"));
        };
        if reference.source.trim().is_empty() {
            return Err(invalid_argument("record.source", "must not be empty"));
        }
        if reference.external_id.trim().is_empty() {
            return Err(invalid_argument("record.external_id", "must not be empty"));
        }
        let key = records::source_key(reference);
        let outcome = self
            .state
            .hub
            .delete_source_record(&key, ACTOR)
            .await
            .map_err(hub_error_to_status)?;
        self.state
            .cache
            .invalidate(outcome.affected_golden_id.iter())
            .await;
        Ok(Response::new(v1::DeleteSourceRecordResponse {
            golden_id: outcome.golden_id.unwrap_or_default(),
            golden_retired: outcome.golden_retired,
        }))
    }

    async fn upsert_activities(
        &self,
        request: Request<v1::UpsertActivitiesRequest>,
    ) -> Result<Response<v1::UpsertActivitiesResponse>, Status> {
        let _timer = self.state.metrics.rpc("UpsertActivities");
        let request = request.into_inner();
        if request.activities.is_empty() {
            return Err(invalid_argument(
                "activities",
                "must hold at least one activity",
            ));
        }
        let mut batch = ConvertedBatch::convert(
            request.activities,
            |activity| v1::SourceRef {
                source: activity.source.clone(),
                external_id: activity.external_id.clone(),
            },
            records::activity,
        );
        let outcome = self
            .state
            .hub
            .upsert_activities(std::mem::take(&mut batch.valid), "grpc:UpsertActivities")
            .await
            .map_err(hub_error_to_status)?;
        self.state
            .cache
            .invalidate(&outcome.affected_golden_ids)
            .await;
        let rejections = batch.rejections_with(&outcome.rejections);
        let rejected = rejections.len() as u64;
        self.state
            .metrics
            .activities(outcome.inserted + outcome.updated, rejected);
        Ok(Response::new(v1::UpsertActivitiesResponse {
            inserted: count(outcome.inserted),
            updated: count(outcome.updated),
            unchanged: count(outcome.unchanged),
            rejected: count(rejected),
            rejections,
        }))
    }
}
