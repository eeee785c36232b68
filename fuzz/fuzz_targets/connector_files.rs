//! Every connector family reads arbitrary bytes as each file type it
//! accepts: no input may panic or hang. The first byte picks the family and
//! extension, the rest is the file.

#![no_main]

use c360_connector::SourceConfig;
use libfuzzer_sys::fuzz_target;

type ReadFile = fn(&SourceConfig, &std::path::Path) -> Vec<c360_connector::SourceItem>;

const TARGETS: [(&str, &str, ReadFile); 12] = [
    ("stripe", "csv", c360_connector_billing::read_file),
    ("stripe", "json", c360_connector_billing::read_file),
    ("mailchimp", "csv", c360_connector_email::read_file),
    ("mailbox", "mbox", c360_connector_email::read_file),
    ("mailbox", "eml", c360_connector_email::read_file),
    ("spreadsheet", "csv", c360_connector_spreadsheet::read_file),
    ("spreadsheet", "xlsx", c360_connector_spreadsheet::read_file),
    ("spreadsheet", "ods", c360_connector_spreadsheet::read_file),
    ("zendesk", "json", c360_connector_support::read_file),
    ("zendesk", "jsonl", c360_connector_support::read_file),
    ("survey", "csv", c360_connector_survey::read_file),
    ("survey", "tsv", c360_connector_survey::read_file),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, contents)) = data.split_first() else {
        return;
    };
    let (kind, extension, read_file) = TARGETS[usize::from(selector) % TARGETS.len()];
    let Ok(folder) = tempfile::tempdir() else { return };
    let path = folder.path().join(format!("input.{extension}"));
    if std::fs::write(&path, contents).is_err() {
        return;
    }
    let config = SourceConfig {
        name: "fuzz".into(),
        kind: kind.into(),
        paths: vec![path.display().to_string()],
        ..SourceConfig::default()
    };
    let _ = read_file(&config, &path);
});
