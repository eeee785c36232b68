//! Phone numbers in E.164, parsed with libphonenumber's metadata.
//!
//! Source systems write numbers in every local habit: national format with a
//! trunk zero ("030 1234567"), the "00" international prefix, the German
//! "+49 (0)30 …" notation, Persian digits, extensions. We turn all of these
//! into E.164 (`+49301234567`) and accept only numbers the `phonenumber`
//! crate considers valid for their country, so placeholders such as
//! "000-000-0000" never become a match key.

use std::str::FromStr;
use std::sync::Once;

use phonenumber::{Mode, PhoneNumber, country};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::text::fold_digits;
use crate::error::ModelError;

/// A phone number as given and in E.164.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NormalizedPhone {
    /// The value exactly as the source sent it.
    pub raw: String,
    /// `+` country code and national number, no extension.
    pub e164: String,
}

/// Parses `raw`, reading numbers without a country code as `default_region`'s.
///
/// `default_region` is an ISO 3166-1 alpha-2 code ("DE", "us"); an unknown
/// code is treated as no region. Extensions are dropped: E.164 has none, and
/// a shared switchboard number is still a useful key.
pub fn normalize_phone(
    raw: &str,
    default_region: Option<&str>,
) -> Result<NormalizedPhone, ModelError> {
    let invalid = |reason: &str| ModelError::InvalidPhone {
        value: raw.to_owned(),
        reason: reason.to_owned(),
    };
    let cleaned = clean_number(raw);
    let digits: String = cleaned.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Err(invalid("contains no digits"));
    }
    if is_placeholder(&digits) {
        return Err(invalid("looks like a placeholder"));
    }
    let region = default_region.and_then(parse_region);
    if region.is_none() && !cleaned.starts_with('+') {
        return Err(invalid("no country code and no default region"));
    }
    // A number with its country code is parsed without the default region:
    // the `phonenumber` crate otherwise validates some of them (German and
    // Chinese mobiles, UK geographic numbers) against the wrong country.
    let parse_region = if cleaned.starts_with('+') {
        None
    } else {
        region
    };
    widen_regex_cache();
    let number = phonenumber::parse(parse_region, &cleaned)
        .map_err(|error| invalid(&format!("cannot be parsed: {error}")))?;
    if !phonenumber::is_valid(&number) {
        return Err(invalid("not a valid number for its country"));
    }
    Ok(NormalizedPhone {
        raw: raw.to_owned(),
        e164: format_e164(&number),
    })
}

/// Regular expressions `phonenumber` keeps compiled, across all countries.
const REGEX_CACHE_CAPACITY: usize = 4096;

/// `phonenumber` compiles its metadata's patterns on first use into one
/// shared LRU cache of 100 entries. Customers from a handful of countries
/// need more than that, so every parse evicted and recompiled patterns: a
/// tenth of all ingest CPU went to regex compilation. The cache's entries are
/// looked up by pattern text, so swapping in a larger empty cache is safe.
fn widen_regex_cache() {
    static WIDENED: Once = Once::new();
    WIDENED.call_once(|| {
        let cache = phonenumber::metadata::DATABASE.cache();
        let mut cache = cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *cache = regex_cache::RegexCache::new(REGEX_CACHE_CAPACITY);
    });
}

/// Brings local habits into a form the parser reads the same everywhere.
fn clean_number(raw: &str) -> String {
    // NFKC turns full-width digits and "＋" into ASCII; Persian and
    // Arabic-Indic digits need their own mapping.
    let ascii = fold_digits(&raw.nfkc().collect::<String>());
    let number = without_extension(&ascii)
        // "+49 (0)30 …" shows the trunk zero one dials only within the country.
        .replace("(0)", "");
    let number = number.trim();
    // "00" is the international call prefix in most of the world; the
    // parser only knows it when the default region uses it.
    match number.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => number.to_owned(),
    }
}

/// Cuts an extension ("x123", "ext. 5", "#12") off the end of the number.
fn without_extension(number: &str) -> &str {
    let lower = number.to_ascii_lowercase();
    let first_digit = lower.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
    let marker = ["ext", "x", "#", ";ext="]
        .iter()
        .filter_map(|marker| lower[first_digit..].find(marker))
        .min();
    match marker {
        // ASCII lower-casing keeps byte offsets, so they index `number` too.
        Some(offset) => &number[..first_digit + offset],
        None => number,
    }
}

/// Digit strings people type when a form insists on a phone number.
fn is_placeholder(digits: &str) -> bool {
    let all_same = digits.chars().all(|c| digits.starts_with(c));
    let ascending = digits.len() >= 7
        && digits
            .as_bytes()
            .windows(2)
            .all(|pair| pair[1] == pair[0] + 1 || (pair[0] == b'9' && pair[1] == b'0'));
    all_same || ascending
}

/// The CLDR region for an ISO code; "UK" is accepted for "GB" as people write it.
fn parse_region(code: &str) -> Option<country::Id> {
    let code = code.trim().to_ascii_uppercase();
    let code = if code == "UK" { "GB".to_owned() } else { code };
    country::Id::from_str(&code).ok()
}

fn format_e164(number: &PhoneNumber) -> String {
    number.format().mode(Mode::E164).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(raw: &str, region: Option<&str>) -> String {
        normalize_phone(raw, region)
            .unwrap_or_else(|error| panic!("{raw:?} should parse: {error}"))
            .e164
    }

    fn reason(raw: &str, region: Option<&str>) -> String {
        match normalize_phone(raw, region) {
            Err(ModelError::InvalidPhone { value, reason }) => {
                assert_eq!(value, raw);
                reason
            }
            other => panic!("expected an invalid phone for {raw:?}, got {other:?}"),
        }
    }

    #[test]
    fn international_numbers_ignore_the_default_region() {
        for (raw, expected) in [
            ("+49 178 62648694", "+4917862648694"),
            ("+49-157-81427601", "+4915781427601"),
            ("+8618665025755", "+8618665025755"),
            ("+44 161 496 0000", "+441614960000"),
        ] {
            assert_eq!(e164(raw, Some("US")), expected);
            assert_eq!(e164(raw, None), expected);
        }
    }

    #[test]
    fn parses_national_formats_with_the_default_region() {
        assert_eq!(e164("(415) 555-2671", Some("US")), "+14155552671");
        assert_eq!(e164("030 1234567", Some("DE")), "+49301234567");
        assert_eq!(e164("0532 123 45 67", Some("TR")), "+905321234567");
        assert_eq!(e164("138 0013 8000", Some("CN")), "+8613800138000");
        assert_eq!(e164("020 7946 0958", Some("uk")), "+442079460958");
    }

    #[test]
    fn parses_international_formats() {
        assert_eq!(e164("+49 (0)30 1234567", None), "+49301234567");
        assert_eq!(e164("0049 30 1234567", None), "+49301234567");
        assert_eq!(e164("0049 30 1234567", Some("DE")), "+49301234567");
        assert_eq!(e164("+34 612 34 56 78", Some("US")), "+34612345678");
        assert_eq!(e164("+44 20 7946 0958", Some("US")), "+442079460958");
    }

    #[test]
    fn converts_persian_digits() {
        assert_eq!(e164("۰۹۱۲ ۳۴۵ ۶۷۸۹", Some("IR")), "+989123456789");
        assert_eq!(e164("٠٩١٢ ٣٤٥ ٦٧٨٩", Some("IR")), "+989123456789");
    }

    #[test]
    fn drops_extensions() {
        assert_eq!(e164("(415) 555-2671 x123", Some("US")), "+14155552671");
        assert_eq!(e164("+1 415 555 2671 ext. 5", None), "+14155552671");
        assert_eq!(e164("415-555-2671 #12", Some("US")), "+14155552671");
    }

    #[test]
    fn unknown_region_is_no_region() {
        assert_eq!(
            reason("030 1234567", Some("ZZ")),
            "no country code and no default region"
        );
        assert_eq!(e164("+49 30 1234567", Some("ZZ")), "+49301234567");
    }

    #[test]
    fn rejects_numbers_without_country() {
        assert_eq!(
            reason("030 1234567", None),
            "no country code and no default region"
        );
    }

    #[test]
    fn rejects_placeholders() {
        assert_eq!(reason("", Some("US")), "contains no digits");
        assert_eq!(reason("n/a", Some("US")), "contains no digits");
        assert_eq!(
            reason("000-000-0000", Some("US")),
            "looks like a placeholder"
        );
        assert_eq!(reason("1234567", Some("US")), "looks like a placeholder");
        assert_eq!(
            reason("555-0000", Some("US")),
            "not a valid number for its country"
        );
        assert!(normalize_phone("12", Some("US")).is_err());
    }
}
