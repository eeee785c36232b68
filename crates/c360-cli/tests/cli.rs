//! The `c360` binary end to end: `demo` serves the bundled data set, and
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

#[tokio::test]
async fn demo_loads_the_data_set_and_serves_it() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let database = format!("sqlite://{}/demo.db", folder.path().display());
    let mut child = Running(
        c360()
            .args(["demo", "--database", &database, "--listen", "127.0.0.1:0"])
            .current_dir(folder.path())
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
    assert!(
        summary.iter().any(|line| line.contains("0 rejected")),
        "demo data loads cleanly: {summary:?}"
    );

    let mut client = ProfileServiceClient::connect(format!("http://{address}"))
        .await
        .expect("connects to the demo");
    let found = client
        .lookup_profile(v1::LookupProfileRequest {
            key: Some(v1::lookup_profile_request::Key::Email(
                "ADA+anything@lovelace.example.org".into(),
            )),
        })
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
    assert_eq!(
        ada.crosswalk.len(),
        3,
        "billing, crm-sheet and support records"
    );
    assert!(!ada.recent_activity.is_empty());
    let listed = client
        .list_golden_records(v1::ListGoldenRecordsRequest {
            page_size: 1000,
            ..Default::default()
        })
        .await
        .expect("list succeeds")
        .into_inner();
    assert_eq!(listed.records.len(), 120, "120 customers in the demo data");
    drop(child);
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
