//! The at-a-glance summary of a profile, aggregated from its activities.

use std::collections::BTreeMap;

use c360_model::ActivityKind;
use c360_store::AnyConnection;
use c360_store::repo::activities;

use crate::error::HubResult;

/// At-a-glance answers about a customer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileSummary {
    pub customer_since: Option<i64>,
    pub last_order_at: Option<i64>,
    pub last_order_summary: String,
    pub order_count: i64,
    /// Revenue to date per currency: orders + paid invoices − refunds.
    pub revenue: BTreeMap<String, i64>,
    pub last_contact_at: Option<i64>,
    pub current_plan: String,
    pub open_tickets: i64,
}

pub(super) async fn summarize(
    connection: &mut AnyConnection,
    golden_id: &str,
) -> HubResult<ProfileSummary> {
    let totals = activities::totals(connection, golden_id).await?;
    let mut summary = ProfileSummary::default();
    let mut opened = 0;
    let mut solved = 0;
    for total in &totals {
        let Ok(kind) = total.kind.parse::<ActivityKind>() else {
            continue;
        };
        let currency = total.currency.clone().unwrap_or_default();
        match kind {
            ActivityKind::Order | ActivityKind::InvoicePaid | ActivityKind::SubscriptionStarted => {
                summary.customer_since = Some(
                    summary
                        .customer_since
                        .map_or(total.first_at, |since| since.min(total.first_at)),
                );
            }
            _ => {}
        }
        match kind {
            ActivityKind::Order => {
                summary.order_count += total.count;
                *summary.revenue.entry(currency).or_default() += total.amount_minor;
            }
            ActivityKind::InvoicePaid => {
                *summary.revenue.entry(currency).or_default() += total.amount_minor;
            }
            ActivityKind::Refund => {
                *summary.revenue.entry(currency).or_default() -= total.amount_minor.abs();
            }
            ActivityKind::TicketOpened => opened += total.count,
            ActivityKind::TicketSolved => solved += total.count,
            _ => {}
        }
        if matches!(
            kind,
            ActivityKind::TicketOpened
                | ActivityKind::TicketSolved
                | ActivityKind::EmailMessage
                | ActivityKind::CsatRating
                | ActivityKind::NpsResponse
        ) {
            summary.last_contact_at = Some(
                summary
                    .last_contact_at
                    .map_or(total.last_at, |at| at.max(total.last_at)),
            );
        }
    }
    summary.open_tickets = (opened - solved).max(0);
    if let Some(order) =
        activities::latest_of_kinds(connection, golden_id, &["order", "invoice_paid"]).await?
    {
        summary.last_order_at = Some(order.occurred_at);
        summary.last_order_summary = order.summary;
    }
    if let Some(subscription) = activities::latest_of_kinds(
        connection,
        golden_id,
        &["subscription_started", "subscription_cancelled"],
    )
    .await?
        && subscription.kind == "subscription_started"
    {
        summary.current_plan = subscription.summary;
    }
    Ok(summary)
}
