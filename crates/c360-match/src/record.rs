//! What the engine compares of a record: normalized text per field.
//!
//! Callers fill a [`MatchRecord`] from whatever they hold (a hub record, a CSV
//! row); [`crate::prepared`] does the rest. Text is expected in comparison-key
//! form (case-folded, accents removed: `c360_model`'s `comparison_key`);
//! [`MatchRecord::clean`] applies it for callers holding raw text.

use c360_model::normalize::text::{TextRules, comparison_key};
use c360_model::{NormalizedRecord, SourceRecord};
use serde::{Deserialize, Serialize};

/// A birth date as its parts, not a calendar date: a corrupted "1956-13-09"
/// still agrees with "1956-09-13" on two parts and transposed on the third.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DateParts {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl DateParts {
    /// Packs into one non-zero integer (0 means "no date").
    pub fn pack(self) -> u32 {
        (u32::from(self.year) << 16) | (u32::from(self.month) << 8) | u32::from(self.day) | 1 << 31
    }

    pub fn unpack(packed: u32) -> Option<Self> {
        (packed != 0).then_some(Self {
            year: ((packed >> 16) & 0x7fff) as u16,
            month: ((packed >> 8) & 0xff) as u8,
            day: (packed & 0xff) as u8,
        })
    }

    /// Reads `YYYYMMDD`, `YYYY-MM-DD`, `YYYY/MM/DD`, `DD/MM/YYYY`, `DD.MM.YYYY`
    /// and `DD-MM-YYYY`. Parts are range-checked loosely (month and day
    /// 1..=31) so a swapped or mistyped date keeps its evidence.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let digits: Vec<&str> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|part| !part.is_empty())
            .collect();
        let (year, month, day) = match digits.as_slice() {
            [compact] if compact.len() == 8 => (&compact[0..4], &compact[4..6], &compact[6..8]),
            [first, month, last] if first.len() == 4 => (*first, *month, *last),
            [first, month, last] if last.len() == 4 => (*last, *month, *first),
            _ => return None,
        };
        let year: u16 = year.parse().ok()?;
        let month: u8 = month.parse().ok()?;
        let day: u8 = day.parse().ok()?;
        let plausible =
            (1000..=2999).contains(&year) && (1..=31).contains(&month) && (1..=31).contains(&day);
        plausible.then_some(Self { year, month, day })
    }
}

/// The comparable fields of one record. Empty text means "missing".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchRecord {
    pub given: String,
    pub family: String,
    /// Canonical e-mail addresses.
    pub emails: Vec<String>,
    /// E.164 phone numbers.
    pub phones: Vec<String>,
    pub street_number: String,
    /// Street name without the number.
    pub street: String,
    /// Second address line: building, unit, complex.
    pub address_extra: String,
    /// City, suburb or town.
    pub locality: String,
    pub postcode: String,
    /// State, province or region.
    pub region: String,
    pub birth_date: Option<DateParts>,
    /// A government or tax id (SSN, TIN, national id number).
    pub national_id: String,
    pub company: String,
}

/// The attribute a source record keeps a national or tax id under.
pub const NATIONAL_ID_ATTRIBUTE: &str = "national_id";

impl MatchRecord {
    /// The engine's view of a stored source record. The birth date comes from
    /// the normalized record, or leniently from the raw text (a corrupted date
    /// still carries evidence in its parts).
    pub fn from_source(
        record: &SourceRecord,
        normalized: &NormalizedRecord,
        rules: &TextRules,
    ) -> Self {
        let (given, family) = normalized
            .name
            .as_ref()
            .map(|name| (name.given_key.clone(), name.family_key.clone()))
            .unwrap_or_default();
        let address = normalized
            .addresses
            .first()
            .map(|address| address.raw.clone())
            .unwrap_or_default();
        let (street_number, street) = Self::split_street_line(&address.line1);
        let birth_date = normalized
            .birth_date
            .map(|date| {
                use chrono::Datelike;
                DateParts {
                    year: u16::try_from(date.year()).unwrap_or(0),
                    month: u8::try_from(date.month()).unwrap_or(0),
                    day: u8::try_from(date.day()).unwrap_or(0),
                }
            })
            .or_else(|| DateParts::parse(&record.birth_date));
        let cleaned = Self {
            street_number,
            street,
            address_extra: address.line2,
            locality: address.city,
            postcode: address.postal_code,
            region: address.region,
            national_id: record
                .attributes
                .get(NATIONAL_ID_ATTRIBUTE)
                .cloned()
                .unwrap_or_default(),
            company: normalized.company_key.clone().unwrap_or_default(),
            ..Self::default()
        }
        .clean(rules);
        Self {
            given,
            family,
            emails: normalized
                .emails
                .iter()
                .map(|email| email.canonical.clone())
                .collect(),
            phones: normalized
                .phones
                .iter()
                .map(|phone| phone.e164.clone())
                .collect(),
            birth_date,
            ..cleaned
        }
    }

    /// Brings raw text fields into comparison-key form: case folded, accents
    /// removed, whitespace collapsed, ids reduced to letters and digits.
    pub fn clean(mut self, rules: &TextRules) -> Self {
        for field in [
            &mut self.given,
            &mut self.family,
            &mut self.street,
            &mut self.address_extra,
            &mut self.locality,
            &mut self.region,
            &mut self.company,
        ] {
            *field = comparison_key(field, rules);
        }
        for field in [
            &mut self.street_number,
            &mut self.postcode,
            &mut self.national_id,
        ] {
            *field = field
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
        }
        self
    }

    /// Splits a first address line into its house number and street:
    /// "7 wallaby place" → ("7", "wallaby place"); "Hauptstraße 5" → ("5", "hauptstraße").
    pub fn split_street_line(line: &str) -> (String, String) {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let is_number = |token: &&str| {
            token.chars().next().is_some_and(|c| c.is_ascii_digit())
                && token.chars().filter(char::is_ascii_digit).count() * 2 >= token.len()
        };
        let Some(position) = tokens.iter().position(is_number) else {
            return (String::new(), tokens.join(" "));
        };
        let number = tokens[position].trim_end_matches(',').to_owned();
        let street: Vec<&str> = tokens
            .iter()
            .enumerate()
            .filter(|(index, _)| *index != position)
            .map(|(_, token)| token.trim_end_matches(','))
            .collect();
        (number, street.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_common_layouts_and_keep_corrupt_parts() {
        let expected = Some(DateParts {
            year: 1956,
            month: 4,
            day: 9,
        });
        assert_eq!(DateParts::parse("19560409"), expected);
        assert_eq!(DateParts::parse("1956-04-09"), expected);
        assert_eq!(DateParts::parse("09/04/1956"), expected);
        assert_eq!(DateParts::parse("09.04.1956"), expected);
        // A digit error that leaves month 13 is still evidence.
        assert_eq!(
            DateParts::parse("19561309").map(|date| date.month),
            Some(13)
        );
        assert_eq!(DateParts::parse("n/a"), None);
        assert_eq!(DateParts::parse("1956"), None);
        let packed = DateParts::parse("1956-04-09").map(DateParts::pack);
        assert_eq!(packed.and_then(DateParts::unpack), expected);
    }

    #[test]
    fn street_lines_split_into_number_and_street() {
        assert_eq!(
            MatchRecord::split_street_line("7 wallaby place"),
            ("7".into(), "wallaby place".into())
        );
        assert_eq!(
            MatchRecord::split_street_line("hauptstraße 5"),
            ("5".into(), "hauptstraße".into())
        );
        assert_eq!(
            MatchRecord::split_street_line("calle mayor"),
            (String::new(), "calle mayor".into())
        );
    }
}
