//! The stored-metrics half of `c360 bench lifecycle`: a SQLite hub with
//! `--stored-customers` customers and ten activities each, ingested through
//! the hub (so every activity batch recomputes its customers' metrics
//! incrementally), one full recomputation, then reads of single customers'
//! stored metrics (`Hub::customer_metrics`, what `GetCustomerMetrics` calls).

use std::time::{Duration, Instant};

use anyhow::Context;
use c360_model::{Activity, ActivityKind, Money, SourceRecord};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::bench::percentile_ms;
use crate::settings::Settings;

/// Records and activities per ingest call.
const BATCH: usize = 1_000;
/// Single-customer reads timed.
const READS: usize = 5_000;

fn customer(index: usize) -> SourceRecord {
    SourceRecord {
        source: "shop".into(),
        external_id: format!("c{index:07}"),
        given_name: format!("Given{index}"),
        family_name: format!("Family{}", index / 7),
        emails: vec![format!("customer{index}@bench.example")],
        ..SourceRecord::default()
    }
}

/// Ten activities: orders every few weeks, a ticket opened and solved, an
/// NPS answer, e-mail opens.
fn activities(index: usize, now: DateTime<Utc>) -> Vec<Activity> {
    let record = format!("c{index:07}");
    let day = chrono::Duration::days(1);
    let activity = |n: usize, kind: ActivityKind, days_ago: i64| Activity {
        source: "shop".into(),
        external_id: format!("{record}-{n}"),
        record_external_id: record.clone(),
        kind,
        occurred_at: now - day * (days_ago as i32),
        amount: None,
        score: None,
        summary: String::new(),
        attributes: Default::default(),
    };
    let spread = (index % 50) as i64;
    let mut list = Vec::with_capacity(10);
    for n in 0..5 {
        let mut order = activity(n, ActivityKind::Order, spread + 40 * n as i64);
        order.amount = Some(Money {
            amount_minor: 1_000 + (index % 97) as i64 * 100,
            currency: "USD".into(),
        });
        list.push(order);
    }
    list.push(activity(5, ActivityKind::TicketOpened, spread + 20));
    list.push(activity(6, ActivityKind::TicketSolved, spread + 19));
    let mut nps = activity(7, ActivityKind::NpsResponse, spread + 10);
    nps.score = Some((index % 11) as i32);
    list.push(nps);
    list.push(activity(8, ActivityKind::EmailOpen, spread + 5));
    list.push(activity(9, ActivityKind::EmailClick, spread + 4));
    list
}

pub async fn run(mut settings: Settings, customers: usize) -> anyhow::Result<()> {
    let folder = tempfile::tempdir().context("failed to create a temporary folder")?;
    settings.database.url = format!("sqlite://{}/metrics.db", folder.path().display());
    let hub = super::open_hub(&settings).await?;
    let now = Utc::now();

    let started = Instant::now();
    for start in (0..customers).step_by(BATCH) {
        let records = (start..(start + BATCH).min(customers))
            .map(customer)
            .collect();
        hub.upsert_source_records(records, "bench", "bench")
            .await
            .context("bench records were not stored")?;
    }
    let records_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut activity_count = 0;
    // 100 customers per call: 1,000 activities, every customer's metrics
    // recomputed incrementally within the call.
    for start in (0..customers).step_by(BATCH / 10) {
        let batch: Vec<Activity> = (start..(start + BATCH / 10).min(customers))
            .flat_map(|index| activities(index, now))
            .collect();
        activity_count += batch.len();
        hub.upsert_activities(batch, "bench")
            .await
            .context("bench activities were not stored")?;
    }
    let activities_seconds = started.elapsed().as_secs_f64();

    let report = hub
        .recompute_metrics()
        .await
        .context("the full recomputation failed")?;

    let ids: Vec<String> = hub
        .assignments()
        .await?
        .into_iter()
        .map(|(_, _, golden_id)| golden_id)
        .collect();
    anyhow::ensure!(!ids.is_empty(), "no golden records to read");
    let mut latencies: Vec<Duration> = Vec::with_capacity(READS);
    for n in 0..READS {
        // A stride through the ids: reads hit the whole table, not one page.
        let id = &ids[(n * 7_919) % ids.len()];
        let started = Instant::now();
        let view = hub.customer_metrics(id, None).await?;
        latencies.push(started.elapsed());
        anyhow::ensure!(view.metrics.order_count == 5, "unexpected metrics for {id}");
    }
    latencies.sort();

    println!(
        "stored metrics: {customers} customers ingested in {records_seconds:.2} s; {activity_count} activities in {activities_seconds:.2} s = {:.0} activities/s with incremental metrics",
        activity_count as f64 / activities_seconds
    );
    println!(
        "full recomputation from SQLite: {} customers, {} activities in {:.2} s",
        report.customers, report.activities, report.seconds
    );
    println!(
        "one customer's stored metrics: {READS} reads, p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        percentile_ms(&latencies, 0.50),
        percentile_ms(&latencies, 0.99),
        latencies
            .last()
            .map_or(0.0, |max| max.as_secs_f64() * 1000.0)
    );
    println!(
        "{}",
        json!({
            "bench": "lifecycle_stored",
            "customers": customers,
            "activities": activity_count,
            "activities_per_second": (activity_count as f64 / activities_seconds).round(),
            "recompute_seconds": report.seconds,
            "read_p50_ms": percentile_ms(&latencies, 0.50),
            "read_p99_ms": percentile_ms(&latencies, 0.99),
        })
    );
    Ok(())
}
