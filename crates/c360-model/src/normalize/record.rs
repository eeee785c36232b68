//! Normalizing a whole source record: every field's comparable form at once.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::NormalizeConfig;
use super::email::{NormalizedEmail, normalize_email};
use super::name::{NormalizedName, normalize_company, normalize_name};
use super::phone::{NormalizedPhone, normalize_phone};
use super::text::comparison_key;
use crate::error::ModelError;
use crate::record::{PostalAddress, SourceRecord};

/// A postal address with its comparison key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormalizedAddress {
    pub raw: PostalAddress,
    /// Diacritic-free, case-folded one-line form used to compare addresses.
    pub key: String,
}

/// The comparable forms of a [`SourceRecord`]; the raw record is stored beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NormalizedRecord {
    pub name: Option<NormalizedName>,
    /// Valid addresses, one per canonical form, in the source's order.
    pub emails: Vec<NormalizedEmail>,
    /// Phones that parsed to a valid E.164 number, one per number.
    pub phones: Vec<NormalizedPhone>,
    /// Phones that did not parse: kept (raw) but never used as a match key.
    pub unparsed_phones: Vec<String>,
    pub addresses: Vec<NormalizedAddress>,
    pub company_key: Option<String>,
    pub birth_date: Option<NaiveDate>,
}

/// Normalizes every field of `record`.
///
/// Fails only on values that cannot be what the field says (an e-mail that is
/// not an address, a birth date that is not a date); the caller reports those.
/// A phone that does not parse is kept in `unparsed_phones` instead: phone
/// columns routinely hold "n/a" or extensions, and losing the record for it
/// would lose more than it protects.
pub fn normalize_record(
    record: &SourceRecord,
    config: &NormalizeConfig,
) -> Result<NormalizedRecord, ModelError> {
    let mut normalized = NormalizedRecord {
        name: normalize_name(
            &record.given_name,
            &record.family_name,
            &record.full_name,
            &config.text,
        ),
        company_key: normalize_company(&record.company, &config.text),
        birth_date: record.parsed_birth_date()?,
        ..NormalizedRecord::default()
    };
    for (index, raw) in record.emails.iter().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let email = normalize_email(raw, &config.email)
            .map_err(|error| ModelError::field(format!("emails[{index}]"), error.to_string()))?;
        if !normalized
            .emails
            .iter()
            .any(|seen| seen.canonical == email.canonical)
        {
            normalized.emails.push(email);
        }
    }
    for raw in &record.phones {
        if raw.trim().is_empty() {
            continue;
        }
        match normalize_phone(raw, config.default_region.as_deref()) {
            Ok(phone) => {
                if !normalized.phones.iter().any(|seen| seen.e164 == phone.e164) {
                    normalized.phones.push(phone);
                }
            }
            Err(_) => normalized.unparsed_phones.push(raw.clone()),
        }
    }
    for address in &record.addresses {
        if address.is_empty() {
            continue;
        }
        let key = comparison_key(&address.one_line(), &config.text);
        if !normalized.addresses.iter().any(|seen| seen.key == key) {
            normalized.addresses.push(NormalizedAddress {
                raw: address.clone(),
                key,
            });
        }
    }
    Ok(normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_every_field_and_keeps_bad_phones_raw() {
        let record = SourceRecord {
            source: "crm".into(),
            external_id: "1".into(),
            given_name: "Ada".into(),
            family_name: "Lovelace".into(),
            emails: vec![
                " Ada.Lovelace+news@Example.com ".into(),
                "ada.lovelace@example.com".into(),
            ],
            phones: vec!["+44 20 7946 0958".into(), "n/a".into()],
            birth_date: "1815-12-10".into(),
            ..SourceRecord::default()
        };
        let normalized = normalize_record(&record, &NormalizeConfig::default()).expect("valid");
        assert_eq!(normalized.emails.len(), 1);
        assert_eq!(normalized.emails[0].canonical, "ada.lovelace@example.com");
        assert_eq!(normalized.phones[0].e164, "+442079460958");
        assert_eq!(normalized.unparsed_phones, vec!["n/a".to_owned()]);
        assert_eq!(normalized.birth_date, NaiveDate::from_ymd_opt(1815, 12, 10));
    }

    #[test]
    fn an_invalid_email_names_its_position() {
        let record = SourceRecord {
            source: "crm".into(),
            external_id: "1".into(),
            emails: vec!["ok@example.com".into(), "not an address".into()],
            ..SourceRecord::default()
        };
        let error = normalize_record(&record, &NormalizeConfig::default()).expect_err("invalid");
        assert_eq!(error.field_name(), "emails[1]");
    }
}
