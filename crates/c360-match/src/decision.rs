//! Link, review or no link: the thresholds on a pair's match probability.

use serde::{Deserialize, Serialize};

use crate::error::MatchError;

/// `[matching.thresholds]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// At or above: the records are linked automatically.
    pub link: f64,
    /// At or above (and below `link`): a steward reviews the pair.
    pub review: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        // 0.5 is where a match becomes more likely than not: the Bayes decision
        // for equal error costs, and what FEBRL results are usually quoted at.
        Self {
            link: 0.5,
            review: 0.05,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Link,
    Review,
    NoLink,
}

impl Thresholds {
    pub fn validate(&self) -> Result<(), MatchError> {
        if !(self.link > 0.0 && self.link < 1.0) {
            return Err(MatchError::config(
                "matching.thresholds.link",
                format!(
                    "{} is not a probability strictly between 0 and 1",
                    self.link
                ),
            ));
        }
        if !(self.review > 0.0 && self.review <= self.link) {
            return Err(MatchError::config(
                "matching.thresholds.review",
                format!(
                    "{} must be above 0 and at most link ({})",
                    self.review, self.link
                ),
            ));
        }
        Ok(())
    }

    pub fn decide(&self, probability: f64) -> Decision {
        if probability >= self.link {
            Decision::Link
        } else if probability >= self.review {
            Decision::Review
        } else {
            Decision::NoLink
        }
    }
}
