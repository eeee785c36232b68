//! Small, named fixtures: three sources describing two people, and helpers
//! to build requests.

use c360_proto::prost_types::Timestamp;
use c360_proto::v1;

pub fn at(seconds: i64) -> Option<Timestamp> {
    Some(Timestamp { seconds, nanos: 0 })
}

/// 2026-01-01, 2026-02-01 and 2026-03-01 (UTC).
pub const JANUARY: i64 = 1_767_225_600;
pub const FEBRUARY: i64 = 1_769_904_000;
pub const MARCH: i64 = 1_772_323_200;

pub fn record(source: &str, external_id: &str) -> v1::SourceRecord {
    v1::SourceRecord {
        source: source.to_owned(),
        external_id: external_id.to_owned(),
        ..v1::SourceRecord::default()
    }
}

/// Three sources, two people:
/// - Ada Lovelace: billing `cus_ada` and crm `row-7` share an e-mail (spelled
///   differently); both name a company, crm's (newer) name wins.
/// - Grace Hopper: support `1001` and billing `cus_grace` share a phone in two
///   formats; crm `row-8` shares Grace's e-mail.
pub fn two_people() -> Vec<v1::SourceRecord> {
    vec![
        v1::SourceRecord {
            given_name: "Ada".into(),
            family_name: "Lovelace".into(),
            emails: vec!["ADA@Lovelace.example.org".into()],
            phones: vec!["+44 20 7946 0018".into()],
            company: "Analytical Engine Co.".into(),
            updated_at: at(JANUARY),
            ..record("billing", "cus_ada")
        },
        v1::SourceRecord {
            full_name: "Lovelace, Ada".into(),
            emails: vec!["ada+crm@lovelace.example.org".into()],
            company: "Analytical Engines Ltd".into(),
            updated_at: at(MARCH),
            ..record("crm", "row-7")
        },
        v1::SourceRecord {
            given_name: "Grace".into(),
            family_name: "Hopper".into(),
            phones: vec!["(415) 253-0100".into()],
            updated_at: at(FEBRUARY),
            ..record("support", "1001")
        },
        v1::SourceRecord {
            given_name: "Grace".into(),
            family_name: "Hopper".into(),
            emails: vec!["grace.hopper@navy.example.mil".into()],
            phones: vec!["+1 415 253 0100".into()],
            birth_date: "1906-12-09".into(),
            updated_at: at(JANUARY),
            ..record("billing", "cus_grace")
        },
        v1::SourceRecord {
            given_name: "Grace".into(),
            family_name: "Hopper".into(),
            emails: vec!["Grace.Hopper@navy.example.mil".into()],
            updated_at: at(MARCH),
            ..record("crm", "row-8")
        },
    ]
}

pub async fn upsert(
    app: &mut c360_integration_tests::TestApp,
    records: Vec<v1::SourceRecord>,
) -> v1::UpsertSourceRecordsResponse {
    app.ingest
        .upsert_source_records(v1::UpsertSourceRecordsRequest { records })
        .await
        .expect("UpsertSourceRecords succeeds")
        .into_inner()
}

pub async fn lookup(
    app: &mut c360_integration_tests::TestApp,
    key: v1::lookup_profile_request::Key,
) -> Vec<v1::Profile> {
    app.profiles
        .lookup_profile(v1::LookupProfileRequest { key: Some(key) })
        .await
        .expect("LookupProfile succeeds")
        .into_inner()
        .profiles
}

pub async fn get(
    app: &mut c360_integration_tests::TestApp,
    golden_id: &str,
) -> v1::GetProfileResponse {
    app.profiles
        .get_profile(v1::GetProfileRequest {
            golden_id: golden_id.to_owned(),
        })
        .await
        .expect("GetProfile succeeds")
        .into_inner()
}

pub async fn all_golden_ids(app: &mut c360_integration_tests::TestApp) -> Vec<String> {
    app.profiles
        .list_golden_records(v1::ListGoldenRecordsRequest {
            page_size: 1000,
            ..v1::ListGoldenRecordsRequest::default()
        })
        .await
        .expect("ListGoldenRecords succeeds")
        .into_inner()
        .records
        .into_iter()
        .map(|record| record.golden_id)
        .collect()
}

/// The source of a value's lineage, as "source:external_id".
pub fn lineage_of(lineage: Option<&v1::Lineage>) -> String {
    lineage
        .and_then(|lineage| lineage.record.as_ref())
        .map(|record| format!("{}:{}", record.source, record.external_id))
        .unwrap_or_default()
}

/// The field named by the first `BadRequest` violation of a status.
pub fn violated_field(status: &tonic::Status) -> String {
    use tonic_types::StatusExt;
    status
        .get_error_details()
        .bad_request()
        .and_then(|bad| {
            bad.field_violations
                .first()
                .map(|violation| violation.field.clone())
        })
        .unwrap_or_default()
}
