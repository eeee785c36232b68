//! Lifecycle metrics, portfolio, segments and alerts: hub → proto.

use c360_hub::lifecycle::{
    Alert, CustomerEquity, CustomerMetrics, FittedModel, NpsCategory, PortfolioMetrics,
    SegmentView, Stage, StageTransition,
};
use c360_proto::v1;

use super::time;

fn money(amount_minor: i64, currency: &str) -> Option<v1::Money> {
    Some(v1::Money {
        amount_minor,
        currency: currency.to_owned(),
    })
}

pub fn stage(stage: Stage) -> v1::LifecycleStage {
    match stage {
        Stage::Prospect => v1::LifecycleStage::Prospect,
        Stage::Lead => v1::LifecycleStage::Lead,
        Stage::New => v1::LifecycleStage::New,
        Stage::Active => v1::LifecycleStage::Active,
        Stage::Loyal => v1::LifecycleStage::Loyal,
        Stage::AtRisk => v1::LifecycleStage::AtRisk,
        Stage::Dormant => v1::LifecycleStage::Dormant,
        Stage::Churned => v1::LifecycleStage::Churned,
        Stage::Reactivated => v1::LifecycleStage::Reactivated,
    }
}

fn nps_category(category: Option<NpsCategory>) -> v1::NpsCategory {
    match category {
        Some(NpsCategory::Promoter) => v1::NpsCategory::Promoter,
        Some(NpsCategory::Passive) => v1::NpsCategory::Passive,
        Some(NpsCategory::Detractor) => v1::NpsCategory::Detractor,
        None => v1::NpsCategory::Unspecified,
    }
}

pub fn customer_metrics(metrics: &CustomerMetrics) -> v1::CustomerMetrics {
    let currency = metrics.currency.as_str();
    v1::CustomerMetrics {
        golden_id: metrics.golden_id.clone(),
        as_of: Some(time::from_micros(metrics.as_of)),
        tenure_days: metrics.tenure_days,
        first_purchase_at: metrics.first_purchase_at.map(time::from_micros),
        last_purchase_at: metrics.last_purchase_at.map(time::from_micros),
        order_count: metrics.order_count,
        revenue: money(metrics.revenue, currency),
        refunds: money(metrics.refunds, currency),
        average_order_value: money(metrics.average_order_value, currency),
        purchase_frequency: metrics.purchase_frequency,
        rfm: Some(v1::RfmScore {
            recency: i32::from(metrics.rfm.recency),
            frequency: i32::from(metrics.rfm.frequency),
            monetary: i32::from(metrics.rfm.monetary),
        }),
        tickets_opened: metrics.tickets_opened,
        tickets_solved: metrics.tickets_solved,
        open_tickets: metrics.open_tickets,
        mean_resolution_hours: metrics.mean_resolution_hours,
        csat_percent: metrics.csat_percent,
        csat_responses: metrics.csat_responses,
        last_nps: metrics.nps_last,
        average_nps: metrics.nps_average,
        nps_category: nps_category(metrics.nps_category).into(),
        email_opens_recent: metrics.email_opens_recent,
        email_clicks_recent: metrics.email_clicks_recent,
        subscription_plan: metrics.subscription_plan.clone(),
        subscription_status: metrics.subscription_status.clone(),
        p_alive: metrics.p_alive,
        churn_propensity: metrics.churn_propensity,
        churned: metrics.churned,
        expected_purchases: metrics.expected_purchases,
        predicted_clv: money(metrics.predicted_clv, currency),
        stage: stage(metrics.stage).into(),
        stage_entered_at: Some(time::from_micros(metrics.stage_entered_at)),
        health: Some(v1::HealthScore {
            score: metrics.health.score,
            components: metrics
                .health
                .components
                .iter()
                .map(|component| v1::HealthComponent {
                    name: component.name.clone(),
                    score: component.score,
                    weight: component.weight,
                    has_data: component.has_data,
                })
                .collect(),
        }),
        segments: metrics.segments.clone(),
        computed_at: Some(time::from_micros(metrics.computed_at)),
    }
}

pub fn transition(transition: &StageTransition) -> v1::StageTransition {
    v1::StageTransition {
        stage: stage(transition.stage).into(),
        entered_at: Some(time::from_micros(transition.entered_at)),
        reason: transition.reason.clone(),
    }
}

fn equity(equity: &CustomerEquity, currency: &str) -> v1::CustomerEquity {
    v1::CustomerEquity {
        average_revenue_new: money(equity.average_revenue_new, currency),
        acquisition_costs: money(equity.acquisition_costs, currency),
        new_term: money(equity.new_term, currency),
        average_revenue_retained: money(equity.average_revenue_retained, currency),
        service_costs: money(equity.service_costs, currency),
        retained_term: money(equity.retained_term, currency),
        average_revenue_churned: money(equity.average_revenue_churned, currency),
        churned_term: money(equity.churned_term, currency),
        total: money(equity.total, currency),
    }
}

pub fn portfolio(metrics: &PortfolioMetrics) -> v1::PortfolioMetrics {
    let currency = metrics.currency.as_str();
    v1::PortfolioMetrics {
        period_start: Some(time::from_micros(metrics.period_start)),
        period_end: Some(time::from_micros(metrics.period_end)),
        customers: metrics.customers,
        customers_by_stage: metrics
            .customers_by_stage
            .iter()
            .map(|(stage, count)| (stage.clone(), *count))
            .collect(),
        customers_at_start: metrics.customers_at_start,
        new_customers: metrics.new_customers,
        retained_customers: metrics.retained_customers,
        churned_customers: metrics.churned_customers,
        churn_rate: metrics.churn_rate,
        nps: metrics.nps,
        csat_percent: metrics.csat_percent,
        revenue: money(metrics.revenue, currency),
        average_clv: money(metrics.average_clv, currency),
        equity: Some(equity(&metrics.equity, currency)),
    }
}

pub fn segment(segment: &SegmentView) -> v1::Segment {
    v1::Segment {
        name: segment.name.clone(),
        description: segment.description.clone(),
        conditions: segment.conditions.clone(),
        size: segment.size,
    }
}

pub fn alert(alert: &Alert) -> v1::Alert {
    v1::Alert {
        rule: alert.rule.clone(),
        golden_id: alert.golden_id.clone(),
        at: Some(time::from_micros(alert.at)),
        severity: alert.severity.clone(),
        message: alert.message.clone(),
        details: alert
            .details
            .iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
    }
}

pub fn model(model: &FittedModel) -> v1::ModelFit {
    let (p, q, v) = model
        .gamma_gamma
        .map_or((0.0, 0.0, 0.0), |spend| (spend.p, spend.q, spend.v));
    v1::ModelFit {
        fitted_at: Some(time::from_micros(model.fitted_at)),
        customers: model.customers as i64,
        r: model.bgnbd.r,
        alpha: model.bgnbd.alpha,
        a: model.bgnbd.a,
        b: model.bgnbd.b,
        p,
        q,
        v,
    }
}
