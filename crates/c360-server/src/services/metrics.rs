//! `c360.v1.MetricsService`: lifecycle metrics of customers and of the
//! portfolio, segments, and the alert stream.

use c360_proto::v1;
use c360_proto::v1::metrics_service_server::MetricsService;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::UnboundedReceiverStream;
use tonic::{Request, Response, Status};

use super::ServiceState;
use crate::convert::{metrics, time};
use crate::status::{hub_error_to_status, invalid_argument};

#[derive(Debug, Clone)]
pub struct MetricsServiceImpl {
    state: ServiceState,
}

impl MetricsServiceImpl {
    pub fn new(state: ServiceState) -> Self {
        Self { state }
    }
}

fn required_id(golden_id: &str) -> Result<&str, Status> {
    if golden_id.trim().is_empty() {
        return Err(invalid_argument("golden_id", "is required"));
    }
    Ok(golden_id)
}

fn optional_time(
    field: &str,
    timestamp: Option<&prost_types::Timestamp>,
) -> Result<Option<i64>, Status> {
    timestamp
        .map(|at| time::to_micros(at).ok_or_else(|| invalid_argument(field, "is out of range")))
        .transpose()
}

#[tonic::async_trait]
impl MetricsService for MetricsServiceImpl {
    type WatchAlertsStream = UnboundedReceiverStream<Result<v1::Alert, Status>>;

    async fn get_customer_metrics(
        &self,
        request: Request<v1::GetCustomerMetricsRequest>,
    ) -> Result<Response<v1::GetCustomerMetricsResponse>, Status> {
        let _timer = self.state.metrics.rpc("GetCustomerMetrics");
        let request = request.into_inner();
        let golden_id = required_id(&request.golden_id)?;
        let as_of = optional_time("as_of", request.as_of.as_ref())?;
        let view = self
            .state
            .hub
            .customer_metrics(golden_id, as_of)
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(v1::GetCustomerMetricsResponse {
            metrics: Some(metrics::customer_metrics(&view.metrics)),
            redirected: view.redirected,
        }))
    }

    async fn get_stage_history(
        &self,
        request: Request<v1::GetStageHistoryRequest>,
    ) -> Result<Response<v1::GetStageHistoryResponse>, Status> {
        let _timer = self.state.metrics.rpc("GetStageHistory");
        let request = request.into_inner();
        let golden_id = required_id(&request.golden_id)?;
        let (live, history) = self
            .state
            .hub
            .stage_history(golden_id)
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(v1::GetStageHistoryResponse {
            golden_id: live,
            transitions: history.iter().map(metrics::transition).collect(),
        }))
    }

    async fn get_portfolio_metrics(
        &self,
        request: Request<v1::GetPortfolioMetricsRequest>,
    ) -> Result<Response<v1::GetPortfolioMetricsResponse>, Status> {
        let _timer = self.state.metrics.rpc("GetPortfolioMetrics");
        let request = request.into_inner();
        let as_of = optional_time("as_of", request.as_of.as_ref())?;
        let portfolio = self
            .state
            .hub
            .portfolio_metrics(as_of, &request.period)
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(v1::GetPortfolioMetricsResponse {
            metrics: Some(metrics::portfolio(&portfolio)),
        }))
    }

    async fn list_segments(
        &self,
        _request: Request<v1::ListSegmentsRequest>,
    ) -> Result<Response<v1::ListSegmentsResponse>, Status> {
        let _timer = self.state.metrics.rpc("ListSegments");
        let segments = self
            .state
            .hub
            .segments()
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(v1::ListSegmentsResponse {
            segments: segments.iter().map(metrics::segment).collect(),
        }))
    }

    async fn list_segment_members(
        &self,
        request: Request<v1::ListSegmentMembersRequest>,
    ) -> Result<Response<v1::ListSegmentMembersResponse>, Status> {
        let _timer = self.state.metrics.rpc("ListSegmentMembers");
        let request = request.into_inner();
        let (golden_ids, next_page_token) = self
            .state
            .hub
            .segment_members(&request.segment, request.page_size, &request.page_token)
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(v1::ListSegmentMembersResponse {
            golden_ids,
            next_page_token,
        }))
    }

    async fn get_segment_sizes(
        &self,
        request: Request<v1::GetSegmentSizesRequest>,
    ) -> Result<Response<v1::GetSegmentSizesResponse>, Status> {
        let _timer = self.state.metrics.rpc("GetSegmentSizes");
        let sizes = self
            .state
            .hub
            .segment_sizes(&request.into_inner().segment)
            .await
            .map_err(hub_error_to_status)?;
        Ok(Response::new(v1::GetSegmentSizesResponse {
            sizes: sizes
                .into_iter()
                .map(|(at, size)| v1::SegmentSize {
                    at: Some(time::from_micros(at)),
                    size,
                })
                .collect(),
        }))
    }

    async fn watch_alerts(
        &self,
        request: Request<v1::WatchAlertsRequest>,
    ) -> Result<Response<Self::WatchAlertsStream>, Status> {
        let _timer = self.state.metrics.rpc("WatchAlerts");
        let rules = request.into_inner().rules;
        let known = self.state.hub.alert_rule_names();
        for (index, rule) in rules.iter().enumerate() {
            if !known.contains(rule) {
                return Err(invalid_argument(
                    &format!("rules[{index}]"),
                    &format!(
                        "{rule:?} is not a configured alert rule ({})",
                        known.join(", ")
                    ),
                ));
            }
        }
        let mut alerts = self.state.hub.watch_alerts();
        let mut shutting_down = self.state.shutting_down.clone();
        let (sender, receiver) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                let received = tokio::select! {
                    received = alerts.recv() => received,
                    // The server is stopping: end the stream so that the
                    // graceful shutdown can complete.
                    _ = shutting_down.wait_for(|stopping| *stopping) => break,
                };
                let alert = match received {
                    Ok(alert) => alert,
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "an alert subscriber fell behind; alerts dropped");
                        continue;
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                };
                if !rules.is_empty() && !rules.contains(&alert.rule) {
                    continue;
                }
                // The client went away: stop forwarding.
                if sender.send(Ok(metrics::alert(&alert))).is_err() {
                    break;
                }
            }
        });
        Ok(Response::new(UnboundedReceiverStream::new(receiver)))
    }

    async fn recompute_metrics(
        &self,
        _request: Request<v1::RecomputeMetricsRequest>,
    ) -> Result<Response<v1::RecomputeMetricsResponse>, Status> {
        let _timer = self.state.metrics.rpc("RecomputeMetrics");
        let report = self
            .state
            .hub
            .recompute_metrics()
            .await
            .map_err(hub_error_to_status)?;
        // Stored metrics are part of every profile.
        self.state.cache.invalidate_all();
        Ok(Response::new(v1::RecomputeMetricsResponse {
            customers: report.customers as i64,
            model: report.model.as_ref().map(metrics::model),
            seconds: report.seconds,
        }))
    }
}
