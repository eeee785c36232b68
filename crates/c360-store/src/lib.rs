//! c360 storage: one sqlx pool on SQLite (default) or PostgreSQL, the
//! migrations of both, and repositories.
//!
//! Layout:
//! - [`pool`]: [`Store`] (connect, migrate, write transactions) and [`DatabaseConfig`].
//! - [`repo`]: one module per table family (source records, golden records,
//!   block keys, activities, audit log, quarantine, search terms, steward).
//! - [`sql`]: placeholder and binding helpers that keep one SQL text per query.
//! - [`changes`]: change notifications between replicas (PostgreSQL LISTEN/NOTIFY).
//! - [`time`]: timestamps as unix microseconds.
//!
//! Both backends run the same SQL; `migrations/sqlite` and `migrations/postgres`
//! differ only in identity columns and collations.

pub mod changes;
pub mod error;
pub mod pool;
pub mod repo;
pub mod sql;
pub mod time;

pub use error::{StoreError, StoreResult};
pub use pool::{Backend, DatabaseConfig, Store};
pub use sqlx::AnyConnection;
pub use sqlx::Error as SqlxError;
