//! Stripe invoices → `invoice_paid` activities.
//!
//! Only an invoice whose status is `paid` is an activity (drafts, open,
//! void and uncollectible invoices are no money received). Its amount is
//! `amount_paid`; it happened when it was paid (`status_transitions.paid_at`,
//! the export's `Paid At (UTC)` where present), else when it was created
//! (the export's `Date (UTC)`). The activity's id is the invoice id.

use c360_model::{Activity, ActivityKind};

use crate::context::{Context, Event};
use crate::fields::{Fields, Problem};

const ID: [&str; 1] = ["id"];
const STATUS: [&str; 1] = ["status"];
const PAID: [&str; 1] = ["paid"];
const CUSTOMER: [&str; 3] = ["customer", "customer.id", "Customer ID"];
const CURRENCY: [&str; 1] = ["currency"];
const AMOUNT: [&str; 2] = ["amount_paid", "total"];
const PAID_AT: [&str; 5] = [
    "status_transitions.paid_at",
    "Paid At (UTC)",
    "Date (UTC)",
    "created",
    "Created (UTC)",
];
const NUMBER: [&str; 1] = ["number"];
const SUBSCRIPTION: [&str; 3] = [
    "subscription",
    "subscription.id",
    "parent.subscription_details.subscription",
];

/// Whether Stripe considers the invoice paid: its status, or (exports
/// without a status column) its `Paid` flag.
pub fn is_paid(status: &str, paid: Option<bool>) -> bool {
    match status {
        "" => paid == Some(true),
        status => status == "paid",
    }
}

pub fn activities(fields: &Fields, context: &Context) -> Result<Vec<Activity>, Problem> {
    let id = fields.require(&ID, "invoice id")?;
    if !is_paid(&fields.lower(&STATUS), fields.flag(&PAID)) {
        return Ok(Vec::new());
    }
    let customer = fields.require(&CUSTOMER, "customer id")?;
    let currency = fields.currency(&CURRENCY)?;
    let amount = fields.money(&fields.require(&AMOUNT, "amount paid")?, &currency)?;
    let at = fields.time(&fields.require(&PAID_AT, "payment or invoice date")?)?;
    let number = fields.text(&NUMBER).map(|field| field.value);
    let summary = format!("Invoice {}", number.as_deref().unwrap_or(&id.value));
    let event = Event::new(id.value, customer.value, ActivityKind::InvoicePaid, at)
        .amount(amount)
        .summary(summary)
        .attribute("number", number)
        .attribute(
            "subscription",
            fields.text(&SUBSCRIPTION).map(|field| field.value),
        )
        .attribute(
            "billing_reason",
            fields
                .text(&["billing_reason", "Billing Reason"])
                .map(|field| field.value),
        );
    Ok(vec![context.activity(event)])
}

#[cfg(test)]
mod tests {
    use c360_connector::SourceConfig;

    use super::*;
    use crate::customer::default_mapping;

    fn context() -> Context {
        let config = SourceConfig {
            name: "billing".into(),
            ..SourceConfig::default()
        };
        Context::new(&config, default_mapping()).expect("context")
    }

    fn read(value: serde_json::Value) -> Result<Vec<Activity>, Problem> {
        let context = context();
        let fields = Fields::Json {
            value: &value,
            settings: &context.settings,
        };
        activities(&fields, &context)
    }

    #[test]
    fn paid_invoice_is_an_activity_at_its_payment_time() {
        let activities = read(serde_json::json!({
            "id": "in_1", "object": "invoice", "status": "paid", "customer": "cus_1",
            "amount_paid": 4900, "currency": "eur", "created": 1709000000,
            "status_transitions": {"paid_at": 1709633472}, "number": "A-0001",
            "parent": {"subscription_details": {"subscription": "sub_1"}}
        }))
        .expect("ok");
        assert_eq!(activities.len(), 1);
        let activity = &activities[0];
        assert_eq!(activity.kind, ActivityKind::InvoicePaid);
        assert_eq!(activity.occurred_at.timestamp(), 1_709_633_472);
        assert_eq!(activity.amount.as_ref().map(|m| m.amount_minor), Some(4900));
        assert_eq!(activity.summary, "Invoice A-0001");
        assert_eq!(activity.attributes["subscription"], "sub_1");
    }

    #[test]
    fn unpaid_invoices_are_not_activities_and_paid_ones_need_a_customer() {
        for status in ["draft", "open", "void", "uncollectible"] {
            let read = read(serde_json::json!({"id": "in_2", "status": status})).expect("ok");
            assert!(read.is_empty(), "{status}");
        }
        let problem = read(serde_json::json!({
            "id": "in_3", "status": "paid", "amount_paid": 1, "currency": "usd", "created": 1
        }))
        .expect_err("no customer");
        assert_eq!(problem.field, "customer");
        assert!(is_paid("", Some(true)));
        assert!(!is_paid("open", Some(true)));
    }
}
