//! Blocking: which pairs are worth comparing.
//!
//! A rule names the key parts two records must share, e.g.
//! `birth_date+family_skeleton`. Rules are evaluated as a union: a pair is a
//! candidate when any rule puts both records in one block. A block holding
//! more than `max_block_size` records compares only its first
//! `max_block_size` (in arrival order): the same pairs a real-time lookup
//! finds, since a record arriving at a full block compares with no one there.
//! Keys are plain strings so that the hub can persist them and find a new
//! record's candidates with an index lookup.

use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::MatchError;
use crate::prepared::{PreparedRecord, Slot};
use crate::record::DateParts;

/// One part of a blocking key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPart {
    Email,
    Phone,
    NationalId,
    /// One key per keying error the id may carry: the id with each position
    /// blanked (a substituted digit) and with each adjacent pair put in order
    /// (two transposed digits). Ids one such error apart share a key.
    NationalIdVariants,
    BirthDate,
    BirthYear,
    Given,
    Family,
    GivenSkeleton,
    FamilySkeleton,
    /// Both name skeletons, in sorted order: immune to swapped names.
    Names,
    GivenInitial,
    Postcode,
    StreetNumber,
    /// The street name's consonant skeleton (typos in vowels, run-together words).
    StreetSkeleton,
    Locality,
    Company,
}

impl KeyPart {
    const ALL: [(&'static str, KeyPart); 17] = [
        ("email", KeyPart::Email),
        ("phone", KeyPart::Phone),
        ("national_id", KeyPart::NationalId),
        ("national_id_variants", KeyPart::NationalIdVariants),
        ("street_skeleton", KeyPart::StreetSkeleton),
        ("birth_date", KeyPart::BirthDate),
        ("birth_year", KeyPart::BirthYear),
        ("given_name", KeyPart::Given),
        ("family_name", KeyPart::Family),
        ("given_skeleton", KeyPart::GivenSkeleton),
        ("family_skeleton", KeyPart::FamilySkeleton),
        ("names", KeyPart::Names),
        ("given_initial", KeyPart::GivenInitial),
        ("postcode", KeyPart::Postcode),
        ("street_number", KeyPart::StreetNumber),
        ("locality", KeyPart::Locality),
        ("company", KeyPart::Company),
    ];

    fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, part)| *part)
    }

    /// Appends the part's values for a record (several for e-mails, phones
    /// and id variants) to `out`.
    fn values(self, record: &PreparedRecord, out: &mut KeyValues) {
        match self {
            KeyPart::Email => record
                .values(Slot::Emails)
                .for_each(|value| out.push(value)),
            KeyPart::Phone => record
                .values(Slot::Phones)
                .for_each(|value| out.push(value)),
            KeyPart::NationalId => out.push(record.get(Slot::NationalId)),
            KeyPart::NationalIdVariants => id_variants(record.get(Slot::NationalId), out),
            KeyPart::StreetSkeleton => out.push(record.get(Slot::StreetSkeleton)),
            KeyPart::BirthDate => {
                if let Some(date) = DateParts::unpack(record.birth) {
                    let _ = write!(out.text, "{:04}{:02}{:02}", date.year, date.month, date.day);
                    out.end_value();
                }
            }
            KeyPart::BirthYear => {
                if let Some(date) = DateParts::unpack(record.birth) {
                    let _ = write!(out.text, "{}", date.year);
                    out.end_value();
                }
            }
            KeyPart::Given => out.push(record.get(Slot::Given)),
            KeyPart::Family => out.push(record.get(Slot::Family)),
            KeyPart::GivenSkeleton => out.push(record.get(Slot::GivenSkeleton)),
            KeyPart::FamilySkeleton => out.push(record.get(Slot::FamilySkeleton)),
            KeyPart::Names => {
                let (given, family) = (
                    record.get(Slot::GivenSkeleton),
                    record.get(Slot::FamilySkeleton),
                );
                if !given.is_empty() && !family.is_empty() {
                    let (first, second) = if given <= family {
                        (given, family)
                    } else {
                        (family, given)
                    };
                    out.text.push_str(first);
                    out.text.push('/');
                    out.text.push_str(second);
                    out.end_value();
                }
            }
            KeyPart::GivenInitial => {
                if let Some(initial) = record.get(Slot::Given).chars().next() {
                    out.text.push(initial);
                    out.end_value();
                }
            }
            KeyPart::Postcode => out.push(record.get(Slot::Postcode)),
            KeyPart::StreetNumber => out.push(record.get(Slot::StreetNumber)),
            KeyPart::Locality => out.push(record.get(Slot::Locality)),
            KeyPart::Company => out.push(record.get(Slot::Company)),
        }
    }
}

/// One key per keying error an id may carry: each position blanked (a
/// substituted digit), each adjacent pair put in order and the position
/// appended (two transposed digits).
fn id_variants(id: &str, out: &mut KeyValues) {
    let length = id.chars().count();
    // Short ids collide by chance too often to block on variants.
    if length < 5 {
        return;
    }
    for position in 0..length {
        for (index, character) in id.chars().enumerate() {
            out.text
                .push(if index == position { '_' } else { character });
        }
        out.end_value();
    }
    let characters: Vec<char> = id.chars().collect();
    for position in 0..length - 1 {
        let (a, b) = (characters[position], characters[position + 1]);
        for (index, character) in characters.iter().enumerate() {
            out.text.push(if index == position {
                a.min(b)
            } else if index == position + 1 {
                a.max(b)
            } else {
                *character
            });
        }
        let _ = write!(out.text, "~{position}");
        out.end_value();
    }
}

/// A record's values for one key part, in one reused buffer: blocking a
/// million records under a dozen rules must not allocate per value.
#[derive(Debug, Default)]
pub struct KeyValues {
    text: String,
    ends: Vec<usize>,
}

impl KeyValues {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    fn push(&mut self, value: &str) {
        if !value.is_empty() {
            self.text.push_str(value);
            self.end_value();
        }
    }

    /// Ends the value written into `text` since the last one.
    fn end_value(&mut self) {
        let start = self.ends.last().copied().unwrap_or(0);
        if self.text.len() > start {
            self.ends.push(self.text.len());
        }
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends.iter().map(move |end| {
            let value = self.text.get(start..*end).unwrap_or_default();
            start = *end;
            value
        })
    }
}

/// Reused buffers for computing key hashes record after record.
#[derive(Debug, Default)]
pub struct KeyScratch {
    values: KeyValues,
    states: Vec<u64>,
    next: Vec<u64>,
}

/// A parsed rule: its name (as configured) and parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingRule {
    pub name: String,
    parts: Vec<KeyPart>,
}

impl BlockingRule {
    /// Parses `part+part+…`.
    pub fn parse(text: &str) -> Result<Self, MatchError> {
        let parts = text
            .split('+')
            .map(|part| {
                KeyPart::parse(part.trim()).ok_or_else(|| {
                    let known: Vec<&str> = KeyPart::ALL.iter().map(|(name, _)| *name).collect();
                    MatchError::config(
                        "matching.blocking.rules",
                        format!(
                            "unknown key part {part:?} in {text:?}; known: {}",
                            known.join(", ")
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if parts.is_empty() {
            return Err(MatchError::config(
                "matching.blocking.rules",
                "an empty rule",
            ));
        }
        Ok(Self {
            name: text.trim().to_owned(),
            parts,
        })
    }

    /// The comparisons whose fields this rule's keys are made of: pairs
    /// blocked by the rule agree on them by construction, so EM over those
    /// pairs must not learn their m from it.
    pub fn covered_comparisons(&self) -> Vec<crate::comparison::ComparisonId> {
        use crate::comparison as c;
        let mut covered: Vec<c::ComparisonId> = self
            .parts
            .iter()
            .flat_map(|part| match part {
                KeyPart::Email => vec![c::EMAIL],
                KeyPart::Phone => vec![c::PHONE],
                KeyPart::NationalId | KeyPart::NationalIdVariants => vec![c::NATIONAL_ID],
                KeyPart::BirthDate | KeyPart::BirthYear => vec![c::BIRTH_DATE],
                KeyPart::Given | KeyPart::GivenSkeleton | KeyPart::GivenInitial => {
                    vec![c::GIVEN_NAME]
                }
                KeyPart::Family | KeyPart::FamilySkeleton => vec![c::FAMILY_NAME],
                KeyPart::Names => vec![c::GIVEN_NAME, c::FAMILY_NAME],
                KeyPart::Postcode => vec![c::POSTCODE],
                KeyPart::StreetNumber => vec![c::STREET_NUMBER],
                KeyPart::StreetSkeleton => vec![c::STREET],
                KeyPart::Locality => vec![c::LOCALITY],
                KeyPart::Company => vec![c::COMPANY],
            })
            .collect();
        covered.sort_unstable();
        covered.dedup();
        covered
    }

    /// The keys a record has under this rule, each `rule:value|value`.
    pub fn keys(&self, record: &PreparedRecord, out: &mut Vec<String>) {
        let mut combined = vec![format!("{}:", self.name)];
        let mut values = KeyValues::default();
        for (index, part) in self.parts.iter().enumerate() {
            values.clear();
            part.values(record, &mut values);
            if values.is_empty() {
                return;
            }
            let separator = if index == 0 { "" } else { "|" };
            let mut next = Vec::with_capacity(combined.len() * values.ends.len());
            for prefix in &combined {
                for value in values.iter() {
                    next.push(format!("{prefix}{separator}{value}"));
                }
            }
            combined = next;
        }
        combined.sort_unstable();
        combined.dedup();
        out.extend(combined);
    }

    /// [`key_hash`] of each of [`BlockingRule::keys`], sorted and distinct,
    /// computed into `scratch` without building the strings: the batch groups
    /// millions of records by them.
    pub fn key_hashes<'s>(
        &self,
        record: &PreparedRecord,
        scratch: &'s mut KeyScratch,
    ) -> &'s [u64] {
        let KeyScratch {
            values,
            states,
            next,
        } = scratch;
        states.clear();
        states.push(fnv_feed(fnv_feed(FNV_OFFSET, self.name.as_bytes()), b":"));
        for (index, part) in self.parts.iter().enumerate() {
            values.clear();
            part.values(record, values);
            if values.is_empty() {
                states.clear();
                return states;
            }
            next.clear();
            for state in states.iter() {
                let state = if index == 0 {
                    *state
                } else {
                    fnv_feed(*state, b"|")
                };
                next.extend(values.iter().map(|value| fnv_feed(state, value.as_bytes())));
            }
            std::mem::swap(states, next);
        }
        states.sort_unstable();
        states.dedup();
        states
    }
}

/// The `[matching.blocking]` configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BlockingConfig {
    /// Rules evaluated as a union; parts joined by `+`.
    pub rules: Vec<String>,
    /// A block compares at most its first this-many records.
    pub max_block_size: usize,
}

impl Default for BlockingConfig {
    fn default() -> Self {
        Self {
            rules: [
                "email",
                "phone",
                "national_id",
                "national_id_variants",
                "names",
                "birth_date+family_skeleton",
                "birth_date+given_skeleton",
                "birth_date+postcode",
                "postcode+street_number+family_skeleton",
                "postcode+street_skeleton",
                "birth_date+street_skeleton",
                "birth_date+locality",
                "street_number+street_skeleton",
                "family_skeleton+locality",
            ]
            .map(String::from)
            .to_vec(),
            max_block_size: 500,
        }
    }
}

impl BlockingConfig {
    pub fn parse_rules(&self) -> Result<Vec<BlockingRule>, MatchError> {
        if self.max_block_size < 2 {
            return Err(MatchError::config(
                "matching.blocking.max_block_size",
                "must be at least 2",
            ));
        }
        self.rules
            .iter()
            .map(|rule| BlockingRule::parse(rule))
            .collect()
    }
}

/// Every key of a record under all rules.
pub fn keys_of(rules: &[BlockingRule], record: &PreparedRecord) -> Vec<String> {
    let mut keys = Vec::new();
    for rule in rules {
        rule.keys(record, &mut keys);
    }
    keys
}

/// How many comparisons each rule generated.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleReport {
    pub rule: String,
    /// Pairs this rule generated (some also generated by earlier rules).
    pub pairs: u64,
    /// Pairs no earlier rule had generated.
    pub new_pairs: u64,
    /// Blocks larger than the cap (compared only in part).
    pub capped_blocks: u64,
    pub largest_block: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BlockingReport {
    pub rules: Vec<RuleReport>,
    /// Distinct candidate pairs over all rules.
    pub candidate_pairs: u64,
}

/// A pair of record indices, smaller first, packed for fast sorting.
fn pack(a: u32, b: u32) -> u64 {
    let (low, high) = if a < b { (a, b) } else { (b, a) };
    (u64::from(low) << 32) | u64::from(high)
}

pub fn unpack(pair: u64) -> (u32, u32) {
    ((pair >> 32) as u32, pair as u32)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a: a stable 64-bit hash of a key (blocks are grouped by it). Two
/// keys sharing a hash only put two blocks together: more pairs to score,
/// never a missed one.
pub fn key_hash(key: &str) -> u64 {
    fnv_feed(FNV_OFFSET, key.as_bytes())
}

/// Continues an FNV-1a hash over more bytes.
fn fnv_feed(mut hash: u64, bytes: &[u8]) -> u64 {
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Merges sorted, deduplicated `fresh` pairs into sorted, deduplicated
/// `all` in one pass; returns how many were new.
fn merge_sorted(all: &mut Vec<u64>, fresh: &[u64]) -> usize {
    let mut merged = Vec::with_capacity(all.len() + fresh.len());
    let (mut i, mut j, mut new) = (0, 0, 0);
    while i < all.len() && j < fresh.len() {
        match all[i].cmp(&fresh[j]) {
            std::cmp::Ordering::Less => {
                merged.push(all[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                merged.push(fresh[j]);
                j += 1;
                new += 1;
            }
            std::cmp::Ordering::Equal => {
                merged.push(all[i]);
                i += 1;
                j += 1;
            }
        }
    }
    merged.extend_from_slice(&all[i..]);
    new += fresh.len() - j;
    merged.extend_from_slice(&fresh[j..]);
    *all = merged;
    new
}

/// The candidate pairs of a whole data set (records in arrival order), as
/// packed sorted pairs, with the per-rule report.
pub fn candidate_pairs(
    records: &[PreparedRecord],
    rules: &[BlockingRule],
    max_block_size: usize,
) -> (Vec<u64>, BlockingReport) {
    let mut all: Vec<u64> = Vec::new();
    let mut report = BlockingReport::default();
    for rule in rules {
        let mut keyed: Vec<(u64, u32)> = records
            .par_iter()
            .enumerate()
            .fold(
                || (KeyScratch::default(), Vec::new()),
                |(mut scratch, mut keyed), (index, record)| {
                    let index = u32::try_from(index).unwrap_or(u32::MAX);
                    let hashes = rule.key_hashes(record, &mut scratch);
                    keyed.extend(hashes.iter().map(|hash| (*hash, index)));
                    (scratch, keyed)
                },
            )
            .map(|(_, keyed)| keyed)
            .reduce(Vec::new, |mut left, mut right| {
                left.append(&mut right);
                left
            });
        keyed.par_sort_unstable();
        keyed.dedup();
        let blocks: Vec<&[(u64, u32)]> = keyed.chunk_by(|a, b| a.0 == b.0).collect();
        let mut rule_report = RuleReport {
            rule: rule.name.clone(),
            ..RuleReport::default()
        };
        for block in &blocks {
            rule_report.largest_block = rule_report.largest_block.max(block.len() as u64);
            if block.len() > max_block_size {
                rule_report.capped_blocks += 1;
            }
        }
        let mut pairs: Vec<u64> = blocks
            .par_iter()
            .flat_map_iter(|block| {
                let members = &block[..block.len().min(max_block_size)];
                members
                    .iter()
                    .enumerate()
                    .flat_map(move |(position, (_, left))| {
                        members[position + 1..]
                            .iter()
                            .map(move |(_, right)| pack(*left, *right))
                    })
            })
            .collect();
        pairs.par_sort_unstable();
        pairs.dedup();
        rule_report.pairs = pairs.len() as u64;
        rule_report.new_pairs = merge_sorted(&mut all, &pairs) as u64;
        report.rules.push(rule_report);
    }
    report.candidate_pairs = all.len() as u64;
    (all, report)
}

/// Per key, which earlier records carry it: the real-time side of blocking.
#[derive(Debug, Clone, Default)]
pub struct KeyIndex {
    carriers: HashMap<String, Vec<u64>>,
}

impl KeyIndex {
    /// The records to compare a new record with: for each of its keys, every
    /// earlier carrier, unless the block is already full.
    pub fn candidates(&self, keys: &[String], max_block_size: usize) -> Vec<u64> {
        let mut found: Vec<u64> = keys
            .iter()
            .filter_map(|key| self.carriers.get(key))
            .filter(|carriers| carriers.len() < max_block_size)
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    pub fn insert(&mut self, keys: Vec<String>, record: u64) {
        for key in keys {
            self.carriers.entry(key).or_default().push(record);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prepared::Preparer;
    use crate::record::MatchRecord;

    fn record(given: &str, family: &str, birth: &str) -> PreparedRecord {
        Preparer::default().prepare(&MatchRecord {
            given: given.into(),
            family: family.into(),
            birth_date: DateParts::parse(birth),
            ..MatchRecord::default()
        })
    }

    #[test]
    fn rules_make_keys_only_when_every_part_is_present() {
        let rule = BlockingRule::parse("birth_date+family_skeleton").expect("valid");
        let mut keys = Vec::new();
        rule.keys(&record("ada", "lovelace", "1815-12-10"), &mut keys);
        assert_eq!(
            keys,
            vec!["birth_date+family_skeleton:18151210|lvlk".to_owned()]
        );
        keys.clear();
        rule.keys(&record("ada", "lovelace", ""), &mut keys);
        assert!(keys.is_empty());
        assert!(BlockingRule::parse("shoe_size").is_err());
    }

    #[test]
    fn swapped_names_share_the_names_key() {
        let rules = [BlockingRule::parse("names").expect("valid")];
        assert_eq!(
            keys_of(&rules, &record("mitchell", "green", "")),
            keys_of(&rules, &record("green", "mitchell", ""))
        );
    }

    #[test]
    fn batch_pairs_equal_real_time_candidates_under_a_cap() {
        let records: Vec<PreparedRecord> = (0..7)
            .map(|index| record(&format!("p{index}"), "smith", "1990-01-01"))
            .collect();
        let rules = [BlockingRule::parse("family_name").expect("valid")];
        let cap = 4;
        let (pairs, report) = candidate_pairs(&records, &rules, cap);
        let mut index = KeyIndex::default();
        let mut incremental = Vec::new();
        for (id, prepared) in records.iter().enumerate() {
            let keys = keys_of(&rules, prepared);
            for other in index.candidates(&keys, cap) {
                incremental.push(pack(other as u32, id as u32));
            }
            index.insert(keys, id as u64);
        }
        incremental.sort_unstable();
        assert_eq!(pairs, incremental);
        assert_eq!(pairs.len(), 6);
        assert_eq!(report.rules[0].capped_blocks, 1);
    }

    #[test]
    fn key_hashes_are_the_hashes_of_the_keys() {
        let prepared = Preparer::default().prepare(&MatchRecord {
            given: "ada".into(),
            family: "lovelace".into(),
            birth_date: DateParts::parse("1815-12-10"),
            emails: vec!["ada@example.org".into(), "a.l@example.org".into()],
            phones: vec!["+442071234567".into()],
            street_number: "12".into(),
            street: "st james square".into(),
            locality: "london".into(),
            postcode: "sw1y 4lb".into(),
            national_id: "1234567".into(),
            ..MatchRecord::default()
        });
        for text in BlockingConfig::default().rules.iter().chain(
            ["email+birth_year", "national_id_variants+given_initial"]
                .map(str::to_owned)
                .iter(),
        ) {
            let rule = BlockingRule::parse(text).expect("valid");
            let mut keys = Vec::new();
            rule.keys(&prepared, &mut keys);
            let mut expected: Vec<u64> = keys.iter().map(|key| key_hash(key)).collect();
            expected.sort_unstable();
            expected.dedup();
            let mut scratch = KeyScratch::default();
            assert_eq!(
                rule.key_hashes(&prepared, &mut scratch),
                expected.as_slice(),
                "rule {text}"
            );
        }
    }

    #[test]
    fn merging_counts_only_new_pairs() {
        let mut all = vec![1, 4, 9];
        assert_eq!(merge_sorted(&mut all, &[0, 4, 5, 12]), 3);
        assert_eq!(all, vec![0, 1, 4, 5, 9, 12]);
        assert_eq!(merge_sorted(&mut all, &[]), 0);
    }
}
