//! Identifiers: golden ids (stable, minted by the hub) and source record keys.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ModelError;

/// The stable id of a golden record.
///
/// A UUIDv7 in its hyphenated lower-case form: time-ordered, so that ids minted
/// earlier sort first, and opaque to callers. An id absorbed by a merge keeps
/// resolving through a redirect, so a `GoldenId` handed out once stays valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GoldenId(String);

impl GoldenId {
    /// Mints a new, time-ordered id.
    pub fn mint() -> Self {
        Self(uuid::Uuid::now_v7().hyphenated().to_string())
    }

    /// Parses an id received from a caller.
    pub fn parse(value: &str) -> Result<Self, ModelError> {
        let trimmed = value.trim();
        match uuid::Uuid::try_parse(trimmed) {
            Ok(uuid) => Ok(Self(uuid.hyphenated().to_string())),
            Err(_) => Err(ModelError::InvalidGoldenId(value.to_owned())),
        }
    }

    /// Wraps an id read back from storage, which was valid when written.
    pub fn from_stored(value: String) -> Self {
        Self(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GoldenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The identity of a source record: which system, and its id there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceKey {
    pub source: String,
    pub external_id: String,
}

impl SourceKey {
    pub fn new(source: impl Into<String>, external_id: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            external_id: external_id.into(),
        }
    }
}

impl fmt::Display for SourceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.source, self.external_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_ids_parse_and_sort_by_creation() {
        let first = GoldenId::mint();
        let second = GoldenId::mint();
        assert_eq!(GoldenId::parse(first.as_str()), Ok(first.clone()));
        assert!(first < second);
    }

    #[test]
    fn parse_rejects_garbage_and_normalizes_case() {
        assert!(GoldenId::parse("not-an-id").is_err());
        let upper = "0192F3B0-0000-7000-8000-000000000001";
        assert_eq!(
            GoldenId::parse(upper).map(|id| id.to_string()),
            Ok(upper.to_lowercase())
        );
    }
}
