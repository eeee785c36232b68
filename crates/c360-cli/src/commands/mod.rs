//! One module per subcommand, plus what they share.

pub mod bench;
pub mod datasets;
pub mod demo;
pub mod grpc_client;
pub mod ingest;
pub mod lifecycle;
pub mod lifecycle_bench;
pub mod match_bench;
pub mod matching;
pub mod metrics;
pub mod metrics_read_bench;
pub mod migrate;
pub mod realtime_bench;
pub mod serve;
pub mod steward_bench;
pub mod sync;
pub mod sync_bench;
pub mod to_proto;

use anyhow::Context;
use c360_hub::Hub;
use c360_store::Store;
use tokio::net::TcpListener;

use crate::settings::Settings;

/// Connects to the configured database, migrates it, and builds the hub.
pub async fn open_hub(settings: &Settings) -> anyhow::Result<Hub> {
    let store = Store::connect(&settings.database).await.with_context(|| {
        format!(
            "failed to open the database {}",
            redact(&settings.database.url)
        )
    })?;
    store
        .migrate()
        .await
        .context("failed to migrate the database")?;
    let hub = Hub::new(store, settings.hub()).context("invalid hub configuration")?;
    hub.register_connectors(std::sync::Arc::new(crate::connectors::Families));
    hub.warm_up().await;
    Ok(hub)
}

/// Binds the configured listen address.
pub async fn bind(settings: &Settings) -> anyhow::Result<TcpListener> {
    TcpListener::bind(&settings.server.listen)
        .await
        .with_context(|| format!("failed to listen on {}", settings.server.listen))
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve_until_signal(
    hub: Hub,
    listener: TcpListener,
    settings: &Settings,
) -> anyhow::Result<()> {
    let address = listener
        .local_addr()
        .context("failed to read the bound address")?;
    tracing::info!(%address, database = %redact(&settings.database.url), "c360 serving gRPC");
    let console = if settings.server.console.enabled {
        let listen = &settings.server.console.listen;
        let console = TcpListener::bind(listen)
            .await
            .with_context(|| format!("failed to bind the steward console to {listen}"))?;
        let console_address = console
            .local_addr()
            .context("failed to read the console's address")?;
        tracing::info!(address = %console_address, "steward console at http://{console_address}/");
        println!("steward console: http://{console_address}/");
        Some(console)
    } else {
        None
    };
    c360_server::serve_with_console(
        listener,
        console,
        hub.clone(),
        &settings.server,
        c360_server::shutdown_signal(),
    )
    .await
    .context("the gRPC server failed")?;
    hub.store().close().await;
    Ok(())
}

/// Hides a password in a database URL before it is logged.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://app:secret@db/c360"),
            "postgres://app:***@db/c360"
        );
        assert_eq!(redact("postgres://app@db/c360"), "postgres://app@db/c360");
        assert_eq!(redact("sqlite://data/c360.db"), "sqlite://data/c360.db");
    }
}
