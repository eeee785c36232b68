//! Given-name equivalences: nicknames (Robert / Bob), hypocorisms (Francisco /
//! Paco) and transliteration variants (Mohammad / Mehmet).
//!
//! The shipped table is `data/nicknames.txt`; users extend it with files in the
//! same format (one equivalence group per line, comma-separated, `#` comments).
//! A name may sit in several groups ("bert" is Robert's and Albert's).

use std::collections::HashMap;

use c360_model::normalize::text::{TextRules, comparison_key};

/// The table shipped with the engine.
pub const BUILT_IN: &str = include_str!("../data/nicknames.txt");

/// Name → the groups it belongs to.
#[derive(Debug, Clone, Default)]
pub struct Nicknames {
    ids: HashMap<String, u32>,
    /// Per name id, the sorted group numbers it belongs to.
    groups: Vec<Vec<u32>>,
    group_count: u32,
}

impl Nicknames {
    /// The built-in table.
    pub fn built_in() -> Self {
        let mut table = Self::default();
        table.extend_from(BUILT_IN);
        table
    }

    /// Adds the groups of one table text; names are brought into comparison
    /// form so that "José" in a file matches "jose" in the data.
    pub fn extend_from(&mut self, text: &str) {
        let rules = TextRules::default();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let group = self.group_count;
            self.group_count += 1;
            for name in line.split(',') {
                let key = comparison_key(name.trim(), &rules);
                if key.is_empty() {
                    continue;
                }
                let next = u32::try_from(self.groups.len()).unwrap_or(u32::MAX);
                let id = *self.ids.entry(key).or_insert(next);
                if id == next {
                    self.groups.push(Vec::new());
                }
                if let Some(groups) = self.groups.get_mut(id as usize)
                    && !groups.contains(&group)
                {
                    groups.push(group);
                    groups.sort_unstable();
                }
            }
        }
    }

    /// The id of a known name (or of its first token), if any.
    pub fn id_of(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied().or_else(|| {
            let first = name.split([' ', '-']).next()?;
            self.ids.get(first).copied()
        })
    }

    /// True when two known names share a group.
    pub fn equivalent(&self, left: u32, right: u32) -> bool {
        let (Some(left), Some(right)) = (
            self.groups.get(left as usize),
            self.groups.get(right as usize),
        ) else {
            return false;
        };
        left.iter().any(|group| right.binary_search(group).is_ok())
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicknames_are_equivalent_and_extendable() {
        let mut table = Nicknames::built_in();
        let id = |table: &Nicknames, name: &str| table.id_of(name).unwrap_or(u32::MAX);
        assert!(table.equivalent(id(&table, "robert"), id(&table, "bob")));
        assert!(table.equivalent(id(&table, "william"), id(&table, "bill")));
        assert!(!table.equivalent(id(&table, "robert"), id(&table, "bill")));
        assert_eq!(table.id_of("zebulon"), None);
        table.extend_from("# local\nZebulon,Zeb\n");
        assert!(table.equivalent(id(&table, "zebulon"), id(&table, "zeb")));
    }
}
