//! Test harness: starts the real c360 server on a fresh database (SQLite file
//! or a new PostgreSQL database) on 127.0.0.1:0 and hands out gRPC clients.
//!
//! PostgreSQL comes from `C360_TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`). A PostgreSQL test never skips:
//! when the server does not answer, it fails with a message saying so.

use std::time::Duration;

use c360_hub::{Hub, HubConfig};
use c360_proto::v1::ingest_service_client::IngestServiceClient;
use c360_proto::v1::metrics_service_client::MetricsServiceClient;
use c360_proto::v1::profile_service_client::ProfileServiceClient;
use c360_proto::v1::steward_service_client::StewardServiceClient;
use c360_server::ServerConfig;
use c360_store::{DatabaseConfig, Store};
use sqlx::Connection;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Channel;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A running server and its clients.
pub struct TestApp {
    pub address: String,
    /// The steward console's base URL.
    pub console_url: String,
    pub channel: Channel,
    pub ingest: IngestServiceClient<Channel>,
    pub profiles: ProfileServiceClient<Channel>,
    pub metrics: MetricsServiceClient<Channel>,
    pub steward: StewardServiceClient<Channel>,
    pub hub: Hub,
    /// The database this server runs on (replicas share it).
    pub database_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<Result<(), c360_server::ServerError>>>,
    postgres_database: Option<(String, String)>,
    _folder: Option<tempfile::TempDir>,
}

impl TestApp {
    /// Starts a server on a fresh database of `backend` with the default config.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, HubConfig::default()).await
    }

    pub async fn spawn_with(backend: Backend, hub_config: HubConfig) -> Self {
        Self::spawn_with_server(backend, hub_config, ServerConfig::default()).await
    }

    /// [`TestApp::spawn_with`] and a server config (auth tokens, say).
    pub async fn spawn_with_server(
        backend: Backend,
        hub_config: HubConfig,
        server_config: ServerConfig,
    ) -> Self {
        init_test_logs();
        let (url, folder, postgres_database) = match backend {
            Backend::Sqlite => {
                let folder = tempfile::tempdir().expect("temporary folder");
                let url = format!("sqlite://{}/c360.db", folder.path().display());
                (url, Some(folder), None)
            }
            Backend::Postgres => {
                let (url, admin_url, name) = create_postgres_database().await;
                (url, None, Some((admin_url, name)))
            }
        };
        let mut app = Self::start(url, hub_config, server_config).await;
        app.postgres_database = postgres_database;
        app._folder = folder;
        app
    }

    /// A second server on this app's database, as another replica would be.
    pub async fn spawn_replica(&self) -> Self {
        Self::start(
            self.database_url.clone(),
            self.hub.config().clone(),
            ServerConfig::default(),
        )
        .await
    }

    async fn start(url: String, hub_config: HubConfig, server_config: ServerConfig) -> Self {
        let store = Store::connect(&DatabaseConfig {
            url: url.clone(),
            ..DatabaseConfig::default()
        })
        .await
        .expect("database opens");
        store.migrate().await.expect("migrations apply");
        let hub = Hub::new(store, hub_config).expect("hub config is valid");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let address = format!("http://{}", listener.local_addr().expect("bound address"));
        // Every test server also serves the steward console, on its own port.
        let console = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let console_url = format!("http://{}", console.local_addr().expect("bound address"));
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server_hub = hub.clone();
        let server = tokio::spawn(async move {
            c360_server::serve_with_console(
                listener,
                Some(console),
                server_hub,
                &server_config,
                async {
                    let _ = stopped.await;
                },
            )
            .await
        });
        let channel = connect(&address).await;
        Self {
            ingest: IngestServiceClient::new(channel.clone()),
            profiles: ProfileServiceClient::new(channel.clone()),
            metrics: MetricsServiceClient::new(channel.clone()),
            steward: StewardServiceClient::new(channel.clone()),
            channel,
            address,
            console_url,
            hub,
            database_url: url,
            shutdown: Some(shutdown),
            server: Some(server),
            postgres_database: None,
            _folder: None,
        }
    }

    /// Stops the server and drops a PostgreSQL test database.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            let result = tokio::time::timeout(Duration::from_secs(10), server).await;
            assert!(
                matches!(result, Ok(Ok(Ok(())))),
                "server did not shut down cleanly: {result:?}"
            );
        }
        self.hub.store().close().await;
        if let Some((admin_url, name)) = self.postgres_database.take() {
            let mut admin = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("postgres admin connection");
            sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut admin)
                .await
                .expect("drop test database");
        }
    }
}

async fn connect(address: &str) -> Channel {
    for _ in 0..50 {
        if let Ok(channel) = Channel::from_shared(address.to_owned())
            .expect("valid uri")
            .connect()
            .await
        {
            return channel;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("server at {address} did not accept connections");
}

/// Creates `c360_test_<uuid>` next to the configured database; returns its
/// URL, the admin URL and its name.
async fn create_postgres_database() -> (String, String, String) {
    let admin_url =
        std::env::var("C360_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
    let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
        Ok(connection) => connection,
        Err(error) => panic!(
            "PostgreSQL tests need a server: cannot connect to {admin_url} ({error}). \
             Start PostgreSQL or set C360_TEST_DATABASE_URL."
        ),
    };
    let name = format!("c360_test_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let (base, _) = admin_url.rsplit_once('/').expect("database url has a path");
    let query = admin_url
        .split_once('?')
        .map(|(_, query)| format!("?{query}"))
        .unwrap_or_default();
    (format!("{base}/{name}{query}"), admin_url, name)
}

/// Quiet unless `TEST_LOG` is set.
fn init_test_logs() {
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = c360_server::Telemetry::init(&c360_server::TelemetryConfig {
            log: "debug".into(),
            ..c360_server::TelemetryConfig::default()
        });
    }
}

/// Runs `IngestService.RunSync` for `sources` (empty: all declared) and
/// returns each source's final summary, in order.
pub async fn run_sync(
    ingest: &mut IngestServiceClient<Channel>,
    sources: &[&str],
) -> Vec<c360_proto::v1::SyncSummary> {
    use c360_proto::v1;
    use tokio_stream::StreamExt;
    let mut stream = ingest
        .run_sync(v1::RunSyncRequest {
            sources: sources.iter().map(|source| (*source).to_owned()).collect(),
        })
        .await
        .expect("RunSync starts")
        .into_inner();
    let mut summaries = Vec::new();
    while let Some(message) = stream.next().await {
        let message = message.expect("RunSync streams");
        if let Some(v1::sync_progress::Event::SourceFinished(summary)) = message.event {
            summaries.push(summary);
        }
    }
    summaries
}

/// A `[[sources]]` entry for tests.
pub fn source(name: &str, kind: &str, paths: &[&std::path::Path]) -> c360_connector::SourceConfig {
    c360_connector::SourceConfig {
        name: name.to_owned(),
        kind: kind.to_owned(),
        paths: paths
            .iter()
            .map(|path| path.display().to_string())
            .collect(),
        ..c360_connector::SourceConfig::default()
    }
}

/// Starts a server whose hub declares `sources` and knows every connector family.
pub async fn spawn_with_sources(
    backend: Backend,
    sources: Vec<c360_connector::SourceConfig>,
) -> TestApp {
    let config = HubConfig {
        sources,
        ..HubConfig::default()
    };
    let app = TestApp::spawn_with(backend, config).await;
    app.hub
        .register_connectors(std::sync::Arc::new(c360_cli::connectors::Families));
    app
}
