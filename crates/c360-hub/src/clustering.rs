//! Union-find over records and golden records: turns pairwise links into
//! clusters, each of which becomes (or stays) one golden record.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A node: a source record (by row id) or an existing golden record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    Record(i64),
    Golden(String),
}

#[derive(Debug, Default)]
pub struct Clusters {
    index: HashMap<Node, usize>,
    nodes: Vec<Node>,
    parent: Vec<usize>,
}

/// One resulting cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cluster {
    pub records: BTreeSet<i64>,
    pub goldens: BTreeSet<String>,
}

impl Clusters {
    pub fn add(&mut self, node: Node) -> usize {
        if let Some(&slot) = self.index.get(&node) {
            return slot;
        }
        let slot = self.nodes.len();
        self.index.insert(node.clone(), slot);
        self.nodes.push(node);
        self.parent.push(slot);
        slot
    }

    fn root(&mut self, mut slot: usize) -> usize {
        while self.parent[slot] != slot {
            // Path halving keeps the trees flat.
            self.parent[slot] = self.parent[self.parent[slot]];
            slot = self.parent[slot];
        }
        slot
    }

    pub fn union(&mut self, left: Node, right: Node) {
        let left = self.add(left);
        let right = self.add(right);
        let (left_root, right_root) = (self.root(left), self.root(right));
        if left_root != right_root {
            let (low, high) = (left_root.min(right_root), left_root.max(right_root));
            self.parent[high] = low;
        }
    }

    /// Like [`Clusters::union`], unless it would put both nodes of a
    /// `forbidden` pair (a steward's never-match) into one cluster; returns
    /// whether it joined them. Linear in `forbidden`, which holds only the
    /// constraints around one batch.
    pub fn union_unless(&mut self, left: Node, right: Node, forbidden: &[(Node, Node)]) -> bool {
        let left_root = {
            let slot = self.add(left);
            self.root(slot)
        };
        let right_root = {
            let slot = self.add(right);
            self.root(slot)
        };
        if left_root == right_root {
            return true;
        }
        let joined = [left_root, right_root];
        for (a, b) in forbidden {
            let (Some(&a), Some(&b)) = (self.index.get(a), self.index.get(b)) else {
                continue;
            };
            let (a_root, b_root) = (self.root(a), self.root(b));
            if a_root != b_root && joined.contains(&a_root) && joined.contains(&b_root) {
                return false;
            }
        }
        let (low, high) = (left_root.min(right_root), left_root.max(right_root));
        self.parent[high] = low;
        true
    }

    /// The clusters, in a deterministic order (by smallest member).
    pub fn into_clusters(mut self) -> Vec<Cluster> {
        let mut by_root: BTreeMap<usize, Cluster> = BTreeMap::new();
        for slot in 0..self.nodes.len() {
            let root = self.root(slot);
            let cluster = by_root.entry(root).or_default();
            match &self.nodes[slot] {
                Node::Record(id) => {
                    cluster.records.insert(*id);
                }
                Node::Golden(id) => {
                    cluster.goldens.insert(id.clone());
                }
            }
        }
        by_root.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_chain_into_clusters() {
        let mut clusters = Clusters::default();
        clusters.union(Node::Record(1), Node::Golden("g1".into()));
        clusters.union(Node::Record(2), Node::Record(1));
        clusters.union(Node::Record(3), Node::Golden("g2".into()));
        clusters.add(Node::Record(4));
        let result = clusters.into_clusters();
        assert_eq!(result.len(), 3);
        assert_eq!(result[0].records, BTreeSet::from([1, 2]));
        assert_eq!(result[0].goldens, BTreeSet::from(["g1".to_owned()]));
        assert!(result[2].goldens.is_empty());
    }

    #[test]
    fn a_forbidden_pair_never_ends_in_one_cluster() {
        let forbidden = [(Node::Record(1), Node::Golden("g2".into()))];
        let mut clusters = Clusters::default();
        clusters.union(Node::Record(2), Node::Golden("g2".into()));
        clusters.add(Node::Record(1));
        assert!(clusters.union_unless(Node::Record(3), Node::Record(1), &forbidden));
        // 3 now sits with 1: joining it to g2 would join 1 and g2.
        assert!(!clusters.union_unless(Node::Record(3), Node::Record(2), &forbidden));
        let result = clusters.into_clusters();
        assert_eq!(result.len(), 2);
    }
}
