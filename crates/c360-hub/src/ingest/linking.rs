//! Linking: which records each changed record belongs with, through the keys
//! they carry, honouring the over-merge guards and the stewards' never-match
//! constraints (a kept-apart pair is never joined, however many keys it shares).

use std::collections::{HashMap, HashSet};

use c360_model::{NormalizedRecord, SourceKey};
use c360_store::AnyConnection;
use c360_store::repo::source_records::RecordHead;
use c360_store::repo::{block_keys, matching, steward};

use super::{Keyed, subject_of};
use crate::clustering::{Clusters, Node};
use crate::error::HubResult;
use crate::hub::Hub;
use crate::matching::Decision;

impl Hub {
    /// Links the changed records to stored records and to each other, and
    /// writes their keys to the index. Returns the clusters and, per record,
    /// the reason of its first link.
    pub(super) async fn link_changed(
        &self,
        connection: &mut AnyConnection,
        record_keys: &[Keyed<'_>],
        heads: &HashMap<SourceKey, RecordHead>,
    ) -> HubResult<(Clusters, HashMap<i64, String>)> {
        let matcher = &self.inner.matcher;
        let changed_ids: HashSet<i64> = record_keys.iter().map(|(id, _, _)| *id).collect();

        // Who else carries each linkable key: stored records (read before this
        // batch's keys are written, so brand-new keys cost one index probe and
        // nothing more) and the other records of this batch.
        let mut linkable: Vec<String> = record_keys
            .iter()
            .flat_map(|(_, _, index)| index.iter())
            .filter(|key| key.linkable)
            .map(|key| key.key.clone())
            .collect();
        linkable.sort_unstable();
        linkable.dedup();
        let cap = self.inner.config.matching.max_candidates_per_key;
        let stored_carriers: Vec<(String, i64)> = block_keys::carriers(connection, &linkable, cap)
            .await?
            .into_iter()
            .filter(|(_, record)| !changed_ids.contains(record))
            .collect();
        let mut stored_ids: Vec<i64> = stored_carriers.iter().map(|(_, record)| *record).collect();
        stored_ids.sort_unstable();
        stored_ids.dedup();
        let stored: HashMap<i64, block_keys::Candidate> =
            block_keys::candidates(connection, &stored_ids)
                .await?
                .into_iter()
                .map(|candidate| (candidate.record_id, candidate))
                .collect();
        let mut carriers: HashMap<&str, Vec<Carrier<'_>>> = HashMap::new();
        for (key, record) in &stored_carriers {
            if let Some(candidate) = stored.get(record) {
                carriers.entry(key.as_str()).or_default().push(Carrier {
                    record_id: *record,
                    golden_id: candidate.golden_id.as_deref(),
                    normalized: &candidate.normalized,
                });
            }
        }
        for (id, item, index) in record_keys {
            for key in index.iter().filter(|key| key.linkable) {
                carriers.entry(key.key.as_str()).or_default().push(Carrier {
                    record_id: *id,
                    golden_id: None,
                    normalized: &item.normalized,
                });
            }
        }
        let shared = self.shared_keys(&carriers);
        let forbidden = self
            .never_pairs(connection, record_keys, heads, &stored)
            .await?;

        let index_rows: Vec<(String, i64)> = record_keys
            .iter()
            .flat_map(|(id, _, index)| index.iter().map(move |key| (key.key.clone(), *id)))
            .collect();
        // Only records stored before (and not deleted, which drops keys) have
        // old keys to clear.
        let previously_indexed: Vec<i64> = record_keys
            .iter()
            .filter(|(_, item, _)| heads.get(&item.key).is_some_and(|head| !head.deleted))
            .map(|(id, _, _)| *id)
            .collect();
        block_keys::replace_for_records(connection, &previously_indexed, &index_rows).await?;

        let mut clusters = Clusters::default();
        let mut linked_by: HashMap<i64, String> = HashMap::new();
        for (id, item, index) in record_keys {
            clusters.add(Node::Record(*id));
            if let Some(golden) = heads
                .get(&item.key)
                .filter(|head| !head.deleted)
                .and_then(|head| head.golden_id.clone())
            {
                clusters.union(Node::Record(*id), Node::Golden(golden));
            }
            let subject = subject_of(item);
            for key in index
                .iter()
                .filter(|key| key.linkable && !shared.contains(key.key.as_str()))
            {
                // Links are clustered transitively, so comparing with the
                // first `cap` carriers connects a record to all of them; this
                // keeps a key shared by thousands of batch records linear.
                let others = carriers.get(key.key.as_str()).into_iter().flatten();
                for carrier in others.take(usize::try_from(cap).unwrap_or(usize::MAX)) {
                    if carrier.record_id == *id {
                        continue;
                    }
                    if let Decision::Link { reason } =
                        matcher.compare(&subject, carrier.normalized, &key.key)
                    {
                        let other = match carrier.golden_id {
                            Some(golden) => Node::Golden(golden.to_owned()),
                            None => Node::Record(carrier.record_id),
                        };
                        // A steward's keep-apart outranks a shared identifier.
                        if clusters.union_unless(Node::Record(*id), other, &forbidden) {
                            linked_by.entry(*id).or_insert(reason);
                        }
                    }
                }
            }
        }
        Ok((clusters, linked_by))
    }

    /// The steward's `never` constraints around this batch, as cluster nodes:
    /// a changed record is its own node, a stored one is its golden record
    /// (the node links reach it through). Empty, without a lookup per batch,
    /// until some steward kept records apart.
    async fn never_pairs(
        &self,
        connection: &mut AnyConnection,
        record_keys: &[Keyed<'_>],
        heads: &HashMap<SourceKey, RecordHead>,
        stored: &HashMap<i64, block_keys::Candidate>,
    ) -> HubResult<Vec<(Node, Node)>> {
        if !steward::any_never_constraint(connection).await? {
            return Ok(Vec::new());
        }
        let changed: HashSet<i64> = record_keys.iter().map(|(id, _, _)| *id).collect();
        let mut goldens: Vec<String> = stored
            .values()
            .filter_map(|candidate| candidate.golden_id.clone())
            .chain(record_keys.iter().filter_map(|(_, item, _)| {
                heads.get(&item.key).and_then(|head| head.golden_id.clone())
            }))
            .collect();
        goldens.sort_unstable();
        goldens.dedup();
        let golden_of: HashMap<i64, String> = steward::member_ids(connection, &goldens)
            .await?
            .into_iter()
            .collect();
        let mut records: Vec<i64> = changed
            .iter()
            .copied()
            .chain(golden_of.keys().copied())
            .collect();
        records.sort_unstable();
        let node_of = |record: i64| {
            if changed.contains(&record) {
                Some(Node::Record(record))
            } else {
                golden_of
                    .get(&record)
                    .map(|golden| Node::Golden(golden.clone()))
            }
        };
        Ok(matching::constraints_touching(connection, &records)
            .await?
            .into_iter()
            .filter(|(_, _, kind)| kind == "never")
            .filter_map(|(left, right, _)| Some((node_of(left)?, node_of(right)?)))
            .collect())
    }

    /// Keys carried by more different people than the guard allows: they
    /// stop linking (the cardinality over-merge guard).
    fn shared_keys<'a>(&self, carriers: &HashMap<&'a str, Vec<Carrier<'_>>>) -> HashSet<&'a str> {
        let matcher = &self.inner.matcher;
        carriers
            .iter()
            .filter(|(_, carriers)| carriers.len() > 1)
            .filter(|(key, carriers)| {
                let people: HashSet<String> = carriers
                    .iter()
                    .filter_map(|carrier| matcher.person_key(carrier.normalized))
                    .collect();
                matcher.key_is_shared(key, people.len())
            })
            .map(|(key, _)| *key)
            .collect()
    }
}

/// A record carrying a key: stored (with its golden record) or in this batch.
struct Carrier<'a> {
    record_id: i64,
    golden_id: Option<&'a str>,
    normalized: &'a NormalizedRecord,
}
