//! `c360 bench match --realtime N`: latency of matching one incoming record
//! against everything already stored.
//!
//! All records but the last N are added one at a time to the real-time
//! matcher (blocking-key index, scoring against candidates, re-clustering of
//! the touched component: the steps the hub runs per upsert); then each of
//! the last N is added alone and timed. The figures are the engine's; the
//! hub adds its index lookups and writes in the store on top.

use std::time::{Duration, Instant};

use c360_match::batch::Engine;
use c360_match::incremental::IncrementalMatcher;
use c360_match::{Constraints, PreparedRecord};
use serde_json::json;

pub struct RealtimeOutcome {
    pub stored: usize,
    pub probes: usize,
    pub fill_seconds: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

pub fn run(engine: &Engine, prepared: Vec<PreparedRecord>, probes: usize) -> RealtimeOutcome {
    let probes = probes.min(prepared.len());
    let stored = prepared.len() - probes;
    let mut matcher = IncrementalMatcher::new(engine, Constraints::default());
    let mut records = prepared.into_iter();
    let started = Instant::now();
    for record in records.by_ref().take(stored) {
        matcher.add(record);
    }
    let fill_seconds = started.elapsed().as_secs_f64();
    let mut latencies: Vec<Duration> = records
        .map(|record| {
            let started = Instant::now();
            matcher.add(record);
            started.elapsed()
        })
        .collect();
    latencies.sort_unstable();
    let at = |quantile: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let index = ((latencies.len() as f64 * quantile).ceil() as usize).clamp(1, latencies.len());
        latencies[index - 1].as_secs_f64() * 1000.0
    };
    RealtimeOutcome {
        stored,
        probes,
        fill_seconds,
        p50_ms: at(0.50),
        p95_ms: at(0.95),
        p99_ms: at(0.99),
        max_ms: at(1.0),
    }
}

impl RealtimeOutcome {
    pub fn print(&self) {
        println!(
            "\nreal-time: {} records indexed one by one in {:.2} s; {} more matched one at a time: \
             p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            self.stored,
            self.fill_seconds,
            self.probes,
            self.p50_ms,
            self.p95_ms,
            self.p99_ms,
            self.max_ms
        );
    }

    pub fn json(&self) -> serde_json::Value {
        json!({
            "stored": self.stored,
            "probes": self.probes,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "p99_ms": self.p99_ms,
            "max_ms": self.max_ms,
        })
    }
}
