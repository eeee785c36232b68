//! Recomputes golden records from their members and writes the result:
//! attributes (survivorship, then a steward's pins), lineage, search terms,
//! one audit entry per change, and attribute-conflict review tasks.

use std::collections::{BTreeMap, HashMap, HashSet};

use c360_model::golden::GoldenAttributes;
use c360_model::normalize::comparison_key;
use c360_store::AnyConnection;
use c360_store::repo::audit_log::{self, AuditEntry};
use c360_store::repo::golden_records::{self, GoldenWrite, LineageRow};
use c360_store::repo::search_terms;
use c360_store::repo::source_records::{self, MemberRecord};
use serde_json::{Value as Json, json};

use crate::error::{HubError, HubResult};
use crate::hub::Hub;
use crate::survivorship::Contribution;

/// Why a golden record is being rewritten; goes into its audit entry.
#[derive(Debug, Clone)]
pub struct GoldenChange {
    /// `created`, `updated`, `merged`, `record_removed` …
    pub action: &'static str,
    pub detail: Json,
}

impl Hub {
    /// Folds `absorbed` golden records into `survivor`: their members move,
    /// their ids redirect, and each gets an `absorbed` audit entry naming
    /// the records (`by_records`) that brought the merge about.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn absorb_goldens(
        &self,
        connection: &mut AnyConnection,
        absorbed: &[String],
        survivor: &str,
        by_records: Json,
        actor: &str,
        now: i64,
        outcome: &mut crate::ingest::IngestOutcome,
    ) -> HubResult<()> {
        outcome.golden_merged += absorbed.len() as u64;
        source_records::move_members(connection, absorbed, survivor).await?;
        golden_records::absorb(connection, absorbed, survivor, now).await?;
        // A steward's pins follow the customer into the survivor.
        c360_store::repo::steward::move_pins(connection, absorbed, survivor).await?;
        let entries: Vec<AuditEntry> = absorbed
            .iter()
            .map(|id| AuditEntry {
                golden_id: id.clone(),
                at: now,
                actor: actor.to_owned(),
                action: "absorbed".to_owned(),
                detail: json!({ "into": survivor, "by_records": by_records }).to_string(),
            })
            .collect();
        audit_log::append(connection, &entries).await?;
        outcome.affected_golden_ids.extend(absorbed.iter().cloned());
        Ok(())
    }

    /// Rewrites `changes`' golden records from their current members, inside
    /// the caller's transaction. Golden records left without members are
    /// retired. Returns the ids that were rewritten or retired.
    ///
    /// `fresh` holds the members of golden records minted in this
    /// transaction: they are all in memory already, so they are not read back.
    pub(crate) async fn rewrite_goldens(
        &self,
        connection: &mut AnyConnection,
        changes: BTreeMap<String, GoldenChange>,
        fresh: Vec<MemberRecord>,
        actor: &str,
        now: i64,
    ) -> HubResult<Vec<String>> {
        let ids: Vec<String> = changes.keys().cloned().collect();
        let minted: HashSet<&str> = fresh
            .iter()
            .map(|member| member.golden_id.as_str())
            .collect();
        let existing: Vec<String> = ids
            .iter()
            .filter(|id| !minted.contains(id.as_str()))
            .cloned()
            .collect();
        let before: HashMap<String, GoldenAttributes> =
            golden_records::get_many(connection, &existing)
                .await?
                .into_iter()
                .map(|row| (row.id, row.attributes))
                .collect();
        let stored = source_records::members_of(connection, &existing).await?;
        let pins = c360_store::repo::steward::pins_of(connection, &existing, now).await?;
        let mut conflicts = Vec::new();
        let mut by_golden: HashMap<&str, Vec<&MemberRecord>> = HashMap::new();
        for member in stored.iter().chain(&fresh) {
            by_golden
                .entry(member.golden_id.as_str())
                .or_default()
                .push(member);
        }

        let mut writes = Vec::with_capacity(ids.len());
        let mut lineage = Vec::new();
        let mut terms = Vec::new();
        let mut audit = Vec::with_capacity(ids.len());
        let mut live_ids = Vec::with_capacity(ids.len());
        for (golden_id, change) in &changes {
            let Some(members) = by_golden.get(golden_id.as_str()) else {
                golden_records::retire(connection, golden_id).await?;
                audit.push(AuditEntry {
                    golden_id: golden_id.clone(),
                    at: now,
                    actor: actor.to_owned(),
                    action: "retired".to_owned(),
                    detail: json!({ "cause": change.action, "detail": change.detail }).to_string(),
                });
                continue;
            };
            let contributions: Vec<Contribution<'_>> = members
                .iter()
                .map(|member| Contribution {
                    record_id: member.id,
                    record: &member.record,
                    normalized: &member.normalized,
                    observed_at: member.source_updated_at.unwrap_or(member.last_changed),
                })
                .collect();
            let mut survived = self.inner.survivorship.survive(&contributions);
            let pinned: Vec<&c360_store::repo::steward::PinRow> = pins
                .iter()
                .filter(|pin| pin.golden_id == *golden_id)
                .collect();
            crate::steward::apply_pins(&mut survived, &pinned);
            let pinned_attributes: HashSet<&str> =
                pinned.iter().map(|pin| pin.attribute.as_str()).collect();
            conflicts.extend(crate::steward::conflict_tasks(
                golden_id,
                members,
                &pinned_attributes,
            ));
            let attributes_json = serde_json::to_string(&survived.attributes).map_err(|error| {
                HubError::Internal(format!("failed to encode attributes: {error}"))
            })?;
            writes.push(GoldenWrite {
                id: golden_id.clone(),
                attributes_json,
                display_name: survived
                    .attributes
                    .name
                    .as_ref()
                    .map(|name| name.display.clone())
                    .unwrap_or_default(),
                primary_email: first_normalized(&survived.attributes.emails),
                primary_phone: first_normalized(&survived.attributes.phones),
                record_count: i64::try_from(members.len()).unwrap_or(i64::MAX),
            });
            lineage.extend(survived.lineage.iter().map(|entry| LineageRow {
                golden_id: golden_id.clone(),
                attribute: entry.attribute.as_str().to_owned(),
                ordinal: entry.ordinal,
                value: entry.value.clone(),
                normalized: entry.normalized.clone(),
                record_id: entry.record_id,
                rule: entry.rule.as_str().to_owned(),
            }));
            terms.extend(self.search_terms(golden_id, &survived.attributes));
            let mut detail = json!({
                "detail": change.detail,
                "records": members.iter().map(|member| member.record.key().to_string()).collect::<Vec<_>>(),
            });
            if let Some(diff) = attribute_diff(before.get(golden_id), &survived.attributes) {
                detail["changed"] = diff;
            }
            audit.push(AuditEntry {
                golden_id: golden_id.clone(),
                at: now,
                actor: actor.to_owned(),
                action: change.action.to_owned(),
                detail: detail.to_string(),
            });
            live_ids.push(golden_id.clone());
        }
        golden_records::upsert(connection, &writes, now).await?;
        // Only records that existed before have old rows to clear.
        let stale: Vec<String> = live_ids
            .iter()
            .filter(|id| !minted.contains(id.as_str()))
            .cloned()
            .collect();
        golden_records::replace_lineage(connection, &stale, &lineage).await?;
        search_terms::replace(connection, &stale, &terms).await?;
        audit_log::append(connection, &audit).await?;
        c360_store::repo::matching::open_review_tasks(connection, &conflicts, now).await?;
        Ok(ids)
    }

    /// Folded name tokens, the full name, and e-mails, for prefix search.
    fn search_terms(
        &self,
        golden_id: &str,
        attributes: &GoldenAttributes,
    ) -> Vec<(String, String, String)> {
        let rules = &self.inner.config.normalize.text;
        let mut terms = Vec::new();
        if let Some(name) = &attributes.name {
            let full = comparison_key(&name.display, rules);
            for token in full.split(' ').filter(|token| !token.is_empty()) {
                terms.push((token.to_owned(), golden_id.to_owned(), "name".to_owned()));
            }
            if full.contains(' ') {
                terms.push((full, golden_id.to_owned(), "name".to_owned()));
            }
        }
        for email in &attributes.emails {
            terms.push((
                email.normalized.clone(),
                golden_id.to_owned(),
                "email".to_owned(),
            ));
        }
        for phone in &attributes.phones {
            terms.push((
                phone.normalized.clone(),
                golden_id.to_owned(),
                "phone".to_owned(),
            ));
        }
        terms.sort();
        terms.dedup();
        terms
    }
}

fn first_normalized(values: &[c360_model::GoldenValue]) -> String {
    values
        .first()
        .map(|value| value.normalized.clone())
        .unwrap_or_default()
}

/// Before/after of the primary value of each attribute that changed.
fn attribute_diff(before: Option<&GoldenAttributes>, after: &GoldenAttributes) -> Option<Json> {
    let before = before?;
    let summary = |attributes: &GoldenAttributes| -> [(&'static str, Option<String>); 6] {
        [
            (
                "name",
                attributes.name.as_ref().map(|name| name.display.clone()),
            ),
            (
                "email",
                attributes.emails.first().map(|value| value.value.clone()),
            ),
            (
                "phone",
                attributes.phones.first().map(|value| value.value.clone()),
            ),
            (
                "address",
                attributes
                    .addresses
                    .first()
                    .map(|value| value.address.one_line()),
            ),
            (
                "company",
                attributes.company.as_ref().map(|value| value.value.clone()),
            ),
            (
                "birth_date",
                attributes
                    .birth_date
                    .as_ref()
                    .map(|value| value.value.clone()),
            ),
        ]
    };
    let mut diff = serde_json::Map::new();
    for ((attribute, old), (_, new)) in summary(before).into_iter().zip(summary(after)) {
        if old != new {
            diff.insert(attribute.to_owned(), json!({ "before": old, "after": new }));
        }
    }
    (!diff.is_empty()).then_some(Json::Object(diff))
}
