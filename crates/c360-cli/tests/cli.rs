//! The `c360` binary end to end: `demo` syncs the bundled vendor exports
//! (twice: the second run changes nothing) and serves them, and
//! `ingest` reports unreadable lines by number while ingesting the rest.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use c360_proto::v1;
use c360_proto::v1::profile_service_client::ProfileServiceClient;

fn c360() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_c360"));
    // Keep the checkout's config file and the caller's environment out of it.
    command.env_remove("C360_CONFIG").env("RUST_LOG", "warn");
    command
}

/// Kills the child when the test ends, pass or fail.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `c360 demo` on `database` in `folder` and waits until it serves;
/// returns the process, its address and what it printed before serving.
async fn start_demo(folder: &std::path::Path, database: &str) -> (Running, String, Vec<String>) {
    let mut child = Running(
        c360()
            .args(["demo", "--database", database, "--listen", "127.0.0.1:0"])
            // Tests run side by side: the console takes any free port too.
            .env("C360_SERVER__CONSOLE__LISTEN", "127.0.0.1:0")
            .current_dir(folder)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("c360 demo starts"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    // Keep reading the demo's output to its end: a closed pipe would make the
    // server's next write fail.
    let (ready, serving) = std::sync::mpsc::channel::<(String, Vec<String>)>();
    std::thread::spawn(move || {
        let mut summary = Vec::new();
        let mut ready = Some(ready);
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("c360 is serving gRPC on ") {
                let address = rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                if let Some(ready) = ready.take() {
                    let _ = ready.send((address, summary.clone()));
                }
            }
            summary.push(line);
        }
    });
    let (address, summary) = tokio::task::spawn_blocking(move || {
        serving
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("c360 demo starts serving")
    })
    .await
    .expect("reader");
    (child, address, summary)
}

/// The demo's sources, in the order it syncs them.
const DEMO_SOURCES: [&str; 5] = [
    "billing",
    "newsletter",
    "crm-sheet",
    "support",
    "nps-survey",
];

async fn golden_record_count(
    client: &mut ProfileServiceClient<tonic::transport::Channel>,
) -> usize {
    client
        .list_golden_records(v1::ListGoldenRecordsRequest {
            page_size: 1000,
            ..Default::default()
        })
        .await
        .expect("list succeeds")
        .into_inner()
        .records
        .len()
}

#[tokio::test]
async fn demo_syncs_the_vendor_exports_and_serves_them() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let database = format!("sqlite://{}/demo.db", folder.path().display());
    let (child, address, summary) = start_demo(folder.path(), &database).await;
    for source in DEMO_SOURCES {
        assert!(
            summary
                .iter()
                .any(|line| line.starts_with(&format!("source {source}: "))
                    && line.contains(" 0 unchanged, 0 failed")),
            "{source} is synced from its files: {summary:?}"
        );
    }
    assert_eq!(
        summary
            .iter()
            .filter(|line| line.contains("unreadable rows: 0 "))
            .count(),
        DEMO_SOURCES.len(),
        "every row of the exports reads: {summary:?}"
    );
    assert!(
        summary
            .iter()
            .map(|line| line.trim_start())
            .filter(|line| line.starts_with("records:") || line.starts_with("activities:"))
            .all(|line| line.ends_with(" 0 rejected")),
        "the hub accepts everything: {summary:?}"
    );
    assert!(
        folder
            .path()
            .join("demo-sources/billing/customers.csv")
            .exists(),
        "the exports are written beside the database"
    );

    let mut client = ProfileServiceClient::connect(format!("http://{address}"))
        .await
        .expect("connects to the demo");
    let lookup = |key: v1::lookup_profile_request::Key| v1::LookupProfileRequest { key: Some(key) };
    let found = client
        .lookup_profile(lookup(v1::lookup_profile_request::Key::Email(
            "ADA+anything@lovelace.example.org".into(),
        )))
        .await
        .unwrap_or_else(|status| panic!("lookup failed: {status:?}"))
        .into_inner()
        .profiles;
    assert_eq!(found.len(), 1);
    let ada = &found[0];
    assert_eq!(
        ada.name.as_ref().map(|name| name.display.as_str()),
        Some("Ada Lovelace")
    );
    let mut sources: Vec<&str> = ada
        .crosswalk
        .iter()
        .filter_map(|entry| entry.record.as_ref().map(|record| record.source.as_str()))
        .collect();
    sources.sort_unstable();
    assert_eq!(
        sources,
        vec!["billing", "crm-sheet", "nps-survey", "support"],
        "Stripe, the sheet, Zendesk and her Delighted answer"
    );
    assert!(!ada.recent_activity.is_empty());
    // The README's and the demo's example calls resolve to her too.
    for key in [
        v1::lookup_profile_request::Key::Email("ADA.lovelace+news@lovelace.example.org".into()),
        v1::lookup_profile_request::Key::Phone("+44 20 7946 0018".into()),
        v1::lookup_profile_request::Key::SourceRecord(v1::SourceRef {
            source: "billing".into(),
            external_id: "cus_NffrFeUfNV2Hib".into(),
        }),
    ] {
        let profiles = client
            .lookup_profile(lookup(key.clone()))
            .await
            .unwrap_or_else(|status| panic!("lookup {key:?} failed: {status:?}"))
            .into_inner()
            .profiles;
        assert_eq!(profiles.len(), 1, "{key:?}");
        assert_eq!(profiles[0].golden_id, ada.golden_id, "{key:?}");
    }
    // 120 customers, plus the one respondent the survey knows only by a
    // shared info@ mailbox, which links to nobody.
    assert_eq!(golden_record_count(&mut client).await, 121);
    drop(child);

    // A second run finds every file unchanged and changes nothing.
    let (_child, address, summary) = start_demo(folder.path(), &database).await;
    for source in DEMO_SOURCES {
        assert!(
            summary.iter().any(|line| line
                .starts_with(&format!("source {source}: 0 file(s) read (0 resumed), "))
                && line.contains(" unchanged, 0 failed")),
            "{source} is unchanged: {summary:?}"
        );
    }
    assert!(
        !summary
            .iter()
            .any(|line| line.contains(" inserted") && !line.contains(" 0 inserted, 0 updated")),
        "nothing is stored again: {summary:?}"
    );
    let mut client = ProfileServiceClient::connect(format!("http://{address}"))
        .await
        .expect("connects to the demo");
    assert_eq!(golden_record_count(&mut client).await, 121);
}

#[test]
fn ingest_reports_bad_lines_and_keeps_the_good_ones() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let database = format!("sqlite://{}/ingest.db", folder.path().display());
    let file = folder.path().join("batch.jsonl");
    std::fs::write(
        &file,
        concat!(
            "# two customers, one broken line, one invalid record\n",
            r#"{"type":"record","source":"crm","external_id":"1","given_name":"Ada","family_name":"Lovelace","emails":["ada@example.org"]}"#, "\n",
            "{not json\n",
            r#"{"type":"record","source":"crm","external_id":"2","given_name":"Bad","birth_date":"yesterday"}"#, "\n",
            r#"{"type":"record","source":"billing","external_id":"c1","full_name":"Ada Lovelace","emails":["ADA@example.org"]}"#, "\n",
            r#"{"type":"activity","source":"billing","external_id":"in_1","record_external_id":"c1","kind":"invoice_paid","occurred_at":"2026-01-05T10:00:00Z","amount":{"amount_minor":4900,"currency":"EUR"}}"#, "\n",
        ),
    )
    .expect("write fixture");
    let run = || {
        c360()
            .args([
                "ingest",
                file.to_str().expect("utf-8 path"),
                "--database",
                &database,
            ])
            .current_dir(folder.path())
            .output()
            .expect("c360 ingest runs")
    };
    let first = run();
    assert!(first.status.success(), "{first:?}");
    let stdout = String::from_utf8_lossy(&first.stdout);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(stderr.contains("batch.jsonl:3: skipped"), "{stderr}");
    assert!(stderr.contains("birth_date"), "{stderr}");
    assert!(
        stdout.contains("records: 2 inserted, 0 updated, 0 unchanged, 1 rejected"),
        "{stdout}"
    );
    assert!(stdout.contains("1 created, 0 merged away"), "{stdout}");
    assert!(stdout.contains("activities: 1 stored"), "{stdout}");

    let second = run();
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("records: 0 inserted, 0 updated, 2 unchanged, 1 rejected"),
        "{stdout}"
    );
    assert!(
        stdout.contains("activities: 0 stored, 1 unchanged"),
        "{stdout}"
    );
}

#[test]
fn environment_variables_override_the_config_file() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let config = folder.path().join("c360.toml");
    std::fs::write(
        &config,
        "[database]\nurl = \"sqlite://from-file/c360.db\"\n",
    )
    .expect("write config");
    let output = c360()
        .args(["migrate", "--config", config.to_str().expect("utf-8 path")])
        .env("C360_DATABASE__URL", "sqlite://from-env/c360.db")
        .current_dir(folder.path())
        .output()
        .expect("c360 migrate runs");
    assert!(output.status.success(), "{output:?}");
    assert!(folder.path().join("from-env/c360.db").exists());
    assert!(!folder.path().join("from-file").exists());

    // A flag beats both.
    let output = c360()
        .args([
            "migrate",
            "--config",
            config.to_str().expect("utf-8 path"),
            "--database",
            "sqlite://from-flag/c360.db",
        ])
        .env("C360_DATABASE__URL", "sqlite://from-env/c360.db")
        .current_dir(folder.path())
        .output()
        .expect("c360 migrate runs");
    assert!(output.status.success(), "{output:?}");
    assert!(folder.path().join("from-flag/c360.db").exists());
}
