//! `[lifecycle]` configuration: reporting currency and FX rates, windows,
//! the customer-base model, stage rules, health weights, costs, segments and
//! alert rules. Every key has a default, so an empty section works.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::alerts::AlertRule;
use crate::segments::SegmentRule;
use crate::stage::StageRule;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LifecycleConfig {
    /// Amounts in other currencies are converted to this one (ISO 4217).
    pub reporting_currency: String,
    /// Units of the reporting currency per unit of each other currency, e.g.
    /// `{ EUR = 1.08, TRY = 0.029 }`. Amounts in a currency without a rate
    /// are left out of revenue (and counted in `unconverted_amounts`).
    pub fx_rates: BTreeMap<String, f64>,
    /// A CSV file of `currency,rate` lines read at start-up, merged over
    /// `fx_rates` (the file wins).
    pub fx_rates_file: Option<std::path::PathBuf>,
    /// No purchase for this many days means churned.
    pub churn_window_days: f64,
    /// E-mail opens/clicks and ticket load count over this many recent days.
    pub recent_window_days: f64,
    /// Recompute a customer's metrics as their activities or cluster change.
    pub incremental: bool,
    pub model: ModelConfig,
    /// The stage rules, first match wins; empty: [`crate::stage::default_rules`].
    pub stages: Vec<StageRule>,
    pub health: HealthWeights,
    pub costs: CostConfig,
    /// Named segments; empty: [`crate::segments::default_segments`].
    pub segments: Vec<SegmentRule>,
    /// Alert rules; empty: [`crate::alerts::default_rules`].
    pub alerts: Vec<AlertRule>,
}

impl Default for LifecycleConfig {
    fn default() -> Self {
        Self {
            reporting_currency: "USD".into(),
            fx_rates: BTreeMap::new(),
            fx_rates_file: None,
            churn_window_days: 365.0,
            recent_window_days: 90.0,
            incremental: true,
            model: ModelConfig::default(),
            stages: Vec::new(),
            health: HealthWeights::default(),
            costs: CostConfig::default(),
            segments: Vec::new(),
            alerts: Vec::new(),
        }
    }
}

/// The customer-base model (BG/NBD + Gamma-Gamma) and the CLV it predicts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// The model's time unit in days (7: weeks, as in the literature).
    pub period_days: f64,
    /// CLV and expected purchases look this many days ahead.
    pub horizon_days: f64,
    /// Discount rate per year, applied monthly.
    pub annual_discount_rate: f64,
    /// Below this many repeat buyers no model is fitted (P(alive) = 1 and
    /// CLV falls back to historic value per year × horizon).
    pub min_repeat_customers: usize,
}

impl Default for ModelConfig {
    fn default() -> Self {
        Self {
            period_days: 7.0,
            horizon_days: 365.0,
            annual_discount_rate: 0.10,
            min_repeat_customers: 20,
        }
    }
}

/// Weights of the health score's components (renormalized over the
/// components a customer has data for).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HealthWeights {
    pub recency: f64,
    pub spend_trend: f64,
    pub support_load: f64,
    pub satisfaction: f64,
    pub engagement: f64,
}

impl Default for HealthWeights {
    fn default() -> Self {
        Self {
            recency: 0.30,
            spend_trend: 0.20,
            support_load: 0.15,
            satisfaction: 0.20,
            engagement: 0.15,
        }
    }
}

/// Costs for customer equity, in major units of the reporting currency.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CostConfig {
    /// Cost of acquiring one new customer.
    pub acquisition_per_new_customer: f64,
    /// Cost of serving one retained customer for a period of 30 days
    /// (scaled to the period's length).
    pub service_per_retained_customer_month: f64,
}

impl LifecycleConfig {
    /// Checks rates, windows, weights and every rule; `field` names the key.
    pub fn validate(&self) -> Result<(), crate::LifecycleError> {
        let invalid = crate::LifecycleError::invalid_input;
        if self.reporting_currency.len() != 3
            || !self
                .reporting_currency
                .bytes()
                .all(|byte| byte.is_ascii_uppercase())
        {
            return Err(invalid(
                "lifecycle.reporting_currency",
                format!("{:?} is not an ISO 4217 code", self.reporting_currency),
            ));
        }
        for (currency, rate) in &self.fx_rates {
            if !(rate.is_finite() && *rate > 0.0) {
                return Err(invalid(
                    "lifecycle.fx_rates",
                    format!("the rate of {currency} must be a positive number"),
                ));
            }
        }
        for (field, value) in [
            ("lifecycle.churn_window_days", self.churn_window_days),
            ("lifecycle.recent_window_days", self.recent_window_days),
            ("lifecycle.model.period_days", self.model.period_days),
            ("lifecycle.model.horizon_days", self.model.horizon_days),
        ] {
            if !(value.is_finite() && value > 0.0) {
                return Err(invalid(field, "must be a positive number of days".into()));
            }
        }
        if !(self.model.annual_discount_rate.is_finite() && self.model.annual_discount_rate >= 0.0)
        {
            return Err(invalid(
                "lifecycle.model.annual_discount_rate",
                "must be zero or positive".into(),
            ));
        }
        let weights = &self.health;
        let all = [
            weights.recency,
            weights.spend_trend,
            weights.support_load,
            weights.satisfaction,
            weights.engagement,
        ];
        if all
            .iter()
            .any(|weight| !(weight.is_finite() && *weight >= 0.0))
            || all.iter().sum::<f64>() <= 0.0
        {
            return Err(invalid(
                "lifecycle.health",
                "weights must be zero or positive and not all zero".into(),
            ));
        }
        for rule in &self.stages {
            rule.compile()?;
        }
        for segment in &self.segments {
            segment.compile()?;
        }
        for alert in &self.alerts {
            alert.validate()?;
        }
        Ok(())
    }
}
