//! The Fellegi–Sunter model: per comparison level, m = P(level | same person)
//! and u = P(level | different people); the match weight of a level is
//! log2(m / u), a pair's total is the prior's log-odds plus every weight, and
//! its match probability follows. Term frequencies refine exact agreement.
//!
//! A model is data: [`MatchModel`] is stored (versioned) and reloaded; the
//! [`Scorer`] is the fast form built from it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::comparison::{COMPARISONS, EXACT, FAMILY_NAME, GIVEN_NAME, Levels, MAX_LEVELS, MISSING};
use crate::explain::{Explanation, FieldExplanation};
use crate::household::{DEFAULT_HOUSEHOLD_MATCH_PROBABILITY, household_guard};
use crate::prepared::PreparedRecord;

/// Format version of a stored model; bumped when its meaning changes.
pub const MODEL_FORMAT: u32 = 2;

/// Probabilities are kept inside (FLOOR, 1 − FLOOR) so no weight is infinite.
const FLOOR: f64 = 1e-9;

/// m and u per level of one comparison (index = level; level 0 unused).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonParameters {
    pub name: String,
    pub m: Vec<f64>,
    pub u: Vec<f64>,
}

/// How often each value of one field occurs, for term-frequency adjustment.
/// Values seen once are left out: an unlisted value counts once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TermFrequencies {
    /// Records with a value in the field.
    pub total: u64,
    pub counts: HashMap<String, u32>,
}

impl TermFrequencies {
    /// The share of records holding `value` (at least one record's share).
    pub fn frequency(&self, value: &str) -> f64 {
        if self.total == 0 {
            return 1.0;
        }
        let count = self.counts.get(value).copied().unwrap_or(1).max(1);
        f64::from(count) / self.total as f64
    }
}

/// A trained (or default) model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchModel {
    pub format: u32,
    /// λ: the probability that two records taken at random are the same
    /// person. Scoring starts from it rather than from the (much higher) share
    /// of matches among candidate pairs: the fields that put a pair in a block
    /// are compared again, and their agreement must not count twice.
    pub prior: f64,
    pub comparisons: Vec<ComparisonParameters>,
    /// Per comparison name, the value frequencies of its term-frequency slot.
    #[serde(default)]
    pub term_frequencies: HashMap<String, TermFrequencies>,
    /// The highest match probability of a pair whose given names are
    /// different and that agrees on nothing personal: members of one
    /// household look like that (see [`crate::household`]). Measured by
    /// training; below the link threshold it makes such pairs review tasks.
    #[serde(default = "default_household_match_probability")]
    pub household_match_probability: f64,
    /// How the model came to be (default, or trained on how many pairs …).
    #[serde(default)]
    pub provenance: serde_json::Value,
}

fn default_household_match_probability() -> f64 {
    DEFAULT_HOUSEHOLD_MATCH_PROBABILITY
}

impl Default for MatchModel {
    /// Hand-set parameters that work on customer data without training:
    /// agreement on an identifier is strong, on a name moderate, on a region weak.
    fn default() -> Self {
        // (m, u) per level from level 1 on, in the order of `COMPARISONS`.
        let table: [&[(f64, f64)]; 13] = [
            // given_name
            &[
                (0.82, 0.004),
                (0.04, 0.0008),
                (0.04, 0.003),
                (0.02, 0.002),
                (0.03, 0.003),
                (0.02, 0.02),
                (0.02, 0.00002),
                (0.01, 0.967),
            ],
            // family_name
            &[
                (0.84, 0.003),
                (0.05, 0.002),
                (0.02, 0.002),
                (0.02, 0.0005),
                (0.02, 0.015),
                (0.05, 0.977),
            ],
            // birth_date
            &[
                (0.90, 0.00005),
                (0.02, 0.000001),
                (0.05, 0.002),
                (0.03, 0.998),
            ],
            // national_id
            &[(0.90, 0.000001), (0.05, 0.00001), (0.05, 0.999989)],
            // email
            &[(0.80, 0.000001), (0.05, 0.0001), (0.15, 0.999899)],
            // phone
            &[(0.80, 0.00001), (0.20, 0.99999)],
            // street_number
            &[(0.85, 0.03), (0.15, 0.97)],
            // street
            &[
                (0.82, 0.0005),
                (0.05, 0.0005),
                (0.03, 0.01),
                (0.02, 0.0001),
                (0.08, 0.989),
            ],
            // address_extra
            &[(0.80, 0.01), (0.05, 0.01), (0.15, 0.98)],
            // locality
            &[(0.85, 0.002), (0.05, 0.002), (0.10, 0.996)],
            // postcode
            &[(0.85, 0.002), (0.05, 0.02), (0.10, 0.978)],
            // region
            &[(0.90, 0.2), (0.10, 0.8)],
            // company
            &[(0.80, 0.001), (0.05, 0.002), (0.15, 0.997)],
        ];
        let comparisons = COMPARISONS
            .iter()
            .zip(table)
            .map(|(comparison, levels)| {
                let mut m = vec![0.0];
                let mut u = vec![0.0];
                for (level_m, level_u) in levels {
                    m.push(*level_m);
                    u.push(*level_u);
                }
                debug_assert_eq!(m.len(), comparison.levels.len());
                ComparisonParameters {
                    name: comparison.name.to_owned(),
                    m,
                    u,
                }
            })
            .collect();
        Self {
            format: MODEL_FORMAT,
            prior: 1e-4,
            comparisons,
            term_frequencies: HashMap::new(),
            household_match_probability: DEFAULT_HOUSEHOLD_MATCH_PROBABILITY,
            provenance: serde_json::json!({ "kind": "default" }),
        }
    }
}

impl MatchModel {
    /// Checks that a loaded model fits this engine's comparisons.
    pub fn validate(&self) -> Result<(), crate::MatchError> {
        if self.format != MODEL_FORMAT {
            return Err(crate::MatchError::Model(format!(
                "format {} is not {MODEL_FORMAT}; retrain with `c360 match train`",
                self.format
            )));
        }
        if self.comparisons.len() != COMPARISONS.len() {
            return Err(crate::MatchError::Model(format!(
                "{} comparisons, the engine has {}",
                self.comparisons.len(),
                COMPARISONS.len()
            )));
        }
        for (parameters, comparison) in self.comparisons.iter().zip(COMPARISONS) {
            if parameters.name != comparison.name
                || parameters.m.len() != comparison.levels.len()
                || parameters.u.len() != comparison.levels.len()
            {
                return Err(crate::MatchError::Model(format!(
                    "comparison {} does not fit {}",
                    parameters.name, comparison.name
                )));
            }
        }
        if !(self.prior > 0.0 && self.prior < 1.0) {
            return Err(crate::MatchError::Model(format!(
                "prior {} is not a probability",
                self.prior
            )));
        }
        if !(0.0..=1.0).contains(&self.household_match_probability) {
            return Err(crate::MatchError::Model(format!(
                "household_match_probability {} is not a probability",
                self.household_match_probability
            )));
        }
        Ok(())
    }
}

/// Bayes factor of a level as a log2 weight.
pub fn weight_of(m: f64, u: f64) -> f64 {
    (m.clamp(FLOOR, 1.0 - FLOOR) / u.clamp(FLOOR, 1.0 - FLOOR)).log2()
}

/// Log2 odds → probability.
pub fn probability_of(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// Probability → log2 odds.
pub fn weight_of_probability(probability: f64) -> f64 {
    let p = probability.clamp(FLOOR, 1.0 - FLOOR);
    (p / (1.0 - p)).log2()
}

/// The highest match probability of a pair that agrees on nothing but its
/// names: two records of "Mehmet Yılmaz" with nothing else in common are as
/// likely namesakes as one person, however rare the name; a steward decides.
pub const NAMES_ONLY_CAP: f64 = 0.25;

/// log2 likelihood ratio of every comparison's levels, `[comparison][level]`.
pub type LevelWeights = [[f64; MAX_LEVELS]; COMPARISONS.len()];

/// The scoring form of a model: weights looked up, not recomputed per pair.
#[derive(Debug, Clone)]
pub struct Scorer {
    model: MatchModel,
    prior_weight: f64,
    weights: LevelWeights,
    /// Per comparison, the term frequencies of its slot (when adjusted).
    frequencies: [Option<TermFrequencies>; COMPARISONS.len()],
}

impl Scorer {
    pub fn new(model: MatchModel) -> Self {
        let mut weights = [[0.0; MAX_LEVELS]; COMPARISONS.len()];
        for (row, parameters) in weights.iter_mut().zip(&model.comparisons) {
            for (level, (m, u)) in parameters.m.iter().zip(&parameters.u).enumerate().skip(1) {
                row[level] = weight_of(*m, *u);
            }
        }
        let frequencies = std::array::from_fn(|index| {
            let comparison = COMPARISONS[index];
            comparison.term_frequency?;
            model.term_frequencies.get(comparison.name).cloned()
        });
        Self {
            prior_weight: weight_of_probability(model.prior),
            model,
            weights,
            frequencies,
        }
    }

    pub fn model(&self) -> &MatchModel {
        &self.model
    }

    /// log2 odds of the prior.
    pub fn prior_weight(&self) -> f64 {
        self.prior_weight
    }

    /// Every comparison's level weights, before term-frequency adjustment.
    pub fn level_weights(&self) -> &LevelWeights {
        &self.weights
    }

    /// The weight of one comparison's level, term-frequency adjusted on exact
    /// agreement: log2(m / frequency of the shared value).
    fn level_weight(&self, comparison: usize, level: u8, left: &PreparedRecord) -> (f64, f64) {
        let base = self.weights[comparison][level as usize];
        if level != EXACT {
            return (base, 0.0);
        }
        let (Some(frequencies), Some(slot)) = (
            &self.frequencies[comparison],
            COMPARISONS[comparison].term_frequency,
        ) else {
            return (base, 0.0);
        };
        let u_exact = self.model.comparisons[comparison].u[EXACT as usize];
        let frequency = frequencies.frequency(left.get(slot));
        let adjustment = weight_of(1.0, frequency) - weight_of(1.0, u_exact);
        (base + adjustment, adjustment)
    }

    /// The pair's total log2 odds of being a match, after the guards (see
    /// [`MatchModel::household_match_probability`] and [`NAMES_ONLY_CAP`]).
    pub fn weight(&self, levels: &Levels, left: &PreparedRecord) -> f64 {
        self.guarded_weight(levels, left).0
    }

    /// The total log2 odds and the guard that capped them, if one did.
    fn guarded_weight(
        &self,
        levels: &Levels,
        left: &PreparedRecord,
    ) -> (f64, Option<&'static str>) {
        let mut total = self.prior_weight;
        let mut beyond_names = false;
        for (comparison, &level) in levels.iter().enumerate() {
            if level != MISSING {
                let weight = self.level_weight(comparison, level, left).0;
                total += weight;
                beyond_names |=
                    weight > 0.0 && comparison != GIVEN_NAME && comparison != FAMILY_NAME;
            }
        }
        let cap = if household_guard(levels) {
            Some((
                "different_given_names",
                self.model.household_match_probability,
            ))
        } else if !beyond_names {
            Some(("names_only", NAMES_ONLY_CAP))
        } else {
            None
        };
        match cap {
            Some((reason, cap)) if total > weight_of_probability(cap) => {
                (weight_of_probability(cap), Some(reason))
            }
            _ => (total, None),
        }
    }

    pub fn probability(&self, levels: &Levels, left: &PreparedRecord) -> f64 {
        probability_of(self.weight(levels, left))
    }

    /// Field by field: level, m, u, weight and term-frequency adjustment.
    pub fn explain(&self, levels: &Levels, left: &PreparedRecord) -> Explanation {
        let fields = levels
            .iter()
            .enumerate()
            .map(|(comparison, &level)| {
                let parameters = &self.model.comparisons[comparison];
                let (weight, adjustment) = if level == MISSING {
                    (0.0, 0.0)
                } else {
                    self.level_weight(comparison, level, left)
                };
                FieldExplanation {
                    comparison: COMPARISONS[comparison].name.to_owned(),
                    level,
                    level_name: COMPARISONS[comparison].levels[level as usize].to_owned(),
                    m: parameters.m[level as usize],
                    u: parameters.u[level as usize],
                    weight,
                    term_frequency_adjustment: adjustment,
                }
            })
            .collect();
        let (weight, capped_by) = self.guarded_weight(levels, left);
        Explanation {
            prior_weight: self.prior_weight,
            match_weight: weight,
            probability: probability_of(weight),
            fields,
            capped_by: capped_by.map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comparison::{FAMILY_NAME, compare};
    use crate::prepared::Preparer;
    use crate::record::MatchRecord;

    #[test]
    fn names_alone_never_link() {
        let preparer = Preparer::default();
        let scorer = Scorer::new(MatchModel::default());
        let named = |email: &str, city: &str| MatchRecord {
            given: "wilhelm".into(),
            family: "schafer".into(),
            emails: vec![email.into()],
            locality: city.into(),
            ..MatchRecord::default()
        };
        let explain = |a: &MatchRecord, b: &MatchRecord| {
            let (left, right) = (preparer.prepare(a), preparer.prepare(b));
            let levels = compare(&left, &right, preparer.nicknames());
            scorer.explain(&levels, &left)
        };
        let only_names = explain(
            &named("wilhelm00@gmail.com", ""),
            &named("w.schafer@gmx.de", ""),
        );
        assert!(only_names.probability <= NAMES_ONLY_CAP + 1e-9);
        assert_eq!(only_names.capped_by.as_deref(), Some("names_only"));
        let same_city = explain(
            &named("wilhelm00@gmail.com", "dusseldorf"),
            &named("w.schafer@gmx.de", "dusseldorf"),
        );
        assert_eq!(same_city.capped_by, None);
    }

    #[test]
    fn different_given_names_without_personal_evidence_are_only_reviewed() {
        let preparer = Preparer::default();
        let scorer = Scorer::new(MatchModel::default());
        let person = |given: &str, birth: &str| MatchRecord {
            given: given.into(),
            family: "yilmaz".into(),
            phones: vec!["+902161234567".into()],
            street_number: "12".into(),
            street: "bagdat caddesi".into(),
            postcode: "34330".into(),
            locality: "istanbul".into(),
            birth_date: crate::DateParts::parse(birth),
            ..MatchRecord::default()
        };
        let score = |a: &MatchRecord, b: &MatchRecord| {
            let (left, right) = (preparer.prepare(a), preparer.prepare(b));
            let levels = compare(&left, &right, preparer.nicknames());
            (scorer.probability(&levels, &left), household_guard(&levels))
        };
        // Husband and wife: one address, one home phone.
        let (probability, guarded) = score(&person("mehmet", ""), &person("ayse", ""));
        assert!(guarded);
        assert!(
            probability <= DEFAULT_HOUSEHOLD_MATCH_PROBABILITY + 1e-9,
            "{probability}"
        );
        // The same birth date lifts the guard (a replaced given name).
        let (_, guarded) = score(
            &person("mehmet", "1980-02-03"),
            &person("ayse", "1980-02-03"),
        );
        assert!(!guarded);
        // A nickname is not a different name.
        let (probability, guarded) = score(&person("mehmet", ""), &person("memet", ""));
        assert!(!guarded);
        assert!(probability > 0.5, "{probability}");
    }

    #[test]
    fn default_model_is_valid_and_round_trips() {
        let model = MatchModel::default();
        model.validate().expect("default model fits");
        let json = serde_json::to_string(&model).expect("serializes");
        let back: MatchModel = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, model);
    }

    #[test]
    fn rare_surnames_weigh_more_than_common_ones() {
        let mut model = MatchModel::default();
        let mut frequencies = TermFrequencies {
            total: 1000,
            ..TermFrequencies::default()
        };
        frequencies.counts.insert("smith".into(), 100);
        model
            .term_frequencies
            .insert("family_name".into(), frequencies);
        let scorer = Scorer::new(model);
        let preparer = Preparer::default();
        let weight_for = |family: &str| {
            let record = preparer.prepare(&MatchRecord {
                family: family.into(),
                ..MatchRecord::default()
            });
            let levels = compare(&record, &record, preparer.nicknames());
            scorer.explain(&levels, &record).fields[FAMILY_NAME].weight
        };
        assert!(weight_for("zyskowski") > weight_for("smith") + 5.0);
    }

    #[test]
    fn probabilities_and_weights_invert() {
        for p in [0.01, 0.5, 0.9] {
            assert!((probability_of(weight_of_probability(p)) - p).abs() < 1e-9);
        }
    }
}
