//! c360 use cases: everything the services do, over the store and the
//! matching engine. Only this crate sees both.
//!
//! Layout:
//! - [`hub`]: [`Hub`], the shared state every use case is a method of.
//! - [`ingest`]: idempotent upsert of source records, matching, merges.
//! - [`activities`]: idempotent upsert of activities.
//! - [`records`]: deleting a source record.
//! - [`profiles`]: reading profiles (get, lookup, search, list).
//! - [`matching`]: the [`matching::Matcher`] interface and the deterministic matcher with its over-merge guards.
//! - [`survivorship`]: which value of each attribute survives, and why.
//! - [`clustering`]: union-find over links.
//! - [`golden_writer`]: rewriting golden records, lineage, search terms, audit.
//! - [`resolution`]: probabilistic matching (real-time, full re-match, training).
//! - [`steward`]: the review queue, merge / keep apart / split / pin, audit log and lineage.
//! - [`sync`]: sync runs of declared sources through their connectors, with checkpoints.
//! - [`progress`]: phase-by-phase progress of long jobs.
//! - [`lifecycle`]: lifecycle metrics (incremental and full), portfolio, segments, alerts.
//! - [`config`]: the hub's config sections.

pub mod activities;
pub mod clustering;
pub mod config;
pub mod content_hash;
pub mod error;
pub mod golden_writer;
pub mod hub;
pub mod ingest;
pub mod lifecycle;
pub mod matching;
pub mod page_token;
pub mod profiles;
pub mod progress;
pub mod records;
pub mod resolution;
pub mod steward;
pub mod survivorship;
pub mod sync;

pub use config::HubConfig;
pub use error::{HubError, HubResult};
pub use hub::{Change, ChangeWatcher, Hub};
pub use ingest::{IngestOutcome, Origin, Rejection};
pub use profiles::{FoundProfile, ProfileSummary, ProfileView, SearchHit, SearchMode};
pub use progress::{NoProgress, Progress};
