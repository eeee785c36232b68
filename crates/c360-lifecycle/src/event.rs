//! What the lifecycle metrics are computed from: a customer's activities,
//! reduced to the fields the metrics read, amounts already in the reporting
//! currency.

use c360_model::ActivityKind;

/// Microseconds since the Unix epoch (UTC), the store's time unit.
pub type Micros = i64;

pub const MICROS_PER_DAY: f64 = 86_400_000_000.0;

/// Days from `earlier` to `later` (negative when `later` is earlier).
pub fn days_between(earlier: Micros, later: Micros) -> f64 {
    (later - earlier) as f64 / MICROS_PER_DAY
}

/// `days` after `at`.
pub fn plus_days(at: Micros, days: f64) -> Micros {
    at.saturating_add((days * MICROS_PER_DAY).round() as i64)
}

/// One activity of one customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub at: Micros,
    pub kind: ActivityKind,
    /// Minor units of the reporting currency, converted; refunds as a
    /// positive amount. `None` without an amount or without an FX rate.
    pub amount: Option<i64>,
    /// NPS 0–10 or CSAT 1–5.
    pub score: Option<i32>,
    /// What pairs the events of one thing: the ticket an opening and a
    /// solving belong to.
    pub reference: Option<Box<str>>,
    /// The plan of a subscription event.
    pub label: Option<Box<str>>,
}

impl Event {
    pub fn new(at: Micros, kind: ActivityKind) -> Self {
        Self {
            at,
            kind,
            amount: None,
            score: None,
            reference: None,
            label: None,
        }
    }

    pub fn with_amount(mut self, amount: i64) -> Self {
        self.amount = Some(amount);
        self
    }

    pub fn with_score(mut self, score: i32) -> Self {
        self.score = Some(score);
        self
    }

    pub fn with_reference(mut self, reference: &str) -> Self {
        self.reference = Some(reference.into());
        self
    }

    pub fn with_label(mut self, label: &str) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Orders and paid invoices: what counts as a purchase.
    pub fn is_purchase(&self) -> bool {
        matches!(self.kind, ActivityKind::Order | ActivityKind::InvoicePaid)
    }
}

/// The pairing key of a ticket event: its `ticket_id` attribute, else its
/// external id without the `-opened` / `-solved` / `-csat` suffix the
/// support connector gives the events of one ticket.
pub fn ticket_reference(external_id: &str, ticket_id: Option<&str>) -> String {
    if let Some(id) = ticket_id.filter(|id| !id.is_empty()) {
        return id.to_owned();
    }
    for suffix in ["-opened", "-solved", "-csat"] {
        if let Some(stem) = external_id.strip_suffix(suffix) {
            return stem.to_owned();
        }
    }
    external_id.to_owned()
}
