//! `c360 bench`: throughput on this machine, through the real gRPC server.
//!
//! - `ingest`: synthetic customers (10% of them re-appearing in a second
//!   source with the same e-mail, so matching merges) sent with
//!   `UpsertSourceRecords` in batches into a fresh SQLite file.
//! - `profile`: `GetProfile` from `--clients` concurrent clients over a warm
//!   cache; throughput and p50/p99 latency.
//!
//! Each part prints its figures and ends with one JSON line.

use std::time::{Duration, Instant};

use anyhow::Context;
use c360_model::{PostalAddress, SourceKey, SourceRecord};
use c360_proto::v1;
use c360_proto::v1::ingest_service_client::IngestServiceClient;
use c360_proto::v1::profile_service_client::ProfileServiceClient;
use tokio::sync::oneshot;
use tonic::transport::Channel;

use crate::cli::BenchArgs;
use crate::settings::Settings;

const GIVEN: [&str; 12] = [
    "Ada", "Grace", "Alan", "Émilie", "Jürgen", "Ayşe", "José", "Mehmet", "Zhang", "Olivia",
    "Noah", "Leila",
];
const FAMILY: [&str; 12] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Châtelet",
    "Groß",
    "Yılmaz",
    "Núñez",
    "Demir",
    "Wei",
    "Smith",
    "Brown",
    "Rezaei",
];
const SOURCES: [&str; 3] = ["billing", "crm", "support"];

pub async fn run(mut settings: Settings, args: BenchArgs) -> anyhow::Result<()> {
    if args.target == "match" {
        let bench = super::match_bench::MatchBenchArgs {
            dataset: args.dataset.clone(),
            data: args.data.clone(),
            show_errors: args.show_errors,
            realtime: args.realtime,
        };
        return tokio::task::block_in_place(|| super::match_bench::run(&settings, &bench));
    }
    if args.target == "sync" {
        return super::sync_bench::run(settings, &args).await;
    }
    if args.target == "steward" {
        return super::steward_bench::run(settings, &args).await;
    }
    if args.target == "lifecycle" {
        tokio::task::block_in_place(|| super::lifecycle_bench::run(&args))?;
        if args.stored_customers > 0 {
            super::metrics_read_bench::run(settings, args.stored_customers).await?;
        }
        return Ok(());
    }
    let folder = tempfile::tempdir().context("failed to create a temporary folder")?;
    settings.database.url = format!("sqlite://{}/bench.db", folder.path().display());
    settings.server.listen = "127.0.0.1:0".to_owned();
    let hub = super::open_hub(&settings).await?;
    let listener = super::bind(&settings).await?;
    let address = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = oneshot::channel::<()>();
    let server_settings = settings.server.clone();
    let server = tokio::spawn(async move {
        c360_server::serve(listener, hub, &server_settings, async {
            let _ = stopped.await;
        })
        .await
    });
    println!(
        "c360 bench on {} cores, SQLite at {}",
        cores(),
        settings.database.url
    );

    let run_ingest = matches!(args.target.as_str(), "ingest" | "all");
    let run_profile = matches!(args.target.as_str(), "profile" | "all");
    if !run_ingest && !run_profile {
        anyhow::bail!(
            "unknown bench target {:?}: use ingest, profile, all, match, sync, lifecycle or steward",
            args.target
        );
    }
    let channel = Channel::from_shared(address.clone())?.connect().await?;
    // The profile bench needs data even when ingest is not the target.
    let records = if run_ingest {
        args.records
    } else {
        args.records.min(20_000)
    };
    let ingest_report = bench_ingest(
        channel.clone(),
        records,
        args.batch_size,
        args.ingest_clients,
    )
    .await?;
    if run_ingest {
        println!(
            "ingest: {} records in {:.2} s = {:.0} records/s (batches of {} from {} clients; {} golden records, {} merges; batch p50 {:.1} ms, p99 {:.1} ms)",
            ingest_report.records,
            ingest_report.seconds,
            ingest_report.records as f64 / ingest_report.seconds,
            args.batch_size,
            args.ingest_clients,
            ingest_report.golden,
            ingest_report.merged,
            ingest_report.batch_p50_ms,
            ingest_report.batch_p99_ms,
        );
        println!(
            "{{\"bench\":\"ingest\",\"records\":{},\"seconds\":{:.3},\"records_per_second\":{:.0},\"batch_size\":{},\"golden_records\":{},\"merges\":{}}}",
            ingest_report.records,
            ingest_report.seconds,
            ingest_report.records as f64 / ingest_report.seconds,
            args.batch_size,
            ingest_report.golden,
            ingest_report.merged
        );
    }
    if run_profile {
        let report = bench_profiles(&address, args.clients.max(1), args.requests.max(1)).await?;
        println!(
            "GetProfile: {} requests from {} clients in {:.2} s = {:.0} requests/s; latency p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms (warm cache, {} distinct profiles)",
            report.requests,
            args.clients,
            report.seconds,
            report.requests as f64 / report.seconds,
            report.p50_ms,
            report.p99_ms,
            report.max_ms,
            report.distinct,
        );
        println!(
            "{{\"bench\":\"get_profile\",\"requests\":{},\"clients\":{},\"seconds\":{:.3},\"requests_per_second\":{:.0},\"p50_ms\":{:.3},\"p99_ms\":{:.3}}}",
            report.requests,
            args.clients,
            report.seconds,
            report.requests as f64 / report.seconds,
            report.p50_ms,
            report.p99_ms
        );
    }
    let _ = stop.send(());
    server.await.context("server task failed")??;
    Ok(())
}

fn cores() -> usize {
    std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
}

/// A deterministic synthetic record: person `person` as seen by `source`.
fn synthetic_record(person: usize, source: &str) -> SourceRecord {
    let given = GIVEN[person % GIVEN.len()];
    let family = FAMILY[(person / GIVEN.len()) % FAMILY.len()];
    SourceRecord {
        source: source.to_owned(),
        external_id: format!("{source}-{person}"),
        given_name: given.to_owned(),
        family_name: family.to_owned(),
        emails: vec![format!(
            "{}.{}.{person}@example{}.com",
            given.to_lowercase(),
            family.to_lowercase(),
            person % 7
        )],
        // Valid North American numbers: area code 415, exchanges 200–999.
        phones: vec![format!(
            "+1 415 {:03} {:04}",
            200 + (person / 10_000) % 800,
            person % 10_000
        )],
        addresses: vec![PostalAddress {
            line1: format!("{} Market Street", 1 + person % 2000),
            city: "San Francisco".to_owned(),
            region: "CA".to_owned(),
            postal_code: format!("94{:03}", person % 1000),
            country: "US".to_owned(),
            ..PostalAddress::default()
        }],
        company: format!("Company {}", person % 5000),
        birth_date: format!(
            "19{:02}-{:02}-{:02}",
            40 + person % 60,
            1 + person % 12,
            1 + person % 28
        ),
        cross_references: Vec::<SourceKey>::new(),
        ..SourceRecord::default()
    }
}

/// Record `index` of the stream: every tenth re-uses an earlier person in another source.
fn nth_record(index: usize) -> SourceRecord {
    if index % 10 == 9 {
        let person = index / 2;
        synthetic_record(person, SOURCES[1 + (index / 10) % 2])
    } else {
        synthetic_record(index, SOURCES[0])
    }
}

struct IngestReport {
    records: usize,
    seconds: f64,
    golden: i64,
    merged: i64,
    batch_p50_ms: f64,
    batch_p99_ms: f64,
}

async fn bench_ingest(
    channel: Channel,
    records: usize,
    batch_size: usize,
    clients: usize,
) -> anyhow::Result<IngestReport> {
    let clients = clients.max(1);
    let client = IngestServiceClient::new(channel)
        .max_decoding_message_size(64 * 1024 * 1024)
        .max_encoding_message_size(64 * 1024 * 1024);
    let batch_size = batch_size.clamp(1, c360_hub::ingest::MAX_BATCH);
    // Build requests first: the bench measures the hub, not the generator.
    let requests: Vec<v1::UpsertSourceRecordsRequest> = (0..records)
        .collect::<Vec<_>>()
        .chunks(batch_size)
        .map(|chunk| v1::UpsertSourceRecordsRequest {
            records: chunk
                .iter()
                .map(|index| super::to_proto::record(&nth_record(*index)))
                .collect(),
        })
        .collect();
    // Deal the batches round-robin to the clients.
    let mut queues: Vec<Vec<v1::UpsertSourceRecordsRequest>> =
        (0..clients).map(|_| Vec::new()).collect();
    for (index, request) in requests.into_iter().enumerate() {
        queues[index % clients].push(request);
    }
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    for queue in queues {
        let mut client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut golden = 0;
            let mut merged = 0;
            let mut times = Vec::with_capacity(queue.len());
            for request in queue {
                let batch_started = Instant::now();
                let response = client.upsert_source_records(request).await?.into_inner();
                times.push(batch_started.elapsed());
                if response.rejected > 0 {
                    return Err(tonic::Status::internal(format!(
                        "bench records were rejected: {:?}",
                        response.rejections.first()
                    )));
                }
                golden += response.golden_created;
                merged += response.golden_merged;
            }
            Ok::<_, tonic::Status>((golden, merged, times))
        }));
    }
    let mut golden = 0;
    let mut merged = 0;
    let mut batch_times = Vec::new();
    for task in tasks {
        let (task_golden, task_merged, times) = task.await.context("ingest client failed")??;
        golden += task_golden;
        merged += task_merged;
        batch_times.extend(times);
    }
    let seconds = started.elapsed().as_secs_f64();
    batch_times.sort();
    Ok(IngestReport {
        records,
        seconds,
        golden,
        merged,
        batch_p50_ms: percentile_ms(&batch_times, 0.50),
        batch_p99_ms: percentile_ms(&batch_times, 0.99),
    })
}

pub(super) fn percentile_ms(sorted: &[Duration], quantile: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let position = ((sorted.len() - 1) as f64 * quantile).round() as usize;
    sorted[position.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

struct ProfileReport {
    requests: usize,
    seconds: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    distinct: usize,
}

async fn bench_profiles(
    address: &str,
    clients: usize,
    requests: usize,
) -> anyhow::Result<ProfileReport> {
    let channel = Channel::from_shared(address.to_owned())?.connect().await?;
    let mut lister = ProfileServiceClient::new(channel);
    let mut ids = Vec::new();
    let mut page_token = String::new();
    while ids.len() < 10_000 {
        let page = lister
            .list_golden_records(v1::ListGoldenRecordsRequest {
                page_size: 1000,
                page_token: page_token.clone(),
                updated_since: None,
            })
            .await?
            .into_inner();
        ids.extend(page.records.into_iter().map(|record| record.golden_id));
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    anyhow::ensure!(!ids.is_empty(), "no golden records to read");
    for id in &ids {
        lister
            .get_profile(v1::GetProfileRequest {
                golden_id: id.clone(),
            })
            .await?;
    }

    // A few HTTP/2 connections shared by the clients, as a service's pool would.
    let mut channels = Vec::new();
    for _ in 0..clients.div_ceil(8) {
        channels.push(Channel::from_shared(address.to_owned())?.connect().await?);
    }
    let per_client = requests.div_ceil(clients);
    let ids = std::sync::Arc::new(ids);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    for client_index in 0..clients {
        let mut client = ProfileServiceClient::new(channels[client_index % channels.len()].clone());
        let ids = ids.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_client);
            for call in 0..per_client {
                let id = ids[(client_index * 7919 + call * 104_729) % ids.len()].clone();
                let call_started = Instant::now();
                client
                    .get_profile(v1::GetProfileRequest { golden_id: id })
                    .await?;
                latencies.push(call_started.elapsed());
            }
            Ok::<_, tonic::Status>(latencies)
        }));
    }
    let mut latencies = Vec::with_capacity(per_client * clients);
    for task in tasks {
        latencies.extend(task.await.context("client task failed")??);
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    Ok(ProfileReport {
        requests: latencies.len(),
        seconds,
        p50_ms: percentile_ms(&latencies, 0.50),
        p99_ms: percentile_ms(&latencies, 0.99),
        max_ms: latencies
            .last()
            .map_or(0.0, |max| max.as_secs_f64() * 1000.0),
        distinct: ids.len(),
    })
}
