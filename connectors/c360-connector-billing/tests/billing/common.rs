//! Helpers shared by the integration tests: the fixture source and compact
//! views of what it yields.

use std::path::{Path, PathBuf};

use c360_connector::{SourceConfig, SourceItem};
use c360_model::{Activity, SourceRecord};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stripe")
}

/// The source as a user would declare it for these exports.
pub fn config(paths: &[&str]) -> SourceConfig {
    SourceConfig {
        name: "billing".into(),
        kind: "stripe".into(),
        paths: paths
            .iter()
            .map(|path| fixtures().join(path).display().to_string())
            .collect(),
        options: [("cross_reference_metadata".into(), "crm_id=crm-sheet".into())].into(),
        ..SourceConfig::default()
    }
}

/// Every item of every unit of the source, in reading order.
pub fn read_source(config: &SourceConfig) -> Vec<SourceItem> {
    let connector = c360_connector_billing::connector(config).expect("connector");
    let units = connector.units().expect("units");
    units
        .iter()
        .flat_map(|unit| connector.read(unit).expect("readable unit"))
        .collect()
}

pub fn records(items: &[SourceItem]) -> Vec<&SourceRecord> {
    items
        .iter()
        .filter_map(|item| match item {
            SourceItem::Record(record, _) => Some(&**record),
            _ => None,
        })
        .collect()
}

pub fn activities(items: &[SourceItem]) -> Vec<&Activity> {
    items
        .iter()
        .filter_map(|item| match item {
            SourceItem::Activity(activity, _) => Some(&**activity),
            _ => None,
        })
        .collect()
}

/// (id, customer, kind, amount minor, currency) of each activity.
pub fn activity_summary(items: &[SourceItem]) -> Vec<(String, String, String, i64, String)> {
    activities(items)
        .into_iter()
        .map(|activity| {
            let (amount, currency) = activity
                .amount
                .as_ref()
                .map_or((0, String::new()), |money| {
                    (money.amount_minor, money.currency.clone())
                });
            (
                activity.external_id.clone(),
                activity.record_external_id.clone(),
                activity.kind.to_string(),
                amount,
                currency,
            )
        })
        .collect()
}

/// (line or object, field) of each error, with the file name only.
pub fn errors(items: &[SourceItem]) -> Vec<(String, String, String)> {
    items
        .iter()
        .filter_map(|item| match item {
            SourceItem::Error(error) => {
                let file = Path::new(&error.location.file)
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let place = match (&error.location.line, &error.location.object) {
                    (Some(line), _) => format!("{file}:{line}"),
                    (None, Some(object)) => format!("{file}#{object}"),
                    (None, None) => file,
                };
                Some((place, error.field.clone(), error.reason.clone()))
            }
            _ => None,
        })
        .collect()
}
