//! Incremental recomputation: after an ingest changed some customers'
//! activities or clusters (a merge moves activities with the records, a
//! split separates them), their metrics, stage history and segments are
//! recomputed against the stored portfolio context, and alerts are raised by
//! comparing the metrics before and after.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use c360_lifecycle::{CustomerMetrics, CustomerResult, PortfolioContext};
use c360_store::repo::lifecycle::{self, CustomerState, MetricsRow, StageRow};
use c360_store::time::now_micros;

use super::CONTEXT_STATE;
use super::events::customers_from_rows;
use crate::error::{HubError, HubResult};
use crate::hub::Hub;

/// How long a loaded portfolio context is trusted before it is read again
/// (another replica may have recomputed it).
const CONTEXT_TTL: Duration = Duration::from_secs(60);

impl Hub {
    /// After a committed change to these golden records: their metrics are
    /// refreshed when `lifecycle.incremental` is on. The change itself has
    /// landed, so a failure here is logged, not returned (the next change or
    /// a full recomputation catches up).
    /// Then the open review tasks of these customers are re-weighed by the
    /// fresh metrics (the steward queue's impact order).
    pub(crate) async fn after_change(&self, golden_ids: &[String]) {
        if golden_ids.is_empty() {
            return;
        }
        if self.inner.config.lifecycle.incremental
            && let Err(error) = self.refresh_metrics(golden_ids).await
        {
            tracing::warn!(%error, customers = golden_ids.len(), "lifecycle metrics were not refreshed");
        }
        if let Err(error) = self.refresh_review_impact(golden_ids).await {
            tracing::warn!(%error, customers = golden_ids.len(), "review task impact was not refreshed");
        }
    }

    /// Recomputes and stores the metrics of these golden records; ids that
    /// no longer exist (merged away) lose their stored metrics. Alerts go to
    /// [`Hub::watch_alerts`] subscribers.
    pub async fn refresh_metrics(&self, golden_ids: &[String]) -> HubResult<()> {
        if golden_ids.is_empty() {
            return Ok(());
        }
        let state = &self.inner.lifecycle;
        let context = self.portfolio_context().await?;
        let now = now_micros();
        // Read and written inside one write transaction (the database
        // serializes them): metrics are computed from the data as committed,
        // and a later refresh cannot be overwritten by an older one. Not the
        // in-process write lock: ingest still holds it when it calls this.
        let mut transaction = self.inner.store.begin_write().await?;
        let existing = lifecycle::existing_customers(&mut transaction, golden_ids).await?;
        let live: Vec<String> = existing.keys().cloned().collect();
        let rows = lifecycle::events_of(&mut transaction, &live).await?;
        let before: HashMap<String, CustomerMetrics> =
            lifecycle::metrics_of(&mut transaction, golden_ids)
                .await?
                .into_iter()
                .filter_map(|row| {
                    serde_json::from_str(&row.metrics)
                        .ok()
                        .map(|metrics| (row.golden_id, metrics))
                })
                .collect();
        let customers = customers_from_rows(rows, &existing, &state.fx);
        let mut states = Vec::new();
        let mut alerts = Vec::new();
        for customer in &customers {
            // A customer who never did anything has nothing worth storing:
            // reads compute their (prospect) metrics on the fly.
            if customer.events.is_empty() && !before.contains_key(&customer.golden_id) {
                continue;
            }
            let result = state.lifecycle.customer(&context, customer, now);
            alerts.extend(state.lifecycle.alerts(
                before.get(&customer.golden_id),
                &result.metrics,
                &customer.events,
            ));
            states.push(customer_state(&result, now)?);
        }
        lifecycle::forget(&mut transaction, golden_ids).await?;
        lifecycle::insert_customers(&mut transaction, &states).await?;
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        for alert in alerts {
            // No subscriber is not an error.
            let _ = state.alerts.send(alert);
        }
        Ok(())
    }

    /// The stored portfolio context (model, breakpoints, CLV ranks); empty
    /// before the first full recomputation.
    pub(crate) async fn portfolio_context(&self) -> HubResult<Arc<PortfolioContext>> {
        let state = &self.inner.lifecycle;
        if let Some((loaded_at, context)) = state.context.read().await.as_ref()
            && loaded_at.elapsed() < CONTEXT_TTL
        {
            return Ok(Arc::clone(context));
        }
        let mut connection = self.read_connection().await?;
        let context = match lifecycle::get_state(&mut connection, CONTEXT_STATE).await? {
            Some(json) => serde_json::from_str(&json).map_err(|error| {
                HubError::Internal(format!("stored portfolio context is unreadable: {error}"))
            })?,
            None => PortfolioContext::default(),
        };
        let context = Arc::new(context);
        *state.context.write().await = Some((std::time::Instant::now(), Arc::clone(&context)));
        Ok(context)
    }
}

/// What is stored of a computed customer.
pub(super) fn customer_state(result: &CustomerResult, now: i64) -> HubResult<CustomerState> {
    let mut metrics = result.metrics.clone();
    metrics.computed_at = now;
    let json = serde_json::to_string(&metrics)
        .map_err(|error| HubError::Internal(format!("metrics do not serialize: {error}")))?;
    Ok(CustomerState {
        metrics: MetricsRow {
            golden_id: metrics.golden_id.clone(),
            as_of: metrics.as_of,
            computed_at: now,
            stage: metrics.stage.as_str().to_owned(),
            metrics: json,
        },
        history: result
            .history
            .iter()
            .map(|transition| StageRow {
                stage: transition.stage.as_str().to_owned(),
                entered_at: transition.entered_at,
                reason: transition.reason.clone(),
            })
            .collect(),
        segments: metrics.segments.clone(),
    })
}

/// Sizes of every configured segment among computed customers.
pub(super) fn segment_sizes(
    names: impl Iterator<Item = String>,
    results: &[CustomerResult],
) -> BTreeMap<String, i64> {
    let mut sizes: BTreeMap<String, i64> = names.map(|name| (name, 0)).collect();
    for result in results {
        for segment in &result.metrics.segments {
            *sizes.entry(segment.clone()).or_default() += 1;
        }
    }
    sizes
}
