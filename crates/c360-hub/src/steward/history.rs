//! What happened to a golden record and where its values come from: the
//! audit log (append-only, every automatic and manual change with who,
//! when, what, why and before/after) by page, and the lineage of each
//! attribute with the pins that decided some of them.

use c360_model::{GoldenId, SourceKey};
use c360_store::repo::audit_log::AuditEntry;
use c360_store::repo::golden_records::{self, LineageRow};
use c360_store::repo::steward::{self, PinRow};
use c360_store::time::now_micros;
use tracing::instrument;

use crate::error::{HubError, HubResult};
use crate::hub::Hub;
use crate::page_token;

const DEFAULT_AUDIT_PAGE: i64 = 100;
const MAX_AUDIT_PAGE: i64 = 1_000;

/// A page of audit entries, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    /// (entry id, entry).
    pub entries: Vec<(i64, AuditEntry)>,
    /// Empty on the last page.
    pub next_page_token: String,
}

/// The pin behind a lineage entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinnedLineage {
    pub actor: String,
    pub reason: String,
    pub expires_at: Option<i64>,
}

/// A golden record's lineage.
#[derive(Debug, Clone)]
pub struct LineageView {
    pub golden_id: String,
    pub version: i64,
    /// Each entry with its record (`None` for a steward's own value) and pin.
    pub entries: Vec<(LineageRow, Option<SourceKey>, Option<PinnedLineage>)>,
}

impl Hub {
    /// The audit log of the golden id as given: an id merged away keeps its
    /// own history (its last entry says where it went).
    #[instrument(name = "steward.audit_log", skip(self))]
    pub async fn audit_log(
        &self,
        golden_id: &str,
        page_size: i64,
        page_token: &str,
    ) -> HubResult<AuditPage> {
        let id = GoldenId::parse(golden_id)
            .map_err(|error| HubError::invalid("golden_id", error.reason()))?;
        let limit = match page_size {
            0 => DEFAULT_AUDIT_PAGE,
            size if (1..=MAX_AUDIT_PAGE).contains(&size) => size,
            size => {
                return Err(HubError::invalid(
                    "page_size",
                    format!("{size} is outside 1..={MAX_AUDIT_PAGE}"),
                ));
            }
        };
        let after = if page_token.is_empty() {
            0
        } else {
            page_token::decode(page_token, 1)?[0]
                .parse::<i64>()
                .map_err(|_| {
                    HubError::invalid("page_token", "not a token returned by a previous page")
                })?
        };
        let mut connection = self.read_connection().await?;
        let mut rows = steward::audit_page(&mut connection, id.as_str(), after, limit + 1).await?;
        if rows.is_empty() && after == 0 {
            return Err(HubError::not_found(format!("golden record {id}")));
        }
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_page_token = match rows.last() {
            Some(last) if more => page_token::encode(&[&last.id.to_string()]),
            _ => String::new(),
        };
        Ok(AuditPage {
            entries: rows.into_iter().map(|row| (row.id, row.entry)).collect(),
            next_page_token,
        })
    }

    /// Where each attribute value of a golden record came from (an id merged
    /// away answers for its survivor).
    #[instrument(name = "steward.lineage", skip(self))]
    pub async fn lineage(&self, golden_id: &str) -> HubResult<LineageView> {
        let mut connection = self.read_connection().await?;
        let live = super::live_golden(&mut connection, "golden_id", golden_id).await?;
        let Some(golden) = golden_records::get(&mut connection, &live).await? else {
            return Err(HubError::not_found(format!("golden record {live}")));
        };
        let rows = golden_records::lineage_of(&mut connection, &live).await?;
        let record_ids: Vec<i64> = rows
            .iter()
            .map(|row| row.record_id)
            .filter(|id| *id > 0)
            .collect();
        let records = steward::record_refs(&mut connection, &record_ids).await?;
        let pins: Vec<PinRow> =
            steward::pins_of(&mut connection, std::slice::from_ref(&live), now_micros()).await?;
        let entries = rows
            .into_iter()
            .map(|row| {
                let key = records.get(&row.record_id).map(|record| {
                    SourceKey::new(record.source.clone(), record.external_id.clone())
                });
                let pin = (row.rule == "steward_pin")
                    .then(|| pins.iter().find(|pin| pin.attribute == row.attribute))
                    .flatten()
                    .map(|pin| PinnedLineage {
                        actor: pin.actor.clone(),
                        reason: pin.reason.clone(),
                        expires_at: pin.expires_at,
                    });
                (row, key, pin)
            })
            .collect();
        Ok(LineageView {
            golden_id: live,
            version: golden.version,
            entries,
        })
    }
}
