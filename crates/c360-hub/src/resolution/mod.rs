//! Resolution: the probabilistic engine (`c360-match`) wired to the store.
//!
//! - [`realtime`]: an upserted record is matched against the persisted
//!   blocking index, its links stored, and the connected component it touches
//!   re-clustered with the engine — the steps of
//!   `c360_match::incremental`, so real-time and batch agree.
//! - [`full`]: `c360 match --full` and `c360 match train` over every record.
//! - [`assignment`]: clusters → golden records (mint, keep, merge, split).
//! - [`review`]: one review task per pair of clusters.

pub mod assignment;
pub mod full;
pub mod realtime;
pub mod review;

use std::sync::Arc;

use c360_match::batch::Engine;
use c360_match::model::MODEL_FORMAT;
use c360_match::nicknames::Nicknames;
use c360_match::{MatchModel, MatchRecord, Preparer};
use c360_model::{NormalizedRecord, SourceRecord};
use c360_store::AnyConnection;
use c360_store::repo::matching;

use crate::config::MatchingConfig;
use crate::error::{HubError, HubResult};
use crate::hub::Hub;
use crate::matching::MatchSubject;

/// Prefix of the engine's blocking keys in `block_keys` (the deterministic
/// lookup keys `email:`, `phone:`, `ref:` sit beside them).
pub const BLOCK_KEY_PREFIX: &str = "b:";

/// The nickname table the configuration asks for.
pub fn preparer(config: &MatchingConfig) -> HubResult<Preparer> {
    let mut table = Nicknames::built_in();
    for file in &config.nickname_files {
        let text = std::fs::read_to_string(file).map_err(|error| {
            HubError::invalid(
                "matching.nickname_files",
                format!("cannot read {}: {error}", file.display()),
            )
        })?;
        table.extend_from(&text);
    }
    Ok(Preparer::new(Arc::new(table)))
}

impl Hub {
    /// The engine with the newest stored model (the default model until one
    /// is trained).
    pub(crate) async fn engine(&self, connection: &mut AnyConnection) -> HubResult<Arc<Engine>> {
        if let Some(engine) = self.inner.engine.read().await.as_ref() {
            return Ok(engine.clone());
        }
        let model = match matching::latest_model(connection).await? {
            Some((version, json)) => {
                let model: MatchModel = serde_json::from_str(&json).map_err(|error| {
                    HubError::Internal(format!(
                        "stored match model {version} is unreadable: {error}"
                    ))
                })?;
                if model.format == MODEL_FORMAT {
                    model.validate()?;
                    model
                } else {
                    // An upgrade changed what the levels mean: the stored
                    // weights would score the wrong evidence. The default
                    // model keeps matching sound until the next training.
                    tracing::warn!(
                        version = %version,
                        stored_format = model.format,
                        expected_format = MODEL_FORMAT,
                        "stored match model predates this release; using the default model \
                         until `c360 match train` runs"
                    );
                    MatchModel::default()
                }
            }
            None => MatchModel::default(),
        };
        let engine = Arc::new(Engine::new(
            self.inner.config.matching.engine(),
            model,
            self.inner.preparer.clone(),
        )?);
        *self.inner.engine.write().await = Some(engine.clone());
        Ok(engine)
    }

    /// The engine's view of a record: identifiers a guard rules out (role
    /// mailboxes, placeholder numbers, block-listed values) are left out, so
    /// they are never evidence.
    pub(crate) fn match_record(
        &self,
        record: &SourceRecord,
        normalized: &NormalizedRecord,
    ) -> MatchRecord {
        let subject = MatchSubject {
            source: &record.source,
            external_id: &record.external_id,
            normalized,
            cross_references: &record.cross_references,
        };
        let keys = self.inner.matcher.index_keys(&subject);
        let linkable = |key: String| keys.iter().any(|index| index.key == key && index.linkable);
        let mut guarded = normalized.clone();
        guarded
            .emails
            .retain(|email| linkable(crate::matching::keys::email(&email.canonical)));
        guarded
            .phones
            .retain(|phone| linkable(crate::matching::keys::phone(&phone.e164)));
        MatchRecord::from_source(record, &guarded, &self.inner.config.normalize.text)
    }
}
