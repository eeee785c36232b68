//! Lifecycle stages: configurable rules (first match wins) evaluated over a
//! customer's replayed history, and the stage history they produce.
//!
//! The replay evaluates the rules at every event and at every moment a
//! time-based condition can flip (`days_since_last_purchase >= 180` flips 180
//! days after the last purchase), so the history says exactly when a customer
//! went dormant even though nothing happened that day. Journeys are not
//! linear: a customer may skip stages or fall back, and every change is kept.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::LifecycleError;
use crate::event::{Micros, plus_days};
use crate::rules::{Condition, ConditionList, Field, Fields, all_hold};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Prospect,
    Lead,
    New,
    Active,
    Loyal,
    AtRisk,
    Dormant,
    Churned,
    Reactivated,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Self::Prospect,
        Self::Lead,
        Self::New,
        Self::Active,
        Self::Loyal,
        Self::AtRisk,
        Self::Dormant,
        Self::Churned,
        Self::Reactivated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prospect => "prospect",
            Self::Lead => "lead",
            Self::New => "new",
            Self::Active => "active",
            Self::Loyal => "loyal",
            Self::AtRisk => "at_risk",
            Self::Dormant => "dormant",
            Self::Churned => "churned",
            Self::Reactivated => "reactivated",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Stage {
    type Err = LifecycleError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let wanted = value.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL
            .into_iter()
            .find(|stage| {
                stage.as_str() == wanted || (wanted == "advocate" && *stage == Self::Loyal)
            })
            .ok_or_else(|| {
                LifecycleError::invalid_input(
                    "stage",
                    format!("{value:?} is not a lifecycle stage"),
                )
            })
    }
}

/// `{ stage = "dormant", when = ["orders >= 1", "days_since_last_purchase >= 180"] }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageRule {
    pub stage: String,
    /// All must hold; an empty list always holds (a catch-all last rule).
    #[serde(default)]
    pub when: ConditionList,
}

impl StageRule {
    pub fn new(stage: Stage, when: &[&str]) -> Self {
        Self {
            stage: stage.as_str().to_owned(),
            when: ConditionList(when.iter().map(|text| (*text).to_owned()).collect()),
        }
    }

    pub fn compile(&self) -> Result<CompiledStageRule, LifecycleError> {
        let stage: Stage = self.stage.parse()?;
        let conditions = self.when.compile()?;
        let reason = if conditions.is_empty() {
            "no other rule applies".to_owned()
        } else {
            conditions
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" and ")
        };
        Ok(CompiledStageRule {
            stage,
            conditions,
            reason,
        })
    }
}

/// The built-in rules, with thresholds from the churn window (dormant at
/// half of it, at-risk at a quarter).
pub fn default_rules(churn_window_days: f64) -> Vec<StageRule> {
    let churn = format!("days_since_last_purchase >= {churn_window_days}");
    let dormant = format!("days_since_last_purchase >= {}", churn_window_days / 2.0);
    let at_risk = format!("days_since_last_purchase >= {}", churn_window_days / 4.0);
    let back = format!("days_between_last_purchases >= {}", churn_window_days / 2.0);
    let recent = format!("days_since_last_purchase < {}", churn_window_days / 4.0);
    vec![
        StageRule::new(Stage::Churned, &["orders >= 1", &churn]),
        StageRule::new(Stage::Churned, &["subscription_status == 'cancelled'"]),
        StageRule::new(Stage::Dormant, &["orders >= 1", &dormant]),
        StageRule::new(Stage::Reactivated, &["orders >= 2", &back, &recent]),
        StageRule::new(Stage::AtRisk, &["orders >= 1", &at_risk]),
        StageRule::new(Stage::AtRisk, &["orders >= 2", "nps_last <= 6"]),
        StageRule::new(Stage::Loyal, &["orders >= 4"]),
        StageRule::new(Stage::Loyal, &["orders >= 2", "nps_last >= 9"]),
        StageRule::new(Stage::Active, &["orders >= 2"]),
        StageRule::new(Stage::New, &["orders >= 1"]),
        StageRule::new(Stage::Lead, &["contacts >= 1"]),
        StageRule::new(Stage::Prospect, &[]),
    ]
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompiledStageRule {
    pub stage: Stage,
    pub conditions: Vec<Condition>,
    /// The rule as text, recorded as the transition's reason.
    pub reason: String,
}

/// One entry of the stage history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageTransition {
    pub stage: Stage,
    pub entered_at: Micros,
    pub reason: String,
}

/// Compiled stage rules.
#[derive(Debug, Clone, PartialEq)]
pub struct StageRules {
    rules: Vec<CompiledStageRule>,
    /// (field, days) of every time-based condition: where the replay looks.
    thresholds: Vec<(Field, f64)>,
}

impl StageRules {
    pub fn compile(rules: &[StageRule]) -> Result<Self, LifecycleError> {
        let rules = rules
            .iter()
            .map(StageRule::compile)
            .collect::<Result<Vec<_>, _>>()?;
        let mut thresholds: Vec<(Field, f64)> = rules
            .iter()
            .flat_map(|rule| rule.conditions.iter().filter_map(Condition::threshold_days))
            .collect();
        thresholds.sort_by(|a, b| a.1.total_cmp(&b.1));
        thresholds.dedup();
        Ok(Self { rules, thresholds })
    }

    /// Every field the rules test.
    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        self.rules
            .iter()
            .flat_map(|rule| rule.conditions.iter().map(|condition| condition.field))
    }

    /// The first rule that holds; `Prospect` when none does.
    pub fn evaluate(&self, fields: &dyn Fields) -> (Stage, &str) {
        self.rules
            .iter()
            .find(|rule| all_hold(&rule.conditions, fields))
            .map_or((Stage::Prospect, "no rule applies"), |rule| {
                (rule.stage, rule.reason.as_str())
            })
    }

    /// The next instant after `now` at which a time-based condition may
    /// flip, given the anchors (last purchase, first purchase, first
    /// activity) at `now`. A `>` condition flips just after its threshold:
    /// one microsecond is added to every candidate (also harmless for `>=`,
    /// which already holds then).
    pub fn next_threshold(
        &self,
        now: Micros,
        last_purchase: Option<Micros>,
        first_purchase: Option<Micros>,
        first_activity: Option<Micros>,
    ) -> Option<Micros> {
        let mut next: Option<Micros> = None;
        for (field, days) in &self.thresholds {
            let anchor = match field {
                Field::DaysSinceLastPurchase => last_purchase,
                Field::DaysSinceFirstPurchase => first_purchase,
                Field::TenureDays => first_purchase.or(first_activity),
                _ => None,
            };
            let Some(anchor) = anchor else { continue };
            for candidate in [plus_days(anchor, *days), plus_days(anchor, *days) + 1] {
                if candidate > now {
                    next = Some(next.map_or(candidate, |best| best.min(candidate)));
                }
            }
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stage_names() {
        assert_eq!("At-Risk".parse::<Stage>().ok(), Some(Stage::AtRisk));
        assert_eq!("advocate".parse::<Stage>().ok(), Some(Stage::Loyal));
        assert!("gold".parse::<Stage>().is_err());
    }

    #[test]
    fn default_rules_compile_with_readable_reasons() {
        let rules = StageRules::compile(&default_rules(365.0)).expect("valid");
        assert_eq!(
            rules.rules[0].reason,
            "orders >= 1 and days_since_last_purchase >= 365"
        );
        assert_eq!(
            rules.rules.last().map(|rule| rule.reason.as_str()),
            Some("no other rule applies")
        );
        // 91.25 (at risk; also where "reactivated" ends), 182.5 and 365 days
        // after the last purchase.
        assert_eq!(rules.thresholds.len(), 3);
    }
}
