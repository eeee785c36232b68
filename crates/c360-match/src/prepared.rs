//! Records in comparison-ready form: every text field in one buffer, name
//! skeletons and nickname ids worked out once, not once per pair.
//!
//! A prepared record is one allocation (about 150 bytes for a typical person),
//! so a million of them fit in a few hundred megabytes and stay cache-friendly.

use std::sync::Arc;

use crate::names::skeleton;
use crate::nicknames::Nicknames;
use crate::record::MatchRecord;

/// The text slots of a prepared record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Slot {
    Given,
    Family,
    GivenSkeleton,
    FamilySkeleton,
    StreetNumber,
    Street,
    /// The street name's consonant skeleton (a blocking key part).
    StreetSkeleton,
    Extra,
    Locality,
    Postcode,
    Region,
    NationalId,
    Company,
    /// Canonical e-mails separated by `\n`.
    Emails,
    /// E.164 phones separated by `\n`.
    Phones,
}

const SLOTS: usize = Slot::Phones as usize + 1;

/// Separates the values of a multi-valued slot.
const SEPARATOR: char = '\n';

#[derive(Debug, Clone, PartialEq)]
pub struct PreparedRecord {
    text: Box<str>,
    ends: [u32; SLOTS],
    /// [`crate::DateParts::pack`]ed birth date, 0 when missing.
    pub birth: u32,
    /// Nickname-table id of the given name, `u32::MAX` when unknown.
    pub given_nickname: u32,
}

impl PreparedRecord {
    pub fn get(&self, slot: Slot) -> &str {
        let index = slot as usize;
        let start = if index == 0 { 0 } else { self.ends[index - 1] } as usize;
        let end = self.ends[index] as usize;
        self.text.get(start..end).unwrap_or_default()
    }

    /// The values of a multi-valued slot (e-mails, phones).
    pub fn values(&self, slot: Slot) -> impl Iterator<Item = &str> {
        self.get(slot)
            .split(SEPARATOR)
            .filter(|value| !value.is_empty())
    }
}

/// Prepares records with one nickname table.
#[derive(Debug, Clone)]
pub struct Preparer {
    nicknames: Arc<Nicknames>,
}

impl Default for Preparer {
    fn default() -> Self {
        Self::new(Arc::new(Nicknames::built_in()))
    }
}

impl Preparer {
    pub fn new(nicknames: Arc<Nicknames>) -> Self {
        Self { nicknames }
    }

    pub fn nicknames(&self) -> &Nicknames {
        &self.nicknames
    }

    pub fn prepare(&self, record: &MatchRecord) -> PreparedRecord {
        let given = record.given.trim();
        let family = record.family.trim();
        let given_skeleton = skeleton(given);
        let family_skeleton = skeleton(family);
        let street_skeleton = skeleton(record.street.trim());
        let emails = join_values(&record.emails);
        let phones = join_values(&record.phones);
        let parts: [&str; SLOTS] = [
            given,
            family,
            &given_skeleton,
            &family_skeleton,
            record.street_number.trim(),
            record.street.trim(),
            &street_skeleton,
            record.address_extra.trim(),
            record.locality.trim(),
            record.postcode.trim(),
            record.region.trim(),
            record.national_id.trim(),
            record.company.trim(),
            &emails,
            &phones,
        ];
        let mut text = String::with_capacity(parts.iter().map(|part| part.len()).sum());
        let mut ends = [0u32; SLOTS];
        for (end, part) in ends.iter_mut().zip(parts) {
            text.push_str(part);
            *end = u32::try_from(text.len()).unwrap_or(u32::MAX);
        }
        PreparedRecord {
            text: text.into_boxed_str(),
            ends,
            birth: record.birth_date.map(|date| date.pack()).unwrap_or(0),
            given_nickname: if given.is_empty() {
                u32::MAX
            } else {
                self.nicknames.id_of(given).unwrap_or(u32::MAX)
            },
        }
    }
}

fn join_values(values: &[String]) -> String {
    let mut joined = String::new();
    for value in values.iter().map(|value| value.trim()) {
        if value.is_empty() || value.contains(SEPARATOR) {
            continue;
        }
        if !joined.is_empty() {
            joined.push(SEPARATOR);
        }
        joined.push_str(value);
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::DateParts;

    #[test]
    fn slots_round_trip() {
        let record = MatchRecord {
            given: "bob".into(),
            family: "smith".into(),
            emails: vec!["bob@example.com".into(), "b@example.org".into()],
            postcode: "2119".into(),
            birth_date: DateParts::parse("1956-04-09"),
            ..MatchRecord::default()
        };
        let prepared = Preparer::default().prepare(&record);
        assert_eq!(prepared.get(Slot::Given), "bob");
        assert_eq!(prepared.get(Slot::Family), "smith");
        assert_eq!(prepared.get(Slot::FamilySkeleton), "smt");
        assert_eq!(prepared.get(Slot::Postcode), "2119");
        assert_eq!(prepared.get(Slot::Street), "");
        assert_eq!(prepared.values(Slot::Emails).count(), 2);
        assert_eq!(prepared.values(Slot::Phones).count(), 0);
        assert_ne!(prepared.given_nickname, u32::MAX);
        assert_ne!(prepared.birth, 0);
    }
}
