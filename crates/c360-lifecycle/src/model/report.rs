//! Both models fitted on one set of customers, as one serializable report:
//! what the CLI prints as a JSON line and what a caller needs to predict.

use serde::Serialize;

use crate::error::LifecycleError;
use crate::model::bgnbd::BgNbdParams;
use crate::model::bgnbd::fit::fit_bgnbd;
use crate::model::gamma_gamma::{GammaGammaParams, fit_gamma_gamma};
use crate::model::summary::CustomerSummary;

/// Fitted BG/NBD and Gamma-Gamma parameters. Serialized flat: `r`, `alpha`,
/// `a`, `b`, `p`, `q`, `v` and the counts are all top-level keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitReport {
    #[serde(flatten)]
    pub bgnbd: BgNbdParams,
    #[serde(flatten)]
    pub gamma_gamma: GammaGammaParams,
    /// Customers the BG/NBD model was fitted on.
    pub customers: usize,
    /// Customers with at least one repeat purchase and a positive average
    /// spend: those the Gamma-Gamma model was fitted on.
    pub repeat_customers: usize,
    pub log_likelihood_bgnbd: f64,
    pub log_likelihood_gamma_gamma: f64,
    /// Both fits reached their tolerance within the evaluation budget.
    pub converged: bool,
}

/// Fits both models to `customers`.
pub fn fit_report(customers: &[CustomerSummary]) -> Result<FitReport, LifecycleError> {
    let bgnbd = fit_bgnbd(customers)?;
    let gamma_gamma = fit_gamma_gamma(customers)?;
    Ok(FitReport {
        bgnbd: bgnbd.params,
        gamma_gamma: gamma_gamma.params,
        customers: customers.len(),
        repeat_customers: gamma_gamma.customers as usize,
        log_likelihood_bgnbd: bgnbd.log_likelihood,
        log_likelihood_gamma_gamma: gamma_gamma.log_likelihood,
        converged: bgnbd.converged && gamma_gamma.converged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_has_every_parameter_at_top_level() {
        let report = FitReport {
            bgnbd: BgNbdParams {
                r: 0.24,
                alpha: 4.4,
                a: 0.79,
                b: 2.4,
            },
            gamma_gamma: GammaGammaParams {
                p: 6.2,
                q: 3.7,
                v: 15.4,
            },
            customers: 10,
            repeat_customers: 4,
            log_likelihood_bgnbd: -1.0,
            log_likelihood_gamma_gamma: -2.0,
            converged: true,
        };
        let json = serde_json::to_value(&report).expect("serializable");
        for key in [
            "r",
            "alpha",
            "a",
            "b",
            "p",
            "q",
            "v",
            "customers",
            "repeat_customers",
        ] {
            assert!(
                json.get(key).is_some_and(|value| value.is_number()),
                "{key} in {json}"
            );
        }
    }
}
