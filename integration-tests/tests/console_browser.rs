//! The steward console in a real browser: a server started here (SQLite,
//! the probabilistic engine, auth on), a borderline pair that opens a review
//! task, then Debian's Chromium driven by playwright-core
//! (`integration-tests/browser/console.mjs`) signs in with a steward token,
//! opens the task from the queue, takes it and merges it with one click. The merge is
//! then checked over gRPC. Screenshots land in `integration-tests/artifacts/`.
//!
//! Never skipped: Chromium is installed here when missing (as root on
//! Debian), `npm ci` runs when `node_modules` is missing, and anything else
//! missing fails the test saying what it is.

use std::path::{Path, PathBuf};
use std::process::Command;

use c360_integration_tests::{Backend, TestApp};
use c360_proto::v1;
use c360_proto::v1::ingest_service_client::IngestServiceClient;
use c360_proto::v1::profile_service_client::ProfileServiceClient;
use c360_proto::v1::steward_service_client::StewardServiceClient;
use c360_server::ServerConfig;
use c360_server::auth::{AuthConfig, TokenConfig};
use tonic::metadata::MetadataValue;
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

const STEWARD_TOKEN: &str = "console-steward-token-0001";
const CLIENT_TOKEN: &str = "test-client-admin-token-01";

/// The test's own gRPC calls carry an admin token.
#[derive(Clone)]
struct Admin;

impl Interceptor for Admin {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        let value = MetadataValue::try_from(format!("Bearer {CLIENT_TOKEN}"))
            .map_err(|_| tonic::Status::internal("bad test token"))?;
        request.metadata_mut().insert("authorization", value);
        Ok(request)
    }
}

fn browser_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("browser")
}

/// Node, playwright-core and Chromium, or a failure that says what to do.
fn ensure_browser_tools() {
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.as_ref().is_ok_and(|output| output.status.success()),
        "Node.js is needed for the console browser test (Debian: apt-get install nodejs npm)"
    );
    let chromium = std::env::var("C360_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        install_chromium();
    }
    assert!(
        Path::new(&chromium).exists(),
        "Chromium is needed for the console browser test: apt-get install chromium \
         (or set C360_CHROMIUM to a Chromium binary); .ci/run installs it"
    );
    let folder = browser_folder();
    if !folder.join("node_modules/playwright-core").exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&folder)
            .status()
            .expect("npm runs");
        assert!(status.success(), "npm ci failed in {}", folder.display());
    }
}

/// Debian's Chromium, installed when the test runs as root on a Debian
/// machine, so that `cargo test --workspace` needs no manual step.
fn install_chromium() {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0");
    if !is_root || !Path::new("/usr/bin/apt-get").exists() {
        return;
    }
    let apt = |arguments: &[&str]| {
        let _ = Command::new("apt-get")
            .args(arguments)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status();
    };
    apt(&["install", "-y", "chromium"]);
    // A fresh machine may not have the package lists yet.
    if !Path::new("/usr/bin/chromium").exists() {
        apt(&["update"]);
        apt(&["install", "-y", "chromium"]);
    }
}

fn person(source: &str, id: &str, given: &str) -> v1::SourceRecord {
    v1::SourceRecord {
        source: source.into(),
        external_id: id.into(),
        given_name: given.into(),
        family_name: "Kowalski".into(),
        addresses: vec![v1::PostalAddress {
            city: "Hamburg".into(),
            ..v1::PostalAddress::default()
        }],
        ..v1::SourceRecord::default()
    }
}

async fn golden_of(
    profiles: &mut ProfileServiceClient<InterceptedService<Channel, Admin>>,
    source: &str,
    id: &str,
) -> String {
    let profiles = profiles
        .lookup_profile(v1::LookupProfileRequest {
            key: Some(v1::lookup_profile_request::Key::SourceRecord(
                v1::SourceRef {
                    source: source.into(),
                    external_id: id.into(),
                },
            )),
        })
        .await
        .expect("LookupProfile succeeds")
        .into_inner()
        .profiles;
    assert_eq!(profiles.len(), 1);
    profiles[0].golden_id.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_steward_merges_a_review_task_in_the_browser() {
    ensure_browser_tools();
    let mut hub_config = c360_hub::HubConfig::default();
    hub_config.matching.engine = "probabilistic".into();
    let server_config = ServerConfig {
        auth: AuthConfig {
            enabled: true,
            tokens: vec![
                TokenConfig {
                    subject: "ada.steward".into(),
                    roles: vec!["steward".into()],
                    token: Some(STEWARD_TOKEN.into()),
                    token_sha256: None,
                },
                TokenConfig {
                    subject: "test-client".into(),
                    roles: vec!["admin".into()],
                    token: Some(CLIENT_TOKEN.into()),
                    token_sha256: None,
                },
            ],
        },
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with_server(Backend::Sqlite, hub_config, server_config).await;
    let mut ingest = IngestServiceClient::with_interceptor(app.channel.clone(), Admin);
    let mut profiles = ProfileServiceClient::with_interceptor(app.channel.clone(), Admin);
    // Same family name and city, different given names: a steward should look.
    for record in [person("crm", "1", "Jan"), person("support", "2", "Piotr")] {
        ingest
            .upsert_source_records(v1::UpsertSourceRecordsRequest {
                records: vec![record],
            })
            .await
            .expect("records stored");
    }
    let tasks = app.hub.open_review_tasks(10).await.expect("review tasks");
    assert_eq!(tasks.len(), 1, "one borderline pair: {tasks:?}");
    let task_id = tasks[0].id;

    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    std::fs::create_dir_all(&artifacts).expect("artifacts folder");
    let output = tokio::task::spawn_blocking({
        let console = app.console_url.clone();
        let artifacts = artifacts.clone();
        move || {
            Command::new("node")
                .arg(browser_folder().join("console.mjs"))
                .arg(console)
                .arg(STEWARD_TOKEN)
                .arg(task_id.to_string())
                .arg(artifacts)
                .output()
        }
    })
    .await
    .expect("the browser run finishes")
    .expect("node starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the browser run failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or("{}"))
        .expect("console.mjs prints a JSON line");
    assert!(artifacts.join("console-task.png").exists());

    // Over gRPC (with a token): both records are one customer now, the one
    // the console showed.
    let crm = golden_of(&mut profiles, "crm", "1").await;
    let support = golden_of(&mut profiles, "support", "2").await;
    assert_eq!(crm, support, "the merge holds");
    assert_eq!(result["golden_id"].as_str(), Some(crm.as_str()));

    // The audit log names the steward who signed in to the console.
    let mut steward = StewardServiceClient::with_interceptor(app.channel.clone(), Admin);
    let audit = steward
        .get_audit_log(v1::GetAuditLogRequest {
            golden_id: crm.clone(),
            ..v1::GetAuditLogRequest::default()
        })
        .await
        .expect("GetAuditLog succeeds")
        .into_inner();
    assert!(
        audit
            .entries
            .iter()
            .any(|entry| entry.actor == "ada.steward" && entry.action == "merged"),
        "{:?}",
        audit.entries
    );
    // The steward took the task before merging it.
    let task = steward
        .get_review_task(v1::GetReviewTaskRequest { task_id })
        .await
        .expect("GetReviewTask succeeds")
        .into_inner()
        .task
        .expect("task");
    assert_eq!(task.assignee, "ada.steward");
    assert_eq!(task.resolved_by, "ada.steward");
    app.stop().await;
}
