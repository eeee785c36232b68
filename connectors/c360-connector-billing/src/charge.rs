//! Stripe payments (charges) and refunds → `order` and `refund` activities.
//!
//! Decisions, so the customer's revenue is counted once:
//! - A successful, captured charge is an `order` of its gross `amount`,
//!   unless it paid an invoice: the invoice's `invoice_paid` already counts
//!   that money (option `invoice_charges_as_orders = true` counts it anyway,
//!   for sources whose invoices are not exported). Failed, pending and
//!   uncaptured charges are no activity.
//! - Money returned is a `refund` with a positive amount. A charge whose
//!   refunds the API embeds (`refunds.data`) yields each refund under its own
//!   id (`re_…`), exactly as the refund object itself does, so a charges page
//!   and a refunds page agree; otherwise a refunded charge yields one refund
//!   `<charge id>-refund` of `amount_refunded`, dated at the charge (the
//!   Dashboard's payments export has no refund date).
//! - A refund object names its charge but not its customer: the customer is
//!   the expanded `charge.customer`, or the charge's owner seen in the same
//!   file (see [`ChargeOwners`]).

use std::collections::HashMap;

use c360_model::{Activity, ActivityKind};
use serde_json::Value;

use crate::context::{Context, Event};
use crate::fields::{Fields, Problem};

const ID: [&str; 1] = ["id"];
const STATUS: [&str; 1] = ["status"];
const CUSTOMER: [&str; 3] = ["customer", "customer.id", "Customer ID"];
const CURRENCY: [&str; 1] = ["currency"];
const CREATED: [&str; 3] = ["created", "Created (UTC)", "Created date (UTC)"];
const INVOICE: [&str; 3] = ["invoice", "invoice.id", "Invoice ID"];
const PAYMENT_INTENT: [&str; 3] = ["payment_intent", "payment_intent.id", "PaymentIntent ID"];

/// Whether a charge moved money: Stripe's API says `succeeded`; the export
/// says `Paid`, or `Refunded` / `Partially refunded` for money that came in
/// and partly went back. An uncaptured authorization is not a payment.
pub fn succeeded(status: &str, captured: Option<bool>, paid: Option<bool>) -> bool {
    let status_ok = match status {
        "succeeded" | "paid" | "refunded" | "partially refunded" | "partially_refunded" => true,
        "" => paid == Some(true),
        _ => false,
    };
    status_ok && captured != Some(false)
}

/// Charge or payment intent id → customer id, for refunds that name only
/// their charge.
pub type ChargeOwners = HashMap<String, String>;

/// Notes whose customer a charge object is.
pub fn note_owner(owners: &mut ChargeOwners, charge: &Value) {
    let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
    let customer = text(charge.get("customer")).or_else(|| {
        text(
            charge
                .get("customer")
                .and_then(|customer| customer.get("id")),
        )
    });
    let Some(customer) = customer.filter(|customer| !customer.trim().is_empty()) else {
        return;
    };
    for key in ["id", "payment_intent"] {
        if let Some(id) = text(charge.get(key)) {
            owners.insert(id, customer.clone());
        }
    }
}

pub fn activities(fields: &Fields, context: &Context) -> Result<Vec<Activity>, Problem> {
    let id = fields.require(&ID, "payment id")?;
    let status = fields.lower(&STATUS);
    if !succeeded(&status, fields.flag(&["captured"]), fields.flag(&["paid"])) {
        return Ok(Vec::new());
    }
    let customer = fields
        .text(&CUSTOMER)
        .ok_or_else(|| {
            Problem::new(
                "Customer ID",
                "the payment belongs to no Stripe customer (a guest payment) and cannot be linked",
            )
        })?
        .value;
    let currency = fields.currency(&CURRENCY)?;
    let at = fields.time(&fields.require(&CREATED, "payment date")?)?;
    let amount = fields.money(&fields.require(&["amount"], "amount")?, &currency)?;
    let invoice = fields.text(&INVOICE).map(|field| field.value);
    let mut activities = Vec::new();
    if invoice.is_none() || context.options.invoice_charges_as_orders {
        let summary = fields
            .text(&["description"])
            .map_or_else(|| format!("Payment {}", id.value), |field| field.value);
        let event = Event::new(id.value.clone(), customer.clone(), ActivityKind::Order, at)
            .amount(amount)
            .summary(summary)
            .attribute("invoice", invoice)
            .attribute(
                "payment_intent",
                fields.text(&PAYMENT_INTENT).map(|field| field.value),
            );
        activities.push(context.activity(event));
    }
    let embedded = fields.objects("refunds.data");
    if !embedded.is_empty() {
        for refund in embedded {
            let refund_fields = Fields::Json {
                value: refund,
                settings: &context.settings,
            };
            activities.extend(refund_activities(
                &refund_fields,
                context,
                Some(&customer),
                &ChargeOwners::new(),
            )?);
        }
        return Ok(activities);
    }
    if let Some(refunded) = fields.text(&["amount_refunded"]) {
        let refunded = fields.money(&refunded, &currency)?;
        if refunded.amount_minor > 0 {
            let event = Event::new(
                format!("{}-refund", id.value),
                customer,
                ActivityKind::Refund,
                at,
            )
            .amount(refunded)
            .summary(format!("Refund of payment {}", id.value))
            .attribute("charge", Some(id.value.clone()));
            activities.push(context.activity(event));
        }
    }
    Ok(activities)
}

/// A refund object (`object: "refund"`). `customer` is the charge's owner
/// when known; else it comes from the expanded charge or `owners`.
pub fn refund_activities(
    fields: &Fields,
    context: &Context,
    customer: Option<&str>,
    owners: &ChargeOwners,
) -> Result<Vec<Activity>, Problem> {
    let id = fields.require(&ID, "refund id")?;
    // Failed and canceled refunds returned nothing; pending ones are on their way.
    if matches!(fields.lower(&STATUS).as_str(), "failed" | "canceled") {
        return Ok(Vec::new());
    }
    let charge = fields
        .text(&["charge", "charge.id"])
        .map(|field| field.value);
    let intent = fields.text(&PAYMENT_INTENT).map(|field| field.value);
    let customer = customer
        .map(str::to_owned)
        .or_else(|| {
            fields
                .text(&["charge.customer", "charge.customer.id", "customer"])
                .map(|field| field.value)
        })
        .or_else(|| charge.as_ref().and_then(|charge| owners.get(charge).cloned()))
        .or_else(|| intent.as_ref().and_then(|intent| owners.get(intent).cloned()))
        .ok_or_else(|| {
            Problem::new(
                "charge",
                "the refund's customer is unknown: expand `charge` or save its charge in the same file",
            )
        })?;
    let currency = fields.currency(&CURRENCY)?;
    let amount = fields.money(&fields.require(&["amount"], "amount")?, &currency)?;
    let at = fields.time(&fields.require(&CREATED, "refund date")?)?;
    let summary = match &charge {
        Some(charge) => format!("Refund of payment {charge}"),
        None => format!("Refund {}", id.value),
    };
    let event = Event::new(id.value, customer, ActivityKind::Refund, at)
        .amount(amount)
        .summary(summary)
        .attribute("charge", charge)
        .attribute("reason", fields.text(&["reason"]).map(|field| field.value));
    Ok(vec![context.activity(event)])
}

#[cfg(test)]
mod tests {
    use c360_connector::SourceConfig;

    use super::*;
    use crate::customer::default_mapping;

    fn context(invoice_orders: bool) -> Context {
        let mut config = SourceConfig {
            name: "billing".into(),
            ..SourceConfig::default()
        };
        if invoice_orders {
            config
                .options
                .insert("invoice_charges_as_orders".into(), "true".into());
        }
        Context::new(&config, default_mapping()).expect("context")
    }

    fn read(context: &Context, value: serde_json::Value) -> Result<Vec<Activity>, Problem> {
        let fields = Fields::Json {
            value: &value,
            settings: &context.settings,
        };
        activities(&fields, context)
    }

    fn kinds(activities: &[Activity]) -> Vec<(String, ActivityKind, i64)> {
        activities
            .iter()
            .map(|a| {
                let amount = a.amount.as_ref().map_or(0, |m| m.amount_minor);
                (a.external_id.clone(), a.kind, amount)
            })
            .collect()
    }

    #[test]
    fn a_partly_refunded_one_off_charge_is_an_order_and_a_refund() {
        let charge = serde_json::json!({
            "id": "ch_1", "object": "charge", "status": "succeeded", "captured": true,
            "amount": 5000, "amount_refunded": 1500, "currency": "usd",
            "customer": "cus_1", "created": 1709633472, "invoice": null
        });
        let activities = read(&context(false), charge).expect("ok");
        assert_eq!(
            kinds(&activities),
            vec![
                ("ch_1".into(), ActivityKind::Order, 5000),
                ("ch_1-refund".into(), ActivityKind::Refund, 1500)
            ]
        );
    }

    #[test]
    fn invoice_charges_count_once_unless_asked_and_embedded_refunds_keep_their_ids() {
        let charge = serde_json::json!({
            "id": "ch_2", "status": "succeeded", "amount": 900, "amount_refunded": 900,
            "currency": "eur", "customer": {"id": "cus_2"}, "created": 1709633472,
            "invoice": "in_2",
            "refunds": {"object": "list", "data": [
                {"id": "re_2", "object": "refund", "amount": 900, "currency": "eur",
                 "charge": "ch_2", "created": 1709700000, "status": "succeeded"}
            ]}
        });
        let only_refund = read(&context(false), charge.clone()).expect("ok");
        assert_eq!(
            kinds(&only_refund),
            vec![("re_2".into(), ActivityKind::Refund, 900)]
        );
        assert_eq!(only_refund[0].record_external_id, "cus_2");
        let with_order = read(&context(true), charge).expect("ok");
        assert_eq!(with_order.len(), 2);
    }

    #[test]
    fn failed_and_uncaptured_charges_are_nothing() {
        assert!(!succeeded("failed", None, None));
        assert!(!succeeded("succeeded", Some(false), Some(true)));
        assert!(succeeded("partially refunded", Some(true), None));
        let failed = serde_json::json!({"id": "ch_3", "status": "failed", "amount": 1});
        assert!(read(&context(false), failed).expect("ok").is_empty());
    }

    #[test]
    fn refunds_find_their_customer_through_the_charge() {
        let context = context(false);
        let mut owners = ChargeOwners::new();
        note_owner(
            &mut owners,
            &serde_json::json!({"id": "ch_4", "customer": "cus_4", "payment_intent": "pi_4"}),
        );
        let refund = serde_json::json!({
            "id": "re_4", "object": "refund", "amount": 300, "currency": "usd",
            "payment_intent": "pi_4", "created": 1709633472, "status": "succeeded"
        });
        let fields = Fields::Json {
            value: &refund,
            settings: &context.settings,
        };
        let activities = refund_activities(&fields, &context, None, &owners).expect("ok");
        assert_eq!(activities[0].record_external_id, "cus_4");
        let orphan = refund_activities(&fields, &context, None, &ChargeOwners::new());
        assert_eq!(orphan.expect_err("unknown").field, "charge");
    }
}
