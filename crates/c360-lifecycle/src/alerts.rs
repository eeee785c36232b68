//! Alerts: notable behaviour found when a customer's metrics are recomputed
//! after an ingest — comparing the metrics before and after, so each alert
//! fires once, on the change that caused it.
//!
//! Kinds: `detractor_high_value` (a new NPS answer of 0–6 from a customer at
//! or above a CLV percentile), `ticket_burst` (at least N tickets opened
//! within H hours), `large_refund` (a new refund of at least an amount),
//! `stage_change` (from one of some stages to one of others), and
//! `condition` (conditions that start to hold).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::LifecycleError;
use crate::customer::CustomerMetrics;
use crate::event::{Event, Micros};
use crate::rules::{Condition, ConditionList, all_hold};
use crate::stage::Stage;
use c360_model::ActivityKind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRule {
    pub name: String,
    /// info, warning or critical.
    #[serde(default = "default_severity")]
    pub severity: String,
    #[serde(flatten)]
    pub kind: AlertKind,
}

fn default_severity() -> String {
    "warning".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum AlertKind {
    DetractorHighValue {
        #[serde(default = "default_percentile")]
        min_clv_percentile: f64,
    },
    TicketBurst {
        tickets: u32,
        hours: f64,
    },
    LargeRefund {
        /// Major units of the reporting currency.
        min_amount: f64,
    },
    StageChange {
        from: Vec<String>,
        to: Vec<String>,
    },
    Condition {
        when: ConditionList,
    },
}

fn default_percentile() -> f64 {
    80.0
}

impl AlertRule {
    pub fn validate(&self) -> Result<(), LifecycleError> {
        self.compile().map(|_| ())
    }

    pub fn compile(&self) -> Result<CompiledAlert, LifecycleError> {
        let invalid = LifecycleError::invalid_input;
        if self.name.trim().is_empty() {
            return Err(invalid("lifecycle.alerts.name", "must not be empty".into()));
        }
        if !matches!(self.severity.as_str(), "info" | "warning" | "critical") {
            return Err(invalid(
                "lifecycle.alerts.severity",
                format!("{:?} is not info, warning or critical", self.severity),
            ));
        }
        let check = match &self.kind {
            AlertKind::DetractorHighValue { min_clv_percentile } => {
                Check::Detractor(*min_clv_percentile)
            }
            AlertKind::TicketBurst { tickets, hours } => {
                if *tickets == 0 || !(hours.is_finite() && *hours > 0.0) {
                    return Err(invalid(
                        "lifecycle.alerts.tickets",
                        "a burst needs tickets ≥ 1 and hours > 0".into(),
                    ));
                }
                Check::TicketBurst(*tickets, (*hours * 3_600_000_000.0) as Micros)
            }
            AlertKind::LargeRefund { min_amount } => Check::Refund(*min_amount),
            AlertKind::StageChange { from, to } => {
                let parse = |names: &[String]| {
                    names
                        .iter()
                        .map(|name| name.parse::<Stage>())
                        .collect::<Result<Vec<_>, _>>()
                };
                Check::Stage(parse(from)?, parse(to)?)
            }
            AlertKind::Condition { when } => Check::Condition(when.compile()?),
        };
        Ok(CompiledAlert {
            name: self.name.trim().to_owned(),
            severity: self.severity.clone(),
            check,
        })
    }
}

/// Rules on by default.
pub fn default_rules() -> Vec<AlertRule> {
    let rule = |name: &str, severity: &str, kind| AlertRule {
        name: name.into(),
        severity: severity.into(),
        kind,
    };
    vec![
        rule(
            "detractor_high_value",
            "critical",
            AlertKind::DetractorHighValue {
                min_clv_percentile: 80.0,
            },
        ),
        rule(
            "ticket_burst",
            "warning",
            AlertKind::TicketBurst {
                tickets: 3,
                hours: 24.0,
            },
        ),
        rule(
            "large_refund",
            "warning",
            AlertKind::LargeRefund { min_amount: 500.0 },
        ),
        rule(
            "loyal_turning_at_risk",
            "warning",
            AlertKind::StageChange {
                from: vec!["loyal".into()],
                to: vec!["at_risk".into(), "dormant".into(), "churned".into()],
            },
        ),
    ]
}

#[derive(Debug, Clone, PartialEq)]
enum Check {
    Detractor(f64),
    TicketBurst(u32, Micros),
    Refund(f64),
    Stage(Vec<Stage>, Vec<Stage>),
    Condition(Vec<Condition>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompiledAlert {
    pub name: String,
    pub severity: String,
    check: Check,
}

/// One alert raised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub rule: String,
    pub golden_id: String,
    pub at: Micros,
    pub severity: String,
    pub message: String,
    pub details: BTreeMap<String, String>,
}

impl CompiledAlert {
    /// The alert `after` raises compared with `before` (`None`: the customer
    /// had no metrics yet). `events`: the customer's history, sorted.
    /// `minor_per_major`: 100 for most currencies.
    pub fn check(
        &self,
        before: Option<&CustomerMetrics>,
        after: &CustomerMetrics,
        events: &[Event],
        minor_per_major: f64,
    ) -> Option<Alert> {
        let mut details = BTreeMap::new();
        let (at, message) = match &self.check {
            Check::Detractor(min_percentile) => {
                let score = after.nps_last?;
                let at = after.nps_last_at?;
                let is_new = before
                    .and_then(|b| b.nps_last_at)
                    .is_none_or(|old| at > old);
                if !is_new || score > 6 || after.clv_percentile < *min_percentile {
                    return None;
                }
                details.insert("nps".into(), score.to_string());
                details.insert(
                    "clv_percentile".into(),
                    format!("{:.0}", after.clv_percentile),
                );
                (
                    at,
                    format!(
                        "detractor NPS {score} from a customer in the top {:.0}% by CLV",
                        100.0 - after.clv_percentile.floor()
                    ),
                )
            }
            Check::TicketBurst(tickets, window) => {
                let latest = after.last_ticket_opened_at?;
                let is_new = before
                    .and_then(|b| b.last_ticket_opened_at)
                    .is_none_or(|old| latest > old);
                if !is_new {
                    return None;
                }
                let count = events
                    .iter()
                    .filter(|event| {
                        event.kind == ActivityKind::TicketOpened
                            && event.at > latest - window
                            && event.at <= latest
                    })
                    .count();
                if count < *tickets as usize {
                    return None;
                }
                // Fire once per burst: not when the burst had already been
                // reached before this ticket.
                let before_latest = events
                    .iter()
                    .filter(|event| {
                        event.kind == ActivityKind::TicketOpened
                            && event.at > latest - window
                            && event.at < latest
                    })
                    .count();
                if before_latest >= *tickets as usize && before.is_some() {
                    return None;
                }
                details.insert("tickets".into(), count.to_string());
                (
                    latest,
                    format!(
                        "{count} tickets opened within {} hours",
                        window / 3_600_000_000
                    ),
                )
            }
            Check::Refund(min_amount) => {
                let at = after.last_refund_at?;
                let is_new = before
                    .and_then(|b| b.last_refund_at)
                    .is_none_or(|old| at > old);
                let amount = after.last_refund_amount as f64 / minor_per_major;
                if !is_new || amount < *min_amount {
                    return None;
                }
                details.insert("amount".into(), format!("{amount:.2}"));
                (at, format!("refund of {amount:.2} {}", after.currency))
            }
            Check::Stage(from, to) => {
                let old = before?.stage;
                if old == after.stage || !from.contains(&old) || !to.contains(&after.stage) {
                    return None;
                }
                details.insert("from".into(), old.to_string());
                details.insert("to".into(), after.stage.to_string());
                (
                    after.stage_entered_at,
                    format!("stage changed from {old} to {}", after.stage),
                )
            }
            Check::Condition(conditions) => {
                let held = before.is_some_and(|b| all_hold(conditions, b));
                if held || !all_hold(conditions, after) {
                    return None;
                }
                (after.computed_at, format!("{} now holds", self.name))
            }
        };
        Some(Alert {
            rule: self.name.clone(),
            golden_id: after.golden_id.clone(),
            at,
            severity: self.severity.clone(),
            message,
            details,
        })
    }
}
