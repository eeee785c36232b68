//! Weighted rows: customers with identical statistics collapsed into one row
//! with a count.
//!
//! The likelihoods only see (x, t_x, T) or (x, m_x), and with time in whole
//! days most customers share their triple with many others; fitting the
//! distinct rows with weights gives the same likelihood for a fraction of the
//! work, which is what makes a million-customer fit take seconds.

use crate::error::LifecycleError;
use crate::model::summary::CustomerSummary;

/// The BG/NBD's view of `weight` customers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BgNbdRow {
    pub frequency: f64,
    pub recency: f64,
    pub age: f64,
    /// How many customers this row stands for (any positive number, so that
    /// callers can also weight customers on purpose).
    pub weight: f64,
}

/// The Gamma-Gamma model's view of `weight` repeat customers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpendRow {
    pub frequency: f64,
    pub monetary: f64,
    pub weight: f64,
}

/// Validates the summaries and collapses identical (x, t_x, T) triples.
///
/// Recency is irrelevant when x = 0 (the likelihood does not use it), so it
/// is set to 0 there to let those customers collapse by age alone.
pub fn bgnbd_rows(customers: &[CustomerSummary]) -> Result<Vec<BgNbdRow>, LifecycleError> {
    let mut keyed = Vec::with_capacity(customers.len());
    for customer in customers {
        customer.validate()?;
        let recency = if customer.frequency == 0.0 {
            0.0
        } else {
            customer.recency
        };
        keyed.push([customer.frequency, recency, customer.age]);
    }
    Ok(collapse(keyed)
        .into_iter()
        .map(|([frequency, recency, age], weight)| BgNbdRow {
            frequency,
            recency,
            age,
            weight,
        })
        .collect())
}

/// Validates the summaries and collapses identical (x, m_x) pairs of the
/// customers the Gamma-Gamma model describes: at least one repeat purchase
/// and a positive average spend (refund-only customers have no place in a
/// gamma distribution of spend).
pub fn spend_rows(customers: &[CustomerSummary]) -> Result<Vec<SpendRow>, LifecycleError> {
    let mut keyed = Vec::new();
    for customer in customers {
        customer.validate()?;
        if customer.frequency > 0.0 && customer.monetary > 0.0 {
            keyed.push([customer.frequency, customer.monetary]);
        }
    }
    Ok(collapse(keyed)
        .into_iter()
        .map(|([frequency, monetary], weight)| SpendRow {
            frequency,
            monetary,
            weight,
        })
        .collect())
}

/// A row that stands for `weight` customers.
pub(crate) trait WeightedRow: Copy {
    fn weight(&self) -> f64;
    fn with_weight(self, weight: f64) -> Self;
}

impl WeightedRow for BgNbdRow {
    fn weight(&self) -> f64 {
        self.weight
    }
    fn with_weight(self, weight: f64) -> Self {
        Self { weight, ..self }
    }
}

impl WeightedRow for SpendRow {
    fn weight(&self) -> f64 {
        self.weight
    }
    fn with_weight(self, weight: f64) -> Self {
        Self { weight, ..self }
    }
}

/// At most about `target` rows standing for the same total weight, drawn
/// by systematic sampling proportional to weight (a row is hit once per
/// W / target of its weight, evenly spaced through the rows' order).
///
/// The fits explore their starting points on such a sample and only polish
/// on the full data: the sample's optimum is within sampling noise of the
/// full one, which is all a starting point needs.
pub(crate) fn sample_rows<Row: WeightedRow>(rows: &[Row], target: usize) -> Vec<Row> {
    if rows.len() <= target || target == 0 {
        return rows.to_vec();
    }
    let total: f64 = rows.iter().map(WeightedRow::weight).sum();
    let spacing = total / target as f64;
    let mut sample = Vec::with_capacity(target);
    // The first hit is half a spacing in, so the sample does not depend on
    // a random offset.
    let mut next_hit = 0.5 * spacing;
    let mut cumulative = 0.0;
    for row in rows {
        cumulative += row.weight();
        let mut hits = 0.0;
        while next_hit < cumulative {
            hits += 1.0;
            next_hit += spacing;
        }
        if hits > 0.0 {
            sample.push(row.with_weight(hits * spacing));
        }
    }
    sample
}

/// Sorts the keys and counts each distinct one. Sorting (rather than
/// hashing) also fixes the summation order of the likelihood, so a fit is
/// bit-for-bit reproducible whatever order the customers came in.
fn collapse<const N: usize>(mut keys: Vec<[f64; N]>) -> Vec<([f64; N], f64)> {
    // Validated values are finite and non-negative (or at least finite), for
    // which `total_cmp` is the numeric order.
    keys.sort_unstable_by(|left, right| {
        left.iter()
            .zip(right)
            .map(|(l, r)| l.total_cmp(r))
            .find(|ordering| ordering.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut rows: Vec<([f64; N], f64)> = Vec::new();
    for key in keys {
        match rows.last_mut() {
            Some((last, weight)) if *last == key => *weight += 1.0,
            _ => rows.push((key, 1.0)),
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(frequency: f64, recency: f64, age: f64, monetary: f64) -> CustomerSummary {
        CustomerSummary {
            frequency,
            recency,
            age,
            monetary,
        }
    }

    #[test]
    fn identical_customers_become_one_weighted_row() {
        let customers = [
            customer(2.0, 3.0, 10.0, 5.0),
            customer(0.0, 0.0, 10.0, 0.0),
            customer(2.0, 3.0, 10.0, 7.0),
            customer(0.0, 0.0, 10.0, 0.0),
            customer(0.0, 0.0, 8.0, 0.0),
        ];
        let rows = bgnbd_rows(&customers).expect("valid summaries");
        let weights: Vec<(f64, f64, f64)> = rows
            .iter()
            .map(|row| (row.frequency, row.age, row.weight))
            .collect();
        assert_eq!(
            weights,
            [(0.0, 8.0, 1.0), (0.0, 10.0, 2.0), (2.0, 10.0, 2.0)]
        );
        assert_eq!(rows.iter().map(|row| row.weight).sum::<f64>(), 5.0);
    }

    #[test]
    fn spend_rows_keep_only_repeat_customers_with_positive_spend() {
        let customers = [
            customer(2.0, 3.0, 10.0, 5.0),
            customer(0.0, 0.0, 10.0, 0.0),
            customer(1.0, 3.0, 10.0, -4.0),
            customer(2.0, 4.0, 10.0, 5.0),
        ];
        let rows = spend_rows(&customers).expect("valid summaries");
        assert_eq!(
            rows,
            [SpendRow {
                frequency: 2.0,
                monetary: 5.0,
                weight: 2.0
            }]
        );
    }

    #[test]
    fn a_sample_keeps_the_total_weight_and_favours_heavy_rows() {
        let rows: Vec<SpendRow> = (0..1_000)
            .map(|index| SpendRow {
                frequency: 1.0,
                monetary: f64::from(index) + 1.0,
                weight: if index == 500 { 5_000.0 } else { 1.0 },
            })
            .collect();
        let sample = sample_rows(&rows, 100);
        assert!(sample.len() <= 100);
        let total: f64 = sample.iter().map(|row| row.weight).sum();
        assert!((total - 5_999.0).abs() < 1e-6, "{total}");
        let heavy = sample.iter().find(|row| row.monetary == 501.0);
        assert!(heavy.is_some_and(|row| row.weight > 4_000.0), "{heavy:?}");
    }

    #[test]
    fn small_data_is_not_sampled() {
        let rows = [SpendRow {
            frequency: 1.0,
            monetary: 1.0,
            weight: 3.0,
        }];
        assert_eq!(sample_rows(&rows, 10), rows);
    }

    #[test]
    fn invalid_summaries_are_reported() {
        assert!(bgnbd_rows(&[customer(1.0, 5.0, 4.0, 1.0)]).is_err());
    }
}
