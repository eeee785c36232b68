//! BG/NBD predictions: the probability that a customer is still alive and
//! the number of purchases to expect from them in the next t periods.
//!
//! The paper's eq. 10 is
//!
//! E[Y(t) | x, t_x, T] = P(alive) × (a+b+x−1)/(a−1)
//!     × [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))],
//!
//! but evaluated literally it fails three ways: ₂F₁ overflows for heavy
//! buyers (it grows like (1−z)^−x), a = 1 is 0/0, and a+b+x−1 ≤ 0 makes ₂F₁
//! undefined. Euler's transformation turns the bracket into
//! 1 − (1+s)^(1−a) ₂F₁(a+b−1−r, a−1; a+b+x−1; z) with s = t/(α+T) and
//! z = s/(1+s), whose ₂F₁ stays close to 1; for z ≤ 0.9 its series is summed
//! with the a − 1 and a+b+x−1 factors cancelled by hand (no singularity left),
//! and beyond, [`hyp2f1`] is used with the two removable singularities
//! stepped around by interpolation.

use crate::model::bgnbd::BgNbdParams;
use crate::model::special::{hyp2f1, interpolate_around_zero};

/// Up to s = t/(α+T) = 9 (z = 0.9) the cancelled series needs at most a few
/// hundred terms; past it, the connection formula to 1 − z is faster.
const SERIES_LIMIT: f64 = 9.0;
/// Distance from a removable singularity (a = 1, a+b+x−1 a non-positive
/// integer) inside which the formula is interpolated instead of evaluated,
/// relative to the scale 1 / max(1, ln(1+s)) on which it varies in a and b
/// (see [`interpolate_around_zero`]).
const SINGULARITY_STEP: f64 = 1e-2;
const SERIES_EPSILON: f64 = 1e-17;
const SERIES_MAX_TERMS: usize = 100_000;

impl BgNbdParams {
    /// P(alive | x, t_x, T): the probability that a customer with this
    /// history has not dropped out by the end of calibration (eq. 11).
    /// A customer without repeat purchases cannot have dropped out (drop-out
    /// happens only after a purchase), so it is 1 for x = 0.
    pub fn p_alive(&self, frequency: f64, recency: f64, age: f64) -> f64 {
        if frequency == 0.0 {
            return 1.0;
        }
        let BgNbdParams { r, alpha, a, b } = *self;
        // ln of the odds of "dropped out after the last purchase".
        let ln_odds = a.ln() - (b + frequency - 1.0).ln()
            + (r + frequency) * ((alpha + age).ln() - (alpha + recency).ln());
        1.0 / (1.0 + ln_odds.exp())
    }

    /// E[Y(t) | x, t_x, T]: purchases expected in the `t` periods after the
    /// end of calibration from a customer with this history (eq. 10).
    pub fn expected_purchases(&self, t: f64, frequency: f64, recency: f64, age: f64) -> f64 {
        let relative_horizon = t / (self.alpha + age);
        self.p_alive(frequency, recency, age) * expected_if_alive(self, frequency, relative_horizon)
    }

    /// E[X(t)]: purchases expected in the first `t` periods from a customer
    /// just acquired (eq. 9), e.g. to forecast a new cohort.
    pub fn expected_purchases_new(&self, t: f64) -> f64 {
        expected_if_alive(self, 0.0, t / self.alpha)
    }
}

/// E[purchases in the next t | alive, x] with s = t/(α+T). Given survival
/// the drop-out probability is Beta(a, b+x) and the rate Gamma(r+x, α+T);
/// integrating E[·|λ, p] = (1 − e^(−λpt))/p over both gives eq. 10's bracket.
fn expected_if_alive(params: &BgNbdParams, frequency: f64, relative_horizon: f64) -> f64 {
    if relative_horizon == 0.0 {
        return 0.0;
    }
    if relative_horizon.is_nan() || relative_horizon < 0.0 {
        return f64::NAN;
    }
    let BgNbdParams { r, a, b, .. } = *params;
    if relative_horizon <= SERIES_LIMIT {
        return cancelled_series(r, a, b, frequency, relative_horizon);
    }
    connection_avoiding_non_positive_c(r, a, b, frequency, relative_horizon)
}

/// The bracket with the singular factors cancelled term by term:
///
/// c L φ((a−1)L) − (1+s)^(1−a) Σₙ≥₁ (d)ₙ (a)ₙ₋₁ zⁿ / ((c+1)ₙ₋₁ n!)
///
/// with c = a+b+x−1, d = a+b−1−r, L = ln(1+s), φ(u) = (1 − e^−u)/u. Every
/// factor is finite for all positive parameters (c + 1 = a+b+x > 0).
fn cancelled_series(r: f64, a: f64, b: f64, frequency: f64, relative_horizon: f64) -> f64 {
    let c = a + b + frequency - 1.0;
    let d = a + b - 1.0 - r;
    let log_growth = relative_horizon.ln_1p();
    let z = relative_horizon / (1.0 + relative_horizon);

    let u = (a - 1.0) * log_growth;
    let phi = if u == 0.0 { 1.0 } else { -(-u).exp_m1() / u };
    let leading = c * log_growth * phi;

    let monotone_from = d.abs().max(a.abs()).max(c.abs());
    let mut term = d * z;
    let mut sum = term;
    for index in 1..SERIES_MAX_TERMS {
        if term == 0.0 {
            break;
        }
        let n = index as f64;
        term *= (d + n) * (a + n - 1.0) * z / ((c + n) * (n + 1.0));
        sum += term;
        if n > monotone_from && term.abs() <= SERIES_EPSILON * sum.abs() {
            break;
        }
    }
    leading - ((1.0 - a) * log_growth).exp() * sum
}

/// c = a+b+x−1 at (or near) 0, −1, … makes ₂F₁ undefined although the
/// expectation is smooth there: interpolate in b around that point.
fn connection_avoiding_non_positive_c(
    r: f64,
    a: f64,
    b: f64,
    frequency: f64,
    relative_horizon: f64,
) -> f64 {
    let c = a + b + frequency - 1.0;
    let offset = c - c.round();
    let step = singularity_step(relative_horizon);
    if c.round() > 0.0 || offset.abs() >= step {
        return connection_avoiding_unit_a(r, a, b, frequency, relative_horizon);
    }
    let centre = b - offset;
    interpolate_around_zero(offset, step, |shift| {
        connection_avoiding_unit_a(r, a, centre + shift, frequency, relative_horizon)
    })
}

/// a = 1 makes c (1 − G)/(a − 1) a 0/0: interpolate in a around 1.
fn connection_avoiding_unit_a(
    r: f64,
    a: f64,
    b: f64,
    frequency: f64,
    relative_horizon: f64,
) -> f64 {
    let offset = a - 1.0;
    let step = singularity_step(relative_horizon);
    if offset.abs() >= step {
        return connection(r, a, b, frequency, relative_horizon);
    }
    interpolate_around_zero(offset, step, |shift| {
        connection(r, 1.0 + shift, b, frequency, relative_horizon)
    })
}

fn singularity_step(relative_horizon: f64) -> f64 {
    SINGULARITY_STEP / relative_horizon.ln_1p().max(1.0)
}

/// c (1 − G)/(a − 1) with G = (1+s)^(1−a) ₂F₁(a+b−1−r, a−1; c; z).
fn connection(r: f64, a: f64, b: f64, frequency: f64, relative_horizon: f64) -> f64 {
    let c = a + b + frequency - 1.0;
    let z = relative_horizon / (1.0 + relative_horizon);
    let damping = ((1.0 - a) * relative_horizon.ln_1p()).exp();
    let g = damping * hyp2f1(a + b - 1.0 - r, a - 1.0, c, z);
    c * (1.0 - g) / (a - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::special::ln_beta;
    use std::f64::consts::PI;

    const CDNOW: BgNbdParams = BgNbdParams {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };

    /// E_p[(1 − (1 + p s)^−(r+x)) / p] for p ~ Beta(a, b+x), by tanh-sinh
    /// quadrature: an independent route to the same number.
    fn expected_if_alive_by_quadrature(params: &BgNbdParams, x: f64, s: f64) -> f64 {
        let shape = params.r + x;
        let (beta_a, beta_b) = (params.a, params.b + x);
        let ln_norm = ln_beta(beta_a, beta_b);
        let step = 1.0 / 256.0;
        let mut sum = 0.0;
        let limit = (6.5 / step) as i64;
        for k in -limit..=limit {
            let tau = k as f64 * step;
            let y = PI * tau.sinh();
            // p and 1 − p each computed without cancellation.
            let p = 1.0 / (1.0 + (-y).exp());
            let q = 1.0 / (1.0 + y.exp());
            if p == 0.0 || q == 0.0 {
                continue;
            }
            let density = (beta_a * p.ln() + beta_b * q.ln() - ln_norm).exp();
            let gain = -(-shape * (p * s).ln_1p()).exp_m1() / p;
            sum += density * gain * PI * tau.cosh();
        }
        sum * step
    }

    fn assert_relative(actual: f64, expected: f64, tolerance: f64) {
        let error = ((actual - expected) / expected).abs();
        assert!(
            error <= tolerance,
            "{actual} vs {expected}: relative error {error:e}"
        );
    }

    #[test]
    fn expectation_matches_quadrature_across_parameter_regimes() {
        let regimes = [
            CDNOW,
            // a > 1: finite lifetime purchases.
            BgNbdParams { a: 2.5, ..CDNOW },
            // a = 1 exactly and just off it: the 0/0 of eq. 10.
            BgNbdParams { a: 1.0, ..CDNOW },
            BgNbdParams {
                a: 1.000_2,
                ..CDNOW
            },
            // a + b < 1: a + b + x − 1 ≤ 0 for x = 0.
            BgNbdParams {
                a: 0.3,
                b: 0.5,
                ..CDNOW
            },
            // a + b − 1 = 0 exactly.
            BgNbdParams {
                a: 0.4,
                b: 0.6,
                ..CDNOW
            },
            BgNbdParams {
                r: 3.0,
                alpha: 0.5,
                a: 4.0,
                b: 1.5,
            },
        ];
        for params in regimes {
            for x in [0.0, 1.0, 7.0, 60.0, 2_000.0] {
                for s in [0.01, 0.5, 3.0, 9.0, 9.5, 40.0, 1_000.0] {
                    let actual = expected_if_alive(&params, x, s);
                    let expected = expected_if_alive_by_quadrature(&params, x, s);
                    let tolerance = if s > 100.0 { 1e-6 } else { 1e-8 };
                    assert!(
                        ((actual - expected) / expected).abs() <= tolerance,
                        "{params:?} x={x} s={s}: {actual} vs {expected}"
                    );
                }
            }
        }
    }

    #[test]
    fn expectation_matches_the_literal_equation_10() {
        let BgNbdParams { r, alpha, a, b } = CDNOW;
        let (x, t_x, age) = (3.0, 25.0, 38.0);
        for t in [1.0, 10.0, 52.0, 400.0] {
            let z = t / (alpha + age + t);
            let bracket = 1.0
                - ((alpha + age) / (alpha + age + t)).powf(r + x)
                    * hyp2f1(r + x, b + x, a + b + x - 1.0, z);
            let literal = (a + b + x - 1.0) / (a - 1.0) * bracket * CDNOW.p_alive(x, t_x, age);
            assert_relative(CDNOW.expected_purchases(t, x, t_x, age), literal, 1e-9);
        }
    }

    #[test]
    fn expectation_matches_high_precision_values_of_equation_10() {
        // Eq. 10 evaluated with mpmath at 60 digits; a = 1 as 1 + 1e-20 and
        // a + b + x − 1 = 0 as the nearby value mpmath's decimal inputs give.
        let cases = [
            (CDNOW, (1.0, 2.0, 30.43, 38.86), 0.037_447_969_741_732_263),
            (CDNOW, (52.0, 2.0, 30.43, 38.86), 1.558_720_806_432_088),
            (CDNOW, (1_000.0, 7.0, 29.43, 38.86), 23.966_900_321_443_862),
            (CDNOW, (39.0, 0.0, 0.0, 0.0), 1.196_723_193_320_817),
            (CDNOW, (10_000.0, 0.0, 0.0, 0.0), 15.067_913_315_055_177),
            (CDNOW, (52.0, 300.0, 38.0, 38.86), 123.343_961_452_586_87),
            (
                BgNbdParams {
                    r: 0.5,
                    alpha: 6.0,
                    a: 1.0,
                    b: 2.5,
                },
                (400.0, 3.0, 20.0, 30.0),
                6.648_366_982_839_006,
            ),
            (
                BgNbdParams {
                    r: 0.5,
                    alpha: 6.0,
                    a: 2.5,
                    b: 1.5,
                },
                (5_000.0, 1.0, 5.0, 30.0),
                0.242_993_464_283_888_06,
            ),
            (
                BgNbdParams {
                    r: 0.5,
                    alpha: 6.0,
                    a: 0.3,
                    b: 0.7,
                },
                (200.0, 0.0, 0.0, 10.0),
                3.191_020_276_827_954_7,
            ),
        ];
        for (params, (t, x, t_x, age), expected) in cases {
            let actual = params.expected_purchases(t, x, t_x, age);
            assert_relative(actual, expected, 1e-11);
        }
    }

    #[test]
    fn heavy_buyers_far_ahead_stay_finite() {
        let value = CDNOW.expected_purchases(5_000.0, 2_000.0, 700.0, 720.0);
        assert!(value.is_finite() && value > 0.0, "{value}");
    }

    #[test]
    fn customers_without_repeat_purchases_are_alive() {
        assert_eq!(CDNOW.p_alive(0.0, 0.0, 38.0), 1.0);
        // The longer the silence since the last purchase, the likelier gone.
        let recent = CDNOW.p_alive(5.0, 37.0, 38.0);
        let lapsed = CDNOW.p_alive(5.0, 10.0, 38.0);
        assert!(recent > lapsed && lapsed > 0.0 && recent < 1.0);
    }

    #[test]
    fn expected_purchases_grow_with_the_horizon_from_zero() {
        assert_eq!(CDNOW.expected_purchases(0.0, 2.0, 30.0, 38.0), 0.0);
        let mut previous = 0.0;
        for t in [0.5, 1.0, 5.0, 39.0, 52.0, 100.0, 1_000.0] {
            let value = CDNOW.expected_purchases(t, 2.0, 30.0, 38.0);
            assert!(value > previous, "t={t}: {value} <= {previous}");
            previous = value;
        }
    }

    #[test]
    fn a_new_customer_starts_buying_at_the_mean_rate() {
        // dE[X(t)]/dt at 0 = r/α, the mean purchase rate.
        let t = 1e-6;
        assert_relative(
            CDNOW.expected_purchases_new(t) / t,
            CDNOW.r / CDNOW.alpha,
            1e-5,
        );
        // And a new customer is the x = 0, T = 0 case of eq. 10.
        assert_relative(
            CDNOW.expected_purchases_new(39.0),
            CDNOW.expected_purchases(39.0, 0.0, 0.0, 0.0),
            1e-14,
        );
    }

    #[test]
    fn invalid_horizons_give_nan() {
        assert!(CDNOW.expected_purchases(-1.0, 1.0, 1.0, 2.0).is_nan());
        assert!(CDNOW.expected_purchases_new(f64::NAN).is_nan());
    }
}
