//! Assigning clusters to golden records: mint a new one, attach to the one
//! it holds, or merge several (the oldest id survives, the others redirect).

use std::collections::{BTreeMap, HashMap};

use c360_model::SourceKey;
use c360_store::AnyConnection;
use c360_store::repo::golden_records;
use c360_store::repo::source_records::{self, MemberRecord, MembershipRow, RecordHead};
use c360_store::time::to_micros;
use serde_json::json;

use super::{IngestOutcome, Keyed, Prepared};
use crate::clustering::Clusters;
use crate::error::HubResult;
use crate::golden_writer::GoldenChange;
use crate::hub::Hub;

impl Hub {
    /// Turns clusters into golden records: mint, attach, or merge (the oldest
    /// golden id survives, the others redirect to it), then rewrites them.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn apply_clusters(
        &self,
        connection: &mut AnyConnection,
        clusters: Clusters,
        record_keys: &[Keyed<'_>],
        heads: &HashMap<SourceKey, RecordHead>,
        linked_by: HashMap<i64, String>,
        actor: &str,
        now: i64,
        outcome: &mut IngestOutcome,
    ) -> HubResult<()> {
        let clusters = clusters.into_clusters();
        let all_goldens: Vec<String> = clusters
            .iter()
            .flat_map(|cluster| cluster.goldens.iter().cloned())
            .collect();
        let created_at = golden_records::created_at_of(connection, &all_goldens).await?;
        let key_of: HashMap<i64, SourceKey> = record_keys
            .iter()
            .map(|(id, item, _)| (*id, item.key.clone()))
            .collect();

        let prepared_of: HashMap<i64, &Prepared> = record_keys
            .iter()
            .map(|(id, item, _)| (*id, *item))
            .collect();
        let mut memberships = Vec::new();
        let mut fresh = Vec::new();
        let mut changes: BTreeMap<String, GoldenChange> = BTreeMap::new();
        for cluster in clusters {
            let changed_records: Vec<i64> = cluster
                .records
                .iter()
                .copied()
                .filter(|id| key_of.contains_key(id))
                .collect();
            if changed_records.is_empty() {
                continue;
            }
            let mut goldens: Vec<&String> = cluster
                .goldens
                .iter()
                .filter(|id| created_at.contains_key(*id))
                .collect();
            goldens.sort_by_key(|id| {
                (
                    created_at.get(*id).copied().unwrap_or(i64::MAX),
                    (*id).clone(),
                )
            });
            let record_names: Vec<String> = changed_records
                .iter()
                .filter_map(|id| key_of.get(id).map(ToString::to_string))
                .collect();
            let minted = goldens.is_empty();
            let (survivor, change) = match goldens.split_first() {
                None => {
                    outcome.golden_created += 1;
                    let id = c360_model::GoldenId::mint().to_string();
                    (
                        id,
                        GoldenChange {
                            action: "created",
                            detail: json!({ "added": record_names }),
                        },
                    )
                }
                Some((survivor, [])) => (
                    (*survivor).clone(),
                    GoldenChange {
                        action: "updated",
                        detail: json!({ "changed_records": record_names }),
                    },
                ),
                Some((survivor, absorbed)) => {
                    let absorbed: Vec<String> = absorbed.iter().map(|id| (*id).clone()).collect();
                    self.absorb_goldens(
                        connection,
                        &absorbed,
                        survivor,
                        json!(record_names),
                        actor,
                        now,
                        outcome,
                    )
                    .await?;
                    (
                        (*survivor).clone(),
                        GoldenChange {
                            action: "merged",
                            detail: json!({ "absorbed": absorbed, "by_records": record_names }),
                        },
                    )
                }
            };
            for id in &changed_records {
                let previous = key_of
                    .get(id)
                    .and_then(|key| heads.get(key))
                    .and_then(|head| head.golden_id.clone());
                let reason = linked_by
                    .get(id)
                    .cloned()
                    .or_else(|| previous.map(|_| "kept".to_owned()))
                    .unwrap_or_else(|| "new".to_owned());
                if minted && let Some(item) = prepared_of.get(id) {
                    fresh.push(MemberRecord {
                        id: *id,
                        record: item.record.clone(),
                        normalized: item.normalized.clone(),
                        source_updated_at: item.record.updated_at.map(to_micros),
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
            }
            changes.entry(survivor).or_insert(change);
        }
        source_records::upsert_memberships(connection, &memberships, now).await?;
        let rewritten = self
            .rewrite_goldens(connection, changes, fresh, actor, now)
            .await?;
        outcome.affected_golden_ids.extend(rewritten);
        Ok(())
    }
}
