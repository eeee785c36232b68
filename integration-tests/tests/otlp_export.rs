//! Telemetry reaches an OTLP collector: spans per RPC and per ingest batch,
//! and the hub's metrics, exported to a mock collector on 127.0.0.1 that
//! speaks the OTLP/gRPC protocol.

use std::sync::{Arc, Mutex};

use c360_integration_tests::{Backend, TestApp};
use c360_proto::v1;
use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_server::{
    MetricsService, MetricsServiceServer,
};
use opentelemetry_proto::tonic::collector::metrics::v1::{
    ExportMetricsServiceRequest, ExportMetricsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::{Request, Response, Status};

/// Span and metric names the mock collector received.
#[derive(Debug, Clone, Default)]
struct Received {
    spans: Arc<Mutex<Vec<String>>>,
    metrics: Arc<Mutex<Vec<String>>>,
}

#[tonic::async_trait]
impl TraceService for Received {
    async fn export(
        &self,
        request: Request<ExportTraceServiceRequest>,
    ) -> Result<Response<ExportTraceServiceResponse>, Status> {
        let names = request
            .into_inner()
            .resource_spans
            .into_iter()
            .flat_map(|resource| resource.scope_spans)
            .flat_map(|scope| scope.spans)
            .map(|span| span.name);
        self.spans.lock().expect("lock").extend(names);
        Ok(Response::new(ExportTraceServiceResponse::default()))
    }
}

#[tonic::async_trait]
impl MetricsService for Received {
    async fn export(
        &self,
        request: Request<ExportMetricsServiceRequest>,
    ) -> Result<Response<ExportMetricsServiceResponse>, Status> {
        let names = request
            .into_inner()
            .resource_metrics
            .into_iter()
            .flat_map(|resource| resource.scope_metrics)
            .flat_map(|scope| scope.metrics)
            .map(|metric| metric.name);
        self.metrics.lock().expect("lock").extend(names);
        Ok(Response::new(ExportMetricsServiceResponse::default()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_and_metrics_reach_the_collector() {
    let received = Received::default();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let collector = format!("http://{}", listener.local_addr().expect("address"));
    let service = received.clone();
    tokio::spawn(async move {
        tonic::transport::Server::builder()
            .add_service(TraceServiceServer::new(service.clone()))
            .add_service(MetricsServiceServer::new(service))
            .serve_with_incoming(TcpListenerStream::new(listener))
            .await
    });

    // Telemetry first: the server's instruments bind to the installed meter.
    let telemetry = c360_server::Telemetry::init(&c360_server::TelemetryConfig {
        log: "info".into(),
        otlp_endpoint: collector,
        ..c360_server::TelemetryConfig::default()
    })
    .expect("telemetry starts");
    let mut app = TestApp::spawn(Backend::Sqlite).await;
    app.ingest
        .upsert_source_records(v1::UpsertSourceRecordsRequest {
            records: vec![v1::SourceRecord {
                source: "crm".into(),
                external_id: "1".into(),
                given_name: "Ada".into(),
                emails: vec!["ada@example.org".into()],
                ..v1::SourceRecord::default()
            }],
        })
        .await
        .expect("ingest");
    let id = app
        .profiles
        .list_golden_records(v1::ListGoldenRecordsRequest::default())
        .await
        .expect("list")
        .into_inner()
        .records[0]
        .golden_id
        .clone();
    for _ in 0..2 {
        app.profiles
            .get_profile(v1::GetProfileRequest {
                golden_id: id.clone(),
            })
            .await
            .expect("get");
    }
    app.stop().await;
    // Shutdown flushes both pipelines synchronously.
    tokio::task::spawn_blocking(move || telemetry.shutdown())
        .await
        .expect("flush");

    let spans = received.spans.lock().expect("lock").clone();
    assert!(spans.iter().any(|name| name == "rpc"), "spans: {spans:?}");
    assert!(
        spans.iter().any(|name| name == "ingest.batch"),
        "spans: {spans:?}"
    );
    let metrics = received.metrics.lock().expect("lock").clone();
    for expected in [
        "c360.rpc.duration",
        "c360.ingest.records",
        "c360.profile_cache.lookups",
    ] {
        assert!(
            metrics.iter().any(|name| name == expected),
            "{expected} missing from {metrics:?}"
        );
    }
}
