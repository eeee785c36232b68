//! Segments: named rule sets over a customer's metrics, e.g. champions
//! (`r_score >= 4 and f_score >= 4`). A customer belongs to every segment
//! whose conditions all hold.

use serde::{Deserialize, Serialize};

use crate::LifecycleError;
use crate::rules::{Condition, ConditionList, Fields, all_hold};

/// `{ name = "champions", description = "…", when = ["r_score >= 4", "f_score >= 4"] }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentRule {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub when: ConditionList,
}

impl SegmentRule {
    pub fn new(name: &str, description: &str, when: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            description: description.to_owned(),
            when: ConditionList(when.iter().map(|text| (*text).to_owned()).collect()),
        }
    }

    pub fn compile(&self) -> Result<CompiledSegment, LifecycleError> {
        let name = self.name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(LifecycleError::invalid_input(
                "lifecycle.segments.name",
                format!("{:?}: use letters, digits, _ and -", self.name),
            ));
        }
        let conditions = self.when.compile()?;
        if conditions.is_empty() {
            return Err(LifecycleError::invalid_input(
                "lifecycle.segments.when",
                format!("segment {name:?} has no conditions"),
            ));
        }
        Ok(CompiledSegment {
            name: name.to_owned(),
            description: self.description.clone(),
            conditions,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompiledSegment {
    pub name: String,
    pub description: String,
    pub conditions: Vec<Condition>,
}

impl CompiledSegment {
    pub fn contains(&self, fields: &dyn Fields) -> bool {
        all_hold(&self.conditions, fields)
    }

    /// The conditions as configured, normalized (`orders >= 2`).
    pub fn condition_texts(&self) -> Vec<String> {
        self.conditions.iter().map(ToString::to_string).collect()
    }
}

/// Segments every portfolio wants.
pub fn default_segments() -> Vec<SegmentRule> {
    vec![
        SegmentRule::new(
            "champions",
            "Bought recently and often",
            &["r_score >= 4", "f_score >= 4"],
        ),
        SegmentRule::new(
            "at_risk_high_value",
            "Slipping away and in the top 20% by predicted value",
            &["stage in ['at_risk', 'dormant']", "clv_percentile >= 80"],
        ),
        SegmentRule::new(
            "dormant_to_reactivate",
            "No purchase for a long time, but bought more than once",
            &["stage == 'dormant'", "orders >= 2"],
        ),
        SegmentRule::new(
            "promoters",
            "Last NPS answer 9 or 10",
            &["nps_category == 'promoter'"],
        ),
        SegmentRule::new(
            "detractors",
            "Last NPS answer 0 to 6",
            &["nps_category == 'detractor'"],
        ),
    ]
}
