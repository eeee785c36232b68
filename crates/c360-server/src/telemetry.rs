//! Logs, traces and metrics: one subscriber for the process, OTLP export when
//! `telemetry.otlp_endpoint` (or `OTEL_EXPORTER_OTLP_ENDPOINT`) is set, and
//! nothing but local logs otherwise. Call [`Telemetry::shutdown`] to flush.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::metrics::SdkMeterProvider;
use opentelemetry_sdk::trace::SdkTracerProvider;
use serde::{Deserialize, Serialize};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::error::ServerError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelemetryConfig {
    /// Log filter in `RUST_LOG` syntax; `RUST_LOG` itself wins when set.
    pub log: String,
    /// Log lines as JSON instead of text.
    pub json_logs: bool,
    /// OTLP/gRPC collector, e.g. `http://127.0.0.1:4317`. Empty: no export,
    /// unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
    pub otlp_endpoint: String,
    pub service_name: String,
}

impl Default for TelemetryConfig {
    fn default() -> Self {
        Self {
            log: "info".to_owned(),
            json_logs: false,
            otlp_endpoint: String::new(),
            service_name: "c360".to_owned(),
        }
    }
}

/// Keeps the exporters alive; flush them with [`Telemetry::shutdown`].
#[derive(Debug, Default)]
pub struct Telemetry {
    tracer_provider: Option<SdkTracerProvider>,
    meter_provider: Option<SdkMeterProvider>,
}

impl Telemetry {
    /// Installs the global subscriber (once per process; later calls only
    /// return a handle) and the OTLP pipelines if an endpoint is configured.
    pub fn init(config: &TelemetryConfig) -> Result<Self, ServerError> {
        let endpoint = Some(config.otlp_endpoint.trim().to_owned())
            .filter(|endpoint| !endpoint.is_empty())
            .or_else(|| {
                std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT")
                    .ok()
                    .filter(|value| !value.is_empty())
            });
        let filter = EnvFilter::try_from_default_env()
            .or_else(|_| EnvFilter::try_new(&config.log))
            .map_err(|error| ServerError::Telemetry(format!("invalid log filter: {error}")))?;
        let fmt_layer = if config.json_logs {
            tracing_subscriber::fmt::layer().json().boxed()
        } else {
            tracing_subscriber::fmt::layer().boxed()
        };

        let Some(endpoint) = endpoint else {
            let _ = tracing_subscriber::registry()
                .with(filter)
                .with(fmt_layer)
                .try_init();
            return Ok(Self::default());
        };
        let resource = Resource::builder()
            .with_service_name(config.service_name.clone())
            .build();
        let span_exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_tonic()
            .with_endpoint(endpoint.clone())
            .build()
            .map_err(|error| {
                ServerError::Telemetry(format!("failed to build the OTLP span exporter: {error}"))
            })?;
        let tracer_provider = SdkTracerProvider::builder()
            .with_batch_exporter(span_exporter)
            .with_resource(resource.clone())
            .build();
        let metric_exporter = opentelemetry_otlp::MetricExporter::builder()
            .with_tonic()
            .with_endpoint(endpoint)
            .build()
            .map_err(|error| {
                ServerError::Telemetry(format!("failed to build the OTLP metric exporter: {error}"))
            })?;
        let meter_provider = SdkMeterProvider::builder()
            .with_periodic_exporter(metric_exporter)
            .with_resource(resource)
            .build();
        opentelemetry::global::set_meter_provider(meter_provider.clone());
        let otel_layer = tracing_opentelemetry::layer().with_tracer(tracer_provider.tracer("c360"));
        let _ = tracing_subscriber::registry()
            .with(filter)
            .with(fmt_layer)
            .with(otel_layer)
            .try_init();
        Ok(Self {
            tracer_provider: Some(tracer_provider),
            meter_provider: Some(meter_provider),
        })
    }

    /// Flushes and stops the exporters.
    pub fn shutdown(self) {
        if let Some(provider) = self.tracer_provider
            && let Err(error) = provider.shutdown()
        {
            tracing::warn!(%error, "failed to flush traces");
        }
        if let Some(provider) = self.meter_provider
            && let Err(error) = provider.shutdown()
        {
            tracing::warn!(%error, "failed to flush metrics");
        }
    }
}
