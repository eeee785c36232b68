//! Accuracy against ground truth: pairwise precision / recall / F1 (of links
//! or of the pairs clusters imply) and B-cubed cluster scores.

use std::collections::HashMap;

use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PairScores {
    pub true_positives: u64,
    pub false_positives: u64,
    pub false_negatives: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl PairScores {
    fn from_counts(true_positives: u64, predicted: u64, actual: u64) -> Self {
        let precision = ratio(true_positives, predicted);
        let recall = ratio(true_positives, actual);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Self {
            true_positives,
            false_positives: predicted - true_positives,
            false_negatives: actual - true_positives,
            precision,
            recall,
            f1,
        }
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn pairs_in(size: u64) -> u64 {
    size * size.saturating_sub(1) / 2
}

/// Scores of a set of predicted pairs (record indices) given each record's
/// true entity.
pub fn pairwise(predicted: impl IntoIterator<Item = (u64, u64)>, entity_of: &[u64]) -> PairScores {
    let mut predicted_count = 0;
    let mut true_positives = 0;
    for (a, b) in predicted {
        predicted_count += 1;
        if entity_of.get(a as usize) == entity_of.get(b as usize) {
            true_positives += 1;
        }
    }
    PairScores::from_counts(true_positives, predicted_count, true_pair_count(entity_of))
}

fn true_pair_count(entity_of: &[u64]) -> u64 {
    let mut sizes: HashMap<u64, u64> = HashMap::new();
    for entity in entity_of {
        *sizes.entry(*entity).or_default() += 1;
    }
    sizes.values().map(|size| pairs_in(*size)).sum()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ClusterScores {
    /// Pairwise scores of the pairs the clusters imply.
    pub pairwise: PairScores,
    pub bcubed_precision: f64,
    pub bcubed_recall: f64,
    pub bcubed_f1: f64,
    /// Predicted clusters that are exactly one true entity.
    pub exact_clusters: u64,
    pub clusters: u64,
    pub entities: u64,
}

/// Scores a clustering (`cluster_of[record]`) against the truth.
pub fn clusters(cluster_of: &[u64], entity_of: &[u64]) -> ClusterScores {
    let mut cell: HashMap<(u64, u64), u64> = HashMap::new();
    let mut cluster_size: HashMap<u64, u64> = HashMap::new();
    let mut entity_size: HashMap<u64, u64> = HashMap::new();
    for (cluster, entity) in cluster_of.iter().zip(entity_of) {
        *cell.entry((*cluster, *entity)).or_default() += 1;
        *cluster_size.entry(*cluster).or_default() += 1;
        *entity_size.entry(*entity).or_default() += 1;
    }
    let true_positives: u64 = cell.values().map(|size| pairs_in(*size)).sum();
    let predicted: u64 = cluster_size.values().map(|size| pairs_in(*size)).sum();
    let actual: u64 = entity_size.values().map(|size| pairs_in(*size)).sum();
    let records = cluster_of.len().max(1) as f64;
    let mut precision = 0.0;
    let mut recall = 0.0;
    for ((cluster, entity), shared) in &cell {
        let shared = *shared as f64;
        // Each of the `shared` records scores shared/|cluster| and shared/|entity|.
        precision += shared * shared / cluster_size[cluster] as f64;
        recall += shared * shared / entity_size[entity] as f64;
    }
    let (precision, recall) = (precision / records, recall / records);
    let exact_clusters = cell
        .iter()
        .filter(|((cluster, entity), shared)| {
            cluster_size[cluster] == **shared && entity_size[entity] == **shared
        })
        .count() as u64;
    ClusterScores {
        pairwise: PairScores::from_counts(true_positives, predicted, actual),
        bcubed_precision: precision,
        bcubed_recall: recall,
        bcubed_f1: if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        },
        exact_clusters,
        clusters: cluster_size.len() as u64,
        entities: entity_size.len() as u64,
    }
}

/// The entity of a FEBRL-style id: `rec-<entity>-org`, `rec-<entity>-dup-<k>`.
pub fn febrl_entity(rec_id: &str) -> Option<&str> {
    let mut parts = rec_id.trim().split('-');
    match (parts.next(), parts.next()) {
        (Some("rec"), Some(entity)) if !entity.is_empty() => Some(entity),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_imperfect_clusterings() {
        let truth = [0, 0, 0, 1, 1, 2];
        let perfect = clusters(&[5, 5, 5, 7, 7, 9], &truth);
        assert_eq!(perfect.pairwise.f1, 1.0);
        assert_eq!(perfect.bcubed_f1, 1.0);
        assert_eq!(perfect.exact_clusters, 3);
        // Merge entity 1 into 0: 4 true pairs of 10 predicted.
        let merged = clusters(&[1, 1, 1, 1, 1, 2], &truth);
        assert_eq!(merged.pairwise.true_positives, 4);
        assert_eq!(merged.pairwise.false_positives, 6);
        assert!(merged.bcubed_precision < 1.0);
        assert_eq!(merged.bcubed_recall, 1.0);
    }

    #[test]
    fn pairwise_counts_links() {
        let truth = [0, 0, 1, 1];
        let scores = pairwise([(0, 1), (1, 2)], &truth);
        assert_eq!(scores.true_positives, 1);
        assert_eq!(scores.false_positives, 1);
        assert_eq!(scores.false_negatives, 1);
        assert_eq!(febrl_entity("rec-552-dup-3"), Some("552"));
        assert_eq!(febrl_entity("rec-1496-org"), Some("1496"));
    }
}
