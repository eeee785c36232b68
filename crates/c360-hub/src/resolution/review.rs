//! Which review tasks a steward sees.
//!
//! The question a steward answers is "are these two customers one?", not
//! "are these two rows one?": when two clusters of three and four records
//! are borderline, the twelve record pairs between them are one question.
//! So of all review pairs between the same two clusters only the strongest
//! becomes a task; the steward's decision on it covers the clusters.

use std::collections::HashMap;

use c360_store::repo::matching::ReviewRow;

/// Keeps, for every unordered pair of clusters, the review row with the
/// highest probability (ties go to the first seen, so the result is
/// deterministic for a deterministic input order). Rows whose records have
/// no cluster are kept as they are.
pub fn strongest_per_cluster_pair(
    rows: Vec<ReviewRow>,
    cluster_of: impl Fn(i64) -> Option<usize>,
) -> Vec<ReviewRow> {
    let mut kept: Vec<ReviewRow> = Vec::with_capacity(rows.len());
    let mut slot_of: HashMap<(usize, usize), usize> = HashMap::new();
    for row in rows {
        let (Some(a), Some(b)) = (cluster_of(row.link.left), cluster_of(row.link.right)) else {
            kept.push(row);
            continue;
        };
        let key = (a.min(b), a.max(b));
        match slot_of.get(&key) {
            Some(&slot) => {
                if row.link.probability > kept[slot].link.probability {
                    kept[slot] = row;
                }
            }
            None => {
                slot_of.insert(key, kept.len());
                kept.push(row);
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use c360_store::repo::matching::LinkRow;

    use super::*;

    fn row(left: i64, right: i64, probability: f64) -> ReviewRow {
        ReviewRow {
            kind: "potential_match".into(),
            link: LinkRow {
                left,
                right,
                probability,
                explanation: String::new(),
            },
            reason: "review_band".into(),
        }
    }

    #[test]
    fn one_task_per_pair_of_clusters_the_strongest() {
        // Clusters {1, 2} and {3, 4}; record 5 alone.
        let cluster_of = |id: i64| match id {
            1 | 2 => Some(0),
            3 | 4 => Some(1),
            5 => Some(2),
            _ => None,
        };
        let rows = vec![
            row(1, 3, 0.4),
            row(2, 4, 0.7),
            row(4, 1, 0.5),
            row(5, 1, 0.3),
            row(8, 9, 0.6),
        ];
        let kept: Vec<(i64, i64, f64)> = strongest_per_cluster_pair(rows, cluster_of)
            .iter()
            .map(|row| (row.link.left, row.link.right, row.link.probability))
            .collect();
        assert_eq!(kept, vec![(2, 4, 0.7), (5, 1, 0.3), (8, 9, 0.6)]);
    }
}
