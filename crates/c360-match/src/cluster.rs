//! Clustering links into customers, without over-chaining.
//!
//! Plain connected components let one weak link chain two people's records
//! together (a shared household phone, a twin). The rule here:
//!
//! 1. Links are taken strongest first (ties by record id: deterministic).
//! 2. A link whose two sides hold a never-match pair is refused.
//! 3. When the merged cluster would have three or more records, the mean
//!    match probability over *every* cross pair of the two sides must reach
//!    `min_mean_probability`: most of the records on each side must look like
//!    most on the other, not just the two the link joins. Large sides are
//!    judged on an evenly spread sample of at most [`SAMPLE_PER_SIDE`]
//!    records each, so that one merge costs at most a few hundred pair scores
//!    however large the component; a refused pair of clusters is not
//!    re-scored for another link between them until one side grows. One exception: a
//!    single record joins through a link of at least `strong_link` on its own
//!    (a near-certain duplicate of one member, such as a later copy of the
//!    original, may differ from the other copies).
//! 4. Always-match pairs (a steward's decision, an explicit cross-reference)
//!    merge first and skip rule 3.
//!
//! The result depends only on the records and links of a connected component,
//! which is what makes batch and real-time matching agree: the real-time path
//! re-clusters the component a new record touches with this same function.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// `[matching.clustering]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    pub min_mean_probability: f64,
    pub strong_link: f64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            min_mean_probability: 0.5,
            strong_link: 0.99,
        }
    }
}

/// At most this many records of each side are scored against each other
/// when judging a merge (rule 3).
pub const SAMPLE_PER_SIDE: usize = 16;

/// Up to `count` members spread evenly over `side` (all of them when fewer).
fn spread(side: &[u64], count: usize) -> impl Iterator<Item = u64> + '_ {
    let taken = side.len().min(count);
    (0..taken).map(move |position| side[position * side.len() / taken])
}

/// A scored link between two records.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub left: u64,
    pub right: u64,
    pub probability: f64,
}

/// Steward decisions between records.
#[derive(Debug, Clone, Default)]
pub struct Constraints {
    never: HashSet<(u64, u64)>,
    always: Vec<(u64, u64)>,
}

fn ordered(a: u64, b: u64) -> (u64, u64) {
    if a <= b { (a, b) } else { (b, a) }
}

impl Constraints {
    pub fn never(&mut self, a: u64, b: u64) {
        self.never.insert(ordered(a, b));
    }

    pub fn always(&mut self, a: u64, b: u64) {
        self.always.push(ordered(a, b));
    }

    pub fn is_never(&self, a: u64, b: u64) -> bool {
        self.never.contains(&ordered(a, b))
    }

    pub fn always_pairs(&self) -> &[(u64, u64)] {
        &self.always
    }

    pub fn is_empty(&self) -> bool {
        self.never.is_empty() && self.always.is_empty()
    }
}

/// Why a link did not merge its clusters (for the review queue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Refusal {
    NeverMatch,
    WeakChain,
}

#[derive(Debug, Clone, Default)]
pub struct Clustering {
    /// Clusters, each sorted, in order of their smallest member.
    pub clusters: Vec<Vec<u64>>,
    /// Links that were not followed, and why.
    pub refused: Vec<(Link, Refusal)>,
}

/// Clusters `records` (one connected component, or several) given their links.
/// `probability(a, b)` scores any pair on demand for rule 3.
pub fn cluster(
    records: &[u64],
    links: &[Link],
    constraints: &Constraints,
    config: &ClusterConfig,
    probability: &mut dyn FnMut(u64, u64) -> f64,
) -> Clustering {
    let index: HashMap<u64, usize> = records
        .iter()
        .enumerate()
        .map(|(position, id)| (*id, position))
        .collect();
    let mut parent: Vec<usize> = (0..records.len()).collect();
    let mut members: Vec<Vec<u64>> = records.iter().map(|id| vec![*id]).collect();
    let mut refused = Vec::new();
    // Root pairs already refused as a weak chain, with their sizes then.
    let mut weak_pairs: HashMap<(usize, usize), (usize, usize)> = HashMap::new();

    let mut ordered_links: Vec<(Link, bool)> = constraints
        .always
        .iter()
        .filter(|(a, b)| index.contains_key(a) && index.contains_key(b))
        .map(|(a, b)| {
            let link = Link {
                left: *a,
                right: *b,
                probability: 1.0,
            };
            (link, true)
        })
        .collect();
    let mut scored: Vec<(Link, bool)> = links
        .iter()
        .filter(|link| index.contains_key(&link.left) && index.contains_key(&link.right))
        .map(|link| (*link, false))
        .collect();
    scored.sort_by(|(a, _), (b, _)| {
        b.probability
            .total_cmp(&a.probability)
            .then_with(|| ordered(a.left, a.right).cmp(&ordered(b.left, b.right)))
    });
    ordered_links.extend(scored);

    for (link, forced) in ordered_links {
        let (Some(&a), Some(&b)) = (index.get(&link.left), index.get(&link.right)) else {
            continue;
        };
        let (root_a, root_b) = (find(&mut parent, a), find(&mut parent, b));
        if root_a == root_b {
            continue;
        }
        let (side_a, side_b) = (&members[root_a], &members[root_b]);
        let blocked = !constraints.never.is_empty()
            && side_a
                .iter()
                .any(|x| side_b.iter().any(|y| constraints.is_never(*x, *y)));
        if blocked {
            refused.push((link, Refusal::NeverMatch));
            continue;
        }
        let single_strong =
            (side_a.len() == 1 || side_b.len() == 1) && link.probability >= config.strong_link;
        if !forced && !single_strong && side_a.len() + side_b.len() >= 3 {
            let key = (root_a.min(root_b), root_a.max(root_b));
            let sizes = (members[key.0].len(), members[key.1].len());
            if weak_pairs.get(&key) == Some(&sizes) {
                refused.push((link, Refusal::WeakChain));
                continue;
            }
            let mut total = 0.0;
            let mut scored = 0usize;
            for x in spread(side_a, SAMPLE_PER_SIDE) {
                for y in spread(side_b, SAMPLE_PER_SIDE) {
                    total += probability(x, y);
                    scored += 1;
                }
            }
            let mean = total / scored.max(1) as f64;
            if mean < config.min_mean_probability {
                weak_pairs.insert(key, sizes);
                refused.push((link, Refusal::WeakChain));
                continue;
            }
        }
        // Union by size: the smaller side moves.
        let (keep, fold) = if members[root_a].len() >= members[root_b].len() {
            (root_a, root_b)
        } else {
            (root_b, root_a)
        };
        parent[fold] = keep;
        let moved = std::mem::take(&mut members[fold]);
        members[keep].extend(moved);
    }

    let mut clusters: Vec<Vec<u64>> = members
        .into_iter()
        .filter(|cluster| !cluster.is_empty())
        .map(|mut cluster| {
            cluster.sort_unstable();
            cluster
        })
        .collect();
    clusters.sort_unstable_by_key(|cluster| cluster[0]);
    Clustering { clusters, refused }
}

fn find(parent: &mut [usize], mut node: usize) -> usize {
    while parent[node] != node {
        parent[node] = parent[parent[node]];
        node = parent[node];
    }
    node
}

/// Connected components of `records` under `links` (plus always pairs).
pub fn components(records: &[u64], links: &[Link], constraints: &Constraints) -> Vec<Vec<u64>> {
    let index: HashMap<u64, usize> = records
        .iter()
        .enumerate()
        .map(|(position, id)| (*id, position))
        .collect();
    let mut parent: Vec<usize> = (0..records.len()).collect();
    let pairs = links
        .iter()
        .map(|link| (link.left, link.right))
        .chain(constraints.always.iter().copied());
    for (left, right) in pairs {
        if let (Some(&a), Some(&b)) = (index.get(&left), index.get(&right)) {
            let (root_a, root_b) = (find(&mut parent, a), find(&mut parent, b));
            if root_a != root_b {
                parent[root_a.max(root_b)] = root_a.min(root_b);
            }
        }
    }
    let mut groups: HashMap<usize, Vec<u64>> = HashMap::new();
    for (position, id) in records.iter().enumerate() {
        let root = find(&mut parent, position);
        groups.entry(root).or_default().push(*id);
    }
    let mut components: Vec<Vec<u64>> = groups.into_values().collect();
    for component in &mut components {
        component.sort_unstable();
    }
    components.sort_unstable_by_key(|component| component[0]);
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(left: u64, right: u64, probability: f64) -> Link {
        Link {
            left,
            right,
            probability,
        }
    }

    #[test]
    fn one_weak_link_does_not_chain_two_clusters() {
        // {1,2,3} and {4,5} are strongly linked inside; 3–4 is a weak link.
        let links = [
            link(1, 2, 0.99),
            link(2, 3, 0.99),
            link(1, 3, 0.99),
            link(4, 5, 0.99),
            link(3, 4, 0.6),
        ];
        let strong: HashSet<(u64, u64)> = links
            .iter()
            .filter(|l| l.probability > 0.9)
            .map(|l| ordered(l.left, l.right))
            .collect();
        let mut probability = |a: u64, b: u64| {
            if strong.contains(&ordered(a, b)) {
                0.99
            } else if ordered(a, b) == (3, 4) {
                0.6
            } else {
                0.01
            }
        };
        let result = cluster(
            &[1, 2, 3, 4, 5],
            &links,
            &Constraints::default(),
            &ClusterConfig::default(),
            &mut probability,
        );
        assert_eq!(result.clusters, vec![vec![1, 2, 3], vec![4, 5]]);
        assert_eq!(result.refused.len(), 1);
        assert_eq!(result.refused[0].1, Refusal::WeakChain);
    }

    #[test]
    fn never_match_is_honoured_and_always_match_wins() {
        let links = [link(1, 2, 0.99), link(2, 3, 0.99)];
        let mut constraints = Constraints::default();
        constraints.never(1, 3);
        constraints.always(3, 4);
        let mut probability = |_: u64, _: u64| 0.99;
        let result = cluster(
            &[1, 2, 3, 4],
            &links,
            &constraints,
            &ClusterConfig::default(),
            &mut probability,
        );
        assert_eq!(result.clusters, vec![vec![1, 2], vec![3, 4]]);
        assert_eq!(result.refused[0].1, Refusal::NeverMatch);
    }

    #[test]
    fn components_follow_links() {
        let found = components(&[1, 2, 3, 4], &[link(1, 3, 0.9)], &Constraints::default());
        assert_eq!(found, vec![vec![1, 3], vec![2], vec![4]]);
    }
}
