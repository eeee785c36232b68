//! The BG/NBD log-likelihood, per customer and over a weighted data set.
//!
//! Everything is computed in log space: (α + T)^−(r+x) underflows for heavy
//! buyers long before the likelihood is actually small, and the sum of the
//! two terms of the likelihood is done with log-sum-exp.

use crate::model::bgnbd::BgNbdParams;
use crate::model::rows::BgNbdRow;
use crate::model::special::{ln_beta, ln_gamma};

/// ln L(r, α, a, b | x, t_x, T) of one customer (eq. 6 of the paper):
///
/// ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
/// + ln[(α+T)^−(r+x) + 1{x>0} a/(b+x−1) (α+t_x)^−(r+x)].
pub fn log_likelihood(params: &BgNbdParams, frequency: f64, recency: f64, age: f64) -> f64 {
    let BgNbdParams { r, alpha, a, b } = *params;
    let common = ln_gamma(r + frequency) - ln_gamma(r) + r * alpha.ln() + ln_beta(a, b + frequency)
        - ln_beta(a, b);
    let still_alive = -(r + frequency) * (alpha + age).ln();
    if frequency == 0.0 {
        return common + still_alive;
    }
    let dropped_after_last =
        a.ln() - (b + frequency - 1.0).ln() - (r + frequency) * (alpha + recency).ln();
    common + log_add_exp(still_alive, dropped_after_last)
}

/// ln(eˣ + eʸ) without overflow or underflow.
pub(crate) fn log_add_exp(x: f64, y: f64) -> f64 {
    let (high, low) = if x >= y { (x, y) } else { (y, x) };
    if high == f64::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    high + (low - high).exp().ln_1p()
}

/// A weighted data set laid out for repeated likelihood evaluation.
///
/// The optimizer evaluates the likelihood thousands of times, so the work
/// that depends only on x (the gamma and beta functions) is done once per
/// distinct x, and ln(α + t) once per distinct time t (ages and recencies
/// take few distinct values when measured in days), leaving a log-sum-exp per
/// row.
#[derive(Debug, Clone)]
pub(crate) struct BgNbdData {
    groups: Vec<FrequencyGroup>,
    rows: Vec<PreparedRow>,
    /// The distinct ages and recencies, sorted.
    times: Vec<f64>,
    pub total_weight: f64,
}

/// The rows sharing one frequency x.
#[derive(Debug, Clone)]
struct FrequencyGroup {
    frequency: f64,
    first_row: usize,
    end_row: usize,
    weight: f64,
}

#[derive(Debug, Clone, Copy)]
struct PreparedRow {
    age_index: usize,
    recency_index: usize,
    weight: f64,
}

impl BgNbdData {
    /// Lays out validated rows (any order).
    pub fn new(rows: &[BgNbdRow]) -> Self {
        let mut times: Vec<f64> = rows.iter().flat_map(|row| [row.age, row.recency]).collect();
        times.sort_unstable_by(f64::total_cmp);
        times.dedup();
        let time_index = |time: f64| {
            times
                .binary_search_by(|probe| probe.total_cmp(&time))
                .unwrap_or_default()
        };

        let mut sorted: Vec<&BgNbdRow> = rows.iter().collect();
        sorted.sort_by(|left, right| left.frequency.total_cmp(&right.frequency));
        let mut groups: Vec<FrequencyGroup> = Vec::new();
        let mut prepared = Vec::with_capacity(sorted.len());
        for (position, row) in sorted.iter().enumerate() {
            match groups.last_mut() {
                Some(group) if group.frequency == row.frequency => {
                    group.end_row = position + 1;
                    group.weight += row.weight;
                }
                _ => groups.push(FrequencyGroup {
                    frequency: row.frequency,
                    first_row: position,
                    end_row: position + 1,
                    weight: row.weight,
                }),
            }
            prepared.push(PreparedRow {
                age_index: time_index(row.age),
                recency_index: time_index(row.recency),
                weight: row.weight,
            });
        }
        let total_weight = rows.iter().map(|row| row.weight).sum();
        Self {
            groups,
            rows: prepared,
            times,
            total_weight,
        }
    }

    /// Σ weight × ln L over the data set. `ln_times` is scratch space, kept
    /// by the caller so evaluations do not allocate.
    pub fn log_likelihood(&self, params: &BgNbdParams, ln_times: &mut Vec<f64>) -> f64 {
        let BgNbdParams { r, alpha, a, b } = *params;
        ln_times.clear();
        ln_times.extend(self.times.iter().map(|time| (alpha + time).ln()));
        let ln_gamma_r = ln_gamma(r);
        let ln_beta_ab = ln_beta(a, b);
        let r_ln_alpha = r * alpha.ln();
        let ln_a = a.ln();

        let mut total = 0.0;
        for group in &self.groups {
            let x = group.frequency;
            let shape = r + x;
            let common = ln_gamma(shape) - ln_gamma_r + r_ln_alpha + ln_beta(a, b + x) - ln_beta_ab;
            let rows = &self.rows[group.first_row..group.end_row];
            let mut group_sum = 0.0;
            if x == 0.0 {
                for row in rows {
                    group_sum += row.weight * (-shape * ln_times[row.age_index]);
                }
            } else {
                let ln_drop_factor = ln_a - (b + x - 1.0).ln();
                for row in rows {
                    let still_alive = -shape * ln_times[row.age_index];
                    let dropped = ln_drop_factor - shape * ln_times[row.recency_index];
                    group_sum += row.weight * log_add_exp(still_alive, dropped);
                }
            }
            total += group.weight * common + group_sum;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CDNOW: BgNbdParams = BgNbdParams {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };

    #[test]
    fn zero_frequency_likelihood_is_the_survival_term_only() {
        // x = 0: L = (α / (α + T))^r.
        let expected = CDNOW.r * (CDNOW.alpha / (CDNOW.alpha + 30.0)).ln();
        let actual = log_likelihood(&CDNOW, 0.0, 0.0, 30.0);
        assert!((actual - expected).abs() < 1e-12, "{actual} vs {expected}");
    }

    #[test]
    fn likelihood_matches_the_direct_formula_for_a_repeat_buyer() {
        use crate::model::special::ln_gamma;
        let (x, t_x, age) = (3.0, 20.0, 35.0);
        let BgNbdParams { r, alpha, a, b } = CDNOW;
        let beta = |p: f64, q: f64| ln_beta(p, q).exp();
        let gamma_part = (ln_gamma(r + x) - ln_gamma(r)).exp() * alpha.powf(r);
        let direct = beta(a, b + x) / beta(a, b) * gamma_part / (alpha + age).powf(r + x)
            + beta(a + 1.0, b + x - 1.0) / beta(a, b) * gamma_part / (alpha + t_x).powf(r + x);
        let actual = log_likelihood(&CDNOW, x, t_x, age);
        assert!((actual - direct.ln()).abs() < 1e-12);
    }

    #[test]
    fn heavy_buyers_do_not_underflow() {
        // (α + T)^−(r+x) alone is about 10^−5700 here. The likelihood is a
        // density in the purchase times, so its log may well be positive.
        let value = log_likelihood(&CDNOW, 2_000.0, 700.0, 720.0);
        assert!(value.is_finite(), "{value}");
    }

    #[test]
    fn weighted_data_set_sums_the_per_customer_likelihoods() {
        let rows = [
            BgNbdRow {
                frequency: 0.0,
                recency: 0.0,
                age: 38.0,
                weight: 3.0,
            },
            BgNbdRow {
                frequency: 2.0,
                recency: 30.0,
                age: 38.0,
                weight: 2.0,
            },
            BgNbdRow {
                frequency: 1.0,
                recency: 5.0,
                age: 30.0,
                weight: 1.0,
            },
        ];
        let data = BgNbdData::new(&rows);
        let expected: f64 = rows
            .iter()
            .map(|row| row.weight * log_likelihood(&CDNOW, row.frequency, row.recency, row.age))
            .sum();
        let actual = data.log_likelihood(&CDNOW, &mut Vec::new());
        assert!((actual - expected).abs() < 1e-10, "{actual} vs {expected}");
        assert_eq!(data.total_weight, 6.0);
    }

    #[test]
    fn log_add_exp_is_stable() {
        assert!((log_add_exp(-1000.0, -1000.0) - (-1000.0 + 2f64.ln())).abs() < 1e-12);
        assert_eq!(log_add_exp(f64::NEG_INFINITY, -3.0), -3.0);
    }
}
