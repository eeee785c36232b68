//! Assembling and running the gRPC server: the c360 services, standard
//! health and reflection on one port, graceful shutdown.

use std::future::Future;
use std::time::Duration;

use c360_hub::{Change, ChangeWatcher, Hub};
use c360_proto::v1::ingest_service_server::IngestServiceServer;
use c360_proto::v1::metrics_service_server::MetricsServiceServer;
use c360_proto::v1::profile_service_server::ProfileServiceServer;
use c360_proto::v1::steward_service_server::StewardServiceServer;
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic_health::ServingStatus;

use crate::cache::{CacheConfig, ProfileCache};
use crate::error::ServerError;
use crate::metrics::Metrics;
use crate::services::ServiceState;
use crate::services::ingest::IngestServiceImpl;
use crate::services::metrics::MetricsServiceImpl;
use crate::services::profile::ProfileServiceImpl;
use crate::services::steward::StewardServiceImpl;

/// Largest request accepted: a batch of 10,000 records fits.
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;
/// How often health re-checks the database.
const HEALTH_INTERVAL: Duration = Duration::from_secs(5);

/// The `[server]` config section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on.
    pub listen: String,
    pub cache: CacheConfig,
    /// `[server.auth]`: bearer tokens and their roles.
    pub auth: crate::auth::AuthConfig,
    /// `[server.console]`: the steward console's port.
    pub console: crate::console::ConsoleConfig,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:50051".to_owned(),
            cache: CacheConfig::default(),
            auth: crate::auth::AuthConfig::default(),
            console: crate::console::ConsoleConfig::default(),
        }
    }
}

const SERVICE_NAMES: [&str; 4] = [
    "c360.v1.IngestService",
    "c360.v1.MetricsService",
    "c360.v1.ProfileService",
    "c360.v1.StewardService",
];

/// Serves gRPC on `listener` until `shutdown` resolves, then drains
/// in-flight calls.
pub async fn serve(
    listener: TcpListener,
    hub: Hub,
    config: &ServerConfig,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), ServerError> {
    serve_with_console(listener, None, hub, config, shutdown).await
}

/// [`serve`], and the steward console on `console` when given.
pub async fn serve_with_console(
    listener: TcpListener,
    console: Option<TcpListener>,
    hub: Hub,
    config: &ServerConfig,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), ServerError> {
    let authenticator = std::sync::Arc::new(
        crate::auth::Authenticator::new(&config.auth)
            .map_err(|error| ServerError::Config(error.to_string()))?,
    );
    if !authenticator.enabled() {
        tracing::warn!("server.auth is off: every caller may do everything");
    }
    let (stop_streams, shutting_down) = tokio::sync::watch::channel(false);
    let state = ServiceState {
        hub: hub.clone(),
        cache: ProfileCache::new(&config.cache),
        metrics: Metrics::new(),
        shutting_down,
    };
    // Other replicas' writes invalidate this replica's cache (PostgreSQL).
    let change_follower = match hub.watch_changes().await {
        Ok(Some(watcher)) => Some(tokio::spawn(follow_changes(watcher, state.cache.clone()))),
        Ok(None) => None,
        Err(error) => {
            tracing::warn!(%error, "cannot listen for changes; the cache relies on its TTL");
            None
        }
    };

    let console_task = console.map(|listener| {
        let router = crate::console::router(crate::console::ConsoleState {
            hub: hub.clone(),
            authenticator: std::sync::Arc::clone(&authenticator),
            cache: state.cache.clone(),
        });
        let mut stopping = state.shutting_down.clone();
        tokio::spawn(async move {
            let stopped = async move {
                let _ = stopping.wait_for(|stopping| *stopping).await;
            };
            if let Err(error) = axum::serve(listener, router)
                .with_graceful_shutdown(stopped)
                .await
            {
                tracing::error!(%error, "the steward console failed");
            }
        })
    });

    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    let watcher = tokio::spawn(watch_health(hub, health_reporter));

    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(c360_proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()
        .map_err(|error| ServerError::Reflection(error.to_string()))?;

    let ingest = IngestServiceServer::new(IngestServiceImpl::new(state.clone()))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES);
    let lifecycle_metrics = MetricsServiceServer::new(MetricsServiceImpl::new(state.clone()))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES);
    let steward = StewardServiceServer::new(StewardServiceImpl::new(state.clone()))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES);
    let profiles = ProfileServiceServer::new(ProfileServiceImpl::new(state))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES);

    let result = Server::builder()
        .layer(crate::auth::AuthLayer::new(authenticator))
        .trace_fn(|request| tracing::info_span!("rpc", rpc.path = %request.uri().path()))
        .add_service(health_service)
        .add_service(reflection)
        .add_service(ingest)
        .add_service(lifecycle_metrics)
        .add_service(profiles)
        .add_service(steward)
        // TCP_NODELAY: without it small responses wait for delayed ACKs (~40 ms).
        .serve_with_incoming_shutdown(
            TcpIncoming::from(listener).with_nodelay(Some(true)),
            async move {
                shutdown.await;
                let _ = stop_streams.send(true);
            },
        )
        .await;
    watcher.abort();
    if let Some(console) = console_task {
        // It stops with the same signal; wait so its in-flight pages finish.
        let _ = console.await;
    }
    if let Some(follower) = change_follower {
        follower.abort();
    }
    result.map_err(ServerError::from)
}

/// Invalidates cached profiles that any replica changed.
async fn follow_changes(mut watcher: ChangeWatcher, cache: ProfileCache) {
    loop {
        match watcher.next().await {
            Ok(Change::Golden(ids)) => cache.invalidate(&ids).await,
            Ok(Change::Gap) => cache.invalidate_all(),
            Err(error) => {
                tracing::warn!(%error, "change notifications interrupted");
                cache.invalidate_all();
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Reports SERVING while the database answers, NOT_SERVING when it does not.
async fn watch_health(hub: Hub, reporter: tonic_health::server::HealthReporter) {
    let mut last = None;
    loop {
        let status = match hub.ping().await {
            Ok(()) => ServingStatus::Serving,
            Err(error) => {
                tracing::warn!(%error, "health check: database unreachable");
                ServingStatus::NotServing
            }
        };
        if last != Some(status) {
            reporter.set_service_status("", status).await;
            for name in SERVICE_NAMES {
                reporter.set_service_status(name, status).await;
            }
            last = Some(status);
        }
        tokio::time::sleep(HEALTH_INTERVAL).await;
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: draining in-flight calls");
}
