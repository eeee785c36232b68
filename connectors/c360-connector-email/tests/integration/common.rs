//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use c360_connector::{Location, RowError, SourceConfig, SourceItem};
use c360_model::{Activity, SourceRecord};

pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

pub fn config(kind: &str, paths: &[PathBuf], options: &[(&str, &str)]) -> SourceConfig {
    SourceConfig {
        name: format!("{kind}-test"),
        kind: kind.to_owned(),
        paths: paths
            .iter()
            .map(|path| path.display().to_string())
            .collect(),
        options: options
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect(),
        ..SourceConfig::default()
    }
}

/// Every item of every unit, in the order a sync reads them, with the
/// unit's path under `tests/fixtures/` (or its file name).
pub fn read_all(config: &SourceConfig) -> Vec<(String, SourceItem)> {
    let connector = c360_connector_email::connector(config).expect("connector");
    let mut items = Vec::new();
    for unit in connector.units().expect("units") {
        let name = unit
            .path
            .strip_prefix(fixture(""))
            .unwrap_or(&unit.path)
            .display()
            .to_string();
        for item in connector.read(&unit).expect("readable unit") {
            items.push((name.clone(), item));
        }
    }
    items
}

pub fn records(items: &[(String, SourceItem)]) -> Vec<(&SourceRecord, &Location)> {
    items
        .iter()
        .filter_map(|(_, item)| match item {
            SourceItem::Record(record, location) => Some((record.as_ref(), location)),
            _ => None,
        })
        .collect()
}

pub fn activities(items: &[(String, SourceItem)]) -> Vec<(&Activity, &Location)> {
    items
        .iter()
        .filter_map(|(_, item)| match item {
            SourceItem::Activity(activity, location) => Some((activity.as_ref(), location)),
            _ => None,
        })
        .collect()
}

pub fn errors(items: &[(String, SourceItem)]) -> Vec<&RowError> {
    items
        .iter()
        .filter_map(|(_, item)| match item {
            SourceItem::Error(error) => Some(error.as_ref()),
            _ => None,
        })
        .collect()
}

pub fn attribute<'a>(record: &'a SourceRecord, key: &str) -> Option<&'a str> {
    record.attributes.get(key).map(String::as_str)
}
