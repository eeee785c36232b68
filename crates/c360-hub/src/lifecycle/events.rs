//! Stored activities → the lifecycle crate's events, grouped per golden
//! record: amounts converted to the reporting currency (an amount without a
//! rate is left out of revenue), refunds made positive, tickets paired by
//! their reference.

use std::collections::BTreeMap;

use c360_lifecycle::event::ticket_reference;
use c360_lifecycle::{CustomerEvents, Event, FxTable};
use c360_model::ActivityKind;
use c360_store::repo::lifecycle::EventRow;

/// Groups rows (sorted by golden id, then time — `events_of` and
/// `all_events` order them so) into customers; golden
/// records without events come from `known` (id → created_at) with an empty
/// history.
pub(super) fn customers_from_rows(
    rows: Vec<EventRow>,
    known: &BTreeMap<String, i64>,
    fx: &FxTable,
) -> Vec<CustomerEvents> {
    let mut customers: BTreeMap<String, CustomerEvents> = known
        .iter()
        .map(|(id, created_at)| {
            (
                id.clone(),
                CustomerEvents {
                    golden_id: id.clone(),
                    known_since: Some(*created_at),
                    events: Vec::new(),
                },
            )
        })
        .collect();
    for row in rows {
        let Some(customer) = customers.get_mut(&row.golden_id) else {
            continue;
        };
        if let Some(event) = event_from_row(&row, fx) {
            customer.events.push(event);
        }
    }
    // The store's queries order rows by golden id, then time, so each
    // customer's events are already in the order the replay needs.
    customers.into_values().collect()
}

fn event_from_row(row: &EventRow, fx: &FxTable) -> Option<Event> {
    let kind: ActivityKind = row.kind.parse().ok()?;
    let mut event = Event::new(row.occurred_at, kind);
    if let (Some(amount), Some(currency)) = (row.amount_minor, row.currency.as_deref()) {
        event.amount = fx.convert(amount, currency).map(|converted| {
            if kind == ActivityKind::Refund {
                converted.abs()
            } else {
                converted
            }
        });
    }
    event.score = row.score.and_then(|score| i32::try_from(score).ok());
    if matches!(
        kind,
        ActivityKind::TicketOpened | ActivityKind::TicketSolved
    ) {
        event.reference = Some(row.reference.as_str().into());
    }
    if !row.label.is_empty() {
        event.label = Some(row.label.as_str().into());
    }
    Some(event)
}

/// The reference stored with an activity: the ticket it belongs to.
pub(crate) fn activity_reference(activity: &c360_model::Activity) -> String {
    if matches!(
        activity.kind,
        ActivityKind::TicketOpened | ActivityKind::TicketSolved | ActivityKind::CsatRating
    ) {
        ticket_reference(
            &activity.external_id,
            activity.attributes.get("ticket_id").map(String::as_str),
        )
    } else {
        String::new()
    }
}
