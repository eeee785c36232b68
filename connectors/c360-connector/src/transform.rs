//! Value transforms a mapping applies: split a full name, read a date in the
//! formats people write, put a phone into international form, read an amount
//! written with any decimal and thousands separators into minor units.

use c360_model::normalize::phone::normalize_phone;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// A full name split into (given, family). "Family, Given" is recognized;
/// otherwise the last word is the family name. Particles that start family
/// names (van, de, al, bin …) stay with the family name.
pub fn split_full_name(full: &str) -> (String, String) {
    let full = full.trim();
    if let Some((family, given)) = full.split_once(',') {
        let (family, given) = (family.trim(), given.trim());
        if !family.is_empty() && !given.is_empty() && !given.contains(',') {
            return (given.to_owned(), family.to_owned());
        }
    }
    let words: Vec<&str> = full.split_whitespace().collect();
    match words.len() {
        0 => (String::new(), String::new()),
        1 => split_han_name(words[0]).unwrap_or_else(|| (words[0].to_owned(), String::new())),
        _ => {
            // Latin particles, and Arabic ones (bin, bint, ibn, abu, al, abd).
            const PARTICLES: [&str; 24] = [
                "van", "von", "de", "der", "den", "da", "di", "del", "della", "la", "le", "al",
                "el", "bin", "ibn", "abu", "بن", "بنت", "ابن", "أبو", "ابو", "آل", "عبد", "abd",
            ];
            let mut split = words.len() - 1;
            while split > 1 && PARTICLES.contains(&words[split - 1].to_lowercase().as_str()) {
                split -= 1;
            }
            (words[..split].join(" "), words[split..].join(" "))
        }
    }
}

/// A Chinese name written without a space (王小明): the first character is
/// the family name, except for the common two-character family names.
fn split_han_name(name: &str) -> Option<(String, String)> {
    const COMPOUND: [&str; 10] = [
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "夏侯",
    ];
    let chars: Vec<char> = name.chars().collect();
    let han = |c: &char| ('\u{4E00}'..='\u{9FFF}').contains(c);
    if !(2..=4).contains(&chars.len()) || !chars.iter().all(han) {
        return None;
    }
    let family_len = if chars.len() > 2 && COMPOUND.iter().any(|family| name.starts_with(family)) {
        2
    } else {
        1
    };
    Some((
        chars[family_len..].iter().collect(),
        chars[..family_len].iter().collect(),
    ))
}

/// Date formats tried, after ISO 8601 / RFC 3339.
const DATE_FORMATS_DAY_FIRST: [&str; 8] = [
    "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y", "%d %b %Y", "%d %B %Y", "%Y/%m/%d",
];
const DATE_FORMATS_MONTH_FIRST: [&str; 8] = [
    "%m/%d/%Y",
    "%m-%d-%Y",
    "%m/%d/%y",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%Y/%m/%d",
];

/// Reads a date: ISO forms first, then `extra` formats, then the common
/// numeric and month-name forms (day first or month first as configured).
/// A value with a time keeps only its date.
pub fn parse_date(value: &str, extra: &[String], day_first: bool) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Some(date) = numeric_date(value, day_first) {
        return Some(date);
    }
    // Only a value with a time part can be a timestamp (unix seconds aside,
    // which no one writes as a date).
    if value.contains([':', 'T'])
        && let Some(timestamp) = parse_timestamp_strict(value, extra)
    {
        return Some(timestamp.date_naive());
    }
    for format in extra {
        if let Ok(date) = NaiveDate::parse_from_str(value, format) {
            return Some(date);
        }
    }
    let formats = if day_first {
        DATE_FORMATS_DAY_FIRST
    } else {
        DATE_FORMATS_MONTH_FIRST
    };
    formats
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(value, format).ok())
        .filter(|date| (1850..=2200).contains(&chrono::Datelike::year(date)))
}

/// The all-numeric forms, read without a format string (rows come by the
/// million): `2024-03-05`, `2024/3/5`, `05.03.2024`, `03/05/2024` (day or
/// month first as configured; a dotted date is always day first), and
/// `05.03.24` (two-digit years: 00–29 → 2000s, else 1900s).
fn numeric_date(value: &str, day_first: bool) -> Option<NaiveDate> {
    let separator = value.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let mut parts = value.split(separator);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let number = |part: &str| -> Option<u32> {
        (!part.is_empty() && part.len() <= 4 && part.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    let (x, y, z) = (number(a)?, number(b)?, number(c)?);
    let (year, month, day) = if a.len() == 4 {
        (x as i32, y, z)
    } else {
        let year = match c.len() {
            4 => z as i32,
            2 if z < 30 => 2000 + z as i32,
            2 => 1900 + z as i32,
            _ => return None,
        };
        if day_first || separator == '.' {
            (year, y, x)
        } else {
            (year, x, y)
        }
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Reads a point in time: RFC 3339, `YYYY-MM-DD HH:MM[:SS]` (UTC, or with an
/// offset), unix seconds, `extra` formats, or a bare date (midnight UTC).
pub fn parse_timestamp(value: &str, extra: &[String], day_first: bool) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    parse_timestamp_strict(value, extra).or_else(|| {
        parse_date(value, extra, day_first)
            .and_then(|date| date.and_hms_opt(0, 0, 0))
            .map(|naive| Utc.from_utc_datetime(&naive))
    })
}

fn parse_timestamp_strict(value: &str, extra: &[String]) -> Option<DateTime<Utc>> {
    if let Ok(parsed) = DateTime::parse_from_rfc3339(value) {
        return Some(parsed.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M%:z",
    ] {
        if let Ok(parsed) = DateTime::parse_from_str(value, format) {
            return Some(parsed.with_timezone(&Utc));
        }
    }
    let naive_formats = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S UTC",
        "%Y/%m/%d %H:%M:%S",
    ];
    for format in naive_formats
        .iter()
        .copied()
        .chain(extra.iter().map(String::as_str))
    {
        if let Ok(parsed) = NaiveDateTime::parse_from_str(value, format) {
            return Some(Utc.from_utc_datetime(&parsed));
        }
    }
    if value.len() >= 9 && value.len() <= 11 && value.bytes().all(|byte| byte.is_ascii_digit()) {
        return value
            .parse::<i64>()
            .ok()
            .and_then(|seconds| DateTime::from_timestamp(seconds, 0));
    }
    None
}

/// A phone in international form: a number written with its country code
/// (`+…`, `00…`) as written; a national number (`0532 111 22 33`) gets
/// `default_country`'s calling code, its trunk prefix dropped, from the
/// phone-number metadata (libphonenumber's, via the `phonenumber` crate).
/// Validation is the hub's: it parses every phone once as it normalizes,
/// and keeps what does not parse raw. Text with letters (`ext. 12`, "n/a")
/// stays as written for the same reason.
pub fn international_phone(value: &str, default_country: &str) -> String {
    /// E.164 allows 15 digits; more is two numbers in one cell.
    const MAX_DIGITS: usize = 15;
    let value = value.trim();
    if value.is_empty() || value.chars().any(char::is_alphabetic) {
        return value.to_owned();
    }
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 || digits.len() > MAX_DIGITS + 2 {
        return value.to_owned();
    }
    let international = if value.starts_with('+') {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    if let Some(international) = international {
        return if international.len() <= MAX_DIGITS {
            format!("+{international}")
        } else {
            value.to_owned()
        };
    }
    let country = default_country.trim();
    if country.is_empty() {
        return value.to_owned();
    }
    let upper = country.to_ascii_uppercase();
    let Some(metadata) = phonenumber::metadata::DATABASE.by_id(upper.as_str()) else {
        return value.to_owned();
    };
    let code = metadata.country_code().to_string();
    // Digits that start with the calling code may already be international
    // with the `+` lost (a number typed into a numeric spreadsheet cell):
    // only the full parse can tell, and it is rare enough to afford.
    if digits.starts_with(&code) {
        return normalize_phone(value, Some(&upper))
            .map_or_else(|_| value.to_owned(), |phone| phone.e164);
    }
    let national = metadata
        .national_prefix()
        .and_then(|prefix| digits.strip_prefix(prefix))
        .unwrap_or(&digits);
    if code.len() + national.len() > MAX_DIGITS {
        return value.to_owned();
    }
    format!("+{code}{national}")
}

/// Digits after the decimal point of an ISO 4217 currency.
pub fn currency_exponent(currency: &str) -> u32 {
    c360_model::currency_exponent(currency)
}

/// Reads a decimal amount in major units ("1.234,56", "1,234.56", "$12.50",
/// "(5.00)", "12,5") into minor units. `decimal` is the configured decimal
/// separator; `None` infers it per value: of `.` and `,` the later one is the
/// decimal separator when both appear; one alone is decimal unless it is
/// followed by exactly three digits (then it groups thousands).
pub fn parse_amount_minor(value: &str, decimal: Option<char>, exponent: u32) -> Option<i64> {
    let trimmed = value.trim();
    let first_digit = trimmed.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
    let negative = trimmed[..first_digit].contains('-')
        || trimmed.ends_with('-')
        || (trimmed.starts_with('(') && trimmed.ends_with(')'));
    let kept: String = trimmed
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect::<String>();
    if !kept.bytes().any(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let decimal = decimal.or_else(|| infer_decimal(&kept));
    let (whole, fraction) = match decimal {
        Some(separator) => match kept.rsplit_once(separator) {
            Some((whole, fraction)) => (whole.to_owned(), fraction.to_owned()),
            None => (kept.clone(), String::new()),
        },
        None => (kept.clone(), String::new()),
    };
    let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
    if fraction.contains(['.', ',']) {
        return None;
    }
    let scale = 10i64.checked_pow(exponent)?;
    let whole_value: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut fraction_digits: String = fraction.chars().take(exponent as usize + 1).collect();
    // Round half away from zero on the first dropped digit.
    let round_up = fraction_digits.len() > exponent as usize
        && fraction_digits.pop().is_some_and(|digit| digit >= '5');
    while fraction_digits.len() < exponent as usize {
        fraction_digits.push('0');
    }
    let fraction_value: i64 = if fraction_digits.is_empty() {
        0
    } else {
        fraction_digits.parse().ok()?
    };
    let minor = whole_value
        .checked_mul(scale)?
        .checked_add(fraction_value)?
        .checked_add(i64::from(round_up))?;
    Some(if negative { -minor } else { minor })
}

fn infer_decimal(digits_and_separators: &str) -> Option<char> {
    let last_dot = digits_and_separators.rfind('.');
    let last_comma = digits_and_separators.rfind(',');
    match (last_dot, last_comma) {
        (Some(dot), Some(comma)) => Some(if dot > comma { '.' } else { ',' }),
        (Some(position), None) | (None, Some(position)) => {
            let separator = digits_and_separators[position..].chars().next()?;
            let after = digits_and_separators.len() - position - 1;
            let repeated = digits_and_separators.matches(separator).count() > 1;
            if after == 3 || repeated {
                None
            } else {
                Some(separator)
            }
        }
        (None, None) => None,
    }
}

/// Reads a whole number ("9", "9.0", " 10 ").
pub fn parse_integer(value: &str) -> Option<i64> {
    let value = value.trim();
    value.parse::<i64>().ok().or_else(|| {
        value
            .parse::<f64>()
            .ok()
            .filter(|number| number.fract() == 0.0 && number.abs() < 1e15)
            .map(|number| number as i64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_names() {
        assert_eq!(
            split_full_name("Ada Lovelace"),
            ("Ada".into(), "Lovelace".into())
        );
        assert_eq!(
            split_full_name("Lovelace, Ada"),
            ("Ada".into(), "Lovelace".into())
        );
        assert_eq!(
            split_full_name("Ludwig van Beethoven"),
            ("Ludwig".into(), "van Beethoven".into())
        );
        assert_eq!(
            split_full_name("Mehmet Ali Yılmaz"),
            ("Mehmet Ali".into(), "Yılmaz".into())
        );
        assert_eq!(split_full_name("Cher"), ("Cher".into(), String::new()));
        assert_eq!(split_full_name("王小明"), ("小明".into(), "王".into()));
        assert_eq!(split_full_name("欧阳娜娜"), ("娜娜".into(), "欧阳".into()));
        assert_eq!(
            split_full_name("خالد بن سعيد"),
            ("خالد".into(), "بن سعيد".into())
        );
    }

    #[test]
    fn reads_dates() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_date("2024-03-05", &[], true), date(2024, 3, 5));
        assert_eq!(parse_date("05/03/2024", &[], true), date(2024, 3, 5));
        assert_eq!(parse_date("03/05/2024", &[], false), date(2024, 3, 5));
        assert_eq!(parse_date("5.3.2024", &[], false), date(2024, 3, 5));
        assert_eq!(
            parse_date("2024-03-05T10:00:00Z", &[], true),
            date(2024, 3, 5)
        );
        assert_eq!(parse_date("Mar 5, 2024", &[], false), date(2024, 3, 5));
        assert_eq!(parse_date("31/31/2024", &[], true), None);
        assert_eq!(parse_date("soon", &[], true), None);
        let extra = vec!["%Y%m%d".to_owned()];
        assert_eq!(parse_date("20240305", &extra, true), date(2024, 3, 5));
    }

    #[test]
    fn reads_timestamps() {
        let at = parse_timestamp("2024-03-05 10:11:12", &[], true).expect("parses");
        assert_eq!(at.to_rfc3339(), "2024-03-05T10:11:12+00:00");
        let at = parse_timestamp("1709633472", &[], true).expect("unix seconds");
        assert_eq!(at.timestamp(), 1_709_633_472);
        let at = parse_timestamp("2024-03-05 10:11:12+03:00", &[], true).expect("offset");
        assert_eq!(at.to_rfc3339(), "2024-03-05T07:11:12+00:00");
    }

    #[test]
    fn reads_amounts_in_any_locale() {
        assert_eq!(parse_amount_minor("12.50", None, 2), Some(1250));
        assert_eq!(parse_amount_minor("12,50", None, 2), Some(1250));
        assert_eq!(parse_amount_minor("1.234,56", None, 2), Some(123_456));
        assert_eq!(parse_amount_minor("1,234.56", None, 2), Some(123_456));
        assert_eq!(parse_amount_minor("1,234", None, 2), Some(123_400));
        assert_eq!(parse_amount_minor("1.234", Some(','), 2), Some(123_400));
        assert_eq!(parse_amount_minor("1 234,5 €", None, 2), Some(123_450));
        assert_eq!(parse_amount_minor("$-5.00", None, 2), Some(-500));
        assert_eq!(parse_amount_minor("(5.00)", None, 2), Some(-500));
        assert_eq!(parse_amount_minor("1500", None, 0), Some(1500));
        assert_eq!(parse_amount_minor("1.2345", Some('.'), 3), Some(1235));
        assert_eq!(parse_amount_minor("n/a", None, 2), None);
    }

    #[test]
    fn phones_become_international() {
        assert_eq!(international_phone("0532 111 22 33", "TR"), "+905321112233");
        assert_eq!(international_phone("n/a", "TR"), "n/a");
        assert_eq!(
            international_phone("+44 20 7946 0958", "TR"),
            "+442079460958"
        );
        assert_eq!(
            international_phone("0212 555 12 34 / 0532 999 88 77", "TR"),
            "0212 555 12 34 / 0532 999 88 77"
        );
        assert_eq!(international_phone("0049 30 1234567", "TR"), "+49301234567");
        assert_eq!(international_phone("(030) 1234567", "DE"), "+49301234567");
        assert_eq!(international_phone("(415) 555-0100", "US"), "+14155550100");
        assert_eq!(international_phone("1-415-555-0100", "us"), "+14155550100");
        assert_eq!(international_phone("06 1234 5678", "IT"), "+390612345678");
        assert_eq!(
            international_phone("030 1234 ext. 5", "DE"),
            "030 1234 ext. 5"
        );
    }
}
