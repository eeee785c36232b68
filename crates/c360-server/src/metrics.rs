//! The hub's OpenTelemetry instruments. They record into whatever meter
//! provider telemetry installed: OTLP when configured, a no-op otherwise.

use std::time::Instant;

use opentelemetry::KeyValue;
use opentelemetry::metrics::{Counter, Histogram};

#[derive(Debug, Clone)]
pub struct Metrics {
    rpc_duration: Histogram<f64>,
    records_ingested: Counter<u64>,
    activities_ingested: Counter<u64>,
    golden_merges: Counter<u64>,
    cache_lookups: Counter<u64>,
}

impl Metrics {
    pub fn new() -> Self {
        let meter = opentelemetry::global::meter("c360");
        Self {
            rpc_duration: meter
                .f64_histogram("c360.rpc.duration")
                .with_unit("s")
                .with_description("gRPC handler latency")
                .build(),
            records_ingested: meter
                .u64_counter("c360.ingest.records")
                .with_description("source records received, by outcome")
                .build(),
            activities_ingested: meter
                .u64_counter("c360.ingest.activities")
                .with_description("activities received, by outcome")
                .build(),
            golden_merges: meter
                .u64_counter("c360.golden.merges")
                .with_description("golden records absorbed by merges")
                .build(),
            cache_lookups: meter
                .u64_counter("c360.profile_cache.lookups")
                .with_description("profile cache lookups by result (hit ratio = hit / all)")
                .build(),
        }
    }

    /// Times an RPC until the returned guard drops.
    pub fn rpc(&self, method: &'static str) -> RpcTimer {
        RpcTimer {
            histogram: self.rpc_duration.clone(),
            method,
            started: Instant::now(),
        }
    }

    pub fn ingested(&self, inserted: u64, updated: u64, unchanged: u64, rejected: u64) {
        for (outcome, count) in [
            ("inserted", inserted),
            ("updated", updated),
            ("unchanged", unchanged),
            ("rejected", rejected),
        ] {
            if count > 0 {
                self.records_ingested
                    .add(count, &[KeyValue::new("outcome", outcome)]);
            }
        }
    }

    pub fn activities(&self, stored: u64, rejected: u64) {
        self.activities_ingested
            .add(stored, &[KeyValue::new("outcome", "stored")]);
        self.activities_ingested
            .add(rejected, &[KeyValue::new("outcome", "rejected")]);
    }

    pub fn merges(&self, count: u64) {
        if count > 0 {
            self.golden_merges.add(count, &[]);
        }
    }

    pub fn cache(&self, hit: bool) {
        let result = if hit { "hit" } else { "miss" };
        self.cache_lookups
            .add(1, &[KeyValue::new("result", result)]);
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

pub struct RpcTimer {
    histogram: Histogram<f64>,
    method: &'static str,
    started: Instant,
}

impl Drop for RpcTimer {
    fn drop(&mut self) {
        self.histogram.record(
            self.started.elapsed().as_secs_f64(),
            &[KeyValue::new("rpc.method", self.method)],
        );
    }
}
