//! Bearer-token auth over real gRPC: no token → UNAUTHENTICATED, a token
//! without the role → PERMISSION_DENIED, on every service; health stays open.
//! The steward console likewise: every route answers 401 without a signed-in
//! steward and 403 to a token without the steward role.

use c360_integration_tests::{Backend, TestApp};
use c360_proto::v1;
use c360_proto::v1::ingest_service_client::IngestServiceClient;
use c360_proto::v1::metrics_service_client::MetricsServiceClient;
use c360_proto::v1::profile_service_client::ProfileServiceClient;
use c360_server::ServerConfig;
use c360_server::auth::{AuthConfig, TokenConfig};
use tonic::Code;
use tonic::metadata::MetadataValue;
use tonic::service::Interceptor;

use super::fixtures;

on_both_backends!(
    every_call_needs_a_token_with_the_right_role,
    every_console_route_needs_a_steward,
);

const READER: &str = "reader-token-000000000001";
const INGEST: &str = "ingest-token-000000000002";
const STEWARD: &str = "steward-token-00000000003";
const ADMIN: &str = "admin-token-0000000000004";

fn server_config() -> ServerConfig {
    let token = |subject: &str, role: &str, token: &str| TokenConfig {
        subject: subject.into(),
        roles: vec![role.into()],
        token: Some(token.into()),
        token_sha256: None,
    };
    ServerConfig {
        auth: AuthConfig {
            enabled: true,
            tokens: vec![
                token("dashboard", "reader", READER),
                token("billing-sync", "ingest", INGEST),
                token("ada", "steward", STEWARD),
                token("ops", "admin", ADMIN),
            ],
        },
        ..ServerConfig::default()
    }
}

/// Adds `authorization: Bearer <token>` to every call.
#[derive(Clone)]
struct Bearer(Option<&'static str>);

impl Interceptor for Bearer {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(token) = self.0 {
            let value = MetadataValue::try_from(format!("Bearer {token}"))
                .map_err(|_| tonic::Status::internal("bad test token"))?;
            request.metadata_mut().insert("authorization", value);
        }
        Ok(request)
    }
}

fn code<T>(result: Result<T, tonic::Status>) -> Code {
    match result {
        Ok(_) => Code::Ok,
        Err(status) => status.code(),
    }
}

async fn every_call_needs_a_token_with_the_right_role(backend: Backend) {
    let app =
        TestApp::spawn_with_server(backend, c360_hub::HubConfig::default(), server_config()).await;
    let profiles =
        |token| ProfileServiceClient::with_interceptor(app.channel.clone(), Bearer(token));
    let ingest = |token| IngestServiceClient::with_interceptor(app.channel.clone(), Bearer(token));
    let metrics =
        |token| MetricsServiceClient::with_interceptor(app.channel.clone(), Bearer(token));
    let get = || v1::GetProfileRequest {
        golden_id: "0190a0b0-0000-7000-8000-000000000000".into(),
    };
    let upsert = || v1::UpsertSourceRecordsRequest {
        records: vec![v1::SourceRecord {
            given_name: "Ada".into(),
            emails: vec!["ada@example.org".into()],
            ..fixtures::record("billing", "cus_auth")
        }],
    };

    // No token, or an unknown one.
    assert_eq!(
        code(profiles(None).get_profile(get()).await),
        Code::Unauthenticated
    );
    assert_eq!(
        code(
            profiles(Some("not-a-token-at-all-000"))
                .get_profile(get())
                .await
        ),
        Code::Unauthenticated
    );
    assert_eq!(
        code(ingest(None).upsert_source_records(upsert()).await),
        Code::Unauthenticated
    );
    let denied = profiles(None)
        .get_profile(get())
        .await
        .expect_err("refused");
    assert!(
        denied.message().contains("bearer token"),
        "{}",
        denied.message()
    );

    // The right role passes (NOT_FOUND: the call reached the service).
    assert_eq!(
        code(profiles(Some(READER)).get_profile(get()).await),
        Code::NotFound
    );
    assert_eq!(
        code(ingest(Some(INGEST)).upsert_source_records(upsert()).await),
        Code::Ok
    );
    assert_eq!(
        code(profiles(Some(STEWARD)).get_profile(get()).await),
        Code::NotFound
    );
    assert_eq!(
        code(
            metrics(Some(ADMIN))
                .recompute_metrics(v1::RecomputeMetricsRequest {})
                .await
        ),
        Code::Ok
    );

    // The wrong role is refused.
    assert_eq!(
        code(ingest(Some(READER)).upsert_source_records(upsert()).await),
        Code::PermissionDenied
    );
    assert_eq!(
        code(profiles(Some(INGEST)).get_profile(get()).await),
        Code::PermissionDenied
    );
    let steward_admin = metrics(Some(STEWARD))
        .recompute_metrics(v1::RecomputeMetricsRequest {})
        .await
        .expect_err("a steward cannot call admin operations");
    assert_eq!(steward_admin.code(), Code::PermissionDenied);
    assert!(
        steward_admin.message().contains("admin"),
        "{}",
        steward_admin.message()
    );

    // Health checks need no token.
    let mut health = tonic_health::pb::health_client::HealthClient::new(app.channel.clone());
    let serving = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        })
        .await
        .expect("health is open");
    assert_eq!(
        serving.into_inner().status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
    app.stop().await;
}

/// One HTTP/1.1 request to the console with the console cookie set to
/// `token` (when given); the response's status code.
async fn console_status(console_url: &str, method: &str, path: &str, token: Option<&str>) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = console_url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("console reachable");
    let cookie = token.map_or_else(String::new, |token| {
        format!("Cookie: c360_console={token}\r\n")
    });
    let body = "version=1&decision=merge&action=take&attribute=email&value=x&records=crm%2F1";
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\n{cookie}\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request sent");
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .await
        .expect("response read");
    let response = String::from_utf8_lossy(&response);
    response
        .split_whitespace()
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {response:?}"))
}

async fn every_console_route_needs_a_steward(backend: Backend) {
    let app =
        TestApp::spawn_with_server(backend, c360_hub::HubConfig::default(), server_config()).await;
    let golden = "0190a0b0-0000-7000-8000-000000000000";
    let routes = [
        ("GET", "/".to_owned()),
        ("GET", "/?mine=true".to_owned()),
        ("GET", "/tasks/1".to_owned()),
        ("POST", "/tasks/1/resolve".to_owned()),
        ("POST", "/tasks/1/assign".to_owned()),
        ("GET", format!("/profiles/{golden}")),
        ("GET", format!("/profiles/{golden}/audit")),
        ("POST", format!("/profiles/{golden}/pin")),
        ("POST", format!("/profiles/{golden}/split")),
    ];
    for (method, path) in &routes {
        let url = &app.console_url;
        assert_eq!(
            console_status(url, method, path, None).await,
            401,
            "{method} {path} without a token"
        );
        assert_eq!(
            console_status(url, method, path, Some("not-a-known-token-123456")).await,
            401,
            "{method} {path} with an unknown token"
        );
        for token in [READER, INGEST] {
            assert_eq!(
                console_status(url, method, path, Some(token)).await,
                403,
                "{method} {path} without the steward role"
            );
        }
    }
    // A steward gets through (to the queue, and to a task that does not exist).
    assert_eq!(
        console_status(&app.console_url, "GET", "/", Some(STEWARD)).await,
        200
    );
    assert_eq!(
        console_status(&app.console_url, "GET", "/tasks/1", Some(STEWARD)).await,
        404
    );
    app.stop().await;
}
