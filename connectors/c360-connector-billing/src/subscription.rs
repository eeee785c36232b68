//! Stripe subscriptions → `subscription_started` and `subscription_cancelled`
//! activities (ids `<sub id>-started`, `<sub id>-cancelled`).
//!
//! A subscription started at its `start_date` (export: `Start (UTC)`), else
//! when it was created. It was cancelled when the cancellation was made
//! (`canceled_at`, export `Canceled At (UTC)`), which for a cancellation at
//! period end precedes `ended_at`: the customer's decision is the event.
//! Subscriptions that never became active (`incomplete`,
//! `incomplete_expired`: the first payment failed) are no activity.

use c360_model::{Activity, ActivityKind};

use crate::context::{Context, Event};
use crate::fields::{Fields, Problem};

const ID: [&str; 1] = ["id"];
const CUSTOMER: [&str; 3] = ["customer", "customer.id", "Customer ID"];
const STARTED: [&str; 5] = [
    "start_date",
    "Start (UTC)",
    "Start Date (UTC)",
    "created",
    "Created (UTC)",
];
const CANCELLED: [&str; 2] = ["canceled_at", "Canceled At (UTC)"];
const PLAN: [&str; 6] = [
    "items.data.0.price.nickname",
    "items.data.0.price.id",
    "plan.nickname",
    "plan.id",
    "Plan",
    "Product",
];

pub fn activities(fields: &Fields, context: &Context) -> Result<Vec<Activity>, Problem> {
    let id = fields.require(&ID, "subscription id")?;
    let status = fields.lower(&["status"]);
    if matches!(status.as_str(), "incomplete" | "incomplete_expired") {
        return Ok(Vec::new());
    }
    let customer = fields.require(&CUSTOMER, "customer id")?.value;
    let started = fields.time(&fields.require(&STARTED, "start date")?)?;
    let cancelled = fields.optional_time(&CANCELLED)?;
    let plan = fields.text(&PLAN).map(|field| field.value);
    let label = plan.clone().unwrap_or_else(|| id.value.clone());
    let status = (!status.is_empty()).then_some(status);
    let mut activities = vec![
        context.activity(
            Event::new(
                format!("{}-started", id.value),
                customer.clone(),
                ActivityKind::SubscriptionStarted,
                started,
            )
            .summary(format!("Subscription {label} started"))
            .attribute("subscription", Some(id.value.clone()))
            .attribute("plan", plan.clone())
            .attribute("status", status.clone()),
        ),
    ];
    if let Some(cancelled) = cancelled {
        let reason = fields
            .text(&[
                "cancellation_details.reason",
                "cancellation_details.feedback",
                "Cancellation Reason",
            ])
            .map(|field| field.value);
        activities.push(
            context.activity(
                Event::new(
                    format!("{}-cancelled", id.value),
                    customer,
                    ActivityKind::SubscriptionCancelled,
                    cancelled,
                )
                .summary(format!("Subscription {label} cancelled"))
                .attribute("subscription", Some(id.value))
                .attribute("plan", plan)
                .attribute("reason", reason)
                .attribute("status", status),
            ),
        );
    }
    Ok(activities)
}

#[cfg(test)]
mod tests {
    use c360_connector::SourceConfig;

    use super::*;
    use crate::customer::default_mapping;

    fn read(value: serde_json::Value) -> Result<Vec<Activity>, Problem> {
        let config = SourceConfig {
            name: "billing".into(),
            ..SourceConfig::default()
        };
        let context = Context::new(&config, default_mapping()).expect("context");
        let fields = Fields::Json {
            value: &value,
            settings: &context.settings,
        };
        activities(&fields, &context)
    }

    #[test]
    fn a_cancelled_subscription_started_and_was_cancelled() {
        let activities = read(serde_json::json!({
            "id": "sub_1", "object": "subscription", "customer": "cus_1", "status": "canceled",
            "created": 1700000000, "start_date": 1700000100, "canceled_at": 1709633472,
            "items": {"data": [{"price": {"id": "price_1", "nickname": "Pro monthly"}}]},
            "cancellation_details": {"reason": "cancellation_requested"}
        }))
        .expect("ok");
        let ids: Vec<_> = activities
            .iter()
            .map(|a| (a.external_id.as_str(), a.kind))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("sub_1-started", ActivityKind::SubscriptionStarted),
                ("sub_1-cancelled", ActivityKind::SubscriptionCancelled)
            ]
        );
        assert_eq!(activities[0].occurred_at.timestamp(), 1_700_000_100);
        assert_eq!(activities[1].attributes["plan"], "Pro monthly");
        assert_eq!(activities[1].attributes["reason"], "cancellation_requested");
    }

    #[test]
    fn active_and_incomplete_subscriptions() {
        let active = read(serde_json::json!({
            "id": "sub_2", "customer": "cus_2", "status": "active", "start_date": 1700000000,
            "canceled_at": null
        }))
        .expect("ok");
        assert_eq!(active.len(), 1);
        let incomplete = read(serde_json::json!({
            "id": "sub_3", "customer": "cus_3", "status": "incomplete_expired"
        }))
        .expect("ok");
        assert!(incomplete.is_empty());
        let bad = read(serde_json::json!({
            "id": "sub_4", "customer": "cus_4", "start_date": "soon"
        }));
        assert_eq!(bad.expect_err("bad date").field, "start_date");
    }
}
