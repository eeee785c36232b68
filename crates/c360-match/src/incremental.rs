//! Real-time matching, one record at a time, with the batch's result.
//!
//! Each new record: its blocking keys find earlier carriers (a full block
//! finds none, as in batch); it is scored against them; links at or above the
//! threshold are kept; then the connected component it belongs to is
//! re-clustered from scratch with [`Engine::cluster_component`]. Because the
//! clustering of a component depends only on its records and links, the final
//! clusters equal the batch's. The hub runs the same steps against its
//! persisted key index; this in-memory form is the reference and its test.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::batch::Engine;
use crate::blocking::KeyIndex;
use crate::cluster::{Constraints, Link};
use crate::decision::Decision;
use crate::prepared::PreparedRecord;

#[derive(Debug)]
pub struct IncrementalMatcher<'e> {
    engine: &'e Engine,
    records: Vec<PreparedRecord>,
    index: KeyIndex,
    links: HashMap<u64, Vec<Link>>,
    /// Per record, the smallest id of its cluster.
    cluster_of: Vec<u64>,
    constraints: Constraints,
}

impl<'e> IncrementalMatcher<'e> {
    pub fn new(engine: &'e Engine, constraints: Constraints) -> Self {
        Self {
            engine,
            records: Vec::new(),
            index: KeyIndex::default(),
            links: HashMap::new(),
            cluster_of: Vec::new(),
            constraints,
        }
    }

    /// Adds a record; returns its id (arrival order).
    pub fn add(&mut self, record: PreparedRecord) -> u64 {
        let id = self.records.len() as u64;
        let keys = self.engine.keys(&record);
        for candidate in self.index.candidates(&keys, self.engine.max_block_size()) {
            let probability = self
                .engine
                .probability(&self.records[candidate as usize], &record);
            if self.engine.decide(probability) == Decision::Link {
                let link = Link {
                    left: candidate,
                    right: id,
                    probability,
                };
                self.links.entry(candidate).or_default().push(link);
                self.links.entry(id).or_default().push(link);
            }
        }
        self.index.insert(keys, id);
        self.records.push(record);
        self.cluster_of.push(id);
        self.recluster(id);
        id
    }

    fn recluster(&mut self, start: u64) {
        let mut component = vec![start];
        let mut seen: HashSet<u64> = HashSet::from([start]);
        let mut queue = VecDeque::from([start]);
        let mut links = Vec::new();
        while let Some(id) = queue.pop_front() {
            for link in self.links.get(&id).into_iter().flatten() {
                let other = if link.left == id {
                    link.right
                } else {
                    link.left
                };
                // Each link is stored at both ends: keep it once, from its left end.
                if link.left == id {
                    links.push(*link);
                }
                if seen.insert(other) {
                    component.push(other);
                    queue.push_back(other);
                }
            }
        }
        component.sort_unstable();
        let records = &self.records;
        let record_of = |id: u64| records.get(id as usize);
        let clustering =
            self.engine
                .cluster_component(&component, &links, &self.constraints, &record_of);
        for cluster in clustering.clusters {
            let representative = cluster[0];
            for id in cluster {
                self.cluster_of[id as usize] = representative;
            }
        }
    }

    /// The clusters so far, each sorted, ordered by smallest member.
    pub fn clusters(&self) -> Vec<Vec<u64>> {
        let mut groups: HashMap<u64, Vec<u64>> = HashMap::new();
        for (id, representative) in self.cluster_of.iter().enumerate() {
            groups.entry(*representative).or_default().push(id as u64);
        }
        let mut clusters: Vec<Vec<u64>> = groups.into_values().collect();
        clusters.sort_unstable_by_key(|cluster| cluster[0]);
        clusters
    }
}
