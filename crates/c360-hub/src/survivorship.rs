//! Survivorship: which value of each attribute a golden record shows, and why.
//!
//! Values are grouped by normalized form (two spellings of one e-mail are one
//! value). Groups are ranked by the configured rules in order, by default
//! source priority, then most recent observation, then most frequent; the first
//! rule that tells the top two apart is recorded as the reason. Multi-valued
//! attributes (e-mails, phones, addresses) keep every distinct value in rank
//! order, the first being the primary one. The name survives as one unit so
//! that given and family name come from the same record, and before any
//! configured rule a complete name (given and family) beats a partial one
//! ("Ada" from a newsletter sign-up never hides "Ada Lovelace").

use std::cmp::Ordering;
use std::collections::BTreeMap;

use c360_model::golden::{GoldenAddress, GoldenAttributes, GoldenName};
use c360_model::{
    AttributeName, GoldenValue, Lineage, NormalizedRecord, SourceRecord, SurvivorshipRule,
};
use c360_store::time::from_micros;

use crate::config::SurvivorshipConfig;
use crate::error::{HubError, HubResult};

/// One member record as survivorship sees it.
#[derive(Debug, Clone, Copy)]
pub struct Contribution<'a> {
    pub record_id: i64,
    pub record: &'a SourceRecord,
    pub normalized: &'a NormalizedRecord,
    /// When the source last changed the record (its own timestamp when it
    /// sent one, else when c360 received the change), unix microseconds.
    pub observed_at: i64,
}

/// One lineage row: attribute, position, values, record and rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineageEntry {
    pub attribute: AttributeName,
    pub ordinal: i64,
    pub value: String,
    pub normalized: String,
    pub record_id: i64,
    pub rule: SurvivorshipRule,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survived {
    pub attributes: GoldenAttributes,
    pub lineage: Vec<LineageEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RankRule {
    SourcePriority,
    MostRecent,
    MostFrequent,
}

#[derive(Debug, Clone)]
pub struct Survivorship {
    rules: Vec<RankRule>,
    source_priority: BTreeMap<String, i64>,
    attribute_source_priority: BTreeMap<String, BTreeMap<String, i64>>,
}

/// Every record holding one normalized value.
struct Group<'a, T> {
    normalized: String,
    value: T,
    best: Contribution<'a>,
    priority: i64,
    latest: i64,
    count: usize,
    /// How complete the value is (names: 2 with given and family name, else 1).
    completeness: u8,
}

impl Survivorship {
    pub fn new(config: &SurvivorshipConfig) -> HubResult<Self> {
        let rules = config
            .rules
            .iter()
            .map(|rule| match rule.as_str() {
                "source_priority" => Ok(RankRule::SourcePriority),
                "most_recent" => Ok(RankRule::MostRecent),
                "most_frequent" => Ok(RankRule::MostFrequent),
                other => Err(HubError::invalid(
                    "survivorship.rules",
                    format!("unknown rule {other:?} (source_priority, most_recent, most_frequent)"),
                )),
            })
            .collect::<HubResult<Vec<_>>>()?;
        for attribute in config.attribute_source_priority.keys() {
            attribute.parse::<AttributeName>().map_err(|_| {
                HubError::invalid(
                    "survivorship.attribute_source_priority",
                    format!("unknown attribute {attribute:?}"),
                )
            })?;
        }
        Ok(Self {
            rules,
            source_priority: config.source_priority.clone(),
            attribute_source_priority: config.attribute_source_priority.clone(),
        })
    }

    fn priority(&self, attribute: AttributeName, source: &str) -> i64 {
        self.attribute_source_priority
            .get(attribute.as_str())
            .and_then(|ranks| ranks.get(source))
            .or_else(|| self.source_priority.get(source))
            .copied()
            .unwrap_or(0)
    }

    /// Computes every golden attribute from the member records.
    pub fn survive(&self, members: &[Contribution<'_>]) -> Survived {
        let mut lineage = Vec::new();
        let mut attributes = GoldenAttributes::default();

        let names = self.rank_names(members);
        if let Some((group, rule)) = names.into_iter().next() {
            lineage.push(entry(
                AttributeName::Name,
                0,
                &group,
                group.value.display.clone(),
                rule,
            ));
            attributes.name = Some(GoldenName {
                display: group.value.display.clone(),
                given: group.value.given_raw.clone(),
                family: group.value.family_raw.clone(),
                lineage: lineage_of(&group, rule),
            });
        }

        let emails = self.rank_many(AttributeName::Email, members, |member| {
            member
                .normalized
                .emails
                .iter()
                .map(|email| (email.canonical.clone(), email.raw.trim().to_owned()))
                .collect()
        });
        for (ordinal, (group, rule)) in emails.into_iter().enumerate() {
            lineage.push(entry(
                AttributeName::Email,
                ordinal,
                &group,
                group.value.clone(),
                rule,
            ));
            attributes.emails.push(golden_value(&group, rule));
        }

        let phones = self.rank_many(AttributeName::Phone, members, |member| {
            member
                .normalized
                .phones
                .iter()
                .map(|phone| (phone.e164.clone(), phone.raw.trim().to_owned()))
                .collect()
        });
        for (ordinal, (group, rule)) in phones.into_iter().enumerate() {
            lineage.push(entry(
                AttributeName::Phone,
                ordinal,
                &group,
                group.value.clone(),
                rule,
            ));
            attributes.phones.push(golden_value(&group, rule));
        }

        let addresses = self.rank_many(AttributeName::Address, members, |member| {
            member
                .normalized
                .addresses
                .iter()
                .map(|address| (address.key.clone(), address.raw.clone()))
                .collect()
        });
        for (ordinal, (group, rule)) in addresses.into_iter().enumerate() {
            lineage.push(entry(
                AttributeName::Address,
                ordinal,
                &group,
                group.value.one_line(),
                rule,
            ));
            attributes.addresses.push(GoldenAddress {
                address: group.value.clone(),
                normalized: group.normalized.clone(),
                lineage: lineage_of(&group, rule),
            });
        }

        let companies = self.rank(AttributeName::Company, members, |member| {
            let key = member.normalized.company_key.clone()?;
            Some((key, member.record.company.trim().to_owned()))
        });
        if let Some((group, rule)) = companies.into_iter().next() {
            lineage.push(entry(
                AttributeName::Company,
                0,
                &group,
                group.value.clone(),
                rule,
            ));
            attributes.company = Some(golden_value(&group, rule));
        }

        let birth_dates = self.rank(AttributeName::BirthDate, members, |member| {
            let date = member.normalized.birth_date?.format("%Y-%m-%d").to_string();
            Some((date.clone(), date))
        });
        if let Some((group, rule)) = birth_dates.into_iter().next() {
            lineage.push(entry(
                AttributeName::BirthDate,
                0,
                &group,
                group.value.clone(),
                rule,
            ));
            attributes.birth_date = Some(golden_value(&group, rule));
        }

        Survived {
            attributes,
            lineage,
        }
    }

    fn rank<'a, T: Clone>(
        &self,
        attribute: AttributeName,
        members: &[Contribution<'a>],
        value_of: impl Fn(&Contribution<'a>) -> Option<(String, T)>,
    ) -> Vec<(Group<'a, T>, SurvivorshipRule)> {
        self.rank_many(attribute, members, |member| {
            value_of(member).into_iter().collect()
        })
    }

    fn rank_names<'a>(
        &self,
        members: &[Contribution<'a>],
    ) -> Vec<(
        Group<'a, c360_model::normalize::NormalizedName>,
        SurvivorshipRule,
    )> {
        let mut ranked = self.rank(AttributeName::Name, members, |member| {
            member
                .normalized
                .name
                .as_ref()
                .map(|name| (name.full_key.clone(), name.clone()))
        });
        for (group, _) in &mut ranked {
            group.completeness =
                if group.value.given_key.is_empty() || group.value.family_key.is_empty() {
                    1
                } else {
                    2
                };
        }
        self.order(ranked.into_iter().map(|(group, _)| group).collect())
    }

    fn rank_many<'a, T: Clone>(
        &self,
        attribute: AttributeName,
        members: &[Contribution<'a>],
        values_of: impl Fn(&Contribution<'a>) -> Vec<(String, T)>,
    ) -> Vec<(Group<'a, T>, SurvivorshipRule)> {
        let mut groups: Vec<Group<'a, T>> = Vec::new();
        for member in members {
            let priority = self.priority(attribute, &member.record.source);
            for (normalized, value) in values_of(member) {
                if normalized.is_empty() {
                    continue;
                }
                match groups
                    .iter_mut()
                    .find(|group| group.normalized == normalized)
                {
                    Some(group) => {
                        group.count += 1;
                        group.latest = group.latest.max(member.observed_at);
                        let better = (priority, member.observed_at)
                            > (group.priority, group.best.observed_at);
                        group.priority = group.priority.max(priority);
                        if better {
                            group.best = *member;
                            group.value = value;
                        }
                    }
                    None => groups.push(Group {
                        normalized,
                        value,
                        best: *member,
                        priority,
                        latest: member.observed_at,
                        count: 1,
                        completeness: 0,
                    }),
                }
            }
        }
        self.order(groups)
    }

    /// Sorts groups best first and says which rule put each where it is.
    fn order<'a, T>(&self, mut groups: Vec<Group<'a, T>>) -> Vec<(Group<'a, T>, SurvivorshipRule)> {
        groups.sort_by(|left, right| {
            self.compare(left, right)
                .then_with(|| left.normalized.cmp(&right.normalized))
        });
        let rules: Vec<SurvivorshipRule> = (0..groups.len())
            .map(|index| {
                if groups.len() == 1 {
                    return SurvivorshipRule::Agreed;
                }
                // Why this value stands where it does: against the next one, or
                // for the last, against the one before it.
                let (upper, lower) = if index + 1 < groups.len() {
                    (&groups[index], &groups[index + 1])
                } else {
                    (&groups[index - 1], &groups[index])
                };
                self.deciding_rule(upper, lower)
            })
            .collect();
        groups.into_iter().zip(rules).collect()
    }

    /// Orders better groups first.
    fn compare<T>(&self, left: &Group<'_, T>, right: &Group<'_, T>) -> Ordering {
        if left.completeness != right.completeness {
            return right.completeness.cmp(&left.completeness);
        }
        for rule in &self.rules {
            let ordering = match rule {
                RankRule::SourcePriority => right.priority.cmp(&left.priority),
                RankRule::MostRecent => right.latest.cmp(&left.latest),
                RankRule::MostFrequent => right.count.cmp(&left.count),
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        Ordering::Equal
    }

    fn deciding_rule<T>(&self, upper: &Group<'_, T>, lower: &Group<'_, T>) -> SurvivorshipRule {
        if upper.completeness != lower.completeness {
            return SurvivorshipRule::MostComplete;
        }
        for rule in &self.rules {
            let decided = match rule {
                RankRule::SourcePriority => upper.priority != lower.priority,
                RankRule::MostRecent => upper.latest != lower.latest,
                RankRule::MostFrequent => upper.count != lower.count,
            };
            if decided {
                return match rule {
                    RankRule::SourcePriority => SurvivorshipRule::SourcePriority,
                    RankRule::MostRecent => SurvivorshipRule::MostRecent,
                    RankRule::MostFrequent => SurvivorshipRule::MostFrequent,
                };
            }
        }
        SurvivorshipRule::Tiebreak
    }
}

fn lineage_of<T>(group: &Group<'_, T>, rule: SurvivorshipRule) -> Lineage {
    Lineage {
        source: group.best.record.source.clone(),
        external_id: group.best.record.external_id.clone(),
        rule,
        observed_at: Some(from_micros(group.best.observed_at)),
    }
}

fn golden_value(group: &Group<'_, String>, rule: SurvivorshipRule) -> GoldenValue {
    GoldenValue {
        value: group.value.clone(),
        normalized: group.normalized.clone(),
        lineage: lineage_of(group, rule),
    }
}

fn entry<T>(
    attribute: AttributeName,
    ordinal: usize,
    group: &Group<'_, T>,
    value: String,
    rule: SurvivorshipRule,
) -> LineageEntry {
    LineageEntry {
        attribute,
        ordinal: i64::try_from(ordinal).unwrap_or(i64::MAX),
        value,
        normalized: group.normalized.clone(),
        record_id: group.best.record_id,
        rule,
    }
}

#[cfg(test)]
mod tests {
    use c360_model::{NormalizeConfig, normalize_record};

    use super::*;

    fn record(source: &str, id: &str, given: &str, email: &str, company: &str) -> SourceRecord {
        SourceRecord {
            source: source.into(),
            external_id: id.into(),
            given_name: given.into(),
            family_name: "Lovelace".into(),
            emails: vec![email.into()],
            company: company.into(),
            ..SourceRecord::default()
        }
    }

    fn survive(config: &SurvivorshipConfig, records: &[(SourceRecord, i64)]) -> Survived {
        let normalized: Vec<NormalizedRecord> = records
            .iter()
            .map(|(record, _)| {
                normalize_record(record, &NormalizeConfig::default()).expect("valid")
            })
            .collect();
        let members: Vec<Contribution<'_>> = records
            .iter()
            .zip(&normalized)
            .enumerate()
            .map(
                |(index, ((record, observed_at), normalized))| Contribution {
                    record_id: index as i64 + 1,
                    record,
                    normalized,
                    observed_at: *observed_at,
                },
            )
            .collect();
        Survivorship::new(config).expect("config").survive(&members)
    }

    #[test]
    fn source_priority_beats_recency() {
        let mut config = SurvivorshipConfig::default();
        config.source_priority.insert("billing".into(), 10);
        let survived = survive(
            &config,
            &[
                (
                    record(
                        "billing",
                        "b1",
                        "Ada",
                        "ada@work.com",
                        "Analytical Engines Ltd",
                    ),
                    1,
                ),
                (
                    record("crm", "c1", "Augusta Ada", "ada@home.org", "Babbage & Co"),
                    2,
                ),
            ],
        );
        let company = survived.attributes.company.expect("company");
        assert_eq!(company.value, "Analytical Engines Ltd");
        assert_eq!(company.lineage.rule, SurvivorshipRule::SourcePriority);
        assert_eq!(survived.attributes.emails[0].normalized, "ada@work.com");
        assert_eq!(survived.attributes.emails.len(), 2);
    }

    #[test]
    fn recency_then_frequency_decide_without_priorities() {
        let config = SurvivorshipConfig::default();
        let survived = survive(
            &config,
            &[
                (record("a", "1", "Ada", "ada@x.com", "Old Name"), 5),
                (record("b", "2", "Ada", "ada@x.com", "New Name"), 9),
            ],
        );
        let company = survived.attributes.company.expect("company");
        assert_eq!(company.value, "New Name");
        assert_eq!(company.lineage.rule, SurvivorshipRule::MostRecent);
        assert_eq!(
            survived.attributes.emails[0].lineage.rule,
            SurvivorshipRule::Agreed
        );

        let frequency_first = SurvivorshipConfig {
            rules: vec!["most_frequent".into(), "most_recent".into()],
            ..SurvivorshipConfig::default()
        };
        let survived = survive(
            &frequency_first,
            &[
                (record("a", "1", "Ada", "ada@x.com", "Common"), 1),
                (record("b", "2", "Ada", "ada@x.com", "Common"), 2),
                (record("c", "3", "Ada", "ada@x.com", "Rare"), 3),
            ],
        );
        let company = survived.attributes.company.expect("company");
        assert_eq!(company.value, "Common");
        assert_eq!(company.lineage.rule, SurvivorshipRule::MostFrequent);
    }

    #[test]
    fn names_survive_whole_and_lineage_names_the_record() {
        let config = SurvivorshipConfig::default();
        let survived = survive(
            &config,
            &[
                (record("a", "1", "Ada", "ada@x.com", ""), 1),
                (record("b", "2", "Augusta Ada", "ada@x.com", ""), 2),
            ],
        );
        let name = survived.attributes.name.expect("name");
        assert_eq!(
            (name.given.as_str(), name.family.as_str()),
            ("Augusta Ada", "Lovelace")
        );
        let name_lineage = survived
            .lineage
            .iter()
            .find(|entry| entry.attribute == AttributeName::Name)
            .expect("lineage");
        assert_eq!(name_lineage.record_id, 2);
    }

    #[test]
    fn a_complete_name_beats_a_newer_partial_one() {
        let mut partial = record("newsletter", "n1", "Ada", "ada@x.com", "");
        partial.family_name.clear();
        let survived = survive(
            &SurvivorshipConfig::default(),
            &[
                (record("billing", "b1", "Ada", "ada@x.com", ""), 1),
                (partial, 9),
            ],
        );
        let name = survived.attributes.name.expect("name");
        assert_eq!(name.display, "Ada Lovelace");
        assert_eq!(name.lineage.rule, SurvivorshipRule::MostComplete);
    }

    #[test]
    fn unknown_rules_are_rejected() {
        let config = SurvivorshipConfig {
            rules: vec!["loudest".into()],
            ..SurvivorshipConfig::default()
        };
        assert!(Survivorship::new(&config).is_err());
    }
}
