//! From a transaction log to the per-customer summary the models are fitted
//! on: frequency, recency, age and average repeat spend.
//!
//! The definitions are those of `summary_data_from_transaction_data` in the
//! `lifetimes` Python package, which the published CDNOW figures use, so that
//! a fit here can be checked against them number for number.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::LifecycleError;

/// One purchase: who, when, how much.
#[derive(Debug, Clone, PartialEq)]
pub struct Transaction {
    pub customer: String,
    /// Only the day counts: the models measure time in whole days (then
    /// converted to periods), and purchases on one day are one purchase.
    pub date: NaiveDate,
    pub amount: f64,
}

/// What the BG/NBD and Gamma-Gamma models know about a customer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerSummary {
    /// x: repeat purchases, i.e. distinct purchase days after the first one.
    /// The first purchase only marks when the customer was acquired.
    pub frequency: f64,
    /// t_x: periods from the first to the last purchase day (0 when x = 0).
    pub recency: f64,
    /// T: periods from the first purchase day to the end of calibration: how
    /// long we have been able to watch this customer.
    pub age: f64,
    /// Mean spend of the repeat purchase days (0 when x = 0). The first
    /// purchase is left out as in the Gamma-Gamma paper: acquisition orders
    /// are often atypical.
    pub monetary: f64,
}

impl CustomerSummary {
    /// Checks what the likelihoods assume: finite values, a whole number of
    /// repeat purchases, 0 ≤ recency ≤ age.
    pub fn validate(&self) -> Result<(), LifecycleError> {
        let Self {
            frequency,
            recency,
            age,
            monetary,
        } = *self;
        if !(frequency.is_finite() && frequency >= 0.0 && frequency.fract() == 0.0) {
            return Err(LifecycleError::invalid_input(
                "frequency",
                format!("{frequency} is not a whole number of repeat purchases"),
            ));
        }
        if !(age.is_finite() && age >= 0.0) {
            return Err(LifecycleError::invalid_input(
                "age",
                format!("{age} is not a non-negative number of periods"),
            ));
        }
        if !(recency.is_finite() && recency >= 0.0 && recency <= age) {
            return Err(LifecycleError::invalid_input(
                "recency",
                format!("{recency} is not between 0 and the age {age}"),
            ));
        }
        if !monetary.is_finite() {
            return Err(LifecycleError::invalid_input(
                "monetary",
                format!("{monetary} is not a finite amount"),
            ));
        }
        Ok(())
    }
}

/// Summarizes a transaction log as of `calibration_end` (inclusive), with
/// time measured in periods of `period_days` days (7 for weeks).
///
/// Transactions after `calibration_end` are ignored; customers whose first
/// purchase is after it do not appear. The result is sorted by customer.
pub fn summarize(
    transactions: &[Transaction],
    calibration_end: NaiveDate,
    period_days: f64,
) -> Result<Vec<(String, CustomerSummary)>, LifecycleError> {
    if !(period_days.is_finite() && period_days > 0.0) {
        return Err(LifecycleError::invalid_input(
            "period_days",
            format!("{period_days} is not a positive number of days"),
        ));
    }
    let mut observed: Vec<&Transaction> = transactions
        .iter()
        .filter(|transaction| transaction.date <= calibration_end)
        .collect();
    // Sorting once groups each customer's days together, in order; cheaper
    // than a map of maps for millions of rows.
    observed.sort_unstable_by(|left, right| {
        (left.customer.as_str(), left.date).cmp(&(right.customer.as_str(), right.date))
    });

    let mut summaries = Vec::new();
    let mut start = 0;
    while start < observed.len() {
        let customer = observed[start].customer.as_str();
        let end = start
            + observed[start..]
                .iter()
                .take_while(|transaction| transaction.customer == customer)
                .count();
        let days = daily_totals(&observed[start..end]);
        summaries.push((
            customer.to_owned(),
            summarize_days(&days, calibration_end, period_days),
        ));
        start = end;
    }
    Ok(summaries)
}

/// One customer's transactions (sorted by date) as (day, total spent that
/// day): several orders on one day are one purchase occasion.
fn daily_totals(transactions: &[&Transaction]) -> Vec<(NaiveDate, f64)> {
    let mut days: Vec<(NaiveDate, f64)> = Vec::new();
    for transaction in transactions {
        match days.last_mut() {
            Some((day, total)) if *day == transaction.date => *total += transaction.amount,
            _ => days.push((transaction.date, transaction.amount)),
        }
    }
    days
}

/// The summary of one customer's purchase days (non-empty, sorted).
fn summarize_days(
    days: &[(NaiveDate, f64)],
    calibration_end: NaiveDate,
    period_days: f64,
) -> CustomerSummary {
    let periods_between =
        |from: NaiveDate, to: NaiveDate| (to - from).num_days() as f64 / period_days;
    let (Some(&(first_day, _)), Some(&(last_day, _))) = (days.first(), days.last()) else {
        return CustomerSummary {
            frequency: 0.0,
            recency: 0.0,
            age: 0.0,
            monetary: 0.0,
        };
    };
    let repeat_days = &days[1..];
    let monetary = if repeat_days.is_empty() {
        0.0
    } else {
        repeat_days.iter().map(|(_, total)| total).sum::<f64>() / repeat_days.len() as f64
    };
    CustomerSummary {
        frequency: repeat_days.len() as f64,
        recency: periods_between(first_day, last_day),
        age: periods_between(first_day, calibration_end),
        monetary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are valid")
    }

    fn purchase(customer: &str, date: &str, amount: f64) -> Transaction {
        Transaction {
            customer: customer.to_owned(),
            date: day(date),
            amount,
        }
    }

    #[test]
    fn same_day_orders_are_one_purchase_and_the_first_day_is_not_a_repeat() {
        let transactions = [
            purchase("a", "2024-01-01", 10.0),
            purchase("a", "2024-01-08", 5.0),
            purchase("a", "2024-01-08", 7.0),
            purchase("a", "2024-01-22", 30.0),
            // After the calibration end: ignored.
            purchase("a", "2024-03-01", 100.0),
        ];
        let summaries = summarize(&transactions, day("2024-01-29"), 7.0).expect("valid period");
        assert_eq!(summaries.len(), 1);
        let (customer, summary) = &summaries[0];
        assert_eq!(customer, "a");
        assert_eq!(summary.frequency, 2.0);
        assert_eq!(summary.recency, 3.0);
        assert_eq!(summary.age, 4.0);
        // (5 + 7 + 30) / 2: the first day's 10 is left out.
        assert_eq!(summary.monetary, 21.0);
    }

    #[test]
    fn one_time_buyers_have_zero_frequency_recency_and_monetary() {
        let transactions = [purchase("b", "2024-01-15", 10.0)];
        let summaries = summarize(&transactions, day("2024-01-29"), 1.0).expect("valid period");
        assert_eq!(
            summaries[0].1,
            CustomerSummary {
                frequency: 0.0,
                recency: 0.0,
                age: 14.0,
                monetary: 0.0
            }
        );
    }

    #[test]
    fn customers_acquired_after_calibration_are_left_out_and_output_is_sorted() {
        let transactions = [
            purchase("z", "2024-01-02", 1.0),
            purchase("late", "2024-02-02", 1.0),
            purchase("m", "2024-01-03", 1.0),
        ];
        let summaries = summarize(&transactions, day("2024-01-31"), 7.0).expect("valid period");
        let customers: Vec<&str> = summaries.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(customers, ["m", "z"]);
    }

    #[test]
    fn a_non_positive_period_is_rejected() {
        assert!(summarize(&[], day("2024-01-31"), 0.0).is_err());
        assert!(summarize(&[], day("2024-01-31"), f64::NAN).is_err());
    }

    #[test]
    fn validate_rejects_what_the_likelihood_cannot_use() {
        let valid = CustomerSummary {
            frequency: 2.0,
            recency: 3.0,
            age: 5.0,
            monetary: 10.0,
        };
        assert!(valid.validate().is_ok());
        for invalid in [
            CustomerSummary {
                frequency: 1.5,
                ..valid
            },
            CustomerSummary {
                recency: 6.0,
                ..valid
            },
            CustomerSummary { age: -1.0, ..valid },
            CustomerSummary {
                monetary: f64::INFINITY,
                ..valid
            },
        ] {
            assert!(invalid.validate().is_err(), "{invalid:?}");
        }
    }
}
