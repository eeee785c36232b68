//! Standard gRPC health and reflection on the service port.

use c360_integration_tests::{Backend, TestApp};
use tokio_stream::StreamExt;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_reflection::pb::v1::ServerReflectionRequest;
use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

on_both_backends!(health_reports_serving, reflection_lists_the_services);

async fn health_reports_serving(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut health = HealthClient::new(app.channel.clone());
    for service in ["", "c360.v1.ProfileService", "c360.v1.IngestService"] {
        let mut status = ServingStatus::Unknown;
        // The watcher sets statuses right after start; give it a moment.
        for _ in 0..50 {
            if let Ok(response) = health
                .check(HealthCheckRequest {
                    service: service.into(),
                })
                .await
            {
                status = response.into_inner().status();
                if status == ServingStatus::Serving {
                    break;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(status, ServingStatus::Serving, "health of {service:?}");
    }
    app.stop().await;
}

async fn reflection_lists_the_services(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut reflection = ServerReflectionClient::new(app.channel.clone());
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut responses = reflection
        .server_reflection_info(tokio_stream::iter(vec![request]))
        .await
        .expect("reflection answers")
        .into_inner();
    let response = responses
        .next()
        .await
        .expect("one response")
        .expect("no error");
    let Some(MessageResponse::ListServicesResponse(list)) = response.message_response else {
        panic!("unexpected reflection answer: {response:?}");
    };
    let mut names: Vec<String> = list
        .service
        .into_iter()
        .map(|service| service.name)
        .collect();
    names.sort();
    for expected in [
        "c360.v1.IngestService",
        "c360.v1.ProfileService",
        "grpc.health.v1.Health",
    ] {
        assert!(
            names.iter().any(|name| name == expected),
            "{expected} missing from {names:?}"
        );
    }
    app.stop().await;
}
