//! Reading profiles: search, listings with `updated_since`, batch reads,
//! cache invalidation on writes, and deletes.

use c360_integration_tests::{Backend, TestApp};
use c360_proto::v1;
use c360_proto::v1::lookup_profile_request::Key;

use super::fixtures::{self, record};

on_both_backends!(
    search_finds_names_and_emails_by_prefix_and_fuzzily,
    listing_pages_through_everything_and_filters_by_update_time,
    batch_get_reports_missing_ids,
    a_cached_profile_is_invalidated_by_a_write,
    deleting_records_updates_then_retires_the_golden_record,
);

async fn search(app: &mut TestApp, query: &str, mode: v1::SearchMode) -> Vec<v1::SearchHit> {
    app.profiles
        .search_profiles(v1::SearchProfilesRequest {
            query: query.into(),
            mode: mode as i32,
            ..v1::SearchProfilesRequest::default()
        })
        .await
        .expect("SearchProfiles succeeds")
        .into_inner()
        .hits
}

fn names(hits: &[v1::SearchHit]) -> Vec<String> {
    hits.iter()
        .filter_map(|hit| {
            hit.record
                .as_ref()
                .map(|record| record.display_name.clone())
        })
        .collect()
}

async fn search_finds_names_and_emails_by_prefix_and_fuzzily(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let mut records = fixtures::two_people();
    records.push(v1::SourceRecord {
        given_name: "Şükrü".into(),
        family_name: "Öztürk".into(),
        ..record("crm", "row-10")
    });
    records.push(v1::SourceRecord {
        full_name: "علی رضایی".into(),
        ..record("crm", "row-11")
    });
    fixtures::upsert(&mut app, records).await;

    assert_eq!(
        names(&search(&mut app, "LOVE", v1::SearchMode::Prefix).await),
        vec!["Ada Lovelace"]
    );
    assert_eq!(
        names(&search(&mut app, "grace.hop", v1::SearchMode::Unspecified).await),
        vec!["Grace Hopper"]
    );
    // Accents and Turkish letters fold: "ozturk" finds "Öztürk".
    assert_eq!(
        names(&search(&mut app, "ozturk", v1::SearchMode::Prefix).await),
        vec!["Şükrü Öztürk"]
    );
    // Arabic letter variants (ي/ك) find the Persian spelling (ی/ک).
    assert_eq!(
        names(&search(&mut app, "علي", v1::SearchMode::Prefix).await),
        vec!["علی رضایی"]
    );
    let fuzzy = search(&mut app, "lovlace", v1::SearchMode::Fuzzy).await;
    assert_eq!(names(&fuzzy), vec!["Ada Lovelace"]);
    assert!(fuzzy[0].score > 0.8 && fuzzy[0].score < 1.0);
    assert!(
        search(&mut app, "zzz", v1::SearchMode::Prefix)
            .await
            .is_empty()
    );
    app.stop().await;
}

async fn listing_pages_through_everything_and_filters_by_update_time(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let records: Vec<v1::SourceRecord> = (0..25)
        .map(|index| v1::SourceRecord {
            given_name: format!("Person{index}"),
            emails: vec![format!("person{index}@example.org")],
            ..record("crm", &format!("p{index}"))
        })
        .collect();
    fixtures::upsert(&mut app, records).await;

    let mut seen = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = app
            .profiles
            .list_golden_records(v1::ListGoldenRecordsRequest {
                page_size: 10,
                page_token: page_token.clone(),
                updated_since: None,
            })
            .await
            .expect("ListGoldenRecords succeeds")
            .into_inner();
        assert!(page.records.len() <= 10);
        seen.extend(page.records.into_iter().map(|record| record.golden_id));
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    let mut distinct = seen.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!((seen.len(), distinct.len()), (25, 25));

    // Change one record; only its golden record is newer than the cut-off.
    let latest = app
        .profiles
        .list_golden_records(v1::ListGoldenRecordsRequest {
            page_size: 1000,
            ..Default::default()
        })
        .await
        .expect("list")
        .into_inner()
        .records
        .iter()
        .filter_map(|record| record.updated_at)
        .max_by_key(|at| (at.seconds, at.nanos))
        .expect("some record");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let changed = v1::SourceRecord {
        given_name: "Person3".into(),
        family_name: "Renamed".into(),
        emails: vec!["person3@example.org".into()],
        ..record("crm", "p3")
    };
    fixtures::upsert(&mut app, vec![changed]).await;
    let since = app
        .profiles
        .list_golden_records(v1::ListGoldenRecordsRequest {
            page_size: 100,
            page_token: String::new(),
            updated_since: Some(c360_proto::prost_types::Timestamp {
                seconds: latest.seconds,
                nanos: latest.nanos + 1000,
            }),
        })
        .await
        .expect("list since")
        .into_inner();
    assert_eq!(since.records.len(), 1);
    assert_eq!(since.records[0].display_name, "Person3 Renamed");
    app.stop().await;
}

async fn batch_get_reports_missing_ids(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    fixtures::upsert(&mut app, fixtures::two_people()).await;
    let mut ids = fixtures::all_golden_ids(&mut app).await;
    let missing = "0192f3b0-0000-7000-8000-000000000001".to_owned();
    ids.push(missing.clone());
    let response = app
        .profiles
        .batch_get_profiles(v1::BatchGetProfilesRequest { golden_ids: ids })
        .await
        .expect("BatchGetProfiles succeeds")
        .into_inner();
    assert_eq!(response.profiles.len(), 2);
    assert_eq!(response.not_found_ids, vec![missing]);
    app.stop().await;
}

async fn a_cached_profile_is_invalidated_by_a_write(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    fixtures::upsert(&mut app, fixtures::two_people()).await;
    let ada = fixtures::lookup(&mut app, Key::Email("ada@lovelace.example.org".into())).await;
    let id = ada[0].golden_id.clone();
    // Read twice: the second read comes from the cache.
    fixtures::get(&mut app, &id).await;
    let cached = fixtures::get(&mut app, &id).await.profile.expect("profile");
    assert_eq!(
        cached
            .company
            .as_ref()
            .map(|company| company.value.as_str()),
        Some("Analytical Engines Ltd")
    );

    let mut rows = fixtures::two_people();
    rows[1].company = "Difference Engines plc".into();
    fixtures::upsert(&mut app, vec![rows[1].clone()]).await;
    let fresh = fixtures::get(&mut app, &id).await.profile.expect("profile");
    assert_eq!(
        fresh.company.as_ref().map(|company| company.value.as_str()),
        Some("Difference Engines plc")
    );
    assert_eq!(fresh.version, cached.version + 1);
    app.stop().await;
}

async fn deleting_records_updates_then_retires_the_golden_record(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    fixtures::upsert(&mut app, fixtures::two_people()).await;
    let ada = fixtures::lookup(&mut app, Key::Email("ada@lovelace.example.org".into())).await;
    let id = ada[0].golden_id.clone();
    fixtures::get(&mut app, &id).await;

    let delete = |source: &str, external_id: &str| v1::DeleteSourceRecordRequest {
        record: Some(v1::SourceRef {
            source: source.into(),
            external_id: external_id.into(),
        }),
    };
    let first = app
        .ingest
        .delete_source_record(delete("crm", "row-7"))
        .await
        .expect("delete")
        .into_inner();
    assert_eq!(
        (first.golden_id.as_str(), first.golden_retired),
        (id.as_str(), false)
    );
    let remaining = fixtures::get(&mut app, &id).await.profile.expect("profile");
    assert_eq!(remaining.crosswalk.len(), 1);
    // The newer company name came from the deleted record: the older one is back.
    assert_eq!(
        remaining
            .company
            .as_ref()
            .map(|company| company.value.as_str()),
        Some("Analytical Engine Co.")
    );

    let last = app
        .ingest
        .delete_source_record(delete("billing", "cus_ada"))
        .await
        .expect("delete")
        .into_inner();
    assert!(last.golden_retired);
    let gone = app
        .profiles
        .get_profile(v1::GetProfileRequest { golden_id: id })
        .await
        .expect_err("retired");
    assert_eq!(gone.code(), tonic::Code::NotFound);
    let missing = app
        .ingest
        .delete_source_record(delete("billing", "cus_ada"))
        .await
        .expect_err("already deleted");
    assert_eq!(missing.code(), tonic::Code::NotFound);
    // Sending the record again brings the customer back.
    let back = fixtures::upsert(&mut app, vec![fixtures::two_people()[0].clone()]).await;
    assert_eq!((back.inserted, back.golden_created), (1, 1));
    app.stop().await;
}
