//! Currency conversion into the reporting currency, in minor units, with a
//! configured rate table (or a `currency,rate` CSV file).

use std::collections::BTreeMap;

use c360_model::currency_exponent;

use crate::LifecycleError;

/// Rates to the reporting currency.
#[derive(Debug, Clone, PartialEq)]
pub struct FxTable {
    reporting: String,
    /// Units of the reporting currency per unit of the key currency.
    rates: BTreeMap<String, f64>,
}

impl FxTable {
    pub fn new(reporting: &str, rates: &BTreeMap<String, f64>) -> Self {
        Self {
            reporting: reporting.to_ascii_uppercase(),
            rates: rates
                .iter()
                .map(|(currency, rate)| (currency.to_ascii_uppercase(), *rate))
                .collect(),
        }
    }

    pub fn reporting_currency(&self) -> &str {
        &self.reporting
    }

    /// Reads `currency,rate` lines (a header line and `#` comments allowed)
    /// over the table; a bad line is an error naming it.
    pub fn merge_csv(&mut self, text: &str) -> Result<(), LifecycleError> {
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((currency, rate)) = line.split_once([',', ';', '\t']) else {
                return Err(LifecycleError::malformed(
                    index + 1,
                    "expected currency,rate",
                ));
            };
            let currency = currency.trim().trim_matches('"').to_ascii_uppercase();
            let Ok(rate) = rate.trim().trim_matches('"').parse::<f64>() else {
                if index == 0 {
                    continue; // a header line
                }
                return Err(LifecycleError::malformed(
                    index + 1,
                    format!("{:?} is not a number", rate.trim()),
                ));
            };
            if currency.len() != 3 || !(rate.is_finite() && rate > 0.0) {
                return Err(LifecycleError::malformed(
                    index + 1,
                    "expected a three-letter currency and a positive rate",
                ));
            }
            self.rates.insert(currency, rate);
        }
        Ok(())
    }

    /// `amount_minor` of `currency` in minor units of the reporting
    /// currency; `None` without a rate.
    pub fn convert(&self, amount_minor: i64, currency: &str) -> Option<i64> {
        let currency = currency.trim();
        if currency.eq_ignore_ascii_case(&self.reporting) {
            return Some(amount_minor);
        }
        let rate = self.rates.get(&currency.to_ascii_uppercase())?;
        let from = f64::from(10u32.pow(currency_exponent(currency)));
        let to = f64::from(10u32.pow(currency_exponent(&self.reporting)));
        Some((amount_minor as f64 / from * rate * to).round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_between_exponents() {
        let rates = BTreeMap::from([("JPY".to_owned(), 0.0067), ("EUR".to_owned(), 1.08)]);
        let fx = FxTable::new("USD", &rates);
        assert_eq!(fx.convert(1_000, "USD"), Some(1_000));
        assert_eq!(fx.convert(1_000, "eur"), Some(1_080));
        // ¥10,000 (no minor unit) = $67.00.
        assert_eq!(fx.convert(10_000, "JPY"), Some(6_700));
        assert_eq!(fx.convert(1_000, "GBP"), None);
    }

    #[test]
    fn reads_a_rates_file() {
        let mut fx = FxTable::new("EUR", &BTreeMap::new());
        fx.merge_csv("currency,rate\nUSD,0.92\n# comment\nTRY;0.027\n")
            .expect("valid file");
        assert_eq!(fx.convert(10_000, "USD"), Some(9_200));
        assert!(fx.merge_csv("USD,abc\nGBP,x").is_err());
    }
}
