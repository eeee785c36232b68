//! RFM scores: recency, frequency and monetary value, each 1–5 by quintile
//! over the active portfolio (customers with a purchase who have not churned).
//!
//! Tie rules: the four breakpoints are the values at the 20th, 40th, 60th and
//! 80th percentile by nearest rank (`sorted[ceil(k·n/5) − 1]`); a value's
//! score is 1 + the number of breakpoints it lies strictly beyond (above for
//! frequency and monetary, below for recency in days). Equal values always get
//! the same score, and a value equal to a breakpoint takes the lower
//! quintile, so quintiles are uneven when many customers tie (most customers
//! of a shop have exactly one order: they all score F = 1). A customer who
//! never bought scores 0.

use serde::{Deserialize, Serialize};

/// The scores of one customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rfm {
    pub recency: u8,
    pub frequency: u8,
    pub monetary: u8,
}

/// One active customer's raw RFM values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RfmValues {
    pub days_since_last_purchase: f64,
    pub orders: f64,
    /// Net revenue, minor units.
    pub revenue: f64,
}

/// Breakpoints of the active portfolio.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RfmBreaks {
    /// Over minus the days since the last purchase (so that, as for the
    /// other two, higher is better).
    pub recency: [f64; 4],
    pub orders: [f64; 4],
    pub revenue: [f64; 4],
    /// Active customers the breakpoints came from.
    pub customers: usize,
}

impl RfmBreaks {
    /// `None` for an empty portfolio.
    pub fn from_values(values: &[RfmValues]) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let breaks = |mut column: Vec<f64>| -> [f64; 4] {
            column.sort_by(f64::total_cmp);
            let n = column.len();
            std::array::from_fn(|k| {
                let rank = ((k + 1) * n).div_ceil(5).max(1);
                column[rank - 1]
            })
        };
        Some(Self {
            recency: breaks(values.iter().map(|v| -v.days_since_last_purchase).collect()),
            orders: breaks(values.iter().map(|v| v.orders).collect()),
            revenue: breaks(values.iter().map(|v| v.revenue).collect()),
            customers: values.len(),
        })
    }

    pub fn score(&self, values: &RfmValues) -> Rfm {
        let above = |breaks: &[f64; 4], value: f64| {
            1 + breaks.iter().filter(|point| value > **point).count() as u8
        };
        Rfm {
            recency: above(&self.recency, -values.days_since_last_purchase),
            frequency: above(&self.orders, values.orders),
            monetary: above(&self.revenue, values.revenue),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(days: f64, orders: f64, revenue: f64) -> RfmValues {
        RfmValues {
            days_since_last_purchase: days,
            orders,
            revenue,
        }
    }

    #[test]
    fn five_distinct_customers_get_one_score_each() {
        let portfolio = [
            values(10.0, 1.0, 100.0),
            values(20.0, 2.0, 200.0),
            values(30.0, 3.0, 300.0),
            values(40.0, 4.0, 400.0),
            values(50.0, 5.0, 500.0),
        ];
        let breaks = RfmBreaks::from_values(&portfolio).expect("non-empty");
        assert_eq!(breaks.orders, [1.0, 2.0, 3.0, 4.0]);
        let scores: Vec<Rfm> = portfolio.iter().map(|v| breaks.score(v)).collect();
        assert_eq!(
            scores.iter().map(|s| s.recency).collect::<Vec<_>>(),
            [5, 4, 3, 2, 1]
        );
        assert_eq!(
            scores.iter().map(|s| s.frequency).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(
            scores.iter().map(|s| s.monetary).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
    }

    #[test]
    fn ties_share_the_lower_quintile() {
        // Eight one-order customers and two repeat buyers.
        let mut portfolio = vec![values(5.0, 1.0, 50.0); 8];
        portfolio.push(values(5.0, 3.0, 50.0));
        portfolio.push(values(5.0, 6.0, 50.0));
        let breaks = RfmBreaks::from_values(&portfolio).expect("non-empty");
        // Ranks 2, 4, 6, 8 of [1×8, 3, 6].
        assert_eq!(breaks.orders, [1.0, 1.0, 1.0, 1.0]);
        assert_eq!(breaks.score(&portfolio[0]).frequency, 1);
        assert_eq!(breaks.score(&portfolio[8]).frequency, 5);
        // Everyone bought 5 days ago: all at the lowest recency quintile.
        assert_eq!(breaks.score(&portfolio[0]).recency, 1);
    }
}
