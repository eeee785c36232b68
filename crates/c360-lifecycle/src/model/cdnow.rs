//! The CDNOW purchase log format, and the fit of both models on it as in the
//! literature (time in weeks).
//!
//! Each line is whitespace-separated `customer_id customer_index YYYYMMDD
//! number_of_cds dollar_value`; several lines may share a customer and a day.

use std::io::BufRead;

use chrono::NaiveDate;

use crate::error::LifecycleError;
use crate::model::report::{FitReport, fit_report};
use crate::model::summary::{Transaction, summarize};

/// The CDNOW studies measure time in weeks.
const DAYS_PER_WEEK: f64 = 7.0;

/// Reads a CDNOW purchase log. Blank lines are skipped; any other line that
/// does not have the five fields fails with its (1-based) line number.
pub fn parse_cdnow(reader: impl BufRead) -> Result<Vec<Transaction>, LifecycleError> {
    let mut transactions = Vec::new();
    for (index, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        transactions.push(
            parse_line(&line).map_err(|reason| LifecycleError::malformed(index + 1, reason))?,
        );
    }
    Ok(transactions)
}

fn parse_line(line: &str) -> Result<Transaction, String> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [customer, _index, date, cds, amount] = fields[..] else {
        return Err(format!("expected 5 fields, found {}", fields.len()));
    };
    let date = NaiveDate::parse_from_str(date, "%Y%m%d")
        .map_err(|error| format!("date `{date}` is not YYYYMMDD: {error}"))?;
    // Not used by the models, but a non-number here means shifted columns.
    cds.parse::<u32>()
        .map_err(|_| format!("number of CDs `{cds}` is not a count"))?;
    let amount = amount
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite())
        .ok_or_else(|| format!("dollar value `{amount}` is not a number"))?;
    Ok(Transaction {
        customer: customer.to_owned(),
        date,
        amount,
    })
}

/// Summarizes `transactions` in weeks as of `calibration_end` (inclusive)
/// and fits BG/NBD and Gamma-Gamma on them.
pub fn fit_cdnow(
    transactions: &[Transaction],
    calibration_end: NaiveDate,
) -> Result<FitReport, LifecycleError> {
    let summaries: Vec<_> = summarize(transactions, calibration_end, DAYS_PER_WEEK)?
        .into_iter()
        .map(|(_, summary)| summary)
        .collect();
    fit_report(&summaries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_skips_blank_ones() {
        let text = " 00004 0001 19970101  2   29.33\n\n 00004 0001 19970118  2   29.73\n";
        let transactions = parse_cdnow(text.as_bytes()).expect("valid");
        assert_eq!(transactions.len(), 2);
        assert_eq!(transactions[0].customer, "00004");
        assert_eq!(
            transactions[1].date,
            NaiveDate::from_ymd_opt(1997, 1, 18).expect("valid date")
        );
        assert_eq!(transactions[1].amount, 29.73);
    }

    #[test]
    fn malformed_lines_are_reported_with_their_number() {
        let cases = [
            ("00004 0001 19970101 2\n", "expected 5 fields"),
            ("00004 0001 1997-01-01 2 29.33\n", "is not YYYYMMDD"),
            ("00004 0001 19970101 two 29.33\n", "is not a count"),
            ("00004 0001 19970101 2 NaN\n", "is not a number"),
        ];
        for (line, reason) in cases {
            let text = format!("\n 00004 0001 19970101  2   29.33\n{line}");
            let error = parse_cdnow(text.as_bytes()).expect_err("malformed");
            let message = error.to_string();
            assert!(message.starts_with("line 3: "), "{message}");
            assert!(message.contains(reason), "{message}");
        }
    }
}
