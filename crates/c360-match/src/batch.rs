//! The engine and the batch pipeline: block → compare → (train) → score →
//! cluster, each phase parallel over both cores.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::blocking::{
    BlockingConfig, BlockingReport, BlockingRule, candidate_pairs, keys_of, unpack,
};
use crate::cluster::{self, ClusterConfig, Clustering, Constraints, Link, Refusal};
use crate::comparison::{Levels, compare};
use crate::decision::{Decision, Thresholds};
use crate::error::MatchError;
use crate::explain::Explanation;
use crate::model::{MatchModel, Scorer};
use crate::prepared::{PreparedRecord, Preparer};
use crate::record::MatchRecord;
use crate::train::{TrainingConfig, TrainingReport, train};

/// The engine's part of `[matching]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EngineConfig {
    pub blocking: BlockingConfig,
    pub thresholds: Thresholds,
    pub clustering: ClusterConfig,
    pub training: TrainingConfig,
}

/// Everything needed to match: preparation, blocking rules, model, thresholds.
#[derive(Debug, Clone)]
pub struct Engine {
    preparer: Preparer,
    rules: Vec<BlockingRule>,
    scorer: Scorer,
    config: EngineConfig,
}

impl Engine {
    pub fn new(
        config: EngineConfig,
        model: MatchModel,
        preparer: Preparer,
    ) -> Result<Self, MatchError> {
        model.validate()?;
        config.thresholds.validate()?;
        Ok(Self {
            rules: config.blocking.parse_rules()?,
            scorer: Scorer::new(model),
            preparer,
            config,
        })
    }

    /// The same engine with another model.
    pub fn with_model(&self, model: MatchModel) -> Result<Self, MatchError> {
        Self::new(self.config.clone(), model, self.preparer.clone())
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    pub fn model(&self) -> &MatchModel {
        self.scorer.model()
    }

    pub fn prepare(&self, record: &MatchRecord) -> PreparedRecord {
        self.preparer.prepare(record)
    }

    /// Prepares many records in parallel, keeping their order.
    pub fn prepare_all(&self, records: &[MatchRecord]) -> Vec<PreparedRecord> {
        records
            .par_iter()
            .map(|record| self.prepare(record))
            .collect()
    }

    /// The blocking keys of a record, under every rule.
    pub fn keys(&self, record: &PreparedRecord) -> Vec<String> {
        keys_of(&self.rules, record)
    }

    pub fn max_block_size(&self) -> usize {
        self.config.blocking.max_block_size
    }

    pub fn levels(&self, left: &PreparedRecord, right: &PreparedRecord) -> Levels {
        compare(left, right, self.preparer.nicknames())
    }

    pub fn probability(&self, left: &PreparedRecord, right: &PreparedRecord) -> f64 {
        self.scorer.probability(&self.levels(left, right), left)
    }

    pub fn explain(&self, left: &PreparedRecord, right: &PreparedRecord) -> Explanation {
        self.scorer.explain(&self.levels(left, right), left)
    }

    pub fn decide(&self, probability: f64) -> Decision {
        self.config.thresholds.decide(probability)
    }

    /// Clusters one component (see [`crate::cluster`]); `records` are looked
    /// up by id through `record_of` to score cross pairs.
    pub fn cluster_component<'r>(
        &self,
        ids: &[u64],
        links: &[Link],
        constraints: &Constraints,
        record_of: &dyn Fn(u64) -> Option<&'r PreparedRecord>,
    ) -> Clustering {
        let mut probability = |a: u64, b: u64| match (record_of(a), record_of(b)) {
            (Some(left), Some(right)) => self.probability(left, right),
            _ => 0.0,
        };
        cluster::cluster(
            ids,
            links,
            constraints,
            &self.config.clustering,
            &mut probability,
        )
    }
}

impl Engine {
    /// Pairs inside a cluster that no blocking rule generated but that score
    /// as links on their own: clustering brought them together, and every
    /// pair of a customer's records deserves its explanation. Clusters of
    /// more than [`MAX_EXPLAINED_CLUSTER`] records are skipped: their pairs
    /// grow quadratically and their blocked links explain them already.
    fn cluster_internal_links(
        &self,
        records: &[PreparedRecord],
        pairs: &[u64],
        clusters: &[Vec<u64>],
    ) -> Vec<ScoredPair> {
        clusters
            .par_iter()
            .filter(|cluster| (3..=MAX_EXPLAINED_CLUSTER).contains(&cluster.len()))
            .flat_map_iter(|cluster| {
                let mut found = Vec::new();
                for (position, left) in cluster.iter().enumerate() {
                    for right in &cluster[position + 1..] {
                        let packed = (*left << 32) | *right;
                        if pairs.binary_search(&packed).is_ok() {
                            continue;
                        }
                        let probability =
                            self.probability(&records[*left as usize], &records[*right as usize]);
                        if self.decide(probability) == Decision::Link {
                            found.push(ScoredPair {
                                left: *left,
                                right: *right,
                                probability,
                            });
                        }
                    }
                }
                found
            })
            .collect()
    }
}

/// The largest cluster whose unblocked internal pairs are scored as links.
pub const MAX_EXPLAINED_CLUSTER: usize = 64;

/// Candidate pairs of a data set with their comparison levels.
#[derive(Debug, Default)]
pub struct Candidates {
    /// Packed pairs (smaller index first), sorted.
    pub pairs: Vec<u64>,
    pub levels: Vec<Levels>,
    pub report: BlockingReport,
}

/// A scored pair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoredPair {
    pub left: u64,
    pub right: u64,
    pub probability: f64,
}

/// What a batch run decided.
#[derive(Debug, Default)]
pub struct Resolution {
    pub clusters: Vec<Vec<u64>>,
    /// Pairs at or above the link threshold.
    pub links: Vec<ScoredPair>,
    /// Pairs in the review band whose records ended in different clusters,
    /// and links the clustering refused.
    pub reviews: Vec<ScoredPair>,
    pub refused: Vec<(Link, Refusal)>,
}

impl Engine {
    /// Blocking: the candidate pairs and the per-rule report.
    pub fn block(&self, records: &[PreparedRecord]) -> (Vec<u64>, BlockingReport) {
        candidate_pairs(records, &self.rules, self.config.blocking.max_block_size)
    }

    /// Comparison levels of every candidate pair.
    pub fn compare_pairs(&self, records: &[PreparedRecord], pairs: &[u64]) -> Vec<Levels> {
        pairs
            .par_iter()
            .map(|pair| {
                let (a, b) = unpack(*pair);
                self.levels(&records[a as usize], &records[b as usize])
            })
            .collect()
    }

    /// Trains a model on the data (no labels), starting from this engine's.
    pub fn train(
        &self,
        records: &[PreparedRecord],
        levels: &[Levels],
    ) -> Result<(MatchModel, TrainingReport), MatchError> {
        train(
            records,
            levels,
            self.preparer.nicknames(),
            self.scorer.model(),
            &self.config.training,
            self.config.blocking.max_block_size,
        )
    }

    /// Match probability of every candidate pair.
    pub fn score_pairs(
        &self,
        records: &[PreparedRecord],
        pairs: &[u64],
        levels: &[Levels],
    ) -> Vec<f64> {
        pairs
            .par_iter()
            .zip(levels.par_iter())
            .map(|(pair, levels)| {
                let (a, _) = unpack(*pair);
                self.scorer.probability(levels, &records[a as usize])
            })
            .collect()
    }

    /// Decisions and clustering over scored pairs.
    pub fn resolve(
        &self,
        records: &[PreparedRecord],
        pairs: &[u64],
        probabilities: &[f64],
        constraints: &Constraints,
    ) -> Resolution {
        let mut links = Vec::new();
        let mut review_band = Vec::new();
        for (pair, probability) in pairs.iter().zip(probabilities) {
            let (a, b) = unpack(*pair);
            let scored = ScoredPair {
                left: u64::from(a),
                right: u64::from(b),
                probability: *probability,
            };
            match self.decide(*probability) {
                Decision::Link => links.push(scored),
                Decision::Review => review_band.push(scored),
                Decision::NoLink => {}
            }
        }
        let as_links: Vec<Link> = links
            .iter()
            .map(|pair| Link {
                left: pair.left,
                right: pair.right,
                probability: pair.probability,
            })
            .collect();
        // Only records with a link (or an always pair) can join anyone.
        let mut linked: Vec<u64> = as_links
            .iter()
            .flat_map(|link| [link.left, link.right])
            .chain(
                constraints
                    .always_pairs()
                    .iter()
                    .flat_map(|(a, b)| [*a, *b]),
            )
            .collect();
        linked.sort_unstable();
        linked.dedup();
        let components = cluster::components(&linked, &as_links, constraints);
        let mut by_record: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
        for (index, component) in components.iter().enumerate() {
            for id in component {
                by_record.insert(*id, index);
            }
        }
        let mut component_links: Vec<Vec<Link>> = vec![Vec::new(); components.len()];
        for link in &as_links {
            if let Some(index) = by_record.get(&link.left) {
                component_links[*index].push(*link);
            }
        }
        let record_of = |id: u64| records.get(id as usize);
        let results: Vec<Clustering> = components
            .par_iter()
            .zip(component_links.par_iter())
            .map(|(component, links)| {
                self.cluster_component(component, links, constraints, &record_of)
            })
            .collect();

        let mut cluster_of = vec![u64::MAX; records.len()];
        let mut clusters = Vec::with_capacity(records.len());
        let mut refused = Vec::new();
        for result in results {
            refused.extend(result.refused);
            clusters.extend(result.clusters);
        }
        for (index, cluster) in clusters.iter().enumerate() {
            for id in cluster {
                cluster_of[*id as usize] = index as u64;
            }
        }
        for (id, slot) in cluster_of.iter_mut().enumerate() {
            if *slot == u64::MAX {
                *slot = clusters.len() as u64;
                clusters.push(vec![id as u64]);
            }
        }
        clusters.sort_unstable_by_key(|cluster| cluster[0]);
        links.extend(self.cluster_internal_links(records, pairs, &clusters));
        let mut reviews: Vec<ScoredPair> = review_band
            .into_iter()
            .filter(|pair| cluster_of[pair.left as usize] != cluster_of[pair.right as usize])
            .collect();
        // A refused link between two records a steward kept apart asks a
        // question already answered: no review for it.
        reviews.extend(
            refused
                .iter()
                .filter(|(link, _)| !constraints.is_never(link.left, link.right))
                .map(|(link, _)| ScoredPair {
                    left: link.left,
                    right: link.right,
                    probability: link.probability,
                }),
        );
        Resolution {
            clusters,
            links,
            reviews,
            refused,
        }
    }
}
