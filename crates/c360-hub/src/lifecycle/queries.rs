//! What the metrics service reads: one customer's metrics (stored, or
//! computed as of a date), the stage history, portfolio metrics for a
//! period, segments, their members and sizes, and the alert stream.

use std::collections::BTreeMap;

use c360_lifecycle::{
    Alert, CustomerEvents, CustomerMetrics, Micros, PortfolioMetrics, StageTransition,
};
use c360_model::GoldenId;
use c360_store::repo::{golden_records, lifecycle};
use c360_store::time::now_micros;
use chrono::{DateTime, Months, Utc};
use tokio::sync::broadcast;

use super::events::customers_from_rows;
use crate::error::{HubError, HubResult};
use crate::hub::Hub;
use crate::page_token;

/// A customer's metrics, saying whether the id was redirected by a merge.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerMetricsView {
    pub metrics: CustomerMetrics,
    pub redirected: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SegmentView {
    pub name: String,
    pub description: String,
    pub conditions: Vec<String>,
    pub size: i64,
}

impl Hub {
    /// The live id behind `golden_id` (following merges).
    async fn live_id(&self, golden_id: &str) -> HubResult<(String, bool)> {
        let id = GoldenId::parse(golden_id)?;
        let mut connection = self.read_connection().await?;
        let live = golden_records::resolve(&mut connection, id.as_str())
            .await?
            .ok_or_else(|| HubError::not_found(format!("golden record {id}")))?;
        let redirected = live != id.as_str();
        Ok((live, redirected))
    }

    /// One customer's history, loaded.
    async fn customer_events(&self, live: &str) -> HubResult<CustomerEvents> {
        let mut connection = self.read_connection().await?;
        let ids = [live.to_owned()];
        let known = lifecycle::existing_customers(&mut connection, &ids).await?;
        let rows = lifecycle::events_of(&mut connection, &ids).await?;
        customers_from_rows(rows, &known, &self.inner.lifecycle.fx)
            .pop()
            .ok_or_else(|| HubError::not_found(format!("golden record {live}")))
    }

    /// The stored metrics (`as_of` None), or metrics computed as of a date
    /// from the customer's activities up to it.
    pub async fn customer_metrics(
        &self,
        golden_id: &str,
        as_of: Option<Micros>,
    ) -> HubResult<CustomerMetricsView> {
        let (live, redirected) = self.live_id(golden_id).await?;
        if as_of.is_none() {
            let mut connection = self.read_connection().await?;
            if let Some(row) = lifecycle::get_metrics(&mut connection, &live).await?
                && let Ok(metrics) = serde_json::from_str::<CustomerMetrics>(&row.metrics)
            {
                return Ok(CustomerMetricsView {
                    metrics,
                    redirected,
                });
            }
        }
        let customer = self.customer_events(&live).await?;
        let context = self.portfolio_context().await?;
        let at = as_of.unwrap_or_else(now_micros);
        let mut metrics = self
            .inner
            .lifecycle
            .lifecycle
            .customer(&context, &customer, at)
            .metrics;
        metrics.computed_at = now_micros();
        Ok(CustomerMetricsView {
            metrics,
            redirected,
        })
    }

    /// The stage history, oldest first.
    pub async fn stage_history(
        &self,
        golden_id: &str,
    ) -> HubResult<(String, Vec<StageTransition>)> {
        let (live, _) = self.live_id(golden_id).await?;
        let stored = {
            let mut connection = self.read_connection().await?;
            lifecycle::stage_history(&mut connection, &live).await?
        };
        if !stored.is_empty() {
            let mut history = Vec::with_capacity(stored.len());
            for row in stored {
                history.push(StageTransition {
                    stage: row.stage.parse().map_err(super::from_lifecycle)?,
                    entered_at: row.entered_at,
                    reason: row.reason,
                });
            }
            return Ok((live, history));
        }
        let customer = self.customer_events(&live).await?;
        let context = self.portfolio_context().await?;
        let result = self
            .inner
            .lifecycle
            .lifecycle
            .customer(&context, &customer, now_micros());
        Ok((live, result.history))
    }

    /// The portfolio over the `period` ending at `as_of` (default now).
    pub async fn portfolio_metrics(
        &self,
        as_of: Option<Micros>,
        period: &str,
    ) -> HubResult<PortfolioMetrics> {
        let end = as_of.unwrap_or_else(now_micros);
        let start = period_start(end, period)?;
        let (known, rows) = {
            let mut connection = self.read_connection().await?;
            let known: BTreeMap<String, i64> = lifecycle::all_customers(&mut connection)
                .await?
                .into_iter()
                .collect();
            (known, lifecycle::all_events(&mut connection).await?)
        };
        let context = self.portfolio_context().await?;
        let hub = self.clone();
        tokio::task::spawn_blocking(move || {
            let state = &hub.inner.lifecycle;
            let customers = customers_from_rows(rows, &known, &state.fx);
            state.lifecycle.portfolio(&context, &customers, start, end)
        })
        .await
        .map_err(|error| HubError::Internal(format!("portfolio computation failed: {error}")))
    }

    /// The configured segments with their current sizes.
    pub async fn segments(&self) -> HubResult<Vec<SegmentView>> {
        let counts = {
            let mut connection = self.read_connection().await?;
            lifecycle::segment_counts(&mut connection).await?
        };
        Ok(self
            .inner
            .lifecycle
            .lifecycle
            .segments()
            .iter()
            .map(|segment| SegmentView {
                name: segment.name.clone(),
                description: segment.description.clone(),
                conditions: segment.condition_texts(),
                size: counts.get(&segment.name).copied().unwrap_or(0),
            })
            .collect())
    }

    fn check_segment(&self, segment: &str) -> HubResult<()> {
        if segment.trim().is_empty() {
            return Err(HubError::invalid("segment", "must not be empty"));
        }
        let known = self.inner.lifecycle.lifecycle.segments();
        if known.iter().any(|known| known.name == segment) {
            return Ok(());
        }
        Err(HubError::not_found(format!("segment {segment:?}")))
    }

    /// A page of a segment's members; `page_size` 1–1000 (default 100).
    pub async fn segment_members(
        &self,
        segment: &str,
        page_size: i32,
        page_token: &str,
    ) -> HubResult<(Vec<String>, String)> {
        self.check_segment(segment)?;
        let size = match page_size {
            0 => 100,
            1..=1000 => i64::from(page_size),
            _ => return Err(HubError::invalid("page_size", "must be between 1 and 1000")),
        };
        let after = if page_token.is_empty() {
            String::new()
        } else {
            let mut parts = page_token::decode(page_token, 2)?;
            if parts[0] != segment {
                return Err(HubError::invalid(
                    "page_token",
                    "belongs to another segment's listing",
                ));
            }
            parts.remove(1)
        };
        let members = {
            let mut connection = self.read_connection().await?;
            lifecycle::segment_members(&mut connection, segment, &after, size + 1).await?
        };
        let mut members = members;
        let next = if members.len() as i64 > size {
            members.truncate(size as usize);
            members
                .last()
                .map(|last| page_token::encode(&[segment, last]))
                .unwrap_or_default()
        } else {
            String::new()
        };
        Ok((members, next))
    }

    /// (at, size) of a segment at each full recomputation, oldest first.
    pub async fn segment_sizes(&self, segment: &str) -> HubResult<Vec<(Micros, i64)>> {
        self.check_segment(segment)?;
        let mut connection = self.read_connection().await?;
        Ok(lifecycle::segment_sizes(&mut connection, segment).await?)
    }

    /// Subscribes to alerts raised from now on.
    pub fn watch_alerts(&self) -> broadcast::Receiver<Alert> {
        self.inner.lifecycle.alerts.subscribe()
    }

    /// Alert rule names, for validating subscriptions.
    pub fn alert_rule_names(&self) -> Vec<String> {
        self.inner.lifecycle.lifecycle.alert_rule_names()
    }
}

/// The start of the period ending at `end`: "day", "week", "month",
/// "quarter", "year" (calendar months back) or "<n>d".
pub fn period_start(end: Micros, period: &str) -> HubResult<Micros> {
    let period = period.trim().to_ascii_lowercase();
    let invalid = || {
        HubError::invalid(
            "period",
            format!(
                "{period:?} is not day, week, month, quarter, year or a number of days like 30d"
            ),
        )
    };
    let days = |n: i64| Ok(end - n * 86_400_000_000);
    let months = |n: u32| -> HubResult<Micros> {
        let at = DateTime::<Utc>::from_timestamp_micros(end).ok_or_else(invalid)?;
        at.checked_sub_months(Months::new(n))
            .map(|start| start.timestamp_micros())
            .ok_or_else(invalid)
    };
    match period.as_str() {
        "" | "month" => months(1),
        "day" => days(1),
        "week" => days(7),
        "quarter" => months(3),
        "year" => months(12),
        other => match other.strip_suffix('d').map(str::parse::<i64>) {
            Some(Ok(n)) if (1..=36_500).contains(&n) => days(n),
            _ => Err(invalid()),
        },
    }
}
