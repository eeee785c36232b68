//! Lifecycle metrics use cases: each customer's metrics kept current as
//! their activities or cluster change, full recomputation (model fit,
//! breakpoints, every customer), portfolio metrics, segments and alerts.
//!
//! - [`events`]: stored activities → the lifecycle crate's events
//!   (currencies converted, tickets paired).
//! - [`refresh`]: incremental recomputation after an ingest, and alerts.
//! - [`recompute`]: the full recomputation.
//! - [`queries`]: what the metrics service reads.

use std::sync::Arc;

use c360_lifecycle::{FxTable, Lifecycle, LifecycleError, PortfolioContext};
use tokio::sync::{RwLock, broadcast};

use crate::error::{HubError, HubResult};

mod events;
mod queries;
mod recompute;
mod refresh;

pub use c360_lifecycle::health::{HealthComponent, HealthScore};
pub use c360_lifecycle::{
    Alert, CustomerEquity, CustomerMetrics, FittedModel, LifecycleConfig, NpsCategory,
    PortfolioMetrics, Stage, StageTransition,
};
pub(crate) use events::activity_reference;
pub use queries::{CustomerMetricsView, SegmentView, period_start};
pub use recompute::RecomputeReport;

/// The state key the portfolio context is stored under.
const CONTEXT_STATE: &str = "portfolio_context";

/// Alerts waiting for a slow subscriber before the oldest are dropped.
const ALERT_BUFFER: usize = 1024;

/// The compiled lifecycle configuration and its runtime state.
pub(crate) struct LifecycleState {
    pub(crate) lifecycle: Lifecycle,
    pub(crate) fx: FxTable,
    pub(crate) alerts: broadcast::Sender<Alert>,
    /// The stored portfolio context and when it was loaded.
    pub(crate) context: RwLock<Option<(std::time::Instant, Arc<PortfolioContext>)>>,
}

impl LifecycleState {
    pub(crate) fn new(config: &LifecycleConfig) -> HubResult<Self> {
        let lifecycle = Lifecycle::new(config.clone()).map_err(from_lifecycle)?;
        let mut fx = FxTable::new(&config.reporting_currency, &config.fx_rates);
        if let Some(path) = &config.fx_rates_file {
            let text = std::fs::read_to_string(path).map_err(|error| {
                HubError::invalid(
                    "lifecycle.fx_rates_file",
                    format!("cannot read {}: {error}", path.display()),
                )
            })?;
            fx.merge_csv(&text).map_err(|error| {
                HubError::invalid(
                    "lifecycle.fx_rates_file",
                    format!("{}: {error}", path.display()),
                )
            })?;
        }
        let (alerts, _) = broadcast::channel(ALERT_BUFFER);
        Ok(Self {
            lifecycle,
            fx,
            alerts,
            context: RwLock::new(None),
        })
    }
}

/// Lifecycle errors at the hub's edge: bad input names its field.
pub(crate) fn from_lifecycle(error: LifecycleError) -> HubError {
    match error {
        LifecycleError::InvalidInput { field, reason } => HubError::invalid(field, reason),
        other => HubError::Internal(other.to_string()),
    }
}
