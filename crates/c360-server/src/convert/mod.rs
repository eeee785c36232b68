//! Conversions between the proto contract and the domain model, as free
//! functions (the orphan rule forbids `From` impls between two foreign types).
//!
//! - [`time`]: protobuf timestamps.
//! - [`records`]: incoming source records and activities (proto → model).
//! - [`profile`]: outgoing profiles and listings (model → proto).
//! - [`metrics`]: lifecycle metrics, portfolio, segments, alerts (hub → proto).
//! - [`sync`]: sync progress, summaries and quarantined rows (hub → proto).

pub mod metrics;
pub mod profile;
pub mod records;
pub mod sync;
pub mod time;
