//! `c360 lifecycle fit`: the customer-base model fitted on a transaction
//! file, without a database — to check the model on a known data set (CDNOW
//! reproduces the published parameters) or to size a portfolio before
//! loading it.
//!
//! Prints a few lines for people and, last, one JSON object with every
//! parameter (`r`, `alpha`, `a`, `b`, `p`, `q`, `v`), the counts and the
//! log-likelihoods, for scripts.

use std::io::BufReader;
use std::path::Path;

use anyhow::Context;
use c360_lifecycle::{LifecycleError, Transaction, fit_report, parse_cdnow, summarize};
use chrono::NaiveDate;

use crate::cli::{LifecycleAction, LifecycleArgs, LifecycleFitArgs, TransactionFormat};

pub fn run(args: LifecycleArgs) -> anyhow::Result<()> {
    match args.action {
        LifecycleAction::Fit(fit) => run_fit(&fit),
    }
}

fn run_fit(args: &LifecycleFitArgs) -> anyhow::Result<()> {
    let path = args.transactions.as_path();
    let transactions = match args.format {
        TransactionFormat::Cdnow => read_cdnow(path)?,
        TransactionFormat::Csv => read_csv(path)?,
    };
    let summaries: Vec<_> = summarize(&transactions, args.calibration_end, args.period_days)
        .context("failed to summarize the transactions")?
        .into_iter()
        .map(|(_, summary)| summary)
        .collect();
    anyhow::ensure!(
        !summaries.is_empty(),
        "{}: no customer bought on or before {}",
        path.display(),
        args.calibration_end
    );
    let report = fit_report(&summaries).context("failed to fit the models")?;

    println!(
        "{} transactions from {}; calibration ends {}, time in periods of {} days",
        transactions.len(),
        path.display(),
        args.calibration_end,
        args.period_days
    );
    println!(
        "BG/NBD on {} customers: log-likelihood {:.2} (r {:.4}, alpha {:.4}, a {:.4}, b {:.4})",
        report.customers,
        report.log_likelihood_bgnbd,
        report.bgnbd.r,
        report.bgnbd.alpha,
        report.bgnbd.a,
        report.bgnbd.b
    );
    println!(
        "Gamma-Gamma on {} repeat customers: log-likelihood {:.2} (p {:.4}, q {:.4}, v {:.4})",
        report.repeat_customers,
        report.log_likelihood_gamma_gamma,
        report.gamma_gamma.p,
        report.gamma_gamma.q,
        report.gamma_gamma.v
    );
    if !report.converged {
        // Still printed: a fit that ran out of evaluations is usually close,
        // but whoever reads the JSON should know (`converged` is in it too).
        eprintln!("warning: a fit stopped before reaching its tolerance");
    }
    println!(
        "{}",
        serde_json::to_string(&report).context("failed to serialize the fit")?
    );
    Ok(())
}

fn open(path: &Path) -> anyhow::Result<BufReader<std::fs::File>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("failed to open {}", path.display()))?;
    Ok(BufReader::new(file))
}

/// The CDNOW log, with a bad line reported as `file:line: reason`.
fn read_cdnow(path: &Path) -> anyhow::Result<Vec<Transaction>> {
    parse_cdnow(open(path)?).map_err(|error| match error {
        LifecycleError::MalformedLine { line, reason } => {
            anyhow::anyhow!("{}:{line}: {reason}", path.display())
        }
        other => anyhow::Error::new(other).context(format!("failed to read {}", path.display())),
    })
}

/// A CSV with a header naming `customer`, `date` and `amount` (in any order,
/// any case; other columns are ignored). The first bad row fails the whole
/// file: a model fitted on part of a file would look valid and be wrong.
fn read_csv(path: &Path) -> anyhow::Result<Vec<Transaction>> {
    parse_csv(open(path)?).map_err(|error| match error {
        CsvError::Row { line, reason } => anyhow::anyhow!("{}:{line}: {reason}", path.display()),
        CsvError::Read(error) => {
            anyhow::Error::new(error).context(format!("failed to read {}", path.display()))
        }
    })
}

#[derive(Debug)]
enum CsvError {
    /// A line of the file is wrong: where (1-based) and why.
    Row { line: u64, reason: String },
    /// The file itself could not be read.
    Read(csv::Error),
}

fn parse_csv(reader: impl std::io::Read) -> Result<Vec<Transaction>, CsvError> {
    let mut csv_reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        // Short rows are reported as this file's errors, with the column
        // that is missing, instead of csv's "found record with N fields".
        .flexible(true)
        .from_reader(reader);
    let header = csv_reader.headers().map_err(|error| row_error(1, error))?;
    let column = |name: &str| {
        header
            .iter()
            .position(|title| title.eq_ignore_ascii_case(name))
            .ok_or_else(|| CsvError::Row {
                line: 1,
                reason: format!("the header has no `{name}` column (customer, date, amount)"),
            })
    };
    let (customer_column, date_column, amount_column) =
        (column("customer")?, column("date")?, column("amount")?);

    let mut transactions = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = csv_reader.position().line();
        match csv_reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => return Err(row_error(line, error)),
        }
        // The record's own position: a quoted field may span lines.
        let line = record.position().map_or(line, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |index: usize, name: &str| {
            record.get(index).ok_or_else(|| CsvError::Row {
                line,
                reason: format!("no `{name}` value ({} fields)", record.len()),
            })
        };
        let customer = field(customer_column, "customer")?;
        let date = field(date_column, "date")?;
        let amount = field(amount_column, "amount")?;
        if customer.is_empty() {
            return Err(CsvError::Row {
                line,
                reason: "the customer is empty".to_owned(),
            });
        }
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|error| CsvError::Row {
            line,
            reason: format!("date `{date}` is not YYYY-MM-DD: {error}"),
        })?;
        let amount = amount
            .parse::<f64>()
            .ok()
            .filter(|value| value.is_finite())
            .ok_or_else(|| CsvError::Row {
                line,
                reason: format!("amount `{amount}` is not a number"),
            })?;
        transactions.push(Transaction {
            customer: customer.to_owned(),
            date,
            amount,
        });
    }
    Ok(transactions)
}

/// A csv-level failure: invalid UTF-8 or a broken quote is the row's fault,
/// an I/O error the file's.
fn row_error(line: u64, error: csv::Error) -> CsvError {
    match error.kind() {
        csv::ErrorKind::Io(_) => CsvError::Read(error),
        _ => CsvError::Row {
            line: error.position().map_or(line, csv::Position::line),
            reason: error.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Transaction>, CsvError> {
        parse_csv(text.as_bytes())
    }

    fn row_failure(text: &str) -> (u64, String) {
        match parse(text) {
            Err(CsvError::Row { line, reason }) => (line, reason),
            other => panic!("expected a row error, got {other:?}"),
        }
    }

    #[test]
    fn columns_are_found_by_name_in_any_order() {
        let transactions =
            parse("Amount,Date,Customer,Note\n 12.50 ,2024-01-02,c1,x\n\n3,2024-01-05,c2,\n")
                .expect("valid");
        assert_eq!(transactions.len(), 2);
        assert_eq!(transactions[0].customer, "c1");
        assert_eq!(transactions[0].amount, 12.5);
        assert_eq!(
            transactions[1].date,
            NaiveDate::from_ymd_opt(2024, 1, 5).expect("valid date")
        );
    }

    #[test]
    fn bad_rows_name_their_line_and_reason() {
        let header = "customer,date,amount\n";
        let cases = [
            ("c1,2024-01-02,1\nc2,02.01.2024,1\n", 3, "is not YYYY-MM-DD"),
            ("c1,2024-01-02,ten\n", 2, "amount `ten` is not a number"),
            ("c1,2024-01-02\n", 2, "no `amount` value"),
            (",2024-01-02,1\n", 2, "the customer is empty"),
        ];
        for (rows, line, reason) in cases {
            let (found_line, found_reason) = row_failure(&format!("{header}{rows}"));
            assert_eq!(found_line, line, "{rows}");
            assert!(found_reason.contains(reason), "{found_reason}");
        }
        let (line, reason) = row_failure("customer,day,amount\nc1,2024-01-02,1\n");
        assert_eq!(line, 1);
        assert!(reason.contains("no `date` column"), "{reason}");
    }
}
