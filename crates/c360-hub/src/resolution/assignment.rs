//! Clusters → golden records, keeping ids stable.
//!
//! Each golden record is claimed by the cluster holding most of its records
//! (ties: the cluster with the earliest record). A cluster keeps the oldest
//! golden id it claims and absorbs the others (they redirect to it); a
//! cluster that claims none gets a new id — a brand-new customer, or the part
//! split off a golden record. Records whose golden id changes get a new
//! membership; every golden record touched is rewritten.

use std::collections::{BTreeMap, HashMap};

use c360_store::AnyConnection;
use c360_store::repo::golden_records;
use c360_store::repo::source_records::{self, MemberRecord, MembershipRow};
use c360_store::time::to_micros;
use serde_json::json;

use super::realtime::Resolved;
use crate::error::HubResult;
use crate::golden_writer::GoldenChange;
use crate::hub::Hub;
use crate::ingest::IngestOutcome;

/// A record stored by this call, with what a fresh golden record needs.
pub(crate) struct NewMember<'a> {
    pub record: &'a c360_model::SourceRecord,
    pub normalized: &'a c360_model::NormalizedRecord,
}

impl Hub {
    pub(crate) async fn apply_assignment(
        &self,
        connection: &mut AnyConnection,
        resolved: Resolved,
        new_members: &HashMap<i64, NewMember<'_>>,
        actor: &str,
        now: i64,
        outcome: &mut IngestOutcome,
    ) -> HubResult<()> {
        let Resolved {
            clusters,
            golden_of,
            reason_of,
            changed,
        } = resolved;
        let mut all_goldens: Vec<String> = golden_of.values().flatten().cloned().collect();
        all_goldens.sort_unstable();
        all_goldens.dedup();
        let created_at = golden_records::created_at_of(connection, &all_goldens).await?;

        // Claims: golden → the cluster holding most of its records.
        let mut counts: BTreeMap<(String, usize), usize> = BTreeMap::new();
        for (index, cluster) in clusters.iter().enumerate() {
            for id in cluster {
                if let Some(Some(golden)) = golden_of.get(id)
                    && created_at.contains_key(golden)
                {
                    *counts.entry((golden.clone(), index)).or_default() += 1;
                }
            }
        }
        let mut claim: HashMap<String, (usize, usize)> = HashMap::new();
        for ((golden, index), count) in counts {
            let better = claim.get(&golden).is_none_or(|(best_count, best_index)| {
                count > *best_count || (count == *best_count && index < *best_index)
            });
            if better {
                claim.insert(golden, (count, index));
            }
        }

        let mut memberships = Vec::new();
        let mut fresh = Vec::new();
        let mut changes: BTreeMap<String, GoldenChange> = BTreeMap::new();
        for (index, cluster) in clusters.iter().enumerate() {
            let mut claimed: Vec<&String> = claim
                .iter()
                .filter(|(_, (_, cluster_index))| *cluster_index == index)
                .map(|(golden, _)| golden)
                .collect();
            claimed.sort_by_key(|id| {
                (
                    created_at.get(*id).copied().unwrap_or(i64::MAX),
                    (*id).clone(),
                )
            });
            let moved: Vec<i64> = cluster
                .iter()
                .copied()
                .filter(|id| {
                    new_members.contains_key(id)
                        || changed.contains(id)
                        || golden_of.get(id).cloned().flatten().as_ref() != claimed.first().copied()
                })
                .collect();
            let (survivor, change) = match claimed.split_first() {
                None => {
                    outcome.golden_created += 1;
                    let id = c360_model::GoldenId::mint().to_string();
                    let split = cluster
                        .iter()
                        .any(|record| !new_members.contains_key(record));
                    let detail = json!({ "records": cluster });
                    let action = if split { "split" } else { "created" };
                    (id, GoldenChange { action, detail })
                }
                Some((survivor, [])) => (
                    (*survivor).clone(),
                    GoldenChange {
                        action: "updated",
                        detail: json!({ "changed_records": moved }),
                    },
                ),
                Some((survivor, absorbed)) => {
                    let absorbed: Vec<String> = absorbed.iter().map(|id| (*id).clone()).collect();
                    self.absorb_goldens(
                        connection,
                        &absorbed,
                        survivor,
                        json!(moved),
                        actor,
                        now,
                        outcome,
                    )
                    .await?;
                    (
                        (*survivor).clone(),
                        GoldenChange {
                            action: "merged",
                            detail: json!({ "absorbed": absorbed, "by_records": moved }),
                        },
                    )
                }
            };
            let minted = claimed.is_empty();
            let all_new = cluster.iter().all(|id| new_members.contains_key(id));
            for id in &moved {
                let reason = reason_of.get(id).cloned().unwrap_or_else(|| {
                    if cluster.len() > 1 {
                        "clustered".to_owned()
                    } else {
                        "new".to_owned()
                    }
                });
                if minted
                    && all_new
                    && let Some(member) = new_members.get(id)
                {
                    fresh.push(MemberRecord {
                        id: *id,
                        record: member.record.clone(),
                        normalized: member.normalized.clone(),
                        source_updated_at: member.record.updated_at.map(to_micros),
                        first_seen: now,
                        last_seen: now,
                        last_changed: now,
                        golden_id: survivor.clone(),
                        linked_by: reason.clone(),
                    });
                }
                memberships.push(MembershipRow {
                    record_id: *id,
                    golden_id: survivor.clone(),
                    linked_by: reason,
                });
                // The golden record a moved record left changes too.
                if let Some(Some(previous)) = golden_of.get(id)
                    && *previous != survivor
                    && claim.contains_key(previous)
                {
                    changes.entry(previous.clone()).or_insert(GoldenChange {
                        action: "record_moved_out",
                        detail: json!({ "record": id, "to": survivor }),
                    });
                }
            }
            if !moved.is_empty() || claimed.len() > 1 {
                changes.insert(survivor, change);
            }
        }
        source_records::upsert_memberships(connection, &memberships, now).await?;
        let rewritten = self
            .rewrite_goldens(connection, changes, fresh, actor, now)
            .await?;
        outcome.affected_golden_ids.extend(rewritten);
        Ok(())
    }
}
