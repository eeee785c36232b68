//! Why a pair matched: every comparison's level, m, u and weight.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldExplanation {
    pub comparison: String,
    pub level: u8,
    pub level_name: String,
    pub m: f64,
    pub u: f64,
    /// log2(m/u), term-frequency adjusted; 0 when a side is missing.
    pub weight: f64,
    pub term_frequency_adjustment: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// log2 odds of the prior λ.
    pub prior_weight: f64,
    /// Prior plus every field weight.
    pub match_weight: f64,
    pub probability: f64,
    pub fields: Vec<FieldExplanation>,
    /// A rule that capped the probability, when one did (e.g.
    /// `different_given_names`, see [`crate::MatchModel::household_match_probability`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capped_by: Option<String>,
}

impl Explanation {
    /// One line per field with evidence, strongest first: for logs and the CLI.
    pub fn summary(&self) -> String {
        let mut fields: Vec<&FieldExplanation> = self
            .fields
            .iter()
            .filter(|field| field.level != 0)
            .collect();
        fields.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
        fields
            .iter()
            .map(|field| {
                format!(
                    "{} {} ({:+.1})",
                    field.comparison, field.level_name, field.weight
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}
