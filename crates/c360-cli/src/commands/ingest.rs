//! `c360 ingest FILE`: load a JSON Lines file (records and activities), either
//! straight into the database or through a running server's IngestService.
//! Lines that do not parse are reported with their line number and skipped;
//! the rest are ingested.

use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::Context;
use c360_hub::Hub;
use c360_model::{Activity, IngestLine, SourceRecord, parse_ingest_line};

use crate::cli::IngestArgs;
use crate::settings::Settings;

/// Totals over a whole file.
#[derive(Debug, Default)]
pub struct IngestTotals {
    pub records_inserted: u64,
    pub records_updated: u64,
    pub records_unchanged: u64,
    pub records_rejected: u64,
    pub activities_stored: u64,
    pub activities_unchanged: u64,
    pub activities_rejected: u64,
    pub unreadable_lines: u64,
    pub golden_created: u64,
    pub golden_merged: u64,
}

pub async fn run(settings: Settings, args: IngestArgs) -> anyhow::Result<()> {
    let lines = read_lines(&args.file)?;
    let name = args.file.display().to_string();
    let totals = match &args.server {
        Some(server) => ingest_over_grpc(server, &name, lines, args.batch_size).await?,
        None => {
            let hub = super::open_hub(&settings).await?;
            let totals = ingest_into_hub(&hub, &name, lines, args.batch_size).await?;
            hub.store().close().await;
            totals
        }
    };
    print_totals(&totals);
    Ok(())
}

fn read_lines(path: &Path) -> anyhow::Result<Vec<(usize, String)>> {
    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(path)
            .with_context(|| format!("failed to open {}", path.display()))?;
        Box::new(BufReader::new(file))
    };
    let mut lines = Vec::new();
    for (index, line) in reader.lines().enumerate() {
        let line =
            line.with_context(|| format!("failed to read {} line {}", path.display(), index + 1))?;
        lines.push((index + 1, line));
    }
    Ok(lines)
}

/// Splits parsed lines into records and activities, reporting unreadable ones.
fn parse(
    name: &str,
    lines: Vec<(usize, String)>,
    totals: &mut IngestTotals,
) -> (Vec<SourceRecord>, Vec<Activity>) {
    let mut records = Vec::new();
    let mut activities = Vec::new();
    for (number, line) in lines {
        match parse_ingest_line(&line) {
            Ok(None) => {}
            Ok(Some(IngestLine::Record(record))) => records.push(record),
            Ok(Some(IngestLine::Activity(activity))) => activities.push(activity),
            Err(error) => {
                totals.unreadable_lines += 1;
                eprintln!("{name}:{number}: skipped: {error}");
            }
        }
    }
    (records, activities)
}

/// Ingests through the hub directly (no server needed).
pub async fn ingest_into_hub(
    hub: &Hub,
    name: &str,
    lines: Vec<(usize, String)>,
    batch_size: usize,
) -> anyhow::Result<IngestTotals> {
    let mut totals = IngestTotals::default();
    let (records, activities) = parse(name, lines, &mut totals);
    let batch_size = batch_size.clamp(1, c360_hub::ingest::MAX_BATCH);
    for (batch_number, batch) in records.chunks(batch_size).enumerate() {
        let origin = format!("{name}#records-batch-{batch_number}");
        let outcome = hub
            .upsert_source_records(batch.to_vec(), &origin, "cli:ingest")
            .await
            .with_context(|| format!("failed to ingest records batch {batch_number} of {name}"))?;
        for rejection in &outcome.rejections {
            eprintln!(
                "{origin}[{}]: rejected {}: {}",
                rejection.index, rejection.field, rejection.reason
            );
        }
        totals.records_inserted += outcome.inserted;
        totals.records_updated += outcome.updated;
        totals.records_unchanged += outcome.unchanged;
        totals.records_rejected += outcome.rejections.len() as u64;
        totals.golden_created += outcome.golden_created;
        totals.golden_merged += outcome.golden_merged;
    }
    for (batch_number, batch) in activities.chunks(batch_size).enumerate() {
        let origin = format!("{name}#activities-batch-{batch_number}");
        let outcome = hub
            .upsert_activities(batch.to_vec(), &origin)
            .await
            .with_context(|| {
                format!("failed to ingest activities batch {batch_number} of {name}")
            })?;
        for rejection in &outcome.rejections {
            eprintln!(
                "{origin}[{}]: rejected {}: {}",
                rejection.index, rejection.field, rejection.reason
            );
        }
        totals.activities_stored += outcome.inserted + outcome.updated;
        totals.activities_unchanged += outcome.unchanged;
        totals.activities_rejected += outcome.rejections.len() as u64;
    }
    Ok(totals)
}

async fn ingest_over_grpc(
    server: &str,
    name: &str,
    lines: Vec<(usize, String)>,
    batch_size: usize,
) -> anyhow::Result<IngestTotals> {
    use c360_proto::v1;
    let mut totals = IngestTotals::default();
    let (records, activities) = parse(name, lines, &mut totals);
    let mut client = super::grpc_client::ingest_client(server)
        .await?
        .max_decoding_message_size(64 * 1024 * 1024)
        .max_encoding_message_size(64 * 1024 * 1024);
    let batch_size = batch_size.clamp(1, c360_hub::ingest::MAX_BATCH);
    for batch in records.chunks(batch_size) {
        let request = v1::UpsertSourceRecordsRequest {
            records: batch.iter().map(super::to_proto::record).collect(),
        };
        let response = client
            .upsert_source_records(request)
            .await
            .context("UpsertSourceRecords failed")?
            .into_inner();
        report_rejections(name, "record", &response.rejections);
        totals.records_inserted += response.inserted.unsigned_abs();
        totals.records_updated += response.updated.unsigned_abs();
        totals.records_unchanged += response.unchanged.unsigned_abs();
        totals.records_rejected += response.rejected.unsigned_abs();
        totals.golden_created += response.golden_created.unsigned_abs();
        totals.golden_merged += response.golden_merged.unsigned_abs();
    }
    for batch in activities.chunks(batch_size) {
        let request = v1::UpsertActivitiesRequest {
            activities: batch.iter().map(super::to_proto::activity).collect(),
        };
        let response = client
            .upsert_activities(request)
            .await
            .context("UpsertActivities failed")?
            .into_inner();
        report_rejections(name, "activity", &response.rejections);
        totals.activities_stored += (response.inserted + response.updated).unsigned_abs();
        totals.activities_unchanged += response.unchanged.unsigned_abs();
        totals.activities_rejected += response.rejected.unsigned_abs();
    }
    Ok(totals)
}

/// Prints each item a server rejected, with its position in the batch.
fn report_rejections(name: &str, what: &str, rejections: &[c360_proto::v1::Rejection]) {
    for rejection in rejections {
        eprintln!(
            "{name}: {what} {}: rejected {}: {}",
            rejection.index, rejection.field, rejection.reason
        );
    }
}

pub fn print_totals(totals: &IngestTotals) {
    println!(
        "records: {} inserted, {} updated, {} unchanged, {} rejected",
        totals.records_inserted,
        totals.records_updated,
        totals.records_unchanged,
        totals.records_rejected
    );
    println!(
        "activities: {} stored, {} unchanged, {} rejected",
        totals.activities_stored, totals.activities_unchanged, totals.activities_rejected
    );
    println!(
        "golden records: {} created, {} merged away; unreadable lines: {}",
        totals.golden_created, totals.golden_merged, totals.unreadable_lines
    );
}
