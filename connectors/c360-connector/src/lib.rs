//! The connector contract: how a source system's exports become c360
//! [`SourceRecord`](c360_model::SourceRecord)s and
//! [`Activity`](c360_model::Activity) events.
//!
//! A connector only reads; it never touches the store (the hub does, see
//! `c360-hub`'s `sync` module). Every row it cannot read becomes a
//! [`RowError`] item with its location and reason, so one bad row never stops
//! a run.
//!
//! - [`connector`]: the [`Connector`] trait, [`SourceUnit`]s (the files a run
//!   reads) and the [`ConnectorFactory`] that builds connectors from config.
//! - [`item`]: [`SourceItem`] (record, activity or row error) and [`Location`].
//! - [`config`]: [`SourceConfig`], one `[[sources]]` entry of `c360.toml`.
//! - [`mapping`]: declarative field mapping (column or JSON path → attribute,
//!   with transforms), applied by [`Mapper`].
//! - [`transform`]: the value transforms (names, dates, phones, amounts).
//! - [`encoding`]: BOM/UTF-16/legacy code page detection and decoding.
//! - [`tabular`]: CSV/TSV reading shared by every family (delimiter sniffing,
//!   header detection, column-count checks).
//! - [`json`]: JSON documents and JSON Lines shared by the API-shaped families.

pub mod config;
pub mod connector;
pub mod encoding;
pub mod error;
pub mod item;
pub mod json;
pub mod mapping;
pub mod tabular;
pub mod transform;

pub use config::{OnMissing, SourceConfig};
pub use connector::{
    Connector, ConnectorFactory, ItemIter, SourceUnit, discover_files, read_one_file,
};
pub use error::{ConnectorError, ConnectorResult};
pub use item::{Location, RowError, RowResult, SourceItem};
pub use mapping::{FieldMapping, FieldSpec, Mapper, Row};
