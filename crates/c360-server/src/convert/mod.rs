//! Conversions between the proto contract and the domain model, as free
//! functions (the orphan rule forbids `From` impls between two foreign types).
//!
//! - [`time`]: protobuf timestamps.
//! - [`records`]: incoming source records and activities (proto → model).
//! - [`profile`]: outgoing profiles and listings (model → proto).
//! - [`metrics`]: lifecycle metrics, portfolio, segments, alerts (hub → proto).
//! - [`steward`]: review tasks, audit log and lineage (hub → proto), steward enums.
//! - [`sync`]: sync progress, summaries and quarantined rows (hub → proto).

pub mod metrics;
pub mod profile;
pub mod records;
pub mod steward;
pub mod sync;
pub mod time;
