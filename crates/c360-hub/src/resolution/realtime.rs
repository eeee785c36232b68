//! Real-time matching of changed records against the persisted index.
//!
//! Per changed record (in arrival order): its blocking keys find earlier
//! carriers, a full block finding none, exactly as batch blocking does; the
//! pairs are scored; links are stored with their explanations; then the
//! connected component the changed records touch (through stored links and
//! their golden records' members) is re-clustered from scratch. Review-band
//! pairs and refused links become review tasks.

use std::collections::{BTreeSet, HashMap, HashSet};

use c360_match::PreparedRecord;
use c360_match::cluster::{Constraints, Link, Refusal};
use c360_match::decision::Decision;
use c360_model::{NormalizedRecord, SourceRecord};
use c360_store::AnyConnection;
use c360_store::repo::block_keys;
use c360_store::repo::matching::{self, LinkRow, ReviewRow};
use c360_store::repo::source_records;

use super::BLOCK_KEY_PREFIX;
use crate::error::HubResult;
use crate::hub::Hub;
use crate::matching::{IndexKey, keys};

/// A record this call stored or changed.
pub(crate) struct ChangedRecord<'a> {
    pub id: i64,
    pub record: &'a SourceRecord,
    pub normalized: &'a NormalizedRecord,
    /// The deterministic lookup keys (e-mail, phone, cross-reference).
    pub index: Vec<IndexKey>,
    /// True when the record was stored (and indexed) before this call.
    pub stored_before: bool,
}

/// What real-time matching decided, for the golden-record assignment.
pub(crate) struct Resolved {
    pub clusters: Vec<Vec<i64>>,
    /// Current golden record of every record in the component.
    pub golden_of: HashMap<i64, Option<String>>,
    /// Why each changed record joined its cluster (its strongest link).
    pub reason_of: HashMap<i64, String>,
    /// Records whose content changed: their golden records are rewritten.
    pub changed: HashSet<i64>,
}

impl Hub {
    pub(crate) async fn resolve_changed(
        &self,
        connection: &mut AnyConnection,
        changed: &[ChangedRecord<'_>],
        now: i64,
    ) -> HubResult<Resolved> {
        let engine = self.engine(connection).await?;
        let cap = engine.max_block_size();
        let changed_ids: HashSet<i64> = changed.iter().map(|item| item.id).collect();
        let mut prepared: HashMap<i64, PreparedRecord> = changed
            .iter()
            .map(|item| {
                let view = self.match_record(item.record, item.normalized);
                (item.id, engine.prepare(&view))
            })
            .collect();
        let mut record_keys: Vec<(i64, Vec<String>)> = changed
            .iter()
            .map(|item| {
                let keys = prepared
                    .get(&item.id)
                    .map(|record| engine.keys(record))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|key| format!("{BLOCK_KEY_PREFIX}{key}"))
                    .collect();
                (item.id, keys)
            })
            .collect();
        record_keys.sort_unstable_by_key(|(id, _)| *id);

        // Earlier carriers of every key, read before this call's keys are written.
        let mut all_keys: Vec<String> = record_keys
            .iter()
            .flat_map(|(_, keys)| keys.clone())
            .collect();
        all_keys.sort_unstable();
        all_keys.dedup();
        let mut carriers: HashMap<String, Vec<i64>> = HashMap::new();
        for (key, record) in block_keys::carriers(connection, &all_keys, cap as i64).await? {
            if !changed_ids.contains(&record) {
                carriers.entry(key).or_default().push(record);
            }
        }
        for (id, keys) in &record_keys {
            for key in keys {
                carriers.entry(key.clone()).or_default().push(*id);
            }
        }
        for list in carriers.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        let mut pairs: BTreeSet<(i64, i64)> = BTreeSet::new();
        for (id, keys) in &record_keys {
            for key in keys {
                let earlier: Vec<i64> = carriers
                    .get(key)
                    .map(|list| list.iter().copied().filter(|other| other < id).collect())
                    .unwrap_or_default();
                if earlier.len() >= cap {
                    continue;
                }
                pairs.extend(earlier.into_iter().map(|other| (other, *id)));
            }
        }

        // Cross-references are statements by a source: always links.
        let mut references: Vec<String> = changed
            .iter()
            .flat_map(|item| item.index.iter())
            .filter(|key| key.linkable && key.key.starts_with(keys::REFERENCE))
            .map(|key| key.key.clone())
            .collect();
        references.sort_unstable();
        references.dedup();
        let per_key = self.inner.config.matching.max_candidates_per_key;
        let mut always: Vec<(i64, i64)> = Vec::new();
        let mut by_reference: HashMap<String, Vec<i64>> = HashMap::new();
        for (key, record) in block_keys::carriers(connection, &references, per_key).await? {
            by_reference.entry(key).or_default().push(record);
        }
        for item in changed {
            for key in item
                .index
                .iter()
                .filter(|key| key.linkable && key.key.starts_with(keys::REFERENCE))
            {
                by_reference
                    .entry(key.key.clone())
                    .or_default()
                    .push(item.id);
            }
        }
        for list in by_reference.values_mut() {
            list.sort_unstable();
            list.dedup();
            if let Some((first, rest)) = list.split_first() {
                always.extend(rest.iter().map(|other| (*first, *other)));
            }
        }

        // The index now holds this call's keys.
        let index_rows: Vec<(String, i64)> = changed
            .iter()
            .flat_map(|item| item.index.iter().map(move |key| (key.key.clone(), item.id)))
            .chain(
                record_keys
                    .iter()
                    .flat_map(|(id, keys)| keys.iter().map(move |key| (key.clone(), *id))),
            )
            .collect();
        let previously: Vec<i64> = changed
            .iter()
            .filter(|item| item.stored_before)
            .map(|item| item.id)
            .collect();
        block_keys::replace_for_records(connection, &previously, &index_rows).await?;

        // Score the pairs.
        let mut stored_needed: Vec<i64> = pairs
            .iter()
            .flat_map(|(a, b)| [*a, *b])
            .filter(|id| !prepared.contains_key(id))
            .collect();
        stored_needed.sort_unstable();
        stored_needed.dedup();
        let mut golden_of: HashMap<i64, Option<String>> =
            changed.iter().map(|item| (item.id, None)).collect();
        self.load_prepared(
            connection,
            &engine,
            &stored_needed,
            &mut prepared,
            &mut golden_of,
        )
        .await?;
        let mut links = Vec::new();
        let mut review_band = Vec::new();
        for (a, b) in &pairs {
            let (Some(left), Some(right)) = (prepared.get(a), prepared.get(b)) else {
                continue;
            };
            let probability = engine.probability(left, right);
            let decision = engine.decide(probability);
            if decision == Decision::NoLink {
                continue;
            }
            let explanation =
                serde_json::to_string(&engine.explain(left, right)).unwrap_or_default();
            let row = LinkRow {
                left: *a,
                right: *b,
                probability,
                explanation,
            };
            if decision == Decision::Link {
                links.push(row);
            } else {
                review_band.push(row);
            }
        }
        links.extend(always.iter().map(|(a, b)| LinkRow {
            left: *a,
            right: *b,
            probability: 1.0,
            explanation: serde_json::json!({ "cross_reference": true }).to_string(),
        }));
        matching::delete_links_of(connection, &previously).await?;
        matching::insert_links(connection, &links, now).await?;
        let mut reason_of: HashMap<i64, String> = HashMap::new();
        let mut strongest: HashMap<i64, f64> = HashMap::new();
        for link in &links {
            for id in [link.left, link.right] {
                if changed_ids.contains(&id)
                    && strongest
                        .get(&id)
                        .is_none_or(|best| *best < link.probability)
                {
                    strongest.insert(id, link.probability);
                    reason_of.insert(id, format!("match p={:.4}", link.probability));
                }
            }
        }

        // The component: links and golden-record membership, to a fixed point.
        let mut component: BTreeSet<i64> = changed_ids.iter().copied().collect();
        let mut edges: HashMap<(i64, i64), f64> = HashMap::new();
        let mut frontier: Vec<i64> = component.iter().copied().collect();
        let mut seen_goldens: HashSet<String> = HashSet::new();
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for (left, right, probability) in
                matching::links_touching(connection, &frontier).await?
            {
                edges.insert((left, right), probability);
                for id in [left, right] {
                    if component.insert(id) {
                        next.push(id);
                    }
                }
            }
            let mut unknown: Vec<i64> = frontier
                .iter()
                .chain(&next)
                .copied()
                .filter(|id| !prepared.contains_key(id))
                .collect();
            unknown.sort_unstable();
            unknown.dedup();
            self.load_prepared(connection, &engine, &unknown, &mut prepared, &mut golden_of)
                .await?;
            let goldens: Vec<String> = component
                .iter()
                .filter_map(|id| golden_of.get(id).cloned().flatten())
                .filter(|golden| seen_goldens.insert(golden.clone()))
                .collect();
            for member in source_records::members_of(connection, &goldens).await? {
                if component.insert(member.id) {
                    next.push(member.id);
                }
            }
            frontier = next;
        }
        // Previous goldens of changed records that were stored before, in one read.
        for input in matching::inputs(connection, &previously).await? {
            if input.golden_id.is_some() {
                golden_of.insert(input.record_id, input.golden_id);
            }
        }

        // Deleted records keep their old links until re-matched; they take no part.
        component.retain(|id| prepared.contains_key(id));
        edges.retain(|(left, right), _| component.contains(left) && component.contains(right));
        let mut constraints = Constraints::default();
        let members: Vec<i64> = component.iter().copied().collect();
        for (left, right, kind) in matching::constraints_touching(connection, &members).await? {
            if kind == "never" {
                constraints.never(left as u64, right as u64);
            } else {
                constraints.always(left as u64, right as u64);
            }
        }
        let component_links: Vec<Link> = edges
            .iter()
            .map(|((left, right), probability)| Link {
                left: *left as u64,
                right: *right as u64,
                probability: *probability,
            })
            .collect();
        let ids: Vec<u64> = members.iter().map(|id| *id as u64).collect();
        let record_of = |id: u64| prepared.get(&(id as i64));
        let clustering = engine.cluster_component(&ids, &component_links, &constraints, &record_of);

        // Review tasks: review-band pairs left apart and links not followed.
        let mut cluster_index: HashMap<i64, usize> = HashMap::new();
        for (index, cluster) in clustering.clusters.iter().enumerate() {
            for id in cluster {
                cluster_index.insert(*id as i64, index);
            }
        }
        let apart = |a: i64, b: i64| cluster_index.get(&a) != cluster_index.get(&b);
        let mut reviews: Vec<ReviewRow> = review_band
            .into_iter()
            .filter(|row| apart(row.left, row.right))
            .map(|link| ReviewRow {
                kind: "potential_match".into(),
                link,
                reason: "review_band".into(),
            })
            .collect();
        for (link, refusal) in &clustering.refused {
            // A steward kept exactly these two apart (a keep-apart decision
            // or a split), or neither record changed since the refusal was
            // last raised: the question is answered or already queued.
            let (left_id, right_id) = (link.left as i64, link.right as i64);
            if *refusal == Refusal::NeverMatch
                && (constraints.is_never(link.left, link.right)
                    || !(changed_ids.contains(&left_id) || changed_ids.contains(&right_id)))
            {
                continue;
            }
            // Explained below, once per task kept: a dense component refuses
            // thousands of links that collapse to a few tasks.
            reviews.push(ReviewRow {
                kind: "potential_match".into(),
                link: LinkRow {
                    left: left_id,
                    right: right_id,
                    probability: link.probability,
                    explanation: String::new(),
                },
                reason: match refusal {
                    Refusal::NeverMatch => "never_match".into(),
                    Refusal::WeakChain => "weak_chain".into(),
                },
            });
        }
        let mut reviews = super::review::strongest_per_cluster_pair(reviews, |id| {
            cluster_index.get(&id).copied()
        });
        for row in reviews
            .iter_mut()
            .filter(|row| row.link.explanation.is_empty())
        {
            if let (Some(left), Some(right)) =
                (prepared.get(&row.link.left), prepared.get(&row.link.right))
            {
                row.link.explanation =
                    serde_json::to_string(&engine.explain(left, right)).unwrap_or_default();
            }
        }
        matching::open_review_tasks(connection, &reviews, now).await?;
        let together: Vec<(i64, i64)> = edges
            .keys()
            .copied()
            .filter(|(a, b)| !apart(*a, *b))
            .collect();
        matching::close_review_tasks(connection, &together, "merged", now).await?;

        let clusters = clustering
            .clusters
            .into_iter()
            .map(|cluster| cluster.into_iter().map(|id| id as i64).collect())
            .collect();
        Ok(Resolved {
            clusters,
            golden_of,
            reason_of,
            changed: changed_ids,
        })
    }

    /// Loads and prepares stored records, noting their golden records.
    async fn load_prepared(
        &self,
        connection: &mut AnyConnection,
        engine: &c360_match::batch::Engine,
        ids: &[i64],
        prepared: &mut HashMap<i64, PreparedRecord>,
        golden_of: &mut HashMap<i64, Option<String>>,
    ) -> HubResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        for input in matching::inputs(connection, ids).await? {
            let view = self.match_record(&input.record, &input.normalized);
            prepared.insert(input.record_id, engine.prepare(&view));
            golden_of.insert(input.record_id, input.golden_id);
        }
        Ok(())
    }
}
