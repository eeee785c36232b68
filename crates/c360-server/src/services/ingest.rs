//! `c360.v1.IngestService`.

use c360_hub::Rejection;
use c360_proto::v1;
use c360_proto::v1::ingest_service_server::IngestService;
use tonic::{Request, Response, Status};

use super::ServiceState;
use crate::convert::records;
use crate::status::{hub_error_to_status, invalid_argument};

/// Who sent a write, for the audit log (authentication arrives with roles).
const ACTOR: &str = "grpc:ingest";

#[derive(Debug, Clone)]
pub struct IngestServiceImpl {
    state: ServiceState,
}

impl IngestServiceImpl {
    pub fn new(state: ServiceState) -> Self {
        Self { state }
    }
}

fn rejection(rejection: &Rejection) -> v1::Rejection {
    v1::Rejection {
        index: i32::try_from(rejection.index).unwrap_or(i32::MAX),
        record: rejection.key.as_ref().map(|key| v1::SourceRef {
            source: key.source.clone(),
            external_id: key.external_id.clone(),
        }),
        field: rejection.field.clone(),
        reason: rejection.reason.clone(),
    }
}

#[tonic::async_trait]
impl IngestService for IngestServiceImpl {
    async fn upsert_source_records(
        &self,
        request: Request<v1::UpsertSourceRecordsRequest>,
    ) -> Result<Response<v1::UpsertSourceRecordsResponse>, Status> {
        let _timer = self.state.metrics.rpc("UpsertSourceRecords");
        let request = request.into_inner();
        if request.records.is_empty() {
            return Err(invalid_argument("records", "must hold at least one record"));
        }
        let mut valid = Vec::with_capacity(request.records.len());
        let mut positions = Vec::with_capacity(request.records.len());
        let mut rejections = Vec::new();
        for (index, record) in request.records.into_iter().enumerate() {
            let key = (record.source.clone(), record.external_id.clone());
            match records::source_record(record) {
                Ok(record) => {
                    positions.push(index);
                    valid.push(record);
                }
                Err((field, reason)) => rejections.push(v1::Rejection {
                    index: i32::try_from(index).unwrap_or(i32::MAX),
                    record: Some(v1::SourceRef {
                        source: key.0,
                        external_id: key.1,
                    }),
                    field,
                    reason,
                }),
            }
        }
        let outcome = self
            .state
            .hub
            .upsert_source_records(valid, "grpc:UpsertSourceRecords", ACTOR)
            .await
            .map_err(hub_error_to_status)?;
        self.state
            .cache
            .invalidate(&outcome.affected_golden_ids)
            .await;
        rejections.extend(outcome.rejections.iter().map(|item| {
            let mut converted = rejection(item);
            // The hub numbered the records it saw; report request positions.
            converted.index = positions
                .get(item.index)
                .and_then(|index| i32::try_from(*index).ok())
                .unwrap_or(converted.index);
            converted
        }));
        rejections.sort_by_key(|item| item.index);
        let rejected = rejections.len() as u64;
        self.state.metrics.ingested(
            outcome.inserted,
            outcome.updated,
            outcome.unchanged,
            rejected,
        );
        self.state.metrics.merges(outcome.golden_merged);
        Ok(Response::new(v1::UpsertSourceRecordsResponse {
            inserted: outcome.inserted as i64,
            updated: outcome.updated as i64,
            unchanged: outcome.unchanged as i64,
            rejected: rejected as i64,
            rejections,
            affected_golden_ids: outcome.affected_golden_ids.into_iter().collect(),
            golden_created: outcome.golden_created as i64,
            golden_merged: outcome.golden_merged as i64,
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
        let mut valid = Vec::with_capacity(request.activities.len());
        let mut positions = Vec::with_capacity(request.activities.len());
        let mut rejections = Vec::new();
        for (index, activity) in request.activities.into_iter().enumerate() {
            let reference = v1::SourceRef {
                source: activity.source.clone(),
                external_id: activity.external_id.clone(),
            };
            match records::activity(activity) {
                Ok(activity) => {
                    positions.push(index);
                    valid.push(activity);
                }
                Err((field, reason)) => rejections.push(v1::Rejection {
                    index: i32::try_from(index).unwrap_or(i32::MAX),
                    record: Some(reference),
                    field,
                    reason,
                }),
            }
        }
        let outcome = self
            .state
            .hub
            .upsert_activities(valid, "grpc:UpsertActivities")
            .await
            .map_err(hub_error_to_status)?;
        self.state
            .cache
            .invalidate(&outcome.affected_golden_ids)
            .await;
        rejections.extend(outcome.rejections.iter().map(|item| {
            let mut converted = rejection(item);
            converted.index = positions
                .get(item.index)
                .and_then(|index| i32::try_from(*index).ok())
                .unwrap_or(converted.index);
            converted
        }));
        rejections.sort_by_key(|item| item.index);
        let rejected = rejections.len() as u64;
        self.state
            .metrics
            .activities(outcome.inserted + outcome.updated, rejected);
        Ok(Response::new(v1::UpsertActivitiesResponse {
            inserted: outcome.inserted as i64,
            updated: outcome.updated as i64,
            unchanged: outcome.unchanged as i64,
            rejected: rejected as i64,
            rejections,
        }))
    }
}
