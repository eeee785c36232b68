//! Test cases, one module per feature.

mod activities;
mod auth;
mod bad_requests;
mod deterministic;
mod fixtures;
mod lifecycle_metrics;
mod matching;
mod platform;
mod probabilistic;
mod profiles;
mod replicas;
mod steward;
mod sync_bad_rows;
mod sync_vendor_files;
