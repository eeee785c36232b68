//! The deterministic matcher: records that share a canonical e-mail, an E.164
//! phone or an explicit cross-reference are the same customer, unless an
//! over-merge guard ([`super::guards`]) says the identifier is shared.

use c360_model::NormalizedRecord;
use c360_model::normalize::name::given_names_compatible;

use super::guards::{GuardConfig, IdentifierGuard};
use super::{Decision, IndexKey, MatchSubject, Matcher, keys};
use crate::config::MatchingConfig;

#[derive(Debug, Clone)]
pub struct DeterministicMatcher {
    guard: IdentifierGuard,
    link_on_email: bool,
    link_on_phone: bool,
    link_on_reference: bool,
    phone_requires_compatible_names: bool,
    email_requires_compatible_names: bool,
}

impl DeterministicMatcher {
    pub fn new(config: &MatchingConfig) -> Self {
        let enabled = |name: &str| config.link_on.iter().any(|value| value == name);
        let GuardConfig {
            phone_requires_compatible_names,
            email_requires_compatible_names,
            ..
        } = config.guards;
        Self {
            guard: IdentifierGuard::new(&config.guards),
            link_on_email: enabled("email"),
            link_on_phone: enabled("phone"),
            link_on_reference: enabled("cross_reference"),
            phone_requires_compatible_names,
            email_requires_compatible_names,
        }
    }
}

impl Matcher for DeterministicMatcher {
    fn index_keys(&self, subject: &MatchSubject<'_>) -> Vec<IndexKey> {
        let mut index = Vec::new();
        for email in &subject.normalized.emails {
            let allowed = self
                .guard
                .email_may_link(&email.local_part, &email.domain, &email.canonical)
                .is_ok();
            index.push(IndexKey {
                key: keys::email(&email.canonical),
                linkable: self.link_on_email && allowed,
            });
        }
        for phone in &subject.normalized.phones {
            index.push(IndexKey {
                key: keys::phone(&phone.e164),
                linkable: self.link_on_phone && self.guard.phone_may_link(&phone.e164).is_ok(),
            });
        }
        // Every record is findable under its own id, and links to the records it
        // references: a reference in either direction meets under one key.
        index.push(IndexKey {
            key: keys::reference(subject.source, subject.external_id),
            linkable: self.link_on_reference,
        });
        for reference in subject.cross_references {
            index.push(IndexKey {
                key: keys::reference(&reference.source, &reference.external_id),
                linkable: self.link_on_reference,
            });
        }
        index.sort_by(|left, right| left.key.cmp(&right.key));
        index.dedup_by(|left, right| left.key == right.key);
        index
    }

    fn key_is_shared(&self, key: &str, distinct_names: usize) -> bool {
        // Cross-references are explicit statements by a source, not shared identifiers.
        !key.starts_with(keys::REFERENCE) && self.guard.is_shared(distinct_names)
    }

    fn compare(
        &self,
        subject: &MatchSubject<'_>,
        candidate: &NormalizedRecord,
        key: &str,
    ) -> Decision {
        let needs_names = (key.starts_with(keys::PHONE) && self.phone_requires_compatible_names)
            || (key.starts_with(keys::EMAIL) && self.email_requires_compatible_names);
        if needs_names
            && let (Some(mine), Some(theirs)) = (&subject.normalized.name, &candidate.name)
            && !given_names_compatible(mine, theirs)
        {
            return Decision::NoLink {
                reason: format!("{key} shared by {:?} and {:?}", mine.given, theirs.given),
            };
        }
        Decision::Link {
            reason: key.to_owned(),
        }
    }

    fn person_key(&self, normalized: &NormalizedRecord) -> Option<String> {
        let name = normalized.name.as_ref()?;
        let first_given = name.given_key.split(' ').next().unwrap_or_default();
        (!first_given.is_empty()).then(|| first_given.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use c360_model::{NormalizeConfig, SourceRecord, normalize_record};

    use super::*;

    fn normalized(given: &str, email: &str, phone: &str) -> NormalizedRecord {
        let record = SourceRecord {
            source: "crm".into(),
            external_id: "1".into(),
            given_name: given.into(),
            family_name: "Doe".into(),
            emails: vec![email.into()],
            phones: vec![phone.into()],
            ..SourceRecord::default()
        };
        normalize_record(&record, &NormalizeConfig::default()).expect("valid record")
    }

    fn subject(normalized: &NormalizedRecord) -> MatchSubject<'_> {
        MatchSubject {
            source: "crm",
            external_id: "1",
            normalized,
            cross_references: &[],
        }
    }

    #[test]
    fn role_addresses_are_indexed_but_not_linkable() {
        let matcher = DeterministicMatcher::new(&MatchingConfig::default());
        let record = normalized("Ada", "info@acme.com", "+1 415 555 2671");
        let index = matcher.index_keys(&subject(&record));
        let email = index
            .iter()
            .find(|key| key.key == "email:info@acme.com")
            .expect("indexed");
        assert!(!email.linkable);
        let phone = index
            .iter()
            .find(|key| key.key == "phone:+14155552671")
            .expect("indexed");
        assert!(phone.linkable);
    }

    #[test]
    fn a_shared_phone_does_not_link_different_people() {
        let matcher = DeterministicMatcher::new(&MatchingConfig::default());
        let anna = normalized("Anna", "anna@x.org", "+1 415 555 2671");
        let peter = normalized("Peter", "peter@x.org", "+1 415 555 2671");
        let anna_again = normalized("A.", "anna.d@x.org", "+1 415 555 2671");
        let key = "phone:+14155552671";
        assert!(matches!(
            matcher.compare(&subject(&anna), &peter, key),
            Decision::NoLink { .. }
        ));
        assert!(matches!(
            matcher.compare(&subject(&anna), &anna_again, key),
            Decision::Link { .. }
        ));
        // E-mail links do not ask for names by default: people change names.
        assert!(matches!(
            matcher.compare(&subject(&anna), &peter, "email:anna@x.org"),
            Decision::Link { .. }
        ));
    }
}
