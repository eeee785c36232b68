//! Source records: a customer as one source system sees them, raw.
//!
//! Nothing here is normalized: the raw values are what the source said and are
//! kept forever. [`crate::normalized`] derives the comparable forms.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ModelError;
use crate::ids::SourceKey;

/// Longest external id or source name we accept; longer ones are a client bug.
pub const MAX_ID_LEN: usize = 256;
/// Longest single text value we accept in a record.
pub const MAX_VALUE_LEN: usize = 4096;

/// A postal address as the source wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct PostalAddress {
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 where the source knows it, else whatever it wrote.
    pub country: String,
}

impl PostalAddress {
    pub fn is_empty(&self) -> bool {
        [
            &self.line1,
            &self.line2,
            &self.city,
            &self.region,
            &self.postal_code,
            &self.country,
        ]
        .iter()
        .all(|part| part.trim().is_empty())
    }

    /// One line for display: non-empty parts joined by ", ".
    pub fn one_line(&self) -> String {
        [
            &self.line1,
            &self.line2,
            &self.postal_code,
            &self.city,
            &self.region,
            &self.country,
        ]
        .iter()
        .map(|part| part.trim())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// A customer record from one source system.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceRecord {
    /// The system this came from (`billing`, `crm-sheet`, …).
    pub source: String,
    /// The record's id in that system.
    pub external_id: String,
    pub given_name: String,
    pub family_name: String,
    /// The full name when the source keeps only one field.
    pub full_name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub addresses: Vec<PostalAddress>,
    pub company: String,
    /// ISO 8601 date (`YYYY-MM-DD`).
    pub birth_date: String,
    /// Ids of the same customer in other systems, as this source knows them
    /// (a billing customer that stores the CRM id, say). A strong link.
    pub cross_references: Vec<SourceKey>,
    /// When the source last changed the record; drives "most recent" survivorship.
    pub updated_at: Option<DateTime<Utc>>,
    /// Anything else the source says (plan, language, …), kept verbatim.
    pub attributes: BTreeMap<String, String>,
}

impl SourceRecord {
    pub fn key(&self) -> SourceKey {
        SourceKey::new(self.source.clone(), self.external_id.clone())
    }

    /// The display form of the name: `full_name`, or given + family.
    pub fn display_name(&self) -> String {
        let full = self.full_name.trim();
        if !full.is_empty() {
            return full.to_owned();
        }
        let joined = format!("{} {}", self.given_name.trim(), self.family_name.trim());
        joined.trim().to_owned()
    }

    /// Parses `birth_date`, if present.
    pub fn parsed_birth_date(&self) -> Result<Option<NaiveDate>, ModelError> {
        let value = self.birth_date.trim();
        if value.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                ModelError::field("birth_date", format!("{value:?} is not a YYYY-MM-DD date"))
            })
    }

    /// Structural checks: ids present and bounded, values bounded, something
    /// that identifies a person present. Content problems (an unparseable phone)
    /// are not errors: the raw value is kept and simply not used as a key.
    pub fn validate(&self) -> Result<(), ModelError> {
        check_id("source", &self.source)?;
        check_id("external_id", &self.external_id)?;
        let texts = [
            ("given_name", &self.given_name),
            ("family_name", &self.family_name),
            ("full_name", &self.full_name),
            ("company", &self.company),
        ];
        for (field, value) in texts {
            check_len(field, value)?;
        }
        for (index, value) in self.emails.iter().enumerate() {
            check_len(&format!("emails[{index}]"), value)?;
        }
        for (index, value) in self.phones.iter().enumerate() {
            check_len(&format!("phones[{index}]"), value)?;
        }
        for (index, reference) in self.cross_references.iter().enumerate() {
            check_id(
                &format!("cross_references[{index}].source"),
                &reference.source,
            )?;
            check_id(
                &format!("cross_references[{index}].external_id"),
                &reference.external_id,
            )?;
        }
        for (key, value) in &self.attributes {
            check_len(&format!("attributes.{key}"), value)?;
        }
        self.parsed_birth_date()?;
        let identifies_someone = !self.display_name().is_empty()
            || self.emails.iter().any(|email| !email.trim().is_empty())
            || self.phones.iter().any(|phone| !phone.trim().is_empty())
            || !self.cross_references.is_empty();
        if !identifies_someone {
            return Err(ModelError::field(
                "record",
                "has no name, e-mail, phone or cross-reference",
            ));
        }
        Ok(())
    }
}

fn check_id(field: &str, value: &str) -> Result<(), ModelError> {
    if value.trim().is_empty() {
        return Err(ModelError::field(field, "must not be empty"));
    }
    if value.len() > MAX_ID_LEN {
        return Err(ModelError::field(
            field,
            format!("is {} bytes, at most {MAX_ID_LEN} allowed", value.len()),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(ModelError::field(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

fn check_len(field: &str, value: &str) -> Result<(), ModelError> {
    if value.len() > MAX_VALUE_LEN {
        return Err(ModelError::field(
            field,
            format!("is {} bytes, at most {MAX_VALUE_LEN} allowed", value.len()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> SourceRecord {
        SourceRecord {
            source: "billing".into(),
            external_id: "cus_1".into(),
            emails: vec!["ada@example.com".into()],
            ..SourceRecord::default()
        }
    }

    #[test]
    fn a_record_with_an_email_is_valid() {
        assert_eq!(record().validate(), Ok(()));
    }

    #[test]
    fn missing_ids_name_the_field() {
        let mut missing = record();
        missing.external_id = "  ".into();
        let error = missing.validate().expect_err("must fail");
        assert_eq!(error.field_name(), "external_id");
    }

    #[test]
    fn a_record_that_identifies_nobody_is_rejected() {
        let mut empty = record();
        empty.emails.clear();
        assert_eq!(
            empty.validate().expect_err("must fail").field_name(),
            "record"
        );
    }

    #[test]
    fn birth_dates_must_be_iso() {
        let mut dated = record();
        dated.birth_date = "31/12/1980".into();
        assert_eq!(
            dated.validate().expect_err("must fail").field_name(),
            "birth_date"
        );
        dated.birth_date = "1980-12-31".into();
        assert_eq!(
            dated.parsed_birth_date(),
            Ok(NaiveDate::from_ymd_opt(1980, 12, 31))
        );
    }
}
