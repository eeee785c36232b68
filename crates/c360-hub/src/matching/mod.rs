//! Matching: which stored records a new or changed record belongs with.
//!
//! The hub drives matching through the [`Matcher`] trait so that the
//! deterministic engine here can be replaced by the probabilistic engine
//! (`c360-match`) without touching ingest:
//!
//! 1. [`Matcher::index_keys`] lists the keys a record is indexed under; the hub
//!    persists them in `block_keys` and looks candidates up by them.
//! 2. [`Matcher::key_is_shared`] says whether a key is carried by so many
//!    different people that it no longer identifies one (cardinality guard).
//! 3. [`Matcher::compare`] decides, for one candidate found through a key,
//!    whether to link.
//!
//! The hub then clusters links with union-find over records and golden records.

pub mod deterministic;
pub mod guards;

use c360_model::NormalizedRecord;

pub use deterministic::DeterministicMatcher;
pub use guards::{GuardConfig, IdentifierGuard};

/// One key a record is indexed under, e.g. `email:ada@example.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexKey {
    pub key: String,
    /// False when the key may never link records on its own (a role address,
    /// a placeholder, a block-listed value): indexed for lookups only.
    pub linkable: bool,
}

/// What a matcher sees of a record.
#[derive(Debug, Clone, Copy)]
pub struct MatchSubject<'a> {
    pub source: &'a str,
    pub external_id: &'a str,
    pub normalized: &'a NormalizedRecord,
    pub cross_references: &'a [c360_model::SourceKey],
}

/// A matcher's verdict on one pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Same customer; `reason` is kept as the membership's explanation.
    Link {
        reason: String,
    },
    NoLink {
        reason: String,
    },
}

pub trait Matcher: Send + Sync + 'static {
    fn index_keys(&self, subject: &MatchSubject<'_>) -> Vec<IndexKey>;
    /// True when `distinct_names` different people carry a key.
    fn key_is_shared(&self, key: &str, distinct_names: usize) -> bool;
    fn compare(
        &self,
        subject: &MatchSubject<'_>,
        candidate: &NormalizedRecord,
        key: &str,
    ) -> Decision;
    /// The name key recorded per key in the cardinality statistics.
    fn person_key(&self, normalized: &NormalizedRecord) -> Option<String>;
}

/// Key prefixes, shared by every matcher and by lookups.
pub mod keys {
    pub const EMAIL: &str = "email:";
    pub const PHONE: &str = "phone:";
    pub const REFERENCE: &str = "ref:";

    pub fn email(canonical: &str) -> String {
        format!("{EMAIL}{canonical}")
    }

    pub fn phone(e164: &str) -> String {
        format!("{PHONE}{e164}")
    }

    pub fn reference(source: &str, external_id: &str) -> String {
        format!("{REFERENCE}{source}:{external_id}")
    }
}
