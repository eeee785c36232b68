//! Stripe API amounts in c360's minor units.
//!
//! The API writes "the smallest currency unit" as Stripe defines it, which
//! is not always ISO 4217's: Madagascar's ariary has no decimals at Stripe
//! but two in ISO, and the Icelandic króna has two at Stripe but none in ISO.
//! c360 keeps ISO minor units ([`currency_exponent`]), so API amounts are
//! rescaled. Dashboard exports write major units and need none of this.

use c360_connector::transform::currency_exponent;

/// A Stripe API amount of `currency` in c360 (ISO 4217) minor units.
pub fn api_minor_units(amount: i64, currency: &str) -> Option<i64> {
    rescale(
        amount,
        stripe_exponent(currency),
        currency_exponent(currency),
    )
}

/// Digits Stripe's API puts after the decimal point of a currency: its
/// zero-decimal list, its three-decimal list, and ISK, which the API writes
/// with two decimals though the króna has none
/// (<https://docs.stripe.com/currencies#zero-decimal>).
pub fn stripe_exponent(currency: &str) -> u32 {
    match currency.trim().to_ascii_uppercase().as_str() {
        "BIF" | "CLP" | "DJF" | "GNF" | "JPY" | "KMF" | "KRW" | "MGA" | "PYG" | "RWF" | "UGX"
        | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "JOD" | "KWD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// An amount in `from` decimals expressed in `to` decimals (rounding half
/// away from zero when decimals are dropped).
pub fn rescale(amount: i64, from: u32, to: u32) -> Option<i64> {
    if to >= from {
        amount.checked_mul(10i64.checked_pow(to - from)?)
    } else {
        let divisor = 10i64.checked_pow(from - to)?;
        let half = divisor / 2;
        let rounded = if amount >= 0 {
            amount.checked_add(half)?
        } else {
            amount.checked_sub(half)?
        };
        Some(rounded / divisor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_amounts_follow_stripes_decimals() {
        assert_eq!(
            rescale(1500, stripe_exponent("jpy"), currency_exponent("jpy")),
            Some(1500)
        );
        assert_eq!(
            rescale(50000, stripe_exponent("isk"), currency_exponent("isk")),
            Some(500)
        );
        assert_eq!(
            rescale(7, stripe_exponent("mga"), currency_exponent("mga")),
            Some(700)
        );
        assert_eq!(rescale(-150, 2, 0), Some(-2));
        assert_eq!(rescale(i64::MAX, 0, 2), None);
    }
}
