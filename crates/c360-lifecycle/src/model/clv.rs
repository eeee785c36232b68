//! Customer lifetime value over a finite horizon: BG/NBD purchases times
//! Gamma-Gamma spend, discounted step by step.
//!
//! Computed as `lifetimes`' `customer_lifetime_value`: the horizon is cut
//! into `steps` equal steps (months, usually); the purchases expected within
//! step i (E[Y(iΔ)] − E[Y((i−1)Δ)]) times the expected spend per purchase are
//! discounted by (1 + d)^i. Discounting per step rather than continuously
//! keeps the discount rate in the unit finance people quote it in.

use crate::model::bgnbd::BgNbdParams;
use crate::model::gamma_gamma::GammaGammaParams;
use crate::model::summary::CustomerSummary;

/// The discounted value of `customer` over `horizon` model periods (weeks
/// for a model fitted in weeks), split into `steps` steps each discounted at
/// `discount_rate_per_step`. NaN for a negative or non-finite horizon or
/// discount rate ≤ −1; 0 for no steps or a zero horizon.
pub fn clv(
    bgnbd: &BgNbdParams,
    gamma_gamma: &GammaGammaParams,
    customer: &CustomerSummary,
    horizon: f64,
    steps: u32,
    discount_rate_per_step: f64,
) -> f64 {
    if !(horizon.is_finite() && horizon >= 0.0 && discount_rate_per_step > -1.0) {
        return f64::NAN;
    }
    if steps == 0 || horizon == 0.0 {
        return 0.0;
    }
    let CustomerSummary {
        frequency,
        recency,
        age,
        monetary,
    } = *customer;
    let spend_per_purchase = gamma_gamma.conditional_expected_average_profit(frequency, monetary);
    let step_length = horizon / f64::from(steps);
    let mut value = 0.0;
    let mut purchases_so_far = 0.0;
    let mut discount = 1.0;
    for step in 1..=steps {
        let purchases =
            bgnbd.expected_purchases(f64::from(step) * step_length, frequency, recency, age);
        discount *= 1.0 + discount_rate_per_step;
        value += spend_per_purchase * (purchases - purchases_so_far) / discount;
        purchases_so_far = purchases;
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    const BGNBD: BgNbdParams = BgNbdParams {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };
    const GAMMA_GAMMA: GammaGammaParams = GammaGammaParams {
        p: 6.25,
        q: 3.74,
        v: 15.44,
    };
    const CUSTOMER: CustomerSummary = CustomerSummary {
        frequency: 2.0,
        recency: 30.43,
        age: 38.86,
        monetary: 22.35,
    };

    #[test]
    fn without_discount_it_is_expected_purchases_times_expected_spend() {
        let horizon = 52.0;
        let expected = BGNBD.expected_purchases(horizon, 2.0, 30.43, 38.86)
            * GAMMA_GAMMA.conditional_expected_average_profit(2.0, 22.35);
        let value = clv(&BGNBD, &GAMMA_GAMMA, &CUSTOMER, horizon, 12, 0.0);
        assert!(
            (value - expected).abs() < 1e-10 * expected,
            "{value} vs {expected}"
        );
    }

    #[test]
    fn value_grows_with_the_horizon_and_shrinks_with_the_discount_rate() {
        let mut previous = 0.0;
        for months in 1..=36 {
            let horizon = f64::from(months) * 4.345;
            let value = clv(&BGNBD, &GAMMA_GAMMA, &CUSTOMER, horizon, months, 0.01);
            assert!(value > previous, "{months} months: {value} <= {previous}");
            previous = value;
        }
        let cheap_money = clv(&BGNBD, &GAMMA_GAMMA, &CUSTOMER, 52.0, 12, 0.0);
        let dear_money = clv(&BGNBD, &GAMMA_GAMMA, &CUSTOMER, 52.0, 12, 0.05);
        assert!(dear_money < cheap_money);
    }

    #[test]
    fn degenerate_horizons() {
        assert_eq!(clv(&BGNBD, &GAMMA_GAMMA, &CUSTOMER, 0.0, 12, 0.01), 0.0);
        assert_eq!(clv(&BGNBD, &GAMMA_GAMMA, &CUSTOMER, 52.0, 0, 0.01), 0.0);
        assert!(clv(&BGNBD, &GAMMA_GAMMA, &CUSTOMER, -1.0, 12, 0.01).is_nan());
        assert!(clv(&BGNBD, &GAMMA_GAMMA, &CUSTOMER, 52.0, 12, -1.0).is_nan());
    }
}
