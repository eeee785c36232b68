//! One customer's lifecycle metrics as of a date, and the fields conditions
//! read from them (segments, alerts, stage rules).

use serde::{Deserialize, Serialize};

use crate::context::PortfolioContext;
use crate::event::{MICROS_PER_DAY, Micros, days_between};
use crate::facts::Replay;
use crate::health::{HealthInputs, HealthScore, health};
use crate::model::summary::CustomerSummary;
use crate::rfm::{Rfm, RfmValues};
use crate::rules::{Field, Fields, Value};
use crate::stage::Stage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NpsCategory {
    Promoter,
    Passive,
    Detractor,
}

impl NpsCategory {
    /// 9–10 promoter, 7–8 passive, 0–6 detractor.
    pub fn of(score: i32) -> Self {
        match score {
            9.. => Self::Promoter,
            7..=8 => Self::Passive,
            _ => Self::Detractor,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Promoter => "promoter",
            Self::Passive => "passive",
            Self::Detractor => "detractor",
        }
    }
}

/// Everything the metrics service reports about one customer. Money is in
/// minor units of `currency` (the reporting currency).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerMetrics {
    pub golden_id: String,
    pub as_of: Micros,
    pub computed_at: Micros,
    pub currency: String,
    pub tenure_days: i64,
    pub first_purchase_at: Option<Micros>,
    pub last_purchase_at: Option<Micros>,
    pub days_since_last_purchase: Option<f64>,
    pub days_between_last_purchases: Option<f64>,
    pub order_count: i64,
    pub repeat_purchase_days: i64,
    pub revenue: i64,
    pub refunds: i64,
    pub average_order_value: i64,
    pub recent_revenue: i64,
    /// Orders per 30 days of tenure.
    pub purchase_frequency: f64,
    pub rfm: Rfm,
    pub tickets_opened: i64,
    pub tickets_solved: i64,
    pub open_tickets: i64,
    pub recent_tickets: i64,
    pub last_ticket_opened_at: Option<Micros>,
    pub mean_resolution_hours: Option<f64>,
    pub csat_percent: Option<f64>,
    pub csat_responses: i64,
    pub nps_last: Option<i32>,
    pub nps_last_at: Option<Micros>,
    pub nps_average: Option<f64>,
    pub nps_category: Option<NpsCategory>,
    pub email_opens_recent: i64,
    pub email_clicks_recent: i64,
    pub contacts: i64,
    pub subscription_plan: String,
    /// "active", "cancelled" or "".
    pub subscription_status: String,
    pub last_refund_at: Option<Micros>,
    pub last_refund_amount: i64,
    pub p_alive: f64,
    pub churn_propensity: f64,
    /// No purchase within the churn window, or a cancelled subscription.
    pub churned: bool,
    pub expected_purchases: f64,
    pub predicted_clv: i64,
    /// The CLV's rank in the portfolio, 0–100 (0 without a portfolio).
    pub clv_percentile: f64,
    pub stage: Stage,
    pub stage_entered_at: Micros,
    pub stage_reason: String,
    pub health: HealthScore,
    pub segments: Vec<String>,
}

/// What [`measure`] should compute beyond the facts (the stage replay
/// skips what its rules do not read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Needs {
    pub model: bool,
    pub health: bool,
}

/// Settings [`measure`] reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MeasureSettings<'a> {
    pub currency: &'a str,
    pub churn_window_days: f64,
    pub period_days: f64,
    pub horizon_days: f64,
    pub annual_discount_rate: f64,
    pub minor_per_major: f64,
    pub weights: &'a crate::config::HealthWeights,
}

/// The model's view of a customer at `as_of` (days as whole days, as the
/// model was fitted).
pub(crate) fn model_summary(
    replay: &Replay<'_>,
    as_of: Micros,
    period_days: f64,
    minor_per_major: f64,
) -> Option<CustomerSummary> {
    let facts = replay.facts();
    let day = |at: Micros| at.div_euclid(MICROS_PER_DAY as i64) as f64;
    let first = day(facts.first_purchase_at?);
    let last = day(facts.last_purchase_at?);
    let now = day(as_of).max(last);
    Some(CustomerSummary {
        frequency: facts.repeat_days as f64,
        recency: if facts.repeat_days == 0 {
            0.0
        } else {
            (last - first) / period_days
        },
        age: (now - first) / period_days,
        monetary: (facts.average_repeat_spend() / minor_per_major).max(0.0),
    })
}

/// The metrics at the replay's time, without stage and segments.
pub(crate) fn measure(
    golden_id: &str,
    replay: &Replay<'_>,
    as_of: Micros,
    settings: &MeasureSettings<'_>,
    context: &PortfolioContext,
    needs: Needs,
) -> CustomerMetrics {
    let facts = replay.facts();
    let recent = replay.recent();
    let since_last = facts.last_purchase_at.map(|at| days_between(at, as_of));
    let tenure_from = facts.first_purchase_at.or(facts.first_activity_at);
    let tenure_days = tenure_from.map_or(0, |at| days_between(at, as_of).max(0.0) as i64);
    let csat_percent = (facts.csat_rated > 0)
        .then(|| 100.0 * facts.csat_satisfied as f64 / facts.csat_rated as f64);
    let revenue = facts.revenue();
    let cancelled = facts.subscription_active == Some(false);
    let churned = since_last.is_some_and(|days| days >= settings.churn_window_days) || cancelled;

    let mut metrics = CustomerMetrics {
        golden_id: golden_id.to_owned(),
        as_of,
        computed_at: as_of,
        currency: settings.currency.to_owned(),
        tenure_days,
        first_purchase_at: facts.first_purchase_at,
        last_purchase_at: facts.last_purchase_at,
        days_since_last_purchase: since_last,
        days_between_last_purchases: facts
            .previous_purchase_at
            .zip(facts.last_purchase_at)
            .map(|(previous, last)| days_between(previous, last)),
        order_count: facts.orders,
        repeat_purchase_days: facts.repeat_days,
        revenue,
        refunds: facts.refunds,
        average_order_value: if facts.orders > 0 {
            revenue / facts.orders
        } else {
            0
        },
        recent_revenue: recent.revenue,
        purchase_frequency: if facts.orders > 0 {
            facts.orders as f64 / (tenure_days.max(1) as f64 / 30.0)
        } else {
            0.0
        },
        rfm: Rfm::default(),
        tickets_opened: facts.tickets_opened,
        tickets_solved: facts.tickets_solved,
        open_tickets: facts.open_tickets,
        recent_tickets: recent.tickets_opened,
        last_ticket_opened_at: facts.last_ticket_opened_at,
        mean_resolution_hours: (facts.resolved_with_time > 0)
            .then(|| facts.resolution_hours_total / facts.resolved_with_time as f64),
        csat_percent,
        csat_responses: facts.csat_rated,
        nps_last: facts.nps_last,
        nps_last_at: facts.nps_last_at,
        nps_average: (facts.nps_count > 0).then(|| facts.nps_total as f64 / facts.nps_count as f64),
        nps_category: facts.nps_last.map(NpsCategory::of),
        email_opens_recent: recent.email_opens,
        email_clicks_recent: recent.email_clicks,
        contacts: facts.contacts,
        subscription_plan: facts.subscription_plan.clone(),
        subscription_status: match facts.subscription_active {
            Some(true) => "active".into(),
            Some(false) => "cancelled".into(),
            None => String::new(),
        },
        last_refund_at: facts.last_refund_at,
        last_refund_amount: facts.last_refund_amount,
        p_alive: if facts.is_customer() { 1.0 } else { 0.0 },
        churn_propensity: 0.0,
        churned,
        expected_purchases: 0.0,
        predicted_clv: 0,
        clv_percentile: 0.0,
        stage: Stage::Prospect,
        stage_entered_at: as_of,
        stage_reason: String::new(),
        health: HealthScore::default(),
        segments: Vec::new(),
    };
    if let (Some(breaks), Some(days)) = (&context.rfm, since_last) {
        metrics.rfm = breaks.score(&RfmValues {
            days_since_last_purchase: days,
            orders: facts.orders as f64,
            revenue: revenue as f64,
        });
    }
    if needs.model {
        predict(&mut metrics, replay, as_of, settings, context);
    }
    if needs.health {
        metrics.health = health(
            &HealthInputs {
                facts,
                recent,
                prior: replay.prior(),
                days_since_last_purchase: since_last,
                csat_percent,
                churn_window_days: settings.churn_window_days,
            },
            settings.weights,
        );
    }
    metrics
}

/// P(alive), expected purchases and CLV from the fitted model; without one,
/// the historic yearly value carried over the horizon (discounted once).
fn predict(
    metrics: &mut CustomerMetrics,
    replay: &Replay<'_>,
    as_of: Micros,
    settings: &MeasureSettings<'_>,
    context: &PortfolioContext,
) {
    let Some(summary) = model_summary(
        replay,
        as_of,
        settings.period_days,
        settings.minor_per_major,
    ) else {
        return;
    };
    let horizon = settings.horizon_days / settings.period_days;
    let steps = (settings.horizon_days / 30.0).round().max(1.0) as u32;
    let monthly_rate = (1.0 + settings.annual_discount_rate)
        .powf(settings.horizon_days / 365.0 / f64::from(steps))
        - 1.0;
    match &context.model {
        Some(model) => {
            let p_alive = model
                .bgnbd
                .p_alive(summary.frequency, summary.recency, summary.age);
            metrics.p_alive = if p_alive.is_finite() { p_alive } else { 0.0 };
            let expected = model.bgnbd.expected_purchases(
                horizon,
                summary.frequency,
                summary.recency,
                summary.age,
            );
            metrics.expected_purchases = if expected.is_finite() { expected } else { 0.0 };
            let value = match &model.gamma_gamma {
                Some(gamma_gamma) => crate::model::clv::clv(
                    &model.bgnbd,
                    gamma_gamma,
                    &summary,
                    horizon,
                    steps,
                    monthly_rate,
                ),
                // No spend model: expected purchases × the customer's own
                // average order value.
                None => {
                    metrics.expected_purchases * metrics.average_order_value as f64
                        / settings.minor_per_major
                }
            };
            if value.is_finite() {
                metrics.predicted_clv = (value * settings.minor_per_major).round() as i64;
            }
        }
        None => {
            let years = (metrics.tenure_days.max(1) as f64 / 365.0).max(1.0);
            let yearly = metrics.revenue as f64 / years;
            let discount =
                (1.0 + settings.annual_discount_rate).powf(settings.horizon_days / 365.0);
            if !metrics.churned {
                metrics.predicted_clv =
                    (yearly * settings.horizon_days / 365.0 / discount).round() as i64;
            }
        }
    }
    metrics.churn_propensity = 1.0 - metrics.p_alive;
}

impl Fields for CustomerMetrics {
    fn value(&self, field: Field) -> Option<Value> {
        let number = |value: f64| Some(Value::Number(value));
        // Looked up only for money fields: the stage replay reads fields at
        // every step, and the exponent lookup allocates.
        let major = |minor: i64| {
            minor as f64 / 10f64.powi(c360_model::currency_exponent(&self.currency) as i32)
        };
        match field {
            Field::Orders => number(self.order_count as f64),
            Field::RepeatDays => number(self.repeat_purchase_days as f64),
            Field::DaysSinceLastPurchase => self.days_since_last_purchase.map(Value::Number),
            Field::DaysSinceFirstPurchase => self
                .first_purchase_at
                .map(|at| Value::Number(days_between(at, self.as_of))),
            Field::DaysBetweenLastPurchases => self.days_between_last_purchases.map(Value::Number),
            Field::TenureDays => number(self.tenure_days as f64),
            Field::Revenue => number(major(self.revenue)),
            Field::AverageOrderValue => number(major(self.average_order_value)),
            Field::RecentRevenue => number(major(self.recent_revenue)),
            Field::RScore => number(f64::from(self.rfm.recency)),
            Field::FScore => number(f64::from(self.rfm.frequency)),
            Field::MScore => number(f64::from(self.rfm.monetary)),
            Field::NpsLast => self.nps_last.map(|score| Value::Number(f64::from(score))),
            Field::NpsAverage => self.nps_average.map(Value::Number),
            Field::NpsCategory => self
                .nps_category
                .map(|category| Value::Text(category.as_str().to_owned())),
            Field::CsatPercent => self.csat_percent.map(Value::Number),
            Field::TicketsOpen => number(self.open_tickets as f64),
            Field::TicketsRecent => number(self.recent_tickets as f64),
            Field::EmailOpensRecent => number(self.email_opens_recent as f64),
            Field::EmailClicksRecent => number(self.email_clicks_recent as f64),
            Field::Contacts => number(self.contacts as f64),
            Field::SubscriptionStatus => Some(Value::Text(self.subscription_status.clone())),
            Field::SubscriptionPlan => Some(Value::Text(self.subscription_plan.clone())),
            Field::PAlive => number(self.p_alive),
            Field::ChurnPropensity => number(self.churn_propensity),
            Field::Clv => number(major(self.predicted_clv)),
            Field::ClvPercentile => number(self.clv_percentile),
            Field::Health => number(self.health.score),
            Field::Stage => Some(Value::Text(self.stage.as_str().to_owned())),
        }
    }
}
