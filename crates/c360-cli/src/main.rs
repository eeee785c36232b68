//! The `c360` binary: parse flags, load config, start telemetry, run a command.

mod cli;
mod commands;
mod progress_bar;
mod settings;

use c360_cli::connectors;
use clap::Parser;

use crate::cli::{Cli, Command};

/// mimalloc: rows allocated by one thread (mapping on every core, the sync's
/// reader thread) and freed by another made glibc's allocator the hot spot.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| anyhow::anyhow!("failed to start the async runtime: {error}"))?;
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = settings::Settings::load(&cli.global)?;
    let telemetry = c360_server::Telemetry::init(&settings.telemetry)?;
    let result = match cli.command {
        Command::Serve => commands::serve::run(settings).await,
        Command::Demo => commands::demo::run(settings).await,
        Command::Sync(args) => commands::sync::run(settings, args).await,
        Command::Ingest(args) => commands::ingest::run(settings, args).await,
        Command::Migrate => commands::migrate::run(settings).await,
        Command::Bench(args) => commands::bench::run(settings, args).await,
        Command::Match(args) => commands::matching::run_match(settings, args).await,
        Command::Eval(args) => commands::matching::run_eval(settings, &args.truth).await,
        Command::Lifecycle(args) => commands::lifecycle::run(args),
        Command::Metrics(args) => commands::metrics::run(settings, args).await,
    };
    telemetry.shutdown();
    result
}
