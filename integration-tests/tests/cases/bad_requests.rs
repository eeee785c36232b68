//! Malformed requests get INVALID_ARGUMENT naming the field; bad items in a
//! batch are rejected one by one while the good ones are stored.

use c360_integration_tests::{Backend, TestApp};
use c360_proto::v1;
use tonic::Code;

use super::fixtures::{self, at, record};

on_both_backends!(
    malformed_requests_name_the_field,
    bad_items_are_rejected_and_good_ones_stored
);

fn expect_invalid(result: Result<impl std::fmt::Debug, tonic::Status>, field: &str) {
    let status = result.expect_err("request must fail");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert_eq!(fixtures::violated_field(&status), field, "{status:?}");
    assert!(
        status.message().contains(field),
        "message names the field: {}",
        status.message()
    );
}

async fn malformed_requests_name_the_field(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let profiles = &mut app.profiles;
    expect_invalid(
        profiles
            .get_profile(v1::GetProfileRequest {
                golden_id: "not-an-id".into(),
            })
            .await,
        "golden_id",
    );
    expect_invalid(
        profiles
            .get_profile(v1::GetProfileRequest {
                golden_id: String::new(),
            })
            .await,
        "golden_id",
    );
    expect_invalid(
        profiles
            .lookup_profile(v1::LookupProfileRequest { key: None })
            .await,
        "key",
    );
    expect_invalid(
        profiles
            .lookup_profile(v1::LookupProfileRequest {
                key: Some(v1::lookup_profile_request::Key::Email(
                    "not an address".into(),
                )),
            })
            .await,
        "email",
    );
    expect_invalid(
        profiles
            .search_profiles(v1::SearchProfilesRequest {
                query: "  ".into(),
                ..Default::default()
            })
            .await,
        "query",
    );
    expect_invalid(
        profiles
            .search_profiles(v1::SearchProfilesRequest {
                query: "ada".into(),
                page_token: "garbage".into(),
                ..Default::default()
            })
            .await,
        "page_token",
    );
    expect_invalid(
        profiles
            .list_golden_records(v1::ListGoldenRecordsRequest {
                page_size: 5000,
                ..Default::default()
            })
            .await,
        "page_size",
    );
    expect_invalid(
        profiles
            .batch_get_profiles(v1::BatchGetProfilesRequest {
                golden_ids: vec!["nope".into()],
            })
            .await,
        "golden_ids[0]",
    );
    let ingest = &mut app.ingest;
    expect_invalid(
        ingest
            .upsert_source_records(v1::UpsertSourceRecordsRequest { records: vec![] })
            .await,
        "records",
    );
    expect_invalid(
        ingest
            .delete_source_record(v1::DeleteSourceRecordRequest {
                record: Some(v1::SourceRef {
                    source: "crm".into(),
                    external_id: String::new(),
                }),
            })
            .await,
        "record.external_id",
    );
    app.stop().await;
}

async fn bad_items_are_rejected_and_good_ones_stored(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let records = vec![
        v1::SourceRecord {
            given_name: "Good".into(),
            emails: vec!["good@example.org".into()],
            ..record("crm", "ok-1")
        },
        v1::SourceRecord {
            given_name: "Bad".into(),
            birth_date: "31/12/1980".into(),
            ..record("crm", "bad-date")
        },
        v1::SourceRecord {
            given_name: "Worse".into(),
            emails: vec!["someone@".into()],
            ..record("crm", "bad-email")
        },
        v1::SourceRecord {
            given_name: "No id".into(),
            ..record("crm", "")
        },
        v1::SourceRecord {
            given_name: "Also good".into(),
            phones: vec!["+49 151 23456789".into()],
            updated_at: at(0),
            ..record("crm", "ok-2")
        },
    ];
    let response = fixtures::upsert(&mut app, records).await;
    assert_eq!((response.inserted, response.rejected), (2, 3));
    let rejected: Vec<(i32, &str)> = response
        .rejections
        .iter()
        .map(|rejection| (rejection.index, rejection.field.as_str()))
        .collect();
    assert_eq!(
        rejected,
        vec![(1, "birth_date"), (2, "emails[0]"), (3, "external_id")]
    );
    assert!(response.rejections[0].reason.contains("31/12/1980"));
    assert_eq!(fixtures::all_golden_ids(&mut app).await.len(), 2);

    let activities = vec![
        v1::Activity {
            source: "survey".into(),
            external_id: "r1".into(),
            record_external_id: "p1".into(),
            kind: v1::ActivityKind::NpsResponse as i32,
            occurred_at: at(1_767_225_600),
            score: Some(11),
            ..v1::Activity::default()
        },
        v1::Activity {
            source: "survey".into(),
            external_id: "r2".into(),
            record_external_id: "p1".into(),
            kind: 0,
            occurred_at: at(1_767_225_600),
            ..v1::Activity::default()
        },
        v1::Activity {
            source: "billing".into(),
            external_id: "in_9".into(),
            record_external_id: "cus_1".into(),
            kind: v1::ActivityKind::InvoicePaid as i32,
            occurred_at: at(1_767_225_600),
            amount: Some(v1::Money {
                amount_minor: 100,
                currency: "euro".into(),
            }),
            ..v1::Activity::default()
        },
        v1::Activity {
            source: "billing".into(),
            external_id: "in_10".into(),
            record_external_id: "cus_1".into(),
            kind: v1::ActivityKind::InvoicePaid as i32,
            occurred_at: at(1_767_225_600),
            amount: Some(v1::Money {
                amount_minor: 100,
                currency: "EUR".into(),
            }),
            ..v1::Activity::default()
        },
    ];
    let response = app
        .ingest
        .upsert_activities(v1::UpsertActivitiesRequest { activities })
        .await
        .expect("UpsertActivities succeeds")
        .into_inner();
    assert_eq!((response.inserted, response.rejected), (1, 3));
    let fields: Vec<(i32, &str)> = response
        .rejections
        .iter()
        .map(|rejection| (rejection.index, rejection.field.as_str()))
        .collect();
    assert_eq!(
        fields,
        vec![(0, "score"), (1, "kind"), (2, "amount.currency")]
    );
    app.stop().await;
}
