//! The tonic services: thin adapters that validate requests, call the hub,
//! convert the answer and invalidate the profile cache after writes.

pub mod ingest;
pub mod metrics;
pub mod profile;
pub mod steward;

use c360_hub::Hub;

use crate::cache::ProfileCache;
use crate::metrics::Metrics;

/// What every service holds.
#[derive(Debug, Clone)]
pub struct ServiceState {
    pub hub: Hub,
    pub cache: ProfileCache,
    pub metrics: Metrics,
    /// Turns true when the server begins to shut down: open-ended streams
    /// (`WatchAlerts`) end then, or the graceful shutdown would wait forever.
    pub shutting_down: tokio::sync::watch::Receiver<bool>,
}
