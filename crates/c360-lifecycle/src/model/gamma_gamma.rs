//! The Gamma-Gamma model of spend per purchase (Fader & Hardie 2013, "The
//! Gamma-Gamma Model of Monetary Value"): each purchase of a customer is
//! Gamma(p, ν) with the customer's ν ~ Gamma(q, γ) across customers (γ is
//! `v` here). Fitted on repeat customers' (x, m_x) by maximum likelihood over
//! log-parameters; predicts the average spend to expect from a customer.

use serde::{Deserialize, Serialize};

use crate::error::LifecycleError;
use crate::model::optimize::{FitOptions, fit_from_starts};
use crate::model::rows::{SpendRow, sample_rows, spend_rows};
use crate::model::special::ln_gamma;
use crate::model::summary::CustomerSummary;

const MODEL: &str = "Gamma-Gamma";
/// Starting points are compared on a sample of about this many rows.
const EXPLORATION_ROWS: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    /// Shape of spend per purchase: large p, a customer spends about the same
    /// every time.
    pub p: f64,
    /// With `v`, the spread of the customers' spend levels: the population
    /// mean spend is p v / (q − 1), finite only for q > 1.
    pub q: f64,
    pub v: f64,
}

/// A fitted Gamma-Gamma model and how the fit went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GammaGammaFit {
    pub params: GammaGammaParams,
    /// Σ ln L at the estimate (without the penalty).
    pub log_likelihood: f64,
    pub iterations: usize,
    pub converged: bool,
    /// Customers the model was fitted on: repeat buyers with a positive
    /// average spend.
    pub customers: f64,
}

impl GammaGammaParams {
    /// E[M | x, m_x]: the average spend per purchase to expect from a
    /// customer who averaged m_x over x repeat purchases — a weighted mean
    /// of m_x and the population mean, leaning on m_x as x grows. For x = 0
    /// it is the population mean p v / (q − 1).
    pub fn conditional_expected_average_profit(&self, frequency: f64, monetary: f64) -> f64 {
        let GammaGammaParams { p, q, v } = *self;
        let observed = if frequency > 0.0 {
            frequency * monetary
        } else {
            0.0
        };
        p * (v + observed) / (p * frequency + q - 1.0)
    }

    /// The population mean spend per purchase, p v / (q − 1).
    pub fn population_mean(&self) -> f64 {
        self.conditional_expected_average_profit(0.0, 0.0)
    }

    fn to_logs(self) -> [f64; 3] {
        [self.p.ln(), self.q.ln(), self.v.ln()]
    }

    fn from_logs(logs: &[f64]) -> Self {
        Self {
            p: logs[0].exp(),
            q: logs[1].exp(),
            v: logs[2].exp(),
        }
    }
}

/// ln L(p, q, v | x, m_x) of one repeat customer:
///
/// ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln m_x + px ln x
/// − (px+q) ln(x m_x + v).
pub fn log_likelihood(params: &GammaGammaParams, frequency: f64, monetary: f64) -> f64 {
    let GammaGammaParams { p, q, v } = *params;
    let shape = p * frequency;
    ln_gamma(shape + q) - ln_gamma(shape) - ln_gamma(q)
        + q * v.ln()
        + (shape - 1.0) * monetary.ln()
        + shape * frequency.ln()
        - (shape + q) * (frequency * monetary + v).ln()
}

/// Fits the model to the repeat customers among `customers`.
pub fn fit_gamma_gamma(customers: &[CustomerSummary]) -> Result<GammaGammaFit, LifecycleError> {
    fit_gamma_gamma_with(customers, &FitOptions::default())
}

/// [`fit_gamma_gamma`] with explicit options.
pub fn fit_gamma_gamma_with(
    customers: &[CustomerSummary],
    options: &FitOptions,
) -> Result<GammaGammaFit, LifecycleError> {
    fit_gamma_gamma_weighted(&spend_rows(customers)?, options)
}

/// Fits weighted (x, m_x) rows (see [`spend_rows`]).
pub fn fit_gamma_gamma_weighted(
    rows: &[SpendRow],
    options: &FitOptions,
) -> Result<GammaGammaFit, LifecycleError> {
    for row in rows {
        let valid = row.weight.is_finite()
            && row.weight > 0.0
            && row.frequency.is_finite()
            && row.frequency > 0.0
            && row.monetary.is_finite()
            && row.monetary > 0.0;
        if !valid {
            return Err(LifecycleError::invalid_input(
                "spend row",
                format!("{row:?} needs positive frequency, monetary value and weight"),
            ));
        }
    }
    let data = SpendData::new(rows);
    if data.total_weight <= 0.0 {
        return Err(LifecycleError::NoData { model: MODEL });
    }
    // Starting points matched to the observed mean spend m̄ = p v / (q − 1)
    // at different degrees of heterogeneity.
    let mean_spend = rows
        .iter()
        .map(|row| row.weight * row.monetary)
        .sum::<f64>()
        / data.total_weight;
    let starts = [(1.0, 2.0), (5.0, 3.0), (10.0, 10.0)].map(|(p, q)| {
        GammaGammaParams {
            p,
            q,
            v: mean_spend * (q - 1.0) / p,
        }
        .to_logs()
        .to_vec()
    });
    let sample = SpendData::new(&sample_rows(rows, EXPLORATION_ROWS));
    let mut explore = objective(&sample, options.penalizer);
    let mut full = objective(&data, options.penalizer);
    let Some(polished) = fit_from_starts(&mut explore, &mut full, &starts, options) else {
        return Err(LifecycleError::FitFailed {
            model: MODEL,
            reason: "the likelihood is not finite at any starting point".to_owned(),
        });
    };
    let params = GammaGammaParams::from_logs(&polished.point);
    Ok(GammaGammaFit {
        params,
        log_likelihood: data.log_likelihood(&params),
        iterations: polished.iterations,
        converged: polished.converged,
        customers: data.total_weight,
    })
}

/// Mean negative log-likelihood plus penalty, over log-parameters.
fn objective(data: &SpendData, penalizer: f64) -> impl FnMut(&[f64]) -> f64 + '_ {
    move |logs: &[f64]| {
        let params = GammaGammaParams::from_logs(logs);
        -data.log_likelihood(&params) / data.total_weight + penalizer * penalty(&params)
    }
}

fn penalty(params: &GammaGammaParams) -> f64 {
    params.p.powi(2) + params.q.powi(2) + params.v.powi(2)
}

/// Rows grouped by x, with ln m_x precomputed: per evaluation the gamma
/// functions are computed once per distinct x and each row costs one ln.
struct SpendData {
    /// (x, ln x, total weight, rows) per distinct x.
    groups: Vec<(f64, f64, f64, Vec<SpendPoint>)>,
    total_weight: f64,
}

struct SpendPoint {
    /// x m_x: total spend over the repeat purchases.
    total_spend: f64,
    ln_monetary: f64,
    weight: f64,
}

impl SpendData {
    fn new(rows: &[SpendRow]) -> Self {
        let mut sorted: Vec<&SpendRow> = rows.iter().collect();
        sorted.sort_by(|left, right| left.frequency.total_cmp(&right.frequency));
        let mut groups: Vec<(f64, f64, f64, Vec<SpendPoint>)> = Vec::new();
        for row in sorted {
            let point = SpendPoint {
                total_spend: row.frequency * row.monetary,
                ln_monetary: row.monetary.ln(),
                weight: row.weight,
            };
            match groups.last_mut() {
                Some((frequency, _, weight, points)) if *frequency == row.frequency => {
                    *weight += row.weight;
                    points.push(point);
                }
                _ => groups.push((row.frequency, row.frequency.ln(), row.weight, vec![point])),
            }
        }
        let total_weight = rows.iter().map(|row| row.weight).sum();
        Self {
            groups,
            total_weight,
        }
    }

    fn log_likelihood(&self, params: &GammaGammaParams) -> f64 {
        let GammaGammaParams { p, q, v } = *params;
        let ln_gamma_q = ln_gamma(q);
        let q_ln_v = q * v.ln();
        let mut total = 0.0;
        for (frequency, ln_frequency, weight, points) in &self.groups {
            let shape = p * frequency;
            let common =
                ln_gamma(shape + q) - ln_gamma(shape) - ln_gamma_q + q_ln_v + shape * ln_frequency;
            let mut group_sum = 0.0;
            for point in points {
                group_sum += point.weight
                    * ((shape - 1.0) * point.ln_monetary
                        - (shape + q) * (point.total_spend + v).ln());
            }
            total += weight * common + group_sum;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CDNOW: GammaGammaParams = GammaGammaParams {
        p: 6.25,
        q: 3.74,
        v: 15.44,
    };

    fn repeat_customer(frequency: f64, monetary: f64) -> CustomerSummary {
        CustomerSummary {
            frequency,
            recency: 1.0,
            age: 2.0,
            monetary,
        }
    }

    #[test]
    fn expected_profit_moves_from_the_population_mean_towards_the_own_average() {
        let population = CDNOW.population_mean();
        assert!((population - 6.25 * 15.44 / 2.74).abs() < 1e-12);
        assert_eq!(
            CDNOW.conditional_expected_average_profit(0.0, 99.0),
            population
        );
        let few = CDNOW.conditional_expected_average_profit(1.0, 100.0);
        let many = CDNOW.conditional_expected_average_profit(50.0, 100.0);
        assert!(population < few && few < many && many < 100.0);
    }

    #[test]
    fn likelihood_integrates_to_one_over_the_average_spend() {
        // The density of m_x for x = 2, integrated numerically over m.
        let (x, step) = (2.0, 0.01);
        let total: f64 = (1..200_000)
            .map(|i| log_likelihood(&CDNOW, x, i as f64 * step).exp() * step)
            .sum();
        assert!((total - 1.0).abs() < 1e-4, "{total}");
    }

    #[test]
    fn the_fit_recovers_a_local_maximum_and_skips_one_time_buyers() {
        let mut customers = vec![repeat_customer(0.0, 0.0); 5];
        for (index, x) in [1.0, 2.0, 3.0, 5.0, 8.0].iter().enumerate() {
            for spend in [10.0, 20.0, 35.0, 60.0] {
                customers.push(repeat_customer(*x, spend + index as f64));
            }
        }
        let fit = fit_gamma_gamma(&customers).expect("fit");
        assert!(fit.converged);
        assert_eq!(fit.customers, 20.0);
        let total = |params: &GammaGammaParams| -> f64 {
            customers
                .iter()
                .filter(|c| c.frequency > 0.0)
                .map(|c| log_likelihood(params, c.frequency, c.monetary))
                .sum()
        };
        assert!((total(&fit.params) - fit.log_likelihood).abs() < 1e-8);
        for axis in 0..3 {
            for step in [-1e-3, 1e-3] {
                let mut moved = fit.params.to_logs();
                moved[axis] += step;
                assert!(total(&GammaGammaParams::from_logs(&moved)) < fit.log_likelihood);
            }
        }
    }

    #[test]
    fn no_repeat_customers_is_an_error() {
        assert!(fit_gamma_gamma(&[repeat_customer(0.0, 0.0)]).is_err());
        let bad = [SpendRow {
            frequency: 1.0,
            monetary: -3.0,
            weight: 1.0,
        }];
        assert!(fit_gamma_gamma_weighted(&bad, &FitOptions::default()).is_err());
    }
}
