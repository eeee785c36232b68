//! Test cases, one module per feature.

mod activities;
mod bad_requests;
mod fixtures;
mod matching;
mod platform;
mod probabilistic;
mod profiles;
mod replicas;
