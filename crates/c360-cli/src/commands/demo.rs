//! `c360 demo`: write the bundled vendor exports into a folder, sync them
//! through the connector families as five declared sources, then serve and
//! print example calls.
//!
//! The exports (`crates/c360-cli/demo/sources/`, made from `demo.jsonl` by
//! `make_vendor_files.py`) are what the demo's systems would hand over:
//! Stripe CSV exports and an API page (`billing`), a Mailchimp audience
//! export with campaign activity (`newsletter`), a windows-1254 CSV and a
//! workbook kept by hand (`crm-sheet`), Zendesk API pages (`support`) and a
//! Delighted NPS export (`nps-survey`).
//!
//! Running the demo twice changes nothing: a file is only rewritten when its
//! bytes differ (so its fingerprint stays), the sync skips files it finished,
//! and re-reading a file stores nothing new.

mod files;

use std::path::{Path, PathBuf};

use anyhow::Context;
use c360_connector::{FieldMapping, FieldSpec, SourceConfig};

use crate::settings::Settings;

pub async fn run(mut settings: Settings) -> anyhow::Result<()> {
    let folder = demo_folder(&settings.database.url);
    write_files(&folder)?;
    // The demo declares its own sources, whatever the config file declares.
    settings.sources = demo_sources(&folder);
    let hub = super::open_hub(&settings).await?;
    let summaries = hub
        .sync_sources(&[], "cli:demo", &())
        .await
        .context("failed to sync the demo sources")?;
    println!(
        "demo data loaded into {} from the vendor exports in {}",
        super::redact(&settings.database.url),
        folder.display()
    );
    let mut failed = 0;
    for summary in &summaries {
        super::sync::print_summary(summary);
        failed += summary.files_failed;
    }
    if failed > 0 {
        anyhow::bail!("{failed} demo file(s) could not be read; see above");
    }
    // Stages, RFM, CLV and segments need the whole portfolio once.
    let report = hub
        .recompute_metrics()
        .await
        .context("failed to compute the lifecycle metrics of the demo data")?;
    println!(
        "lifecycle metrics: {} customers ({} with activities) in {:.2} s",
        report.customers, report.stored, report.seconds
    );
    let listener = super::bind(&settings).await?;
    let address = listener.local_addr()?;
    print_examples(&address.to_string(), &folder);
    super::serve_until_signal(hub, listener, &settings).await
}

/// Where the exports are written: beside a SQLite database file (so one
/// demo's files and database live and go together), else `data/demo-sources`.
fn demo_folder(database_url: &str) -> PathBuf {
    let path = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or_default());
    match path {
        Some(file) if !file.is_empty() && !file.contains(":memory:") => Path::new(file)
            .parent()
            .unwrap_or_else(|| Path::new(""))
            .join("demo-sources"),
        _ => PathBuf::from("data").join("demo-sources"),
    }
}

/// Writes each embedded file whose content on disk differs: an unchanged
/// file keeps its modification time, so the sync sees it unchanged.
fn write_files(folder: &Path) -> anyhow::Result<()> {
    for (relative, bytes) in files::FILES {
        let path = folder.join(relative);
        if std::fs::read(&path).is_ok_and(|current| current == *bytes) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("failed to create {}", parent.display()))?;
        }
        std::fs::write(&path, bytes)
            .with_context(|| format!("failed to write {}", path.display()))?;
    }
    Ok(())
}

/// The demo's five sources, as `config/examples/*.toml` declare them (with
/// paths into `folder`).
fn demo_sources(folder: &Path) -> Vec<SourceConfig> {
    let path = |relative: &str| folder.join(relative).display().to_string();
    let source = |name: &str, kind: &str, paths: &[&str]| SourceConfig {
        name: name.to_owned(),
        kind: kind.to_owned(),
        paths: paths.iter().map(|relative| path(relative)).collect(),
        ..SourceConfig::default()
    };
    let mapping = |pairs: &[(&str, &str)]| {
        FieldMapping(
            pairs
                .iter()
                .map(|(target, column)| {
                    (
                        (*target).to_owned(),
                        FieldSpec::Column((*column).to_owned()),
                    )
                })
                .collect(),
        )
    };
    let options = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect()
    };
    vec![
        SourceConfig {
            // The sales team notes each customer's CRM row in Stripe metadata.
            options: options(&[("cross_reference_metadata", "crm_row=crm-sheet")]),
            mapping: mapping(&[("attribute:vat_id", "vat_id (metadata)")]),
            ..source("billing", "stripe", &["billing"])
        },
        SourceConfig {
            mapping: mapping(&[("attribute:language", "Language")]),
            ..source(
                "newsletter",
                "mailchimp",
                &[
                    "newsletter",
                    "newsletter/granular_activity/opens",
                    "newsletter/granular_activity/clicks",
                ],
            )
        },
        SourceConfig {
            // Excel in a Turkish locale: windows-1254, ";", decimal commas,
            // day-first dates; numbers without +country are the US customers'.
            encoding: "windows-1254".into(),
            delimiter: ";".into(),
            decimal_separator: ",".into(),
            default_country: "US".into(),
            date_formats: vec![
                "%d.%m.%Y %H:%M:%S".into(),
                "%d.%m.%Y %H:%M".into(),
                "%d.%m.%Y".into(),
            ],
            day_first: true,
            mapping: mapping(&[
                ("address_line2", "Adres 2"),
                ("region", "Bölge"),
                ("attribute:owner", "Sorumlu"),
                ("attribute:segment", "Segment"),
            ]),
            ..source("crm-sheet", "spreadsheet", &["crm-sheet"])
        },
        source("support", "zendesk", &["support"]),
        SourceConfig {
            options: options(&[("layout", "delighted"), ("metric", "nps")]),
            mapping: mapping(&[("activity_attribute:wave", "Tags")]),
            ..source("nps-survey", "survey", &["nps-survey"])
        },
    ]
}

fn print_examples(address: &str, folder: &Path) {
    println!(
        r#"
c360 is serving gRPC on {address} (health and reflection included). Try, with grpcurl:

  grpcurl -plaintext {address} list
  grpcurl -plaintext -d '{{"email":"ADA.lovelace+news@lovelace.example.org"}}' {address} c360.v1.ProfileService/LookupProfile
  grpcurl -plaintext -d '{{"phone":"+44 20 7946 0018"}}' {address} c360.v1.ProfileService/LookupProfile
  grpcurl -plaintext -d '{{"source_record":{{"source":"billing","external_id":"cus_NffrFeUfNV2Hib"}}}}' {address} c360.v1.ProfileService/LookupProfile
  grpcurl -plaintext -d '{{"query":"lovelace"}}' {address} c360.v1.ProfileService/SearchProfiles
  grpcurl -plaintext -d '{{"query":"lovlace","mode":"SEARCH_MODE_FUZZY"}}' {address} c360.v1.ProfileService/SearchProfiles
  grpcurl -plaintext -d '{{"page_size":5}}' {address} c360.v1.ProfileService/ListGoldenRecords
  grpcurl -plaintext -d '{{"golden_id":"<id from above>"}}' {address} c360.v1.ProfileService/GetProfile
  grpcurl -plaintext -d '{{"golden_id":"<id from above>"}}' {address} c360.v1.MetricsService/GetCustomerMetrics
  grpcurl -plaintext -d '{{"period":"year"}}' {address} c360.v1.MetricsService/GetPortfolioMetrics
  grpcurl -plaintext {address} c360.v1.MetricsService/ListSegments
  grpcurl -plaintext {address} c360.v1.MetricsService/WatchAlerts
  grpcurl -plaintext -d '{{"page_size":10}}' {address} c360.v1.IngestService/ListRowErrors
  grpcurl -plaintext {address} grpc.health.v1.Health/Check

The data comes from vendor exports in {folder}; config/examples/*.toml
declare the same sources for `c360 sync`. Stop with Ctrl-C."#,
        folder = folder.display()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_go_beside_the_sqlite_file() {
        assert_eq!(
            demo_folder("sqlite://data/c360.db"),
            Path::new("data").join("demo-sources")
        );
        assert_eq!(
            demo_folder("sqlite:///tmp/x/demo.db?mode=rwc"),
            Path::new("/tmp/x").join("demo-sources")
        );
        assert_eq!(
            demo_folder("postgres://c360@db/c360"),
            Path::new("data").join("demo-sources")
        );
        assert_eq!(
            demo_folder("sqlite::memory:"),
            Path::new("data").join("demo-sources")
        );
    }

    #[test]
    fn every_demo_source_builds_and_finds_its_files() {
        use c360_connector::ConnectorFactory;
        let folder = tempfile::tempdir().expect("temporary folder");
        write_files(folder.path()).expect("files written");
        for source in demo_sources(folder.path()) {
            let connector = crate::connectors::Families
                .build(&source)
                .unwrap_or_else(|error| panic!("{}: {error}", source.name));
            let units = connector.units().expect("files found");
            assert!(!units.is_empty(), "{}", source.name);
        }
    }
}
