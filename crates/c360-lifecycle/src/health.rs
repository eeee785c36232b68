//! The health score: a weighted composite of five components, each 0–100.
//!
//! | component | score | has data when |
//! |---|---|---|
//! | recency | 100 × (1 − days since last purchase / churn window), ≥ 0 | the customer bought |
//! | spend_trend | 50 + 50 × (recent − prior) / max(recent, prior), recent and prior = net revenue of the recent window and the one before | either window has revenue |
//! | support_load | 100 − 25 × (tickets opened in the recent window + open tickets), ≥ 0 | the customer bought or opened a ticket |
//! | satisfaction | mean of CSAT % and 10 × the last NPS answer | either exists |
//! | engagement | 25 × recent e-mail opens + 50 × recent clicks, ≤ 100 | the customer has e-mail activity |
//!
//! The score is Σ weight × score / Σ weight over the components with data;
//! the response lists every component, its weight and whether it counted.

use serde::{Deserialize, Serialize};

use crate::config::HealthWeights;
use crate::facts::{Facts, WindowCounts};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthComponent {
    pub name: String,
    pub score: f64,
    pub weight: f64,
    pub has_data: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HealthScore {
    pub score: f64,
    pub components: Vec<HealthComponent>,
}

/// What the components read.
#[derive(Debug, Clone, Copy)]
pub struct HealthInputs<'a> {
    pub facts: &'a Facts,
    pub recent: &'a WindowCounts,
    pub prior: &'a WindowCounts,
    pub days_since_last_purchase: Option<f64>,
    pub csat_percent: Option<f64>,
    pub churn_window_days: f64,
}

pub fn health(inputs: &HealthInputs<'_>, weights: &HealthWeights) -> HealthScore {
    let facts = inputs.facts;
    let recency = inputs
        .days_since_last_purchase
        .map(|days| 100.0 * (1.0 - days / inputs.churn_window_days).clamp(0.0, 1.0));
    let (recent, prior) = (inputs.recent.revenue as f64, inputs.prior.revenue as f64);
    let spend_trend = (recent != 0.0 || prior != 0.0).then(|| {
        let scale = recent.abs().max(prior.abs());
        (50.0 + 50.0 * (recent - prior) / scale).clamp(0.0, 100.0)
    });
    let support_load = (facts.is_customer() || facts.tickets_opened > 0).then(|| {
        let load = inputs.recent.tickets_opened + facts.open_tickets;
        (100.0 - 25.0 * load as f64).max(0.0)
    });
    let satisfaction_parts: Vec<f64> = [
        inputs.csat_percent,
        facts.nps_last.map(|score| f64::from(score) * 10.0),
    ]
    .into_iter()
    .flatten()
    .collect();
    let satisfaction = (!satisfaction_parts.is_empty())
        .then(|| satisfaction_parts.iter().sum::<f64>() / satisfaction_parts.len() as f64);
    let engagement = (facts.email_events > 0).then(|| {
        (25.0 * inputs.recent.email_opens as f64 + 50.0 * inputs.recent.email_clicks as f64)
            .min(100.0)
    });

    let components: Vec<HealthComponent> = [
        ("recency", recency, weights.recency),
        ("spend_trend", spend_trend, weights.spend_trend),
        ("support_load", support_load, weights.support_load),
        ("satisfaction", satisfaction, weights.satisfaction),
        ("engagement", engagement, weights.engagement),
    ]
    .into_iter()
    .map(|(name, score, weight)| HealthComponent {
        name: name.to_owned(),
        score: score.unwrap_or(0.0),
        weight,
        has_data: score.is_some(),
    })
    .collect();
    let (weighted, total) = components
        .iter()
        .filter(|component| component.has_data)
        .fold((0.0, 0.0), |(sum, weights), component| {
            (
                sum + component.weight * component.score,
                weights + component.weight,
            )
        });
    HealthScore {
        score: if total > 0.0 { weighted / total } else { 0.0 },
        components,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_only_components_with_data() {
        let facts = Facts {
            orders: 2,
            nps_last: Some(8),
            ..Facts::default()
        };
        let recent = WindowCounts {
            revenue: 3_000,
            tickets_opened: 1,
            ..WindowCounts::default()
        };
        let prior = WindowCounts {
            revenue: 1_000,
            ..WindowCounts::default()
        };
        let score = health(
            &HealthInputs {
                facts: &facts,
                recent: &recent,
                prior: &prior,
                days_since_last_purchase: Some(73.0),
                csat_percent: Some(60.0),
                churn_window_days: 365.0,
            },
            &HealthWeights::default(),
        );
        let by_name = |name: &str| {
            score
                .components
                .iter()
                .find(|component| component.name == name)
                .map(|component| (component.score, component.has_data))
        };
        assert_eq!(by_name("recency"), Some((80.0, true)));
        // 50 + 50 × (3000 − 1000) / 3000.
        let trend = by_name("spend_trend")
            .map(|(score, _)| score)
            .unwrap_or_default();
        assert!((trend - 83.333_333).abs() < 1e-3);
        assert_eq!(by_name("support_load"), Some((75.0, true)));
        assert_eq!(by_name("satisfaction"), Some((70.0, true)));
        assert_eq!(by_name("engagement"), Some((0.0, false)));
        // (0.3·80 + 0.2·83.33 + 0.15·75 + 0.2·70) / 0.85
        let expected = (0.3 * 80.0 + 0.2 * trend + 0.15 * 75.0 + 0.2 * 70.0) / 0.85;
        assert!((score.score - expected).abs() < 1e-9);
    }
}
