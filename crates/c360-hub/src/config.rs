//! The hub's configuration sections: `[normalize]`, `[matching]`,
//! `[survivorship]`, `[profile]`, `[[sources]]`, `[sync]` and `[lifecycle]`.

use std::collections::BTreeMap;

use c360_model::NormalizeConfig;
use serde::{Deserialize, Serialize};

use crate::matching::GuardConfig;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HubConfig {
    pub normalize: NormalizeConfig,
    pub matching: MatchingConfig,
    pub survivorship: SurvivorshipConfig,
    pub profile: ProfileConfig,
    /// `[[sources]]`: the sources `c360 sync` and `RunSync` read.
    pub sources: Vec<c360_connector::SourceConfig>,
    /// `[sync]`.
    pub sync: crate::sync::SyncConfig,
    /// `[lifecycle]`: metrics, stages, segments, alerts.
    pub lifecycle: c360_lifecycle::LifecycleConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchingConfig {
    /// Which identifiers link records deterministically: any of `email`,
    /// `phone`, `cross_reference`.
    pub link_on: Vec<String>,
    /// At most this many stored records are compared per shared key. A key
    /// carried by more is a shared identifier anyway (see the guards).
    pub max_candidates_per_key: i64,
    pub guards: GuardConfig,
    /// Blocking rules and the block-size cap (`[matching.blocking]`).
    pub blocking: c360_match::BlockingConfig,
    /// Link / review probabilities (`[matching.thresholds]`).
    pub thresholds: c360_match::Thresholds,
    /// The weak-chain rule (`[matching.clustering]`).
    pub clustering: c360_match::ClusterConfig,
    /// EM and u-sampling settings (`[matching.training]`).
    pub training: c360_match::train::TrainingConfig,
    /// Extra nickname tables (same format as the built-in one).
    pub nickname_files: Vec<std::path::PathBuf>,
    /// Which engine matches upserts in real time: `deterministic` (shared
    /// identifiers with guards) or `probabilistic` (the Fellegi–Sunter
    /// engine with blocking, review tasks and re-clustering).
    pub engine: String,
}

impl MatchingConfig {
    /// True when upserts go through the probabilistic engine.
    pub fn probabilistic(&self) -> bool {
        self.engine == "probabilistic"
    }

    /// The matching engine's part of this section.
    pub fn engine(&self) -> c360_match::batch::EngineConfig {
        c360_match::batch::EngineConfig {
            blocking: self.blocking.clone(),
            thresholds: self.thresholds,
            clustering: self.clustering,
            training: self.training.clone(),
        }
    }
}

impl Default for MatchingConfig {
    fn default() -> Self {
        Self {
            link_on: vec!["email".into(), "phone".into(), "cross_reference".into()],
            max_candidates_per_key: 64,
            guards: GuardConfig::default(),
            blocking: c360_match::BlockingConfig::default(),
            thresholds: c360_match::Thresholds::default(),
            clustering: c360_match::ClusterConfig::default(),
            training: c360_match::train::TrainingConfig::default(),
            nickname_files: Vec::new(),
            engine: "deterministic".into(),
        }
    }
}

/// Order of rules and source ranks that pick each golden attribute's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SurvivorshipConfig {
    /// Rules in the order they are tried: `source_priority`, `most_recent`,
    /// `most_frequent`. The first that tells two values apart decides.
    pub rules: Vec<String>,
    /// Rank of each source (higher wins); unlisted sources rank 0.
    pub source_priority: BTreeMap<String, i64>,
    /// Per-attribute ranks (`name`, `email`, `phone`, `address`, `company`,
    /// `birth_date`) that replace `source_priority` for that attribute.
    pub attribute_source_priority: BTreeMap<String, BTreeMap<String, i64>>,
}

impl Default for SurvivorshipConfig {
    fn default() -> Self {
        Self {
            rules: vec![
                "source_priority".into(),
                "most_recent".into(),
                "most_frequent".into(),
            ],
            source_priority: BTreeMap::new(),
            attribute_source_priority: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileConfig {
    /// How many activities a profile's timeline shows.
    pub timeline_length: i64,
}

impl Default for ProfileConfig {
    fn default() -> Self {
        Self {
            timeline_length: 20,
        }
    }
}
