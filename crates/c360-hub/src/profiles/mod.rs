//! Reading unified profiles: by golden id (following merges), by e-mail,
//! phone or source id, by search, and as incremental listings.
//!
//! - [`search`]: prefix and fuzzy search.
//! - [`summary`]: the at-a-glance summary from activities.

use c360_model::normalize::{normalize_email, normalize_phone};
use c360_model::{GoldenId, SourceKey};
use c360_store::AnyConnection;
use c360_store::repo::activities::{self, TimelineRow};
use c360_store::repo::block_keys;
use c360_store::repo::golden_records;
pub use c360_store::repo::golden_records::GoldenRow;
use c360_store::repo::source_records::{self, CrosswalkRow};
use tracing::instrument;

use crate::error::{HubError, HubResult};
use crate::hub::Hub;
use crate::matching::keys;
use crate::page_token;

/// Everything a profile shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileView {
    pub golden: GoldenRow,
    pub crosswalk: Vec<CrosswalkRow>,
    pub timeline: Vec<TimelineRow>,
    pub summary: ProfileSummary,
    pub merged_ids: Vec<String>,
    /// Stored lifecycle metrics (none before the customer's first activity).
    pub lifecycle: Option<c360_lifecycle::CustomerMetrics>,
}

/// A profile fetched by id, saying whether the id was redirected.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundProfile {
    pub requested_id: String,
    pub redirected: bool,
    pub profile: ProfileView,
}

pub use search::{SearchHit, SearchMode};
pub use summary::ProfileSummary;
use summary::summarize;

mod search;
mod summary;

impl Hub {
    /// One profile; an id absorbed by a merge yields its survivor.
    #[instrument(name = "profile.get", skip(self))]
    pub async fn get_profile(&self, golden_id: &str) -> HubResult<FoundProfile> {
        let id = GoldenId::parse(golden_id)?;
        let mut connection = self.read_connection().await?;
        let Some(live) = golden_records::resolve(&mut connection, id.as_str()).await? else {
            return Err(HubError::not_found(format!("golden record {id}")));
        };
        let profile = self.load_profile(&mut connection, &live).await?;
        Ok(FoundProfile {
            redirected: live != id.as_str(),
            requested_id: id.to_string(),
            profile,
        })
    }

    /// Profiles holding an e-mail address (in any spelling).
    pub async fn lookup_by_email(&self, raw: &str) -> HubResult<Vec<ProfileView>> {
        let email = normalize_email(raw, &self.inner.config.normalize.email)
            .map_err(|error| HubError::invalid("email", error.to_string()))?;
        self.lookup_by_key(&keys::email(&email.canonical)).await
    }

    /// Profiles holding a phone number (in any format).
    pub async fn lookup_by_phone(&self, raw: &str) -> HubResult<Vec<ProfileView>> {
        let region = self.inner.config.normalize.default_region.as_deref();
        let phone = normalize_phone(raw, region)
            .map_err(|error| HubError::invalid("phone", error.to_string()))?;
        self.lookup_by_key(&keys::phone(&phone.e164)).await
    }

    /// The profile holding a source record.
    pub async fn lookup_by_source(&self, key: &SourceKey) -> HubResult<Vec<ProfileView>> {
        if key.source.trim().is_empty() {
            return Err(HubError::invalid(
                "source_record.source",
                "must not be empty",
            ));
        }
        if key.external_id.trim().is_empty() {
            return Err(HubError::invalid(
                "source_record.external_id",
                "must not be empty",
            ));
        }
        let mut connection = self.read_connection().await?;
        let golden = source_records::locate(&mut connection, key)
            .await?
            .and_then(|(_, golden)| golden);
        match golden {
            Some(golden) => Ok(vec![self.load_profile(&mut connection, &golden).await?]),
            None => Ok(Vec::new()),
        }
    }

    async fn lookup_by_key(&self, key: &str) -> HubResult<Vec<ProfileView>> {
        let mut connection = self.read_connection().await?;
        let ids = block_keys::golden_ids_with_key(&mut connection, key, 10).await?;
        let mut profiles = Vec::with_capacity(ids.len());
        for id in ids {
            profiles.push(self.load_profile(&mut connection, &id).await?);
        }
        Ok(profiles)
    }

    /// Golden records ordered by (updated_at, id), optionally changed since a time.
    pub async fn list_golden_records(
        &self,
        updated_since: Option<i64>,
        page_size: i64,
        page_token: &str,
    ) -> HubResult<(Vec<GoldenRow>, String)> {
        let after = if page_token.is_empty() {
            None
        } else {
            let parts = page_token::decode(page_token, 2)?;
            let time = parts[0].parse::<i64>().map_err(|_| {
                HubError::invalid("page_token", "not a token returned by a previous page")
            })?;
            Some((time, parts[1].clone()))
        };
        let mut connection = self.read_connection().await?;
        let rows =
            golden_records::list(&mut connection, updated_since, after, page_size + 1).await?;
        page_of(rows, page_size, |last| {
            page_token::encode(&[&last.updated_at.to_string(), &last.id])
        })
    }

    /// Profiles whose name, e-mail or phone starts with (prefix) or resembles
    /// (fuzzy) the query, compared case-, accent- and script-variant-blind.
    pub(crate) async fn read_connection(&self) -> HubResult<sqlx_connection::Pooled> {
        self.inner
            .store
            .pool()
            .acquire()
            .await
            .map_err(|error| HubError::Store(error.into()))
    }

    async fn load_profile(
        &self,
        connection: &mut AnyConnection,
        golden_id: &str,
    ) -> HubResult<ProfileView> {
        let Some(golden) = golden_records::get(connection, golden_id).await? else {
            return Err(HubError::not_found(format!("golden record {golden_id}")));
        };
        let crosswalk = source_records::crosswalk(connection, golden_id).await?;
        let timeline = activities::timeline(
            connection,
            golden_id,
            self.inner.config.profile.timeline_length,
        )
        .await?;
        let summary = summarize(connection, golden_id).await?;
        let merged_ids = golden_records::merged_into(connection, golden_id).await?;
        let lifecycle = c360_store::repo::lifecycle::get_metrics(connection, golden_id)
            .await?
            .and_then(|row| serde_json::from_str(&row.metrics).ok());
        Ok(ProfileView {
            golden,
            crosswalk,
            timeline,
            summary,
            merged_ids,
            lifecycle,
        })
    }
}

/// The pooled connection type, named once.
mod sqlx_connection {
    pub type Pooled = c360_store::pool::PooledConnection;
}

/// Cuts one extra row off to know whether a next page exists.
pub(super) fn page_of<T>(
    mut rows: Vec<T>,
    page_size: i64,
    token_of: impl Fn(&T) -> String,
) -> HubResult<(Vec<T>, String)> {
    let size = usize::try_from(page_size).unwrap_or(0);
    if rows.len() > size {
        rows.truncate(size);
        let next = rows.last().map(token_of).unwrap_or_default();
        Ok((rows, next))
    } else {
        Ok((rows, String::new()))
    }
}
