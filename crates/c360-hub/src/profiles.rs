//! Reading unified profiles: by golden id (following merges), by e-mail,
//! phone or source id, by search, and as incremental listings.

use std::collections::{BTreeMap, HashMap};

use c360_model::normalize::{comparison_key, normalize_email, normalize_phone};
use c360_model::{ActivityKind, GoldenId, SourceKey};
use c360_store::AnyConnection;
use c360_store::repo::activities::{self, TimelineRow};
use c360_store::repo::block_keys;
use c360_store::repo::golden_records;
pub use c360_store::repo::golden_records::GoldenRow;
use c360_store::repo::search_terms;
use c360_store::repo::source_records::{self, CrosswalkRow};
use tracing::instrument;

use crate::error::{HubError, HubResult};
use crate::hub::Hub;
use crate::matching::keys;
use crate::page_token;

/// At-a-glance answers about a customer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileSummary {
    pub customer_since: Option<i64>,
    pub last_order_at: Option<i64>,
    pub last_order_summary: String,
    pub order_count: i64,
    /// Revenue to date per currency: orders + paid invoices − refunds.
    pub revenue: BTreeMap<String, i64>,
    pub last_contact_at: Option<i64>,
    pub current_plan: String,
    pub open_tickets: i64,
}

/// Everything a profile shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileView {
    pub golden: GoldenRow,
    pub crosswalk: Vec<CrosswalkRow>,
    pub timeline: Vec<TimelineRow>,
    pub summary: ProfileSummary,
    pub merged_ids: Vec<String>,
}

/// A profile fetched by id, saying whether the id was redirected.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundProfile {
    pub requested_id: String,
    pub redirected: bool,
    pub profile: ProfileView,
}

/// How to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMode {
    Prefix,
    Fuzzy,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub golden: GoldenRow,
    pub score: f64,
    pub matched_field: String,
}

/// Most golden records a fuzzy search scores.
const FUZZY_CANDIDATES: i64 = 20_000;
/// Least Jaro-Winkler similarity a fuzzy hit needs.
const FUZZY_THRESHOLD: f64 = 0.80;

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

    /// Several profiles; ids that resolve to nothing are returned apart.
    pub async fn batch_get_profiles(
        &self,
        golden_ids: &[String],
    ) -> HubResult<(Vec<FoundProfile>, Vec<String>)> {
        let mut found = Vec::with_capacity(golden_ids.len());
        let mut missing = Vec::new();
        for id in golden_ids {
            match self.get_profile(id).await {
                Ok(profile) => found.push(profile),
                Err(HubError::NotFound { .. }) => missing.push(id.clone()),
                Err(error) => return Err(error),
            }
        }
        Ok((found, missing))
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
    pub async fn search_profiles(
        &self,
        query: &str,
        mode: SearchMode,
        page_size: i64,
        page_token: &str,
    ) -> HubResult<(Vec<SearchHit>, String)> {
        let folded = search_key(query, &self.inner.config.normalize.text);
        if folded.is_empty() {
            return Err(HubError::invalid("query", "must not be empty"));
        }
        let mut connection = self.read_connection().await?;
        match mode {
            SearchMode::Prefix => {
                self.search_prefix(&mut connection, &folded, page_size, page_token)
                    .await
            }
            SearchMode::Fuzzy => {
                self.search_fuzzy(&mut connection, &folded, page_size, page_token)
                    .await
            }
        }
    }

    async fn search_prefix(
        &self,
        connection: &mut AnyConnection,
        prefix: &str,
        page_size: i64,
        page_token: &str,
    ) -> HubResult<(Vec<SearchHit>, String)> {
        let mut after = if page_token.is_empty() {
            None
        } else {
            let parts = page_token::decode(page_token, 2)?;
            Some((parts[0].clone(), parts[1].clone()))
        };
        let high = format!("{prefix}{}", char::MAX);
        let mut hits: Vec<(String, String)> = Vec::new();
        let wanted = usize::try_from(page_size).unwrap_or(20);
        let mut exhausted = false;
        // A golden record can hold several matching terms: read until the page
        // has `page_size` distinct records.
        while hits.len() < wanted && !exhausted {
            let rows = search_terms::range(connection, prefix, &high, after.clone(), page_size * 2)
                .await?;
            exhausted = rows.len() < usize::try_from(page_size * 2).unwrap_or(0);
            for row in rows {
                after = Some((row.term.clone(), row.golden_id.clone()));
                if !hits.iter().any(|(id, _)| *id == row.golden_id) {
                    hits.push((row.golden_id, row.field));
                    if hits.len() == wanted {
                        break;
                    }
                }
            }
        }
        let ids: Vec<String> = hits.iter().map(|(id, _)| id.clone()).collect();
        let rows: HashMap<String, GoldenRow> = golden_records::get_many(connection, &ids)
            .await?
            .into_iter()
            .map(|row| (row.id.clone(), row))
            .collect();
        let results = hits
            .into_iter()
            .filter_map(|(id, field)| {
                rows.get(&id).map(|golden| SearchHit {
                    golden: golden.clone(),
                    score: 1.0,
                    matched_field: field,
                })
            })
            .collect::<Vec<_>>();
        let next = match (&after, exhausted && results.len() < wanted) {
            (Some((term, id)), false) if results.len() == wanted => page_token::encode(&[term, id]),
            _ => String::new(),
        };
        Ok((results, next))
    }

    async fn search_fuzzy(
        &self,
        connection: &mut AnyConnection,
        query: &str,
        page_size: i64,
        page_token: &str,
    ) -> HubResult<(Vec<SearchHit>, String)> {
        let offset = if page_token.is_empty() {
            0
        } else {
            page_token::decode(page_token, 1)?[0]
                .parse::<usize>()
                .map_err(|_| {
                    HubError::invalid("page_token", "not a token returned by a previous page")
                })?
        };
        // Candidates share the query's first letter: typos rarely hit it, and it
        // keeps the scan bounded by an index range.
        let first: String = query.chars().take(1).collect();
        let high = format!("{first}{}", char::MAX);
        let rows = search_terms::range(connection, &first, &high, None, FUZZY_CANDIDATES).await?;
        let mut best: HashMap<String, (f64, String)> = HashMap::new();
        for row in rows.into_iter().filter(|row| row.field == "name") {
            let score = strsim::jaro_winkler(query, &row.term);
            if score < FUZZY_THRESHOLD {
                continue;
            }
            let entry = best.entry(row.golden_id).or_insert((0.0, row.field));
            entry.0 = entry.0.max(score);
        }
        let mut ranked: Vec<(String, f64, String)> = best
            .into_iter()
            .map(|(id, (score, field))| (id, score, field))
            .collect();
        ranked.sort_by(|left, right| {
            right
                .1
                .total_cmp(&left.1)
                .then_with(|| left.0.cmp(&right.0))
        });
        let size = usize::try_from(page_size).unwrap_or(20);
        let page: Vec<(String, f64, String)> =
            ranked.iter().skip(offset).take(size).cloned().collect();
        let ids: Vec<String> = page.iter().map(|(id, _, _)| id.clone()).collect();
        let rows: HashMap<String, GoldenRow> = golden_records::get_many(connection, &ids)
            .await?
            .into_iter()
            .map(|row| (row.id.clone(), row))
            .collect();
        let hits = page
            .into_iter()
            .filter_map(|(id, score, field)| {
                rows.get(&id).map(|golden| SearchHit {
                    golden: golden.clone(),
                    score,
                    matched_field: field,
                })
            })
            .collect();
        let next = if offset + size < ranked.len() {
            page_token::encode(&[&(offset + size).to_string()])
        } else {
            String::new()
        };
        Ok((hits, next))
    }

    async fn read_connection(&self) -> HubResult<sqlx_connection::Pooled> {
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
        Ok(ProfileView {
            golden,
            crosswalk,
            timeline,
            summary,
            merged_ids,
        })
    }
}

/// The pooled connection type, named once.
mod sqlx_connection {
    pub type Pooled = c360_store::pool::PooledConnection;
}

async fn summarize(connection: &mut AnyConnection, golden_id: &str) -> HubResult<ProfileSummary> {
    let totals = activities::totals(connection, golden_id).await?;
    let mut summary = ProfileSummary::default();
    let mut opened = 0;
    let mut solved = 0;
    for total in &totals {
        let Ok(kind) = total.kind.parse::<ActivityKind>() else {
            continue;
        };
        let currency = total.currency.clone().unwrap_or_default();
        match kind {
            ActivityKind::Order | ActivityKind::InvoicePaid | ActivityKind::SubscriptionStarted => {
                summary.customer_since = Some(
                    summary
                        .customer_since
                        .map_or(total.first_at, |since| since.min(total.first_at)),
                );
            }
            _ => {}
        }
        match kind {
            ActivityKind::Order => {
                summary.order_count += total.count;
                *summary.revenue.entry(currency).or_default() += total.amount_minor;
            }
            ActivityKind::InvoicePaid => {
                *summary.revenue.entry(currency).or_default() += total.amount_minor;
            }
            ActivityKind::Refund => {
                *summary.revenue.entry(currency).or_default() -= total.amount_minor.abs();
            }
            ActivityKind::TicketOpened => opened += total.count,
            ActivityKind::TicketSolved => solved += total.count,
            _ => {}
        }
        if matches!(
            kind,
            ActivityKind::TicketOpened
                | ActivityKind::TicketSolved
                | ActivityKind::EmailMessage
                | ActivityKind::CsatRating
                | ActivityKind::NpsResponse
        ) {
            summary.last_contact_at = Some(
                summary
                    .last_contact_at
                    .map_or(total.last_at, |at| at.max(total.last_at)),
            );
        }
    }
    summary.open_tickets = (opened - solved).max(0);
    if let Some(order) =
        activities::latest_of_kinds(connection, golden_id, &["order", "invoice_paid"]).await?
    {
        summary.last_order_at = Some(order.occurred_at);
        summary.last_order_summary = order.summary;
    }
    if let Some(subscription) = activities::latest_of_kinds(
        connection,
        golden_id,
        &["subscription_started", "subscription_cancelled"],
    )
    .await?
        && subscription.kind == "subscription_started"
    {
        summary.current_plan = subscription.summary;
    }
    Ok(summary)
}

/// The form a query is compared in: e-mail and phone terms are stored
/// lower-case as they are (`ada.l@x.org`, `+4420…`), names as comparison keys.
fn search_key(query: &str, rules: &c360_model::normalize::TextRules) -> String {
    let trimmed = query.trim();
    let looks_like_identifier =
        !trimmed.contains(char::is_whitespace) && trimmed.contains(['@', '.', '+', '_']);
    if looks_like_identifier {
        return trimmed.to_lowercase();
    }
    let key = comparison_key(trimmed, rules);
    if key.is_empty() {
        trimmed.to_lowercase()
    } else {
        key
    }
}

/// Cuts one extra row off to know whether a next page exists.
fn page_of<T>(
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
