//! What a customer's metrics need from the whole portfolio: the RFM
//! breakpoints, the fitted customer-base model and the CLV distribution.
//! Computed by a full recomputation and stored, so that one customer can be
//! recomputed alone when their activities change.

use serde::{Deserialize, Serialize};

use crate::event::Micros;
use crate::model::bgnbd::BgNbdParams;
use crate::model::gamma_gamma::GammaGammaParams;
use crate::rfm::RfmBreaks;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PortfolioContext {
    /// When it was computed (the metrics' `as_of`).
    pub as_of: Micros,
    pub rfm: Option<RfmBreaks>,
    pub model: Option<FittedModel>,
    /// The 1st … 99th percentile of predicted CLV (minor units).
    pub clv_percentiles: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedModel {
    pub bgnbd: BgNbdParams,
    /// `None` when too few repeat buyers had spend to fit it.
    pub gamma_gamma: Option<GammaGammaParams>,
    pub customers: usize,
    pub repeat_customers: usize,
    pub fitted_at: Micros,
    /// The model's time unit in days.
    pub period_days: f64,
}

impl PortfolioContext {
    /// The percentile rank (0–100) of a CLV among the portfolio's.
    pub fn clv_percentile(&self, clv: i64) -> f64 {
        if self.clv_percentiles.is_empty() {
            return 0.0;
        }
        // Cut points strictly below: ties (many customers worth 0) share the
        // lowest rank instead of climbing to the top.
        let below = self.clv_percentiles.partition_point(|cut| *cut < clv);
        below as f64 * 100.0 / (self.clv_percentiles.len() + 1) as f64
    }

    /// Cut points of a CLV distribution.
    pub fn percentiles_of(mut values: Vec<i64>) -> Vec<i64> {
        if values.is_empty() {
            return Vec::new();
        }
        values.sort_unstable();
        let n = values.len();
        (1..100)
            .map(|k| values[((k * n).div_ceil(100)).max(1) - 1])
            .collect()
    }
}
