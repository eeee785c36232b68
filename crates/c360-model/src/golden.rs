//! Golden records: the surviving attributes of one real customer and where each came from.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ModelError;
use crate::record::PostalAddress;

/// The golden attributes, each surviving from some source record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeName {
    Name,
    Email,
    Phone,
    Address,
    Company,
    BirthDate,
}

impl AttributeName {
    pub const ALL: [AttributeName; 6] = [
        Self::Name,
        Self::Email,
        Self::Phone,
        Self::Address,
        Self::Company,
        Self::BirthDate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Address => "address",
            Self::Company => "company",
            Self::BirthDate => "birth_date",
        }
    }
}

impl fmt::Display for AttributeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AttributeName {
    type Err = ModelError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|name| name.as_str() == value)
            .ok_or_else(|| ModelError::field("attribute", format!("unknown attribute {value:?}")))
    }
}

/// Which survivorship rule chose a golden value over its competitors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurvivorshipRule {
    /// Every source that has the attribute agrees: nothing had to be chosen.
    Agreed,
    /// The value came from the source ranked highest in `survivorship.source_priority`.
    SourcePriority,
    /// The value was observed most recently.
    MostRecent,
    /// The value is held by the most source records.
    MostFrequent,
    /// Nothing else decided; the value that sorts first won (stable, but arbitrary).
    Tiebreak,
    /// A complete value (a name with given and family name) beat a partial one.
    MostComplete,
    /// A data steward pinned the value; it wins until unpinned or expired.
    StewardPin,
}

impl SurvivorshipRule {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agreed => "agreed",
            Self::SourcePriority => "source_priority",
            Self::MostRecent => "most_recent",
            Self::MostFrequent => "most_frequent",
            Self::Tiebreak => "tiebreak",
            Self::MostComplete => "most_complete",
            Self::StewardPin => "steward_pin",
        }
    }
}

impl FromStr for SurvivorshipRule {
    type Err = ModelError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        [
            Self::Agreed,
            Self::SourcePriority,
            Self::MostRecent,
            Self::MostFrequent,
            Self::Tiebreak,
            Self::MostComplete,
            Self::StewardPin,
        ]
        .into_iter()
        .find(|rule| rule.as_str() == value)
        .ok_or_else(|| ModelError::field("rule", format!("unknown survivorship rule {value:?}")))
    }
}

/// Where a golden value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lineage {
    pub source: String,
    pub external_id: String,
    pub rule: SurvivorshipRule,
    /// When the source record holding the value was last updated.
    pub observed_at: Option<DateTime<Utc>>,
}

/// One surviving value: raw as the winning source wrote it, its normalized
/// form, and its lineage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldenValue {
    pub value: String,
    pub normalized: String,
    pub lineage: Lineage,
}

/// The surviving name: kept as one unit so given and family name come from
/// the same record (no "Frankenstein" names assembled from two sources).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldenName {
    pub display: String,
    pub given: String,
    pub family: String,
    pub lineage: Lineage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldenAddress {
    pub address: PostalAddress,
    pub normalized: String,
    pub lineage: Lineage,
}

/// Every golden attribute of a customer. Multi-valued attributes are ordered
/// by survivorship: the first is the primary one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GoldenAttributes {
    pub name: Option<GoldenName>,
    pub emails: Vec<GoldenValue>,
    pub phones: Vec<GoldenValue>,
    pub addresses: Vec<GoldenAddress>,
    pub company: Option<GoldenValue>,
    pub birth_date: Option<GoldenValue>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in AttributeName::ALL {
            assert_eq!(name.as_str().parse::<AttributeName>(), Ok(name));
        }
        assert_eq!(
            "most_recent".parse::<SurvivorshipRule>(),
            Ok(SurvivorshipRule::MostRecent)
        );
    }
}
