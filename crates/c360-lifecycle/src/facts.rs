//! A customer's history folded up to a point in time: purchases, revenue,
//! tickets, satisfaction, engagement, subscription. [`Replay`] moves that
//! point forward event by event (for the stage history), keeping the
//! recent-window counts with two sliding windows, so a whole history is
//! replayed in one pass.

use std::collections::HashMap;

use c360_model::ActivityKind;

use crate::event::{Event, MICROS_PER_DAY, Micros};

/// Everything cumulative up to the replay's time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub first_activity_at: Option<Micros>,
    pub first_purchase_at: Option<Micros>,
    pub last_purchase_at: Option<Micros>,
    /// The purchase before the last one (on an earlier day).
    pub previous_purchase_at: Option<Micros>,
    /// Orders and paid invoices.
    pub orders: i64,
    /// Distinct purchase days after the first (BG/NBD's frequency).
    pub repeat_days: i64,
    /// Purchases, before refunds (reporting currency, minor units).
    pub gross: i64,
    pub refunds: i64,
    /// Spend on the first purchase day (left out of the average repeat spend).
    pub first_day_spend: i64,
    pub last_refund_at: Option<Micros>,
    pub last_refund_amount: i64,
    pub tickets_opened: i64,
    pub tickets_solved: i64,
    /// Tickets opened and not (yet) solved.
    pub open_tickets: i64,
    pub last_ticket_opened_at: Option<Micros>,
    pub resolved_with_time: i64,
    pub resolution_hours_total: f64,
    pub csat_rated: i64,
    pub csat_satisfied: i64,
    pub nps_last: Option<i32>,
    pub nps_last_at: Option<Micros>,
    pub nps_total: i64,
    pub nps_count: i64,
    pub email_events: i64,
    /// Contacts that are not purchases (e-mail, tickets, surveys).
    pub contacts: i64,
    pub subscription_plan: String,
    /// `Some(true)` active, `Some(false)` cancelled, `None` never subscribed.
    pub subscription_active: Option<bool>,
    pub subscription_changed_at: Option<Micros>,
}

impl Facts {
    /// Net revenue: purchases − refunds.
    pub fn revenue(&self) -> i64 {
        self.gross - self.refunds
    }

    /// Mean spend per repeat purchase day (Gamma-Gamma's m_x); 0 without
    /// repeat purchases.
    pub fn average_repeat_spend(&self) -> f64 {
        if self.repeat_days == 0 {
            return 0.0;
        }
        (self.gross - self.first_day_spend) as f64 / self.repeat_days as f64
    }

    pub fn is_customer(&self) -> bool {
        self.orders > 0
    }
}

/// Counts over a window of recent time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WindowCounts {
    pub email_opens: i64,
    pub email_clicks: i64,
    pub tickets_opened: i64,
    pub purchases: i64,
    /// Purchases − refunds in the window.
    pub revenue: i64,
}

impl WindowCounts {
    fn add(&mut self, event: &Event, sign: i64) {
        match event.kind {
            ActivityKind::EmailOpen => self.email_opens += sign,
            ActivityKind::EmailClick => self.email_clicks += sign,
            ActivityKind::TicketOpened => self.tickets_opened += sign,
            ActivityKind::Order | ActivityKind::InvoicePaid => {
                self.purchases += sign;
                self.revenue += sign * event.amount.unwrap_or(0);
            }
            ActivityKind::Refund => self.revenue -= sign * event.amount.unwrap_or(0).abs(),
            _ => {}
        }
    }
}

/// Events in `(t − offset − width, t − offset]`, kept as `t` grows.
#[derive(Debug, Clone, Default)]
struct Sliding {
    width: Micros,
    offset: Micros,
    /// Events before `low` have left the window, events before `high` entered.
    low: usize,
    high: usize,
    counts: WindowCounts,
}

impl Sliding {
    fn new(width_days: f64, offset_days: f64) -> Self {
        Self {
            width: (width_days * MICROS_PER_DAY) as Micros,
            offset: (offset_days * MICROS_PER_DAY) as Micros,
            ..Self::default()
        }
    }

    fn advance(&mut self, events: &[Event], t: Micros) {
        let end = t.saturating_sub(self.offset);
        let start = end.saturating_sub(self.width);
        while self.high < events.len() && events[self.high].at <= end {
            self.counts.add(&events[self.high], 1);
            self.high += 1;
        }
        while self.low < self.high && events[self.low].at <= start {
            self.counts.add(&events[self.low], -1);
            self.low += 1;
        }
    }
}

/// A customer's history replayed in time order. Events must be sorted by time.
#[derive(Debug, Clone)]
pub struct Replay<'a> {
    events: &'a [Event],
    next: usize,
    now: Micros,
    facts: Facts,
    recent: Sliding,
    prior: Sliding,
    /// Open tickets by reference, with their opening time.
    open: HashMap<Box<str>, Micros>,
    last_purchase_day: Option<i64>,
}

impl<'a> Replay<'a> {
    /// `recent_days`: the window of the recent counts; the prior window (for
    /// the spend trend) is the same length just before it.
    pub fn new(events: &'a [Event], recent_days: f64) -> Self {
        Self {
            events,
            next: 0,
            now: Micros::MIN,
            facts: Facts::default(),
            recent: Sliding::new(recent_days, 0.0),
            prior: Sliding::new(recent_days, recent_days),
            open: HashMap::new(),
            last_purchase_day: None,
        }
    }

    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// Counts over the recent window ending at the replay's time.
    pub fn recent(&self) -> &WindowCounts {
        &self.recent.counts
    }

    /// Counts over the window of the same length before the recent one.
    pub fn prior(&self) -> &WindowCounts {
        &self.prior.counts
    }

    pub fn now(&self) -> Micros {
        self.now
    }

    /// The time of the next event not yet applied.
    pub fn next_event_at(&self) -> Option<Micros> {
        self.events.get(self.next).map(|event| event.at)
    }

    /// Applies every event at or before `t` and moves the windows to `t`.
    pub fn advance_to(&mut self, t: Micros) {
        while let Some(event) = self.events.get(self.next) {
            if event.at > t {
                break;
            }
            self.apply(event);
            self.next += 1;
        }
        self.now = self.now.max(t);
        self.recent.advance(self.events, t);
        self.prior.advance(self.events, t);
    }

    fn apply(&mut self, event: &Event) {
        let facts = &mut self.facts;
        facts.first_activity_at.get_or_insert(event.at);
        let amount = event.amount.unwrap_or(0);
        match event.kind {
            ActivityKind::Order | ActivityKind::InvoicePaid => {
                let day = event.at.div_euclid(MICROS_PER_DAY as i64);
                match self.last_purchase_day {
                    None => {
                        facts.first_purchase_at = Some(event.at);
                        facts.first_day_spend = amount;
                    }
                    Some(last) if last == day => {
                        if facts.repeat_days == 0 {
                            facts.first_day_spend += amount;
                        }
                    }
                    Some(_) => {
                        facts.repeat_days += 1;
                        facts.previous_purchase_at = facts.last_purchase_at;
                    }
                }
                self.last_purchase_day = Some(day);
                facts.orders += 1;
                facts.gross += amount;
                facts.last_purchase_at = Some(event.at);
            }
            ActivityKind::Refund => {
                facts.refunds += amount.abs();
                facts.last_refund_at = Some(event.at);
                facts.last_refund_amount = amount.abs();
            }
            ActivityKind::SubscriptionStarted => {
                facts.subscription_active = Some(true);
                facts.subscription_plan = event.label.as_deref().unwrap_or_default().to_owned();
                facts.subscription_changed_at = Some(event.at);
            }
            ActivityKind::SubscriptionCancelled => {
                facts.subscription_active = Some(false);
                facts.subscription_changed_at = Some(event.at);
            }
            ActivityKind::TicketOpened => {
                facts.contacts += 1;
                facts.tickets_opened += 1;
                facts.last_ticket_opened_at = Some(event.at);
                let reference = event.reference.clone().unwrap_or_default();
                if self.open.insert(reference, event.at).is_none() {
                    facts.open_tickets += 1;
                }
            }
            ActivityKind::TicketSolved => {
                facts.contacts += 1;
                facts.tickets_solved += 1;
                let reference = event.reference.clone().unwrap_or_default();
                if let Some(opened) = self.open.remove(&reference) {
                    facts.open_tickets -= 1;
                    facts.resolved_with_time += 1;
                    facts.resolution_hours_total +=
                        (event.at - opened).max(0) as f64 / 3_600_000_000.0;
                }
            }
            ActivityKind::CsatRating => {
                facts.contacts += 1;
                if let Some(score) = event.score {
                    facts.csat_rated += 1;
                    // 1–5 scale: 4 and 5 are satisfied (Zendesk's "good" is 5).
                    if score >= 4 {
                        facts.csat_satisfied += 1;
                    }
                }
            }
            ActivityKind::NpsResponse => {
                facts.contacts += 1;
                if let Some(score) = event.score {
                    facts.nps_last = Some(score);
                    facts.nps_last_at = Some(event.at);
                    facts.nps_total += i64::from(score);
                    facts.nps_count += 1;
                }
            }
            ActivityKind::EmailOpen | ActivityKind::EmailClick | ActivityKind::EmailMessage => {
                facts.contacts += 1;
                facts.email_events += 1;
            }
        }
    }
}

/// Replays `events` (sorted) to `as_of` and returns the replay there.
pub fn facts_at(events: &[Event], as_of: Micros, recent_days: f64) -> Replay<'_> {
    let mut replay = Replay::new(events, recent_days);
    replay.advance_to(as_of);
    replay
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: i64) -> Micros {
        n * MICROS_PER_DAY as i64
    }

    #[test]
    fn folds_purchases_tickets_and_scores() {
        let events = vec![
            Event::new(day(0), ActivityKind::Order).with_amount(1_000),
            Event::new(day(0) + 5, ActivityKind::Order).with_amount(500),
            Event::new(day(10), ActivityKind::Order).with_amount(2_000),
            Event::new(day(12), ActivityKind::Refund).with_amount(300),
            Event::new(day(20), ActivityKind::TicketOpened).with_reference("t1"),
            Event::new(day(21), ActivityKind::TicketSolved).with_reference("t1"),
            Event::new(day(22), ActivityKind::TicketOpened).with_reference("t2"),
            Event::new(day(30), ActivityKind::CsatRating).with_score(5),
            Event::new(day(31), ActivityKind::CsatRating).with_score(1),
            Event::new(day(40), ActivityKind::NpsResponse).with_score(9),
            Event::new(day(50), ActivityKind::NpsResponse).with_score(4),
            Event::new(day(60), ActivityKind::Order).with_amount(4_000),
        ];
        let replay = facts_at(&events, day(55), 90.0);
        let facts = replay.facts();
        assert_eq!(facts.orders, 3);
        assert_eq!(facts.repeat_days, 1);
        assert_eq!(facts.gross, 3_500);
        assert_eq!(facts.revenue(), 3_200);
        assert_eq!(facts.average_repeat_spend(), 2_000.0);
        assert_eq!(facts.first_day_spend, 1_500);
        assert_eq!((facts.tickets_opened, facts.tickets_solved), (2, 1));
        assert_eq!(facts.open_tickets, 1);
        assert_eq!(facts.resolution_hours_total, 24.0);
        assert_eq!((facts.csat_rated, facts.csat_satisfied), (2, 1));
        assert_eq!(
            (facts.nps_last, facts.nps_count, facts.nps_total),
            (Some(4), 2, 13)
        );
        assert_eq!(facts.previous_purchase_at, Some(day(0) + 5));
        assert_eq!(replay.recent().purchases, 3);
        assert_eq!(replay.recent().revenue, 3_200);
    }

    #[test]
    fn windows_slide() {
        let events = vec![
            Event::new(day(1), ActivityKind::EmailOpen),
            Event::new(day(50), ActivityKind::EmailOpen),
            Event::new(day(100), ActivityKind::EmailClick),
            Event::new(day(100), ActivityKind::Order).with_amount(700),
        ];
        let mut replay = Replay::new(&events, 90.0);
        replay.advance_to(day(60));
        assert_eq!(replay.recent().email_opens, 2);
        replay.advance_to(day(120));
        assert_eq!(replay.recent().email_opens, 1);
        assert_eq!(replay.recent().email_clicks, 1);
        assert_eq!(replay.prior().email_opens, 1);
        replay.advance_to(day(200));
        assert_eq!(replay.recent().email_opens, 0);
        assert_eq!(replay.prior().revenue, 700);
    }
}
