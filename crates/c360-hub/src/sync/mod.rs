//! Sync runs: read the sources declared in `[[sources]]` through their
//! connectors and ingest what they yield, resumably.
//!
//! A run of one source reads its files (units) in order. For each file the
//! stored checkpoint says how many items of which version of the file (its
//! fingerprint and the source config's digest) are already stored:
//! - same version, completed: the file is skipped (re-running an unchanged
//!   source changes nothing), unless the source deletes missing records, in
//!   which case every record must be seen again;
//! - same version, not completed: the run resumes after `items_done` items;
//! - another version: the file is read from the start.
//!
//! Items travel in batches from a blocking reader thread ([`reader`]) to the
//! ingest loop ([`runner`]); each batch is stored (records, then activities,
//! then unreadable rows and the checkpoint). Every step is idempotent, so a
//! crash between two steps only makes the next run redo the batch: the final
//! state equals an uninterrupted run's.
//!
//! After a complete run of a source with `on_missing = "delete"`, its records
//! that no file delivered are marked deleted ([`missing`]).

mod missing;
mod reader;
mod row_errors;
mod runner;
mod summary;

use std::sync::Arc;

use c360_connector::{ConnectorFactory, SourceConfig};
use serde::{Deserialize, Serialize};

pub use c360_store::repo::row_errors::RowError as QuarantinedRow;
pub use row_errors::RowErrorPage;
pub use summary::{SyncEvent, SyncObserver, SyncSummary, UnitOutcome};

use crate::error::{HubError, HubResult};
use crate::hub::Hub;

/// `[sync]`: how syncs batch their work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyncConfig {
    /// Items (records, activities, unreadable rows) stored per transaction
    /// and per checkpoint.
    pub batch_size: usize,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self { batch_size: 2000 }
    }
}

impl Hub {
    /// Registers the connector families (the binary knows them; the hub only
    /// sees the factory). Without one, syncs fail with a clear error.
    pub fn register_connectors(&self, factory: Arc<dyn ConnectorFactory>) {
        let _ = self.inner.connectors.set(factory);
    }

    /// The declared sources.
    pub fn sources(&self) -> &[SourceConfig] {
        &self.inner.config.sources
    }

    /// The declared sources named (all of them when `names` is empty); an
    /// unknown name is an `INVALID_ARGUMENT`-style error.
    pub fn select_sources(&self, names: &[String]) -> HubResult<Vec<SourceConfig>> {
        let declared = self.sources();
        if names.is_empty() {
            if declared.is_empty() {
                return Err(HubError::invalid(
                    "sources",
                    "no [[sources]] are declared in the configuration",
                ));
            }
            return Ok(declared.to_vec());
        }
        names
            .iter()
            .map(|name| {
                declared
                    .iter()
                    .find(|source| source.name == *name)
                    .cloned()
                    .ok_or_else(|| {
                        let known: Vec<&str> =
                            declared.iter().map(|source| source.name.as_str()).collect();
                        HubError::invalid(
                            "sources",
                            format!(
                                "{name:?} is not a declared source (declared: {})",
                                known.join(", ")
                            ),
                        )
                    })
            })
            .collect()
    }

    /// Syncs the named sources one after another (see the module docs).
    pub async fn sync_sources(
        &self,
        names: &[String],
        actor: &str,
        observer: &dyn SyncObserver,
    ) -> HubResult<Vec<SyncSummary>> {
        let sources = self.select_sources(names)?;
        let factory = self
            .inner
            .connectors
            .get()
            .cloned()
            .ok_or_else(|| HubError::Internal("no connectors are registered".into()))?;
        let mut summaries = Vec::with_capacity(sources.len());
        for source in &sources {
            let connector = factory
                .build(source)
                .map_err(|error| HubError::invalid("sources", error.to_string()))?;
            summaries.push(
                self.sync_source(Arc::from(connector), actor, observer)
                    .await?,
            );
        }
        Ok(summaries)
    }
}
