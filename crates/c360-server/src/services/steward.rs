//! `c360.v1.StewardService`: a thin adapter over the hub's steward use
//! cases (`c360_hub::steward`). Writes invalidate the profile cache of the
//! golden records they touched.

use c360_hub::steward::{PinRequest, TaskQuery};
use c360_proto::v1;
use c360_proto::v1::steward_service_server::StewardService;
use tonic::{Request, Response, Status};

use super::ServiceState;
use crate::convert::{records, steward, time};
use crate::status::{hub_error_to_status, invalid_argument};

/// Request metadata naming the acting steward where no authenticated
/// subject is attached to the request.
pub const SUBJECT_METADATA: &str = "x-c360-subject";
/// The actor recorded when the request names none.
const DEFAULT_ACTOR: &str = "steward";

/// Who is acting, for the audit log: the authenticated subject the auth
/// layer attached; where auth is off (subject "anonymous"), the
/// `x-c360-subject` metadata, else "steward". With auth on the metadata is
/// ignored, so a caller cannot sign the log with another name.
fn actor_of<T>(request: &Request<T>) -> String {
    if let Some(subject) = request.extensions().get::<crate::auth::Subject>()
        && subject.name != "anonymous"
    {
        return subject.name.clone();
    }
    request
        .metadata()
        .get(SUBJECT_METADATA)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|subject| !subject.is_empty())
        .unwrap_or(DEFAULT_ACTOR)
        .to_owned()
}

#[derive(Debug, Clone)]
pub struct StewardServiceImpl {
    state: ServiceState,
}

impl StewardServiceImpl {
    pub fn new(state: ServiceState) -> Self {
        Self { state }
    }

    /// Drops cached profiles a write changed (this replica; others hear it
    /// through the change notifications the hub sent).
    async fn invalidate(&self, golden_ids: &[String]) {
        self.state.cache.invalidate(golden_ids).await;
    }
}

fn required_id(field: &str, value: &str) -> Result<(), Status> {
    if value.trim().is_empty() {
        return Err(invalid_argument(field, "is required"));
    }
    Ok(())
}

#[tonic::async_trait]
impl StewardService for StewardServiceImpl {
    async fn list_review_tasks(
        &self,
        request: Request<v1::ListReviewTasksRequest>,
    ) -> Result<Response<v1::ListReviewTasksResponse>, Status> {
        let _timer = self.state.metrics.rpc("ListReviewTasks");
        let request = request.into_inner();
        let query = TaskQuery {
            kind: steward::task_kind(request.kind)
                .map_err(|reason| invalid_argument("kind", &reason))?,
            status: steward::task_status(request.status)
                .map_err(|reason| invalid_argument("status", &reason))?,
            min_probability: request.min_probability,
            max_probability: request.max_probability,
            source: Some(request.source),
            assignee: Some(request.assignee),
            page_size: i64::from(request.page_size),
            page_token: request.page_token,
        };
        let page = self
            .state
            .hub
            .list_review_tasks(&query)
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(v1::ListReviewTasksResponse {
            tasks: page.tasks.iter().map(steward::task).collect(),
            next_page_token: page.next_page_token,
        }))
    }

    async fn get_review_task(
        &self,
        request: Request<v1::GetReviewTaskRequest>,
    ) -> Result<Response<v1::GetReviewTaskResponse>, Status> {
        let _timer = self.state.metrics.rpc("GetReviewTask");
        let detail = self
            .state
            .hub
            .get_review_task(request.into_inner().task_id)
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(steward::task_detail(&detail)))
    }

    async fn resolve_review_task(
        &self,
        request: Request<v1::ResolveReviewTaskRequest>,
    ) -> Result<Response<v1::ResolveReviewTaskResponse>, Status> {
        let _timer = self.state.metrics.rpc("ResolveReviewTask");
        let actor = actor_of(&request);
        let request = request.into_inner();
        let decision = steward::decision(request.decision)
            .map_err(|reason| invalid_argument("decision", &reason))?;
        let resolution = self
            .state
            .hub
            .resolve_review_task(
                request.task_id,
                request.version,
                decision,
                &request.comment,
                &actor,
            )
            .await
            .map_err(hub_error_to_status)?;
        let touched: Vec<String> = [&resolution.task.left_golden, &resolution.task.right_golden]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        self.invalidate(&touched).await;
        Ok(Response::new(v1::ResolveReviewTaskResponse {
            task: Some(steward::task(&resolution.task)),
            golden_id: resolution.golden_id.unwrap_or_default(),
        }))
    }

    async fn assign_review_task(
        &self,
        request: Request<v1::AssignReviewTaskRequest>,
    ) -> Result<Response<v1::AssignReviewTaskResponse>, Status> {
        let _timer = self.state.metrics.rpc("AssignReviewTask");
        let actor = actor_of(&request);
        let request = request.into_inner();
        let task = self
            .state
            .hub
            .assign_review_task(request.task_id, request.version, &request.assignee, &actor)
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(v1::AssignReviewTaskResponse {
            task: Some(steward::task(&task)),
        }))
    }

    async fn merge_profiles(
        &self,
        request: Request<v1::MergeProfilesRequest>,
    ) -> Result<Response<v1::MergeProfilesResponse>, Status> {
        let _timer = self.state.metrics.rpc("MergeProfiles");
        let actor = actor_of(&request);
        let request = request.into_inner();
        let merged = self
            .state
            .hub
            .merge_profiles(
                &request.golden_ids,
                &request.versions,
                &request.comment,
                &actor,
            )
            .await
            .map_err(hub_error_to_status)?;
        let mut touched = merged.absorbed.clone();
        touched.push(merged.survivor.clone());
        self.invalidate(&touched).await;
        Ok(Response::new(v1::MergeProfilesResponse {
            golden_id: merged.survivor,
            absorbed_ids: merged.absorbed,
            version: merged.version,
        }))
    }

    async fn split_profile(
        &self,
        request: Request<v1::SplitProfileRequest>,
    ) -> Result<Response<v1::SplitProfileResponse>, Status> {
        let _timer = self.state.metrics.rpc("SplitProfile");
        let actor = actor_of(&request);
        let request = request.into_inner();
        required_id("golden_id", &request.golden_id)?;
        let keys: Vec<_> = request
            .records
            .into_iter()
            .map(records::source_key)
            .collect();
        let split = self
            .state
            .hub
            .split_profile(
                &request.golden_id,
                request.version,
                &keys,
                &request.comment,
                &actor,
            )
            .await
            .map_err(hub_error_to_status)?;
        self.invalidate(&[split.golden_id.clone(), split.new_golden_id.clone()])
            .await;
        Ok(Response::new(v1::SplitProfileResponse {
            golden_id: split.golden_id,
            version: split.version,
            new_golden_id: split.new_golden_id,
        }))
    }

    async fn pin_attribute(
        &self,
        request: Request<v1::PinAttributeRequest>,
    ) -> Result<Response<v1::PinAttributeResponse>, Status> {
        let _timer = self.state.metrics.rpc("PinAttribute");
        let actor = actor_of(&request);
        let request = request.into_inner();
        required_id("golden_id", &request.golden_id)?;
        let expires_at = match &request.expires_at {
            Some(at) => Some(
                time::to_micros(at)
                    .ok_or_else(|| invalid_argument("expires_at", "is not a valid timestamp"))?,
            ),
            None => None,
        };
        let pin = PinRequest {
            golden_id: request.golden_id,
            version: request.version,
            attribute: request.attribute,
            value: request.value,
            reason: request.reason,
            expires_at,
        };
        let (golden_id, version) = self
            .state
            .hub
            .pin_attribute(&pin, &actor)
            .await
            .map_err(hub_error_to_status)?;
        self.invalidate(std::slice::from_ref(&golden_id)).await;
        Ok(Response::new(v1::PinAttributeResponse {
            golden_id,
            version,
        }))
    }

    async fn unpin_attribute(
        &self,
        request: Request<v1::UnpinAttributeRequest>,
    ) -> Result<Response<v1::UnpinAttributeResponse>, Status> {
        let _timer = self.state.metrics.rpc("UnpinAttribute");
        let actor = actor_of(&request);
        let request = request.into_inner();
        required_id("golden_id", &request.golden_id)?;
        let (golden_id, version) = self
            .state
            .hub
            .unpin_attribute(
                &request.golden_id,
                request.version,
                &request.attribute,
                &request.reason,
                &actor,
            )
            .await
            .map_err(hub_error_to_status)?;
        self.invalidate(std::slice::from_ref(&golden_id)).await;
        Ok(Response::new(v1::UnpinAttributeResponse {
            golden_id,
            version,
        }))
    }

    async fn get_audit_log(
        &self,
        request: Request<v1::GetAuditLogRequest>,
    ) -> Result<Response<v1::GetAuditLogResponse>, Status> {
        let _timer = self.state.metrics.rpc("GetAuditLog");
        let request = request.into_inner();
        required_id("golden_id", &request.golden_id)?;
        let page = self
            .state
            .hub
            .audit_log(
                &request.golden_id,
                i64::from(request.page_size),
                &request.page_token,
            )
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(steward::audit_page(&page)))
    }

    async fn get_lineage(
        &self,
        request: Request<v1::GetLineageRequest>,
    ) -> Result<Response<v1::GetLineageResponse>, Status> {
        let _timer = self.state.metrics.rpc("GetLineage");
        let request = request.into_inner();
        required_id("golden_id", &request.golden_id)?;
        let view = self
            .state
            .hub
            .lineage(&request.golden_id)
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(steward::lineage(&view)))
    }
}
