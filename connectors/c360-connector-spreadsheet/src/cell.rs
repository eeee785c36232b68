//! Cells as text. Spreadsheet cells are typed (numbers, dates, booleans,
//! errors); the mapper reads text, so each is written the way a person reads
//! it in the sheet:
//!
//! - whole numbers without a decimal point or exponent: a phone typed as a
//!   number is `4917612345678`, not `4.9176e12`, a customer id `12345`, not
//!   `12345.0`;
//! - date cells (and plain numbers in a date column: a serial typed into a
//!   cell without a date format) as ISO 8601 `YYYY-MM-DD[THH:MM:SS]`;
//! - formula cells as the value Excel or LibreOffice last computed (calamine
//!   reads the cached value; no formula is ever evaluated here);
//! - error cells (`#N/A`, `#REF!`) as empty: there is no value.
//!
//! Numbers written as text in a numeric column ("1.234,50 €") become plain
//! decimals ("1234.5").

use c360_connector::transform::parse_amount_minor;
use calamine::{Data, ExcelDateTime, ExcelDateTimeType};

use crate::layout::CellKind;

/// Serial numbers read as dates in a date column: 1910-01-01 ..= 9999-12-31.
/// Smaller numbers are more likely a year or a typo than a date.
const SERIALS: std::ops::RangeInclusive<f64> = 3653.0..=2_958_465.0;
/// Decimal places kept of a numeric text cell.
const NUMERIC_SCALE: u32 = 6;

/// Why a cell could not be read.
pub type CellError = String;

/// A spreadsheet cell as text; `decimal` is the source's decimal separator
/// (for numbers typed as text).
pub fn sheet_cell(data: &Data, kind: CellKind, decimal: Option<char>) -> Result<String, CellError> {
    match data {
        Data::Empty | Data::Error(_) => Ok(String::new()),
        Data::String(text) => text_cell(text, kind, decimal),
        Data::Bool(flag) => Ok(flag.to_string()),
        Data::Int(number) => Ok(match kind {
            CellKind::Date => serial_date(*number as f64).unwrap_or_else(|| number.to_string()),
            _ => number.to_string(),
        }),
        Data::Float(number) => Ok(match kind {
            CellKind::Date => serial_date(*number).unwrap_or_else(|| plain_number(*number)),
            _ => plain_number(*number),
        }),
        Data::DateTime(datetime) if datetime.is_datetime() => Ok(iso_datetime(datetime)),
        Data::DateTime(duration) => Ok(plain_number(duration.as_f64())),
        Data::DateTimeIso(text) => Ok(text
            .strip_suffix("T00:00:00")
            .unwrap_or(text.as_str())
            .to_owned()),
        Data::DurationIso(text) => Ok(text.clone()),
    }
}

/// A text cell (CSV, or a text cell of a sheet). Text starting with `=`,
/// `+`, `-` or `@` is kept as written: it is data, never a formula.
pub fn text_cell(text: &str, kind: CellKind, decimal: Option<char>) -> Result<String, CellError> {
    if kind != CellKind::Numeric {
        return Ok(text.to_owned());
    }
    // "-" is how many lists write "none".
    if text
        .trim()
        .chars()
        .all(|c| matches!(c, '-' | '\u{2013}' | '\u{2014}'))
    {
        return Ok(String::new());
    }
    plain_decimal(text, decimal).ok_or_else(|| format!("{:?} is not a number", text.trim()))
}

/// A float without exponent; whole numbers without a decimal point.
pub fn plain_number(number: f64) -> String {
    if number.is_finite() && number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        // `Display` for f64 never uses an exponent.
        format!("{number}")
    }
}

fn serial_date(serial: f64) -> Option<String> {
    SERIALS.contains(&serial).then(|| {
        iso_datetime(&ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            false,
        ))
    })
}

fn iso_datetime(datetime: &ExcelDateTime) -> String {
    let (year, month, day, hour, minute, second, _) = datetime.to_ymd_hms_milli();
    if (hour, minute, second) == (0, 0, 0) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")
    }
}

/// "1.234,50 €", "1,234.50", "CHF 1'234.5", "(12,5)" → "1234.5", "-12.5".
/// Only digits, separators, signs, spaces, currency symbols and one
/// three-letter currency code may appear; anything else is not a number.
pub fn plain_decimal(text: &str, decimal: Option<char>) -> Option<String> {
    let mut rest = text.chars().filter(|c| {
        !(c.is_ascii_digit()
            || c.is_whitespace()
            || matches!(c, '.' | ',' | '\'' | '-' | '+' | '(' | ')' | '\u{2212}'))
    });
    // Checked without collecting: most cells are plain numbers.
    let currency_symbols = rest.clone().all(|c| "€$£¥₺₹₽¢₩₪".contains(c));
    let currency_code = rest.clone().count() == 3 && rest.all(|c| c.is_ascii_alphabetic());
    if !(currency_symbols || currency_code) {
        return None;
    }
    let minor = if text.contains('\u{2212}') {
        parse_amount_minor(&text.replace('\u{2212}', "-"), decimal, NUMERIC_SCALE)?
    } else {
        parse_amount_minor(text, decimal, NUMERIC_SCALE)?
    };
    let scale = 10i64.pow(NUMERIC_SCALE);
    let sign = if minor < 0 { "-" } else { "" };
    let whole = (minor / scale).unsigned_abs();
    let fraction = (minor % scale).unsigned_abs();
    if fraction == 0 {
        return Some(format!("{sign}{whole}"));
    }
    let digits = format!("{fraction:0width$}", width = NUMERIC_SCALE as usize);
    Some(format!("{sign}{whole}.{}", digits.trim_end_matches('0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(plain_number(49_176_123_456.0), "49176123456");
        assert_eq!(plain_number(12345.0), "12345");
        assert_eq!(plain_number(1234.5), "1234.5");
        assert_eq!(plain_number(1e20), "100000000000000000000");
        let float = Data::Float(4.9176e10);
        assert_eq!(
            sheet_cell(&float, CellKind::Text, None).as_deref(),
            Ok("49176000000")
        );
        assert_eq!(
            sheet_cell(&Data::Int(7), CellKind::Text, None).as_deref(),
            Ok("7")
        );
    }

    #[test]
    fn dates_become_iso() {
        let date = Data::DateTime(ExcelDateTime::new(
            32937.0,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(
            sheet_cell(&date, CellKind::Text, None).as_deref(),
            Ok("1990-03-05")
        );
        let with_time = Data::DateTime(ExcelDateTime::new(
            45943.5,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(
            sheet_cell(&with_time, CellKind::Text, None).as_deref(),
            Ok("2025-10-13T12:00:00")
        );
        // A serial in a date column without a date format.
        assert_eq!(
            sheet_cell(&Data::Float(32937.0), CellKind::Date, None).as_deref(),
            Ok("1990-03-05")
        );
        // A year is not a serial.
        assert_eq!(
            sheet_cell(&Data::Int(1990), CellKind::Date, None).as_deref(),
            Ok("1990")
        );
        let iso = Data::DateTimeIso("1990-03-05T00:00:00".into());
        assert_eq!(
            sheet_cell(&iso, CellKind::Date, None).as_deref(),
            Ok("1990-03-05")
        );
    }

    #[test]
    fn locale_numbers_become_plain_decimals() {
        assert_eq!(plain_decimal("1.234,50 €", None).as_deref(), Some("1234.5"));
        assert_eq!(plain_decimal("1,234.50", None).as_deref(), Some("1234.5"));
        assert_eq!(plain_decimal("CHF 1'234", None).as_deref(), Some("1234"));
        assert_eq!(plain_decimal("(12,5)", None).as_deref(), Some("-12.5"));
        assert_eq!(plain_decimal("12.345", Some(',')).as_deref(), Some("12345"));
        assert_eq!(plain_decimal("0,05", None).as_deref(), Some("0.05"));
        assert_eq!(plain_decimal("n/a", None), None);
        assert_eq!(plain_decimal("about 12", None), None);
        assert!(text_cell("viel", CellKind::Numeric, None).is_err());
        assert_eq!(text_cell(" - ", CellKind::Numeric, None).as_deref(), Ok(""));
        assert_eq!(
            text_cell("=1+2", CellKind::Text, None).as_deref(),
            Ok("=1+2")
        );
        assert_eq!(
            sheet_cell(&Data::Float(1234.5), CellKind::Numeric, Some(',')).as_deref(),
            Ok("1234.5")
        );
    }

    #[test]
    fn errors_and_empties_are_blank() {
        let error = Data::Error(calamine::CellErrorType::NA);
        assert_eq!(sheet_cell(&error, CellKind::Text, None).as_deref(), Ok(""));
        assert_eq!(
            sheet_cell(&Data::Empty, CellKind::Date, None).as_deref(),
            Ok("")
        );
    }
}
