//! `c360 sync [SOURCE…]`: read the declared sources through their connectors
//! into the hub, with a progress bar and a summary per source; `--errors`
//! lists quarantined rows, `--kinds` the connector kinds, `--server` runs the
//! sync inside a running server (RunSync) instead.

use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context;
use c360_connector::ConnectorFactory;
use c360_hub::sync::{SyncEvent, SyncObserver, SyncSummary, UnitOutcome};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::SyncArgs;
use crate::connectors::Families;
use crate::settings::Settings;

pub async fn run(settings: Settings, args: SyncArgs) -> anyhow::Result<()> {
    if args.kinds {
        for (kind, description) in Families.kinds() {
            println!("{kind:<12} {description}");
        }
        return Ok(());
    }
    if let Some(server) = &args.server {
        return sync_over_grpc(server, &args.sources).await;
    }
    let hub = super::open_hub(&settings).await?;
    let result = if args.errors {
        list_errors(&hub, &args).await
    } else {
        sync(&hub, &args.sources).await
    };
    hub.store().close().await;
    result
}

async fn sync(hub: &c360_hub::Hub, sources: &[String]) -> anyhow::Result<()> {
    let observer = TerminalObserver::new();
    let summaries = hub
        .sync_sources(sources, "cli:sync", &observer)
        .await
        .context("sync failed")?;
    observer.finish();
    let mut failed = 0;
    for summary in &summaries {
        print_summary(summary);
        failed += summary.files_failed;
    }
    if failed > 0 {
        anyhow::bail!("{failed} file(s) could not be read; see above");
    }
    Ok(())
}

async fn list_errors(hub: &c360_hub::Hub, args: &SyncArgs) -> anyhow::Result<()> {
    let sources: Vec<String> = if args.sources.is_empty() {
        vec![String::new()]
    } else {
        args.sources.clone()
    };
    for source in sources {
        let mut remaining = args.limit;
        let mut token = String::new();
        let mut total = 0;
        while remaining > 0 {
            let page_size = i64::try_from(remaining.min(1000)).unwrap_or(1000);
            let page = hub.list_row_errors(&source, page_size, &token).await?;
            total = page.total;
            for error in &page.errors {
                println!(
                    "{}\t{}\t{}: {}",
                    error.source, error.location, error.field, error.reason
                );
            }
            remaining = remaining.saturating_sub(page.errors.len());
            if page.next_page_token.is_empty() {
                break;
            }
            token = page.next_page_token;
        }
        let scope = if source.is_empty() {
            "all sources".to_owned()
        } else {
            source
        };
        println!("{total} quarantined row(s) in {scope}");
    }
    Ok(())
}

pub fn print_summary(summary: &SyncSummary) {
    let seconds = summary.elapsed_ms as f64 / 1000.0;
    let rows = summary.records_read + summary.activities_read + summary.rows_unreadable;
    println!(
        "source {}: {} file(s) read ({} resumed), {} unchanged, {} failed, in {seconds:.1} s",
        summary.source,
        summary.files_read,
        summary.files_resumed,
        summary.files_unchanged,
        summary.files_failed
    );
    println!(
        "  records: {} read, {} inserted, {} updated, {} unchanged, {} rejected",
        summary.records_read,
        summary.records_inserted,
        summary.records_updated,
        summary.records_unchanged,
        summary.records_rejected
    );
    println!(
        "  activities: {} read, {} inserted, {} updated, {} unchanged, {} rejected",
        summary.activities_read,
        summary.activities_inserted,
        summary.activities_updated,
        summary.activities_unchanged,
        summary.activities_rejected
    );
    println!(
        "  unreadable rows: {} (c360 sync --errors lists them); records deleted: {}",
        summary.rows_unreadable, summary.records_deleted
    );
    println!(
        "  golden records: {} created, {} merged away; {:.0} rows/s",
        summary.golden_created,
        summary.golden_merged,
        rows as f64 / seconds.max(0.001)
    );
    for failure in &summary.failures {
        println!("  failed: {failure}");
    }
}

/// One spinner per file, on stderr, only when it is a terminal.
struct TerminalObserver {
    bar: Mutex<Option<ProgressBar>>,
}

impl TerminalObserver {
    fn new() -> Self {
        Self {
            bar: Mutex::new(None),
        }
    }

    fn finish(&self) {
        if let Ok(mut bar) = self.bar.lock()
            && let Some(bar) = bar.take()
        {
            bar.finish_and_clear();
        }
    }
}

impl SyncObserver for TerminalObserver {
    fn event(&self, event: SyncEvent) {
        let Ok(mut slot) = self.bar.lock() else {
            return;
        };
        match event {
            SyncEvent::FileStarted {
                source,
                file,
                resume_from,
                ..
            } => {
                if let Some(bar) = slot.take() {
                    bar.finish_and_clear();
                }
                let bar = ProgressBar::new_spinner();
                bar.set_style(
                    ProgressStyle::with_template(
                        "{spinner} {prefix} {human_pos} items ({per_sec}) {msg}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                bar.set_prefix(format!("{source} {file}"));
                bar.set_position(resume_from);
                if resume_from > 0 {
                    bar.set_message(format!("resumed after {resume_from} items"));
                }
                bar.enable_steady_tick(Duration::from_millis(120));
                *slot = Some(bar);
            }
            SyncEvent::Progress {
                items_done,
                summary,
                ..
            } => {
                if let Some(bar) = slot.as_ref() {
                    bar.set_position(items_done);
                    bar.set_message(format!(
                        "records +{} ~{} ={}, activities {}, rejected {}",
                        summary.records_inserted,
                        summary.records_updated,
                        summary.records_unchanged,
                        summary.activities_read,
                        summary.rejected()
                    ));
                }
            }
            SyncEvent::FileFinished {
                source,
                file,
                outcome,
            } => {
                if let Some(bar) = slot.take() {
                    bar.finish_and_clear();
                }
                if outcome == UnitOutcome::Unchanged {
                    eprintln!("{source} {file}: unchanged since the last sync, skipped");
                }
            }
            SyncEvent::SourceFinished(_) => {}
        }
    }
}

async fn sync_over_grpc(server: &str, sources: &[String]) -> anyhow::Result<()> {
    use c360_proto::v1;
    use futures::StreamExt;
    let mut client = super::grpc_client::ingest_client(server).await?;
    let mut stream = client
        .run_sync(v1::RunSyncRequest {
            sources: sources.to_vec(),
        })
        .await
        .context("RunSync failed")?
        .into_inner();
    let mut failed = 0;
    while let Some(message) = stream.next().await {
        let message = message.context("RunSync failed")?;
        if let Some(v1::sync_progress::Event::SourceFinished(summary)) = message.event {
            failed += summary.files_failed;
            print_summary(&from_proto(summary));
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} file(s) could not be read; see above");
    }
    Ok(())
}

fn from_proto(summary: c360_proto::v1::SyncSummary) -> SyncSummary {
    let count = |value: i64| value.unsigned_abs();
    SyncSummary {
        source: summary.source,
        files_read: count(summary.files_read),
        files_unchanged: count(summary.files_unchanged),
        files_resumed: count(summary.files_resumed),
        files_failed: count(summary.files_failed),
        records_read: count(summary.records_read),
        records_inserted: count(summary.records_inserted),
        records_updated: count(summary.records_updated),
        records_unchanged: count(summary.records_unchanged),
        records_rejected: count(summary.records_rejected),
        activities_read: count(summary.activities_read),
        activities_inserted: count(summary.activities_inserted),
        activities_updated: count(summary.activities_updated),
        activities_unchanged: count(summary.activities_unchanged),
        activities_rejected: count(summary.activities_rejected),
        rows_unreadable: count(summary.rows_unreadable),
        records_deleted: count(summary.records_deleted),
        golden_created: count(summary.golden_created),
        golden_merged: count(summary.golden_merged),
        elapsed_ms: count(summary.elapsed_ms),
        failures: summary.failures,
    }
}
