//! c360 gRPC server: tonic services over the hub.
//!
//! Layout:
//! - [`server`]: [`serve`] a bound listener until a shutdown future resolves;
//!   health and reflection on the same port; [`ServerConfig`].
//! - [`services`]: one file per service (`IngestService`, `ProfileService`).
//! - [`convert`]: proto ⇄ model.
//! - [`status`]: hub errors → gRPC statuses, in one table.
//! - [`auth`]: bearer tokens → roles, checked in front of every RPC.
//! - [`console`]: the steward console (HTML on its own port).
//! - [`cache`]: the moka profile cache, invalidated on every write.
//! - [`metrics`], [`telemetry`]: OpenTelemetry instruments, logs and OTLP export.

pub mod auth;
pub mod cache;
pub mod console;
pub mod convert;
pub mod error;
pub mod metrics;
pub mod server;
pub mod services;
pub mod status;
pub mod telemetry;

pub use error::ServerError;
pub use server::{ServerConfig, serve, serve_with_console, shutdown_signal};
pub use telemetry::{Telemetry, TelemetryConfig};
