//! c360 domain model: the types every other crate speaks, and the normalizers.
//!
//! Layout:
//! - [`ids`]: [`GoldenId`] (stable golden-record ids) and [`SourceKey`].
//! - [`record`]: [`SourceRecord`], a customer as one source system sees them.
//! - [`activity`]: [`Activity`] events (orders, invoices, tickets, NPS …) and [`Money`].
//! - [`normalize`]: comparable forms of e-mails, phones, names, addresses.
//! - [`golden`]: golden attributes, lineage and survivorship rule names.
//! - [`ingest_line`]: the JSON Lines ingest format.
//! - [`error`][]: [`ModelError`].
//!
//! This crate does no I/O and stays light: everything waits for it to compile.

pub mod activity;
pub mod error;
pub mod golden;
pub mod ids;
pub mod ingest_line;
pub mod normalize;
pub mod record;

pub use activity::{Activity, ActivityKind, Money, currency_exponent};
pub use error::ModelError;
pub use golden::{
    AttributeName, GoldenAddress, GoldenAttributes, GoldenName, GoldenValue, Lineage,
    SurvivorshipRule,
};
pub use ids::{GoldenId, SourceKey};
pub use ingest_line::{IngestLine, parse_ingest_line};
pub use normalize::{NormalizeConfig, NormalizedRecord, normalize_record};
pub use record::{PostalAddress, SourceRecord};
