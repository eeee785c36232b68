//! Repositories: one module per table family, each a set of free functions
//! over an `AnyConnection` so the same call works inside a write transaction
//! or on a pooled read connection.

pub mod activities;
pub mod audit_log;
pub mod block_keys;
pub mod golden_records;
pub mod lifecycle;
pub mod matching;
pub mod row_errors;
pub mod search_terms;
pub mod source_records;
pub mod sources;
pub mod steward;
pub mod sync;
