//! The special functions the likelihoods and predictions need: ln Γ, ln B and
//! the Gauss hypergeometric function ₂F₁.
//!
//! Written here rather than taken from a statistics crate because only these
//! three are needed, and each is a few dozen lines once the numerically
//! delicate cases (small arguments, z near 1, integer parameter differences)
//! are handled explicitly.

use std::f64::consts::PI;

/// Lanczos approximation, g = 7, nine coefficients: about 15 significant
/// digits for Γ over the whole positive axis.
const LANCZOS_G: f64 = 7.0;
const LANCZOS_COEFFICIENTS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// ln √(2π), the constant of the Lanczos formula.
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// ln Γ(x) for x > 0 (NaN otherwise).
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x == f64::INFINITY {
        return f64::INFINITY;
    }
    if x < 0.5 {
        // Γ(x) = Γ(x + 1) / x keeps the Lanczos sum in its accurate range
        // without the cancellation of the reflection formula near 0.
        return ln_gamma_lanczos(x + 1.0) - x.ln();
    }
    ln_gamma_lanczos(x)
}

/// The Lanczos sum itself, accurate for x ≥ 0.5.
fn ln_gamma_lanczos(x: f64) -> f64 {
    let shifted = x - 1.0;
    let mut series = LANCZOS_COEFFICIENTS[0];
    for (index, coefficient) in LANCZOS_COEFFICIENTS.iter().enumerate().skip(1) {
        series += coefficient / (shifted + index as f64);
    }
    let base = shifted + LANCZOS_G + 0.5;
    LN_SQRT_2PI + (shifted + 0.5) * base.ln() - base + series.ln()
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0.
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// ln |Γ(x)| and the sign of Γ(x) for any real x. At the poles (0, −1, −2, …)
/// the logarithm is +∞, so `exp(-ln)` gives the correct reciprocal 1/Γ = 0.
fn ln_gamma_signed(x: f64) -> (f64, f64) {
    if x > 0.0 {
        return (ln_gamma(x), 1.0);
    }
    if x == x.floor() {
        return (f64::INFINITY, 1.0);
    }
    // Reflection: Γ(x) Γ(1 − x) = π / sin(πx), with 1 − x > 1.
    let sine = sin_pi(x);
    (PI.ln() - sine.abs().ln() - ln_gamma(1.0 - x), sine.signum())
}

/// sin(πx) with the argument reduced exactly to [−½, ½] first: near the
/// poles of Γ the reflection formula needs sin(πx) to full relative precision,
/// which sin(π · x) loses for |x| ≥ 1.
fn sin_pi(x: f64) -> f64 {
    let nearest = x.round();
    let reduced = x - nearest;
    let sine = (PI * reduced).sin();
    if nearest.rem_euclid(2.0) == 0.0 {
        sine
    } else {
        -sine
    }
}

/// Terms at most this small relative to the sum end a series.
const SERIES_EPSILON: f64 = 1e-17;
/// A series that has not converged after this many terms is reported as NaN
/// rather than returned half-summed.
const SERIES_MAX_TERMS: usize = 200_000;
/// Node spacing, relative to the scale on which the function varies, of the
/// interpolation used when c − a − b is (nearly) an integer: see
/// [`hyp2f1_near_one`].
const INTEGER_GAP_STEP: f64 = 1e-2;

/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for real z < 1.
///
/// The power series converges only for |z| < 1, and slowly near 1, so:
/// z ≤ ½ sums it directly; ½ < z < 1 uses the connection formula to 1 − z
/// (Abramowitz & Stegun 15.3.6); z < 0 first applies Pfaff's transformation to
/// z / (z − 1) ∈ (0, 1). Returns NaN where the function is undefined (c a
/// non-positive integer, z ≥ 1).
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    if ![a, b, c, z].iter().all(|value| value.is_finite()) || z >= 1.0 {
        return f64::NAN;
    }
    if z == 0.0 {
        return 1.0;
    }
    if z < 0.0 {
        // Pfaff: ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z / (z − 1)).
        let transformed = z / (z - 1.0);
        return (1.0 - z).powf(-a) * hyp2f1(a, c - b, c, transformed);
    }
    if z <= 0.5 {
        return hyp2f1_series(a, b, c, z);
    }
    hyp2f1_near_one(a, b, c, z)
}

/// The defining power series Σ (a)ₙ (b)ₙ / ((c)ₙ n!) zⁿ.
pub(crate) fn hyp2f1_series(a: f64, b: f64, c: f64, z: f64) -> f64 {
    // Past this index the term ratio decreases monotonically towards z, so a
    // small term there really is the tail getting small (earlier, a term can
    // be tiny only because a + n or b + n happens to be close to 0).
    let monotone_from = a.abs().max(b.abs()).max(c.abs());
    let mut term = 1.0;
    let mut sum = 1.0;
    for index in 0..SERIES_MAX_TERMS {
        let n = index as f64;
        term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        sum += term;
        if term == 0.0 {
            // a or b is a non-positive integer: a polynomial, summed exactly.
            return sum;
        }
        if !term.is_finite() {
            return f64::NAN;
        }
        if n > monotone_from && term.abs() <= SERIES_EPSILON * sum.abs() {
            return sum;
        }
    }
    f64::NAN
}

/// ₂F₁ for ½ < z < 1 through the series in 1 − z (A&S 15.3.6).
///
/// The formula has Γ(c − a − b) and Γ(a + b − c) in it, which are infinite
/// when c − a − b is an integer (the true function then has logarithmic
/// terms); at a distance δ from it, its two halves are of size ~1/δ and
/// cancel, losing digits. Near such points the function is still smooth in
/// c, so it is evaluated at six values of c spaced h apart around the integer
/// and interpolated by a quintic. ₂F₁ varies in c on a scale of
/// 1 / max(1, −ln(1 − z)), so h is a fixed fraction of that scale: the
/// interpolation error is then O(0.01⁶) and the cancellation at the nodes
/// costs about eps / h.
fn hyp2f1_near_one(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let gap = c - a - b;
    let offset = gap - gap.round();
    let step = INTEGER_GAP_STEP / (-(1.0 - z).ln()).max(1.0);
    if offset.abs() >= step {
        return hyp2f1_connection(a, b, c, z);
    }
    let centre = c - offset;
    interpolate_around_zero(offset, step, |shift| {
        hyp2f1_connection(a, b, centre + shift, z)
    })
}

/// A&S 15.3.6, valid when c − a − b is not an integer:
/// ₂F₁(a,b;c;z) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) ₂F₁(a,b;a+b−c+1;1−z)
///             + (1−z)^(c−a−b) Γ(c)Γ(a+b−c)/(Γ(a)Γ(b)) ₂F₁(c−a,c−b;c−a−b+1;1−z).
fn hyp2f1_connection(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let gap = c - a - b;
    let w = 1.0 - z;
    let (ln_first, first_sign) = ln_gamma_ratio(&[c, gap], &[c - a, c - b]);
    // (1 − z)^(c−a−b) goes into the exponent with the gammas: each alone
    // can overflow when the other is tiny.
    let (ln_second, second_sign) = ln_gamma_ratio(&[c, -gap], &[a, b]);
    let first = first_sign * ln_first.exp() * hyp2f1_series(a, b, 1.0 - gap, w);
    let second =
        second_sign * (ln_second + gap * w.ln()).exp() * hyp2f1_series(c - a, c - b, 1.0 + gap, w);
    // A ratio that is exactly zero (1/Γ at a pole) makes its series irrelevant,
    // even if that series could not be summed.
    let first = if first.is_nan() && is_zero_ratio(&[c - a, c - b]) {
        0.0
    } else {
        first
    };
    let second = if second.is_nan() && is_zero_ratio(&[a, b]) {
        0.0
    } else {
        second
    };
    first + second
}

/// ln |Π Γ(numerators) / Π Γ(denominators)| and its sign, through
/// logarithms so intermediate values cannot overflow.
fn ln_gamma_ratio(numerators: &[f64], denominators: &[f64]) -> (f64, f64) {
    let mut ln_magnitude = 0.0;
    let mut sign = 1.0;
    for &value in numerators {
        let (ln_abs, value_sign) = ln_gamma_signed(value);
        ln_magnitude += ln_abs;
        sign *= value_sign;
    }
    for &value in denominators {
        let (ln_abs, value_sign) = ln_gamma_signed(value);
        ln_magnitude -= ln_abs;
        sign *= value_sign;
    }
    (ln_magnitude, sign)
}

/// Whether 1/Γ of one of these arguments is zero (a pole of Γ).
fn is_zero_ratio(denominators: &[f64]) -> bool {
    denominators
        .iter()
        .any(|&value| value <= 0.0 && value == value.floor())
}

/// Evaluates a smooth function f at ±h, ±2h, ±3h and returns the quintic
/// through those six points at `target` (|target| < h): how a removable
/// singularity of a formula at 0 is stepped around without losing digits.
pub(crate) fn interpolate_around_zero(
    target: f64,
    step: f64,
    function: impl Fn(f64) -> f64,
) -> f64 {
    let nodes = [-3.0, -2.0, -1.0, 1.0, 2.0, 3.0].map(|multiple| multiple * step);
    let mut value = 0.0;
    for (index, &node) in nodes.iter().enumerate() {
        let mut weight = 1.0;
        for (other_index, &other) in nodes.iter().enumerate() {
            if other_index != index {
                weight *= (target - other) / (node - other);
            }
        }
        value += weight * function(node);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(actual: f64, expected: f64, relative: f64) {
        let error = (actual - expected).abs() / expected.abs().max(1e-300);
        assert!(
            error <= relative,
            "{actual} vs {expected}: relative error {error:e} > {relative:e}"
        );
    }

    #[test]
    fn ln_gamma_matches_factorials_and_half_integers() {
        assert_close(ln_gamma(1.0).exp(), 1.0, 1e-14);
        assert_close(ln_gamma(5.0), 24f64.ln(), 1e-14);
        assert_close(ln_gamma(0.5), PI.sqrt().ln(), 1e-14);
        let ln_factorial_170: f64 = (2..=170).map(|k| f64::from(k).ln()).sum();
        assert_close(ln_gamma(171.0), ln_factorial_170, 1e-14);
        // Γ(x) ≈ 1/x − γ for tiny x.
        assert_close(
            ln_gamma(1e-8),
            -(1e-8f64).ln() - 0.577_215_664_9 * 1e-8,
            1e-12,
        );
        assert!(ln_gamma(0.0).is_nan());
        assert!(ln_gamma(-1.5).is_nan());
    }

    #[test]
    fn signed_gamma_handles_negative_arguments_and_poles() {
        // Γ(−0.5) = −2√π, Γ(−1.5) = 4√π/3.
        let (ln_abs, sign) = ln_gamma_signed(-0.5);
        assert_close(sign * ln_abs.exp(), -2.0 * PI.sqrt(), 1e-13);
        let (ln_abs, sign) = ln_gamma_signed(-1.5);
        assert_close(sign * ln_abs.exp(), 4.0 * PI.sqrt() / 3.0, 1e-13);
        assert_eq!(ln_gamma_signed(-2.0).0, f64::INFINITY);
    }

    #[test]
    fn ln_beta_matches_closed_form() {
        // B(2, 3) = 1/12.
        assert_close(ln_beta(2.0, 3.0), (1.0f64 / 12.0).ln(), 1e-13);
    }

    #[test]
    fn hyp2f1_matches_closed_forms_on_both_sides_of_one_half() {
        for &z in &[-5.0f64, -0.9, -0.3, 0.1, 0.5, 0.6, 0.9, 0.999, 0.999_999] {
            // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z: c − a − b = 0, the integer case.
            let log_form = -(1.0 - z).ln() / z;
            assert_close(hyp2f1(1.0, 1.0, 2.0, z), log_form, 1e-10);
            // ₂F₁(a, b; b; z) = (1 − z)^(−a): c − a − b = −a.
            assert_close(hyp2f1(0.7, 2.3, 2.3, z), (1.0 - z).powf(-0.7), 1e-11);
        }
        for &x in &[0.1f64, 0.5, 0.8, 0.99] {
            // ₂F₁(½, ½; 3/2; x²) = arcsin(x)/x: c − a − b = ½.
            assert_close(hyp2f1(0.5, 0.5, 1.5, x * x), x.asin() / x, 1e-12);
        }
    }

    #[test]
    fn connection_formula_agrees_with_the_series_where_both_converge() {
        // Parameter sets like the BG/NBD ones, including integer and
        // near-integer c − a − b.
        let cases = [
            (0.243, 2.426, 2.219, 0.7),
            (18.243, 20.426, 20.219, 0.8),
            (1.5, 2.5, 5.0, 0.75),
            (1.5, 2.5, 5.000_3, 0.75),
            (0.3, 0.4, -0.2, 0.6),
            (2.0, 3.0, 4.5, 0.9),
        ];
        for (a, b, c, z) in cases {
            let series = hyp2f1_series(a, b, c, z);
            assert_close(hyp2f1_near_one(a, b, c, z), series, 1e-10);
        }
    }

    #[test]
    fn hyp2f1_matches_high_precision_values() {
        // mpmath 1.3 at 40 digits. Integer c − a − b: (1,1,2), (3,1,4),
        // (0.75,2.25,2); near-integer: c = 5.0003; negative c, negative z,
        // negative a or b, z within 1e-6 of 1.
        let cases = [
            (1.0, 1.0, 2.0, 0.999_999, 13.815_524_373_459_892),
            (0.243, 2.426, 2.219, 0.7, 1.395_229_421_092_872),
            (18.243, 20.426, 20.219, 0.95, 9.887_172_907_749_564e23),
            (1.5, 2.5, 5.0, 0.75, 2.303_336_708_765_948_4),
            (1.5, 2.5, 5.000_3, 0.99, 4.861_037_319_213_711),
            (0.3, 0.4, -0.2, 0.6, 0.019_045_379_913_685_41),
            (2.0, 3.0, 4.5, 0.999_9, 996.594_437_958_2),
            (0.5, 1.2, 3.7, -20.0, 0.428_231_927_127_316_5),
            (1.97, -0.207, 3.2, 0.999, 0.785_636_671_879_292_3),
            (3.0, 1.0, 4.0, 0.98, 7.815_056_881_363_671),
            (0.75, 2.25, 2.0, 0.9, 7.851_500_301_652_329_7),
            (-2.5, 1.5, 0.7, 0.8, -0.276_256_485_545_547_17),
            (5.0, 7.0, 1.5, 0.3, 332.011_452_225_854_03),
        ];
        for (a, b, c, z, expected) in cases {
            let actual = hyp2f1(a, b, c, z);
            let error = ((actual - expected) / expected).abs();
            assert!(
                error < 1e-11,
                "₂F₁({a}, {b}; {c}; {z}) = {actual}, not {expected}"
            );
        }
    }

    #[test]
    fn terminating_series_is_a_polynomial() {
        // ₂F₁(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1)).
        let (b, c, z) = (1.5, 2.5, 0.8);
        let expected = 1.0 - 2.0 * b * z / c + b * (b + 1.0) * z * z / (c * (c + 1.0));
        assert_close(hyp2f1(-2.0, b, c, z), expected, 1e-12);
    }

    #[test]
    fn undefined_arguments_give_nan() {
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_nan());
        assert!(hyp2f1(1.0, 1.0, -1.0, 0.3).is_nan());
        assert!(hyp2f1(f64::NAN, 1.0, 2.0, 0.3).is_nan());
    }
}
