//! Maximum-likelihood fit of the BG/NBD parameters.
//!
//! The mean negative log-likelihood is minimized over (ln r, ln α, ln a,
//! ln b) by Nelder–Mead: quick runs from a few starting points on (a sample
//! of) the data, then the best polished on all of it (see
//! [`fit_from_starts`]).

use serde::Serialize;

use crate::error::LifecycleError;
use crate::model::bgnbd::BgNbdParams;
use crate::model::bgnbd::likelihood::BgNbdData;
use crate::model::optimize::{FitOptions, fit_from_starts};
use crate::model::rows::{BgNbdRow, bgnbd_rows, sample_rows};
use crate::model::summary::CustomerSummary;

const MODEL: &str = "BG/NBD";
/// Starting points are compared on a sample of about this many rows.
const EXPLORATION_ROWS: usize = 20_000;

/// A fitted BG/NBD model and how the fit went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BgNbdFit {
    pub params: BgNbdParams,
    /// Σ ln L at the estimate (without the penalty): compares fits of the
    /// same data.
    pub log_likelihood: f64,
    /// Nelder–Mead iterations over all starting points.
    pub iterations: usize,
    /// False when the evaluation budget ran out first: the parameters are
    /// then the best found, not an optimum.
    pub converged: bool,
}

/// Fits the BG/NBD model to customer summaries by maximum likelihood.
pub fn fit_bgnbd(customers: &[CustomerSummary]) -> Result<BgNbdFit, LifecycleError> {
    fit_bgnbd_with(customers, &FitOptions::default())
}

/// [`fit_bgnbd`] with explicit options (penalizer, precision, budget).
pub fn fit_bgnbd_with(
    customers: &[CustomerSummary],
    options: &FitOptions,
) -> Result<BgNbdFit, LifecycleError> {
    fit_bgnbd_weighted(&bgnbd_rows(customers)?, options)
}

/// Fits weighted rows (see [`bgnbd_rows`]): each row counts `weight` times.
pub fn fit_bgnbd_weighted(
    rows: &[BgNbdRow],
    options: &FitOptions,
) -> Result<BgNbdFit, LifecycleError> {
    validate_rows(rows)?;
    let data = BgNbdData::new(rows);
    if data.total_weight <= 0.0 {
        return Err(LifecycleError::NoData { model: MODEL });
    }
    let repeat_purchases: f64 = rows.iter().map(|row| row.weight * row.frequency).sum();
    let observed_time: f64 = rows.iter().map(|row| row.weight * row.age).sum();
    if repeat_purchases <= 0.0 || observed_time <= 0.0 {
        // Without a single repeat purchase the likelihood keeps rising as
        // r → 0: there is no estimate to find.
        return Err(LifecycleError::FitFailed {
            model: MODEL,
            reason: "no customer made a repeat purchase".to_owned(),
        });
    }

    // Starting points: r / α is the mean purchase rate, so α is set from
    // the observed rate; a and b range from "most stay" to "many leave".
    let rate = repeat_purchases / observed_time;
    let starts = [(1.0, 1.0, 1.0), (0.25, 0.8, 2.5), (2.0, 0.5, 5.0)].map(|(r, a, b)| {
        BgNbdParams {
            r,
            alpha: r / rate,
            a,
            b,
        }
        .to_logs()
        .to_vec()
    });
    let sample = BgNbdData::new(&sample_rows(rows, EXPLORATION_ROWS));
    let mut explore = objective(&sample, options.penalizer);
    let mut full = objective(&data, options.penalizer);
    let Some(polished) = fit_from_starts(&mut explore, &mut full, &starts, options) else {
        return Err(LifecycleError::FitFailed {
            model: MODEL,
            reason: "the likelihood is not finite at any starting point".to_owned(),
        });
    };
    let params = BgNbdParams::from_logs(&polished.point);
    Ok(BgNbdFit {
        params,
        log_likelihood: data.log_likelihood(&params, &mut Vec::new()),
        iterations: polished.iterations,
        converged: polished.converged,
    })
}

/// The function the optimizer minimizes: the mean negative log-likelihood
/// (mean, so tolerances do not depend on the number of customers) plus the
/// penalty, as a function of the log-parameters.
fn objective(data: &BgNbdData, penalizer: f64) -> impl FnMut(&[f64]) -> f64 + '_ {
    let mut ln_times = Vec::new();
    move |logs: &[f64]| {
        let params = BgNbdParams::from_logs(logs);
        let mean_log_likelihood = data.log_likelihood(&params, &mut ln_times) / data.total_weight;
        -mean_log_likelihood + penalizer * penalty(&params)
    }
}

/// The L2 penalty of `lifetimes`: Σ θ² over the natural parameters.
fn penalty(params: &BgNbdParams) -> f64 {
    params.r.powi(2) + params.alpha.powi(2) + params.a.powi(2) + params.b.powi(2)
}

fn validate_rows(rows: &[BgNbdRow]) -> Result<(), LifecycleError> {
    for row in rows {
        if !(row.weight.is_finite() && row.weight > 0.0) {
            return Err(LifecycleError::invalid_input(
                "weight",
                format!("{} is not a positive weight", row.weight),
            ));
        }
        CustomerSummary {
            frequency: row.frequency,
            recency: row.recency,
            age: row.age,
            monetary: 0.0,
        }
        .validate()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::bgnbd::likelihood::log_likelihood;
    use crate::model::simulate::simulate_population;

    fn customer(frequency: f64, recency: f64, age: f64) -> CustomerSummary {
        CustomerSummary {
            frequency,
            recency,
            age,
            monetary: 0.0,
        }
    }

    const TRUTH: BgNbdParams = BgNbdParams {
        r: 0.5,
        alpha: 6.0,
        a: 0.8,
        b: 2.5,
    };

    /// 2,000 customers from a known population, purchase times in days.
    fn small_population() -> Vec<CustomerSummary> {
        simulate_population(&TRUTH, 2_000, 1.0 / 7.0, 7)
    }

    #[test]
    fn the_fit_is_a_local_maximum_of_the_likelihood() {
        let customers = small_population();
        let fit = fit_bgnbd(&customers).expect("fit");
        assert!(fit.converged, "{fit:?}");
        let total = |params: &BgNbdParams| -> f64 {
            customers
                .iter()
                .map(|c| log_likelihood(params, c.frequency, c.recency, c.age))
                .sum()
        };
        assert!((total(&fit.params) - fit.log_likelihood).abs() < 1e-8);
        let logs = fit.params.to_logs();
        for axis in 0..4 {
            for step in [-1e-3, 1e-3] {
                let mut moved = logs;
                moved[axis] += step;
                assert!(total(&BgNbdParams::from_logs(&moved)) < fit.log_likelihood);
            }
        }
    }

    #[test]
    fn the_fit_recovers_the_parameters_that_generated_the_data() {
        let customers = simulate_population(&TRUTH, 20_000, 0.0, 11);
        let fit = fit_bgnbd(&customers).expect("fit");
        assert!(fit.converged, "{fit:?}");
        let relative_errors = fit
            .params
            .to_logs()
            .iter()
            .zip(TRUTH.to_logs())
            .map(|(fitted, truth)| (fitted - truth).abs())
            .collect::<Vec<_>>();
        // 20,000 customers pin r and α to a few percent; a and b are looser.
        assert!(
            relative_errors[0] < 0.05 && relative_errors[1] < 0.08,
            "{fit:?}"
        );
        assert!(
            relative_errors[2] < 0.2 && relative_errors[3] < 0.3,
            "{fit:?}"
        );
    }

    #[test]
    fn a_weighted_row_counts_as_that_many_customers() {
        let rows = bgnbd_rows(&small_population()).expect("valid");
        let doubled: Vec<BgNbdRow> = rows
            .iter()
            .map(|row| BgNbdRow {
                weight: 2.0 * row.weight,
                ..*row
            })
            .collect();
        let repeated: Vec<BgNbdRow> = rows.iter().chain(&rows).copied().collect();
        let options = FitOptions::default();
        let by_weight = fit_bgnbd_weighted(&doubled, &options).expect("fit");
        let by_repetition = fit_bgnbd_weighted(&repeated, &options).expect("fit");
        let by_weight_logs = by_weight.params.to_logs();
        for (weighted, repeated) in by_weight_logs.iter().zip(by_repetition.params.to_logs()) {
            assert!(
                (weighted - repeated).abs() < 1e-6,
                "{by_weight:?} vs {by_repetition:?}"
            );
        }
        assert!((by_weight.log_likelihood - by_repetition.log_likelihood).abs() < 1e-8);
    }

    #[test]
    fn the_penalizer_shrinks_the_parameters() {
        let customers = small_population();
        let plain = fit_bgnbd(&customers).expect("fit");
        let options = FitOptions {
            penalizer: 0.1,
            ..FitOptions::default()
        };
        let penalized = fit_bgnbd_with(&customers, &options).expect("fit");
        assert!(penalty(&penalized.params) < penalty(&plain.params));
    }

    #[test]
    fn data_without_repeat_purchases_or_customers_is_an_error() {
        assert!(fit_bgnbd(&[]).is_err());
        assert!(fit_bgnbd(&[customer(0.0, 0.0, 10.0)]).is_err());
        let bad_weight = [BgNbdRow {
            frequency: 1.0,
            recency: 1.0,
            age: 2.0,
            weight: 0.0,
        }];
        assert!(fit_bgnbd_weighted(&bad_weight, &FitOptions::default()).is_err());
    }
}
