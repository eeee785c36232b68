//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the
//! easy way"): while alive, a customer buys as a Poisson process with rate
//! λ ~ Gamma(r, α); after each purchase they drop out with probability
//! p ~ Beta(a, b).
//!
//! - [`likelihood`]: the log-likelihood of one customer and of a weighted
//!   data set, in log space.
//! - [`fit`]: maximum likelihood over log-parameters.
//! - [`predict`]: P(alive) and expected future purchases.

pub mod fit;
pub mod likelihood;
pub mod predict;

use serde::{Deserialize, Serialize};

/// The four population parameters. Time is in the unit of the summaries the
/// model was fitted on (weeks for CDNOW): α scales with it, r, a, b do not.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    /// Shape of the purchase-rate distribution: small r, very unequal rates.
    pub r: f64,
    /// Scale of the purchase-rate distribution: the mean rate is r / α.
    pub alpha: f64,
    /// With `b`, the Beta distribution of the drop-out probability: its mean
    /// is a / (a + b).
    pub a: f64,
    pub b: f64,
}

impl BgNbdParams {
    /// The parameters as the optimizer sees them.
    pub(crate) fn to_logs(self) -> [f64; 4] {
        [self.r.ln(), self.alpha.ln(), self.a.ln(), self.b.ln()]
    }

    pub(crate) fn from_logs(logs: &[f64]) -> Self {
        Self {
            r: logs[0].exp(),
            alpha: logs[1].exp(),
            a: logs[2].exp(),
            b: logs[3].exp(),
        }
    }
}
