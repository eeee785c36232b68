//! Helpers: fixture paths, a source config, reading a source through the
//! public connector API, and picking items apart.

#![allow(dead_code)]

pub mod xlsx_writer;

use std::path::PathBuf;

use c360_connector::{Location, RowError, SourceConfig, SourceItem};
use c360_model::SourceRecord;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn config(paths: &[PathBuf], default_country: &str, day_first: bool) -> SourceConfig {
    SourceConfig {
        name: "crm-sheet".into(),
        kind: "spreadsheet".into(),
        paths: paths
            .iter()
            .map(|path| path.display().to_string())
            .collect(),
        default_country: default_country.into(),
        day_first,
        ..SourceConfig::default()
    }
}

/// Every item of every unit of the source, in order.
pub fn read_source(config: &SourceConfig) -> Vec<SourceItem> {
    let connector = c360_connector_spreadsheet::connector(config).expect("connector");
    let units = connector.units().expect("units");
    units
        .iter()
        .flat_map(|unit| connector.read(unit).expect("readable unit"))
        .collect()
}

pub fn records(items: &[SourceItem]) -> Vec<(&SourceRecord, &Location)> {
    items
        .iter()
        .filter_map(|item| match item {
            SourceItem::Record(record, location) => Some((record.as_ref(), location)),
            _ => None,
        })
        .collect()
}

pub fn errors(items: &[SourceItem]) -> Vec<&RowError> {
    items
        .iter()
        .filter_map(|item| match item {
            SourceItem::Error(error) => Some(error.as_ref()),
            _ => None,
        })
        .collect()
}

pub fn record<'a>(items: &'a [SourceItem], external_id: &str) -> &'a SourceRecord {
    records(items)
        .into_iter()
        .map(|(record, _)| record)
        .find(|record| record.external_id == external_id)
        .unwrap_or_else(|| panic!("no record {external_id}"))
}

pub fn attribute<'a>(record: &'a SourceRecord, key: &str) -> Option<&'a str> {
    record.attributes.get(key).map(String::as_str)
}
