//! The full recomputation (`c360 metrics --recompute`, `RecomputeMetrics`):
//! every customer's history loaded, the customer-base model refitted, RFM
//! breakpoints and CLV ranks recomputed, every customer's metrics, stage
//! history and segments rewritten, and one point of each segment's size
//! history recorded.

use std::time::Instant;

use c360_lifecycle::FittedModel;
use c360_store::repo::lifecycle;
use c360_store::time::now_micros;

use super::CONTEXT_STATE;
use super::events::customers_from_rows;
use super::refresh::{customer_state, segment_sizes};
use crate::error::{HubError, HubResult};
use crate::hub::Hub;

/// What a full recomputation did.
#[derive(Debug, Clone, PartialEq)]
pub struct RecomputeReport {
    pub customers: usize,
    /// Customers with stored metrics (with at least one activity).
    pub stored: usize,
    pub activities: usize,
    pub model: Option<FittedModel>,
    /// Why no model (or no spend model) was fitted.
    pub model_note: Option<String>,
    pub seconds: f64,
}

impl Hub {
    pub async fn recompute_metrics(&self) -> HubResult<RecomputeReport> {
        let started = Instant::now();
        let now = now_micros();
        let (known, rows) = {
            let mut connection = self.read_connection().await?;
            let known = lifecycle::all_customers(&mut connection).await?;
            let rows = lifecycle::all_events(&mut connection).await?;
            (known.into_iter().collect(), rows)
        };
        let activities = rows.len();
        let hub = self.clone();
        let (recomputed, customers) = tokio::task::spawn_blocking(move || {
            let state = &hub.inner.lifecycle;
            let customers = customers_from_rows(rows, &known, &state.fx);
            let recomputed = state.lifecycle.recompute_all(&customers, now);
            let has_events: Vec<bool> = customers
                .iter()
                .map(|customer| !customer.events.is_empty())
                .collect();
            (recomputed, has_events)
        })
        .await
        .map_err(|error| HubError::Internal(format!("recomputation failed: {error}")))?;

        let mut states = Vec::new();
        for (result, has_events) in recomputed.customers.iter().zip(&customers) {
            if *has_events {
                states.push(customer_state(result, now)?);
            }
        }
        let sizes = segment_sizes(
            self.inner
                .lifecycle
                .lifecycle
                .segments()
                .iter()
                .map(|segment| segment.name.clone()),
            &recomputed.customers,
        );
        let context_json = serde_json::to_string(&recomputed.context)
            .map_err(|error| HubError::Internal(format!("context does not serialize: {error}")))?;

        let _serialized = self.inner.write_lock.lock().await;
        let mut transaction = self.inner.store.begin_write().await?;
        lifecycle::forget_all(&mut transaction).await?;
        lifecycle::insert_customers(&mut transaction, &states).await?;
        lifecycle::put_state(&mut transaction, CONTEXT_STATE, &context_json, now).await?;
        lifecycle::record_segment_sizes(&mut transaction, now, &sizes).await?;
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        *self.inner.lifecycle.context.write().await = Some((
            Instant::now(),
            std::sync::Arc::new(recomputed.context.clone()),
        ));
        Ok(RecomputeReport {
            customers: recomputed.customers.len(),
            stored: states.len(),
            activities,
            model: recomputed.context.model.clone(),
            model_note: recomputed.model_note,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}
