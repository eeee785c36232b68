//! `c360.v1.ProfileService`.

use std::sync::Arc;

use c360_hub::SearchMode;
use c360_proto::v1;
use c360_proto::v1::profile_service_server::ProfileService;
use tonic::{Request, Response, Status};

use super::ServiceState;
use crate::convert::{profile, records, time};
use crate::status::{hub_error_to_status, invalid_argument};

/// Most ids one `BatchGetProfiles` call takes.
const MAX_BATCH_GET: usize = 1_000;

#[derive(Debug, Clone)]
pub struct ProfileServiceImpl {
    state: ServiceState,
}

impl ProfileServiceImpl {
    pub fn new(state: ServiceState) -> Self {
        Self { state }
    }

    /// A profile through the cache.
    async fn cached_profile(&self, golden_id: &str) -> Result<v1::GetProfileResponse, Status> {
        let requested = golden_id.trim().to_ascii_lowercase();
        if let Some(hit) = self.state.cache.get(&requested).await {
            self.state.metrics.cache(true);
            return Ok(v1::GetProfileResponse {
                profile: Some(Arc::unwrap_or_clone(hit.profile)),
                redirected: hit.redirected,
                requested_id: requested,
            });
        }
        self.state.metrics.cache(false);
        let generation = self.state.cache.generation();
        let found = self
            .state
            .hub
            .get_profile(golden_id)
            .await
            .map_err(hub_error_to_status)?;
        let response = profile::found_profile(&found);
        if let Some(rendered) = &response.profile {
            self.state
                .cache
                .put(&found.requested_id, Arc::new(rendered.clone()), generation)
                .await;
        }
        Ok(response)
    }
}

/// Checks a page size against `max`, `0` meaning `default`.
fn page_size(value: i32, default: i64, max: i64) -> Result<i64, Status> {
    match i64::from(value) {
        0 => Ok(default),
        size if (1..=max).contains(&size) => Ok(size),
        size => Err(invalid_argument(
            "page_size",
            &format!("{size} is outside 1..={max}"),
        )),
    }
}

#[tonic::async_trait]
impl ProfileService for ProfileServiceImpl {
    async fn get_profile(
        &self,
        request: Request<v1::GetProfileRequest>,
    ) -> Result<Response<v1::GetProfileResponse>, Status> {
        let _timer = self.state.metrics.rpc("GetProfile");
        let golden_id = request.into_inner().golden_id;
        if golden_id.trim().is_empty() {
            return Err(invalid_argument("golden_id", "is required"));
        }
        self.cached_profile(&golden_id).await.map(Response::new)
    }

    async fn lookup_profile(
        &self,
        request: Request<v1::LookupProfileRequest>,
    ) -> Result<Response<v1::LookupProfileResponse>, Status> {
        let _timer = self.state.metrics.rpc("LookupProfile");
        use v1::lookup_profile_request::Key;
        let hub = &self.state.hub;
        let profiles = match request.into_inner().key {
            None => {
                return Err(invalid_argument(
                    "key",
                    "one of email, phone or source_record is required",
                ));
            }
            Some(Key::Email(email)) if email.trim().is_empty() => {
                return Err(invalid_argument("email", "must not be empty"));
            }
            Some(Key::Phone(phone)) if phone.trim().is_empty() => {
                return Err(invalid_argument("phone", "must not be empty"));
            }
            Some(Key::Email(email)) => hub.lookup_by_email(&email).await,
            Some(Key::Phone(phone)) => hub.lookup_by_phone(&phone).await,
            Some(Key::SourceRecord(reference)) => {
                hub.lookup_by_source(&records::source_key(reference)).await
            }
        }
        .map_err(hub_error_to_status)?;
        Ok(Response::new(v1::LookupProfileResponse {
            profiles: profiles.iter().map(profile::profile).collect(),
        }))
    }

    async fn search_profiles(
        &self,
        request: Request<v1::SearchProfilesRequest>,
    ) -> Result<Response<v1::SearchProfilesResponse>, Status> {
        let _timer = self.state.metrics.rpc("SearchProfiles");
        let request = request.into_inner();
        if request.query.trim().is_empty() {
            return Err(invalid_argument("query", "must not be empty"));
        }
        if request.query.len() > 256 {
            return Err(invalid_argument("query", "longer than 256 bytes"));
        }
        let mode = match v1::SearchMode::try_from(request.mode) {
            Ok(v1::SearchMode::Unspecified | v1::SearchMode::Prefix) => SearchMode::Prefix,
            Ok(v1::SearchMode::Fuzzy) => SearchMode::Fuzzy,
            Err(_) => {
                return Err(invalid_argument(
                    "mode",
                    &format!("{} is not a search mode", request.mode),
                ));
            }
        };
        let size = page_size(request.page_size, 20, 100)?;
        let (hits, next_page_token) = self
            .state
            .hub
            .search_profiles(&request.query, mode, size, &request.page_token)
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(v1::SearchProfilesResponse {
            hits: hits.iter().map(profile::search_hit).collect(),
            next_page_token,
        }))
    }

    async fn list_golden_records(
        &self,
        request: Request<v1::ListGoldenRecordsRequest>,
    ) -> Result<Response<v1::ListGoldenRecordsResponse>, Status> {
        let _timer = self.state.metrics.rpc("ListGoldenRecords");
        let request = request.into_inner();
        let size = page_size(request.page_size, 100, 1_000)?;
        let updated_since = match &request.updated_since {
            Some(timestamp) => Some(
                time::to_micros(timestamp)
                    .ok_or_else(|| invalid_argument("updated_since", "timestamp out of range"))?,
            ),
            None => None,
        };
        let (rows, next_page_token) = self
            .state
            .hub
            .list_golden_records(updated_since, size, &request.page_token)
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(v1::ListGoldenRecordsResponse {
            records: rows.iter().map(profile::golden_summary).collect(),
            next_page_token,
        }))
    }

    async fn batch_get_profiles(
        &self,
        request: Request<v1::BatchGetProfilesRequest>,
    ) -> Result<Response<v1::BatchGetProfilesResponse>, Status> {
        let _timer = self.state.metrics.rpc("BatchGetProfiles");
        let ids = request.into_inner().golden_ids;
        if ids.is_empty() {
            return Err(invalid_argument("golden_ids", "must hold at least one id"));
        }
        if ids.len() > MAX_BATCH_GET {
            return Err(invalid_argument(
                "golden_ids",
                &format!("{} ids, at most {MAX_BATCH_GET}", ids.len()),
            ));
        }
        let mut profiles = Vec::with_capacity(ids.len());
        let mut not_found_ids = Vec::new();
        for (index, id) in ids.iter().enumerate() {
            match self.cached_profile(id).await {
                Ok(profile) => profiles.push(profile),
                Err(status) if status.code() == tonic::Code::NotFound => {
                    not_found_ids.push(id.clone())
                }
                Err(status) if status.code() == tonic::Code::InvalidArgument => {
                    return Err(invalid_argument(
                        &format!("golden_ids[{index}]"),
                        &format!("{id:?} is not a golden id"),
                    ));
                }
                Err(status) => return Err(status),
            }
        }
        Ok(Response::new(v1::BatchGetProfilesResponse {
            profiles,
            not_found_ids,
        }))
    }
}
