//! Ingest and identifier matching (the default engine): golden records, lineage,
//! idempotency, merges with redirects, and the over-merge guards.

use c360_integration_tests::{Backend, TestApp};
use c360_proto::v1;
use c360_proto::v1::lookup_profile_request::Key;

use super::fixtures::{self, JANUARY, MARCH, at, record};

on_both_backends!(
    three_sources_two_people_make_two_golden_records,
    re_ingesting_the_same_batch_changes_nothing,
    a_bridging_record_merges_and_the_absorbed_id_redirects,
    a_shared_role_mailbox_does_not_merge_people,
    a_household_phone_does_not_merge_people,
    cross_references_link_records,
    a_changed_record_is_re_matched,
    concurrent_batches_of_one_person_make_one_golden_record,
    stored_link_probabilities_read_back_exactly,
);

async fn three_sources_two_people_make_two_golden_records(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let response = fixtures::upsert(&mut app, fixtures::two_people()).await;
    assert_eq!(
        (
            response.inserted,
            response.updated,
            response.unchanged,
            response.rejected
        ),
        (5, 0, 0, 0)
    );
    assert_eq!(fixtures::all_golden_ids(&mut app).await.len(), 2);

    // Ada, by e-mail in yet another spelling.
    let ada = fixtures::lookup(
        &mut app,
        Key::Email(" Ada.Lovelace@LOVELACE.example.org ".into()),
    )
    .await;
    assert_eq!(ada.len(), 0, "dots only fold for gmail-like providers");
    let ada = fixtures::lookup(
        &mut app,
        Key::Email("ada+newsletter@lovelace.example.org".into()),
    )
    .await;
    assert_eq!(ada.len(), 1);
    let ada = &ada[0];
    let name = ada.name.as_ref().expect("name");
    assert_eq!(name.display, "Ada Lovelace");
    // Both sources spell the same name ("Lovelace, Ada" is split); the newer
    // crm row is credited.
    assert_eq!(fixtures::lineage_of(name.lineage.as_ref()), "crm:row-7");
    assert_eq!(
        name.lineage.as_ref().map(|lineage| lineage.rule),
        Some(v1::SurvivorshipRule::Agreed as i32)
    );
    assert_eq!(ada.emails.len(), 1, "two spellings, one canonical address");
    assert_eq!(ada.emails[0].normalized, "ada@lovelace.example.org");
    assert_eq!(
        ada.emails[0].lineage.as_ref().map(|lineage| lineage.rule),
        Some(v1::SurvivorshipRule::Agreed as i32)
    );
    let company = ada.company.as_ref().expect("company");
    assert_eq!(company.value, "Analytical Engines Ltd");
    assert_eq!(fixtures::lineage_of(company.lineage.as_ref()), "crm:row-7");
    assert_eq!(
        company.lineage.as_ref().map(|lineage| lineage.rule),
        Some(v1::SurvivorshipRule::MostRecent as i32)
    );
    assert_eq!(ada.phones[0].normalized, "+442079460018");
    assert_eq!(
        fixtures::lineage_of(ada.phones[0].lineage.as_ref()),
        "billing:cus_ada"
    );
    let mut crosswalk: Vec<String> = ada
        .crosswalk
        .iter()
        .map(|entry| {
            fixtures::lineage_of(Some(&v1::Lineage {
                record: entry.record.clone(),
                ..Default::default()
            }))
        })
        .collect();
    crosswalk.sort();
    assert_eq!(crosswalk, vec!["billing:cus_ada", "crm:row-7"]);

    // Grace, by phone in a third format and by each source id.
    let grace = fixtures::lookup(&mut app, Key::Phone("415.253.0100".into())).await;
    assert_eq!(grace.len(), 1);
    assert_eq!(grace[0].crosswalk.len(), 3);
    assert_eq!(
        grace[0].birth_date.as_ref().map(|date| date.value.as_str()),
        Some("1906-12-09")
    );
    for (source, id) in [
        ("support", "1001"),
        ("billing", "cus_grace"),
        ("crm", "row-8"),
    ] {
        let found = fixtures::lookup(
            &mut app,
            Key::SourceRecord(v1::SourceRef {
                source: source.into(),
                external_id: id.into(),
            }),
        )
        .await;
        assert_eq!(found.len(), 1, "{source}:{id}");
        assert_eq!(found[0].golden_id, grace[0].golden_id);
    }
    let unknown = fixtures::lookup(
        &mut app,
        Key::SourceRecord(v1::SourceRef {
            source: "crm".into(),
            external_id: "nope".into(),
        }),
    )
    .await;
    assert!(unknown.is_empty());
    app.stop().await;
}

async fn re_ingesting_the_same_batch_changes_nothing(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    fixtures::upsert(&mut app, fixtures::two_people()).await;
    let first_id = fixtures::all_golden_ids(&mut app).await[0].clone();
    let before = fixtures::get(&mut app, &first_id).await;
    let again = fixtures::upsert(&mut app, fixtures::two_people()).await;
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 5));
    assert!(again.affected_golden_ids.is_empty());
    assert_eq!((again.golden_created, again.golden_merged), (0, 0));
    // Only a newer updated_at: still the same content.
    let mut bumped = fixtures::two_people();
    for record in &mut bumped {
        record.updated_at = at(MARCH + 86_400);
    }
    let bumped = fixtures::upsert(&mut app, bumped).await;
    assert_eq!(bumped.unchanged, 5);
    let after = fixtures::get(
        &mut app,
        &before.profile.as_ref().expect("profile").golden_id,
    )
    .await;
    assert_eq!(
        before.profile.as_ref().map(|profile| profile.version),
        after.profile.as_ref().map(|profile| profile.version)
    );
    assert_eq!(fixtures::all_golden_ids(&mut app).await.len(), 2);
    app.stop().await;
}

async fn a_bridging_record_merges_and_the_absorbed_id_redirects(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let alan_billing = v1::SourceRecord {
        given_name: "Alan".into(),
        family_name: "Turing".into(),
        emails: vec!["alan@bletchley.example.org".into()],
        updated_at: at(JANUARY),
        ..record("billing", "cus_alan")
    };
    let alan_support = v1::SourceRecord {
        given_name: "Alan".into(),
        family_name: "Turing".into(),
        phones: vec!["+44 20 7946 0123".into()],
        ..record("support", "2001")
    };
    let first = fixtures::upsert(&mut app, vec![alan_billing]).await;
    let second = fixtures::upsert(&mut app, vec![alan_support]).await;
    assert_eq!((first.golden_created, second.golden_created), (1, 1));
    let older = first.affected_golden_ids[0].clone();
    let newer = second.affected_golden_ids[0].clone();
    assert_ne!(older, newer);

    let bridge = v1::SourceRecord {
        full_name: "Alan M. Turing".into(),
        emails: vec!["Alan@Bletchley.example.org".into()],
        phones: vec!["0044 20 7946 0123".into()],
        ..record("crm", "row-9")
    };
    let merged = fixtures::upsert(&mut app, vec![bridge]).await;
    assert_eq!(merged.golden_merged, 1);
    assert_eq!(
        fixtures::all_golden_ids(&mut app).await,
        vec![older.clone()]
    );

    // The absorbed (newer) id still answers, with the surviving profile.
    let redirected = fixtures::get(&mut app, &newer).await;
    assert!(redirected.redirected);
    assert_eq!(redirected.requested_id, newer);
    let profile = redirected.profile.expect("profile");
    assert_eq!(profile.golden_id, older);
    assert_eq!(profile.crosswalk.len(), 3);
    assert_eq!(profile.merged_ids, vec![newer.clone()]);
    let direct = fixtures::get(&mut app, &older).await;
    assert!(!direct.redirected);
    // Twice more, now from the cache.
    assert!(fixtures::get(&mut app, &newer).await.redirected);
    assert!(!fixtures::get(&mut app, &older).await.redirected);
    app.stop().await;
}

async fn a_shared_role_mailbox_does_not_merge_people(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let anna = v1::SourceRecord {
        given_name: "Anna".into(),
        family_name: "Schmidt".into(),
        emails: vec!["info@acme-gmbh.example.de".into()],
        ..record("crm", "anna")
    };
    let peter = v1::SourceRecord {
        given_name: "Peter".into(),
        family_name: "Meyer".into(),
        emails: vec!["INFO@acme-gmbh.example.de".into()],
        ..record("billing", "peter")
    };
    let response = fixtures::upsert(&mut app, vec![anna, peter]).await;
    assert_eq!(response.golden_created, 2);
    assert_eq!(fixtures::all_golden_ids(&mut app).await.len(), 2);
    // Still findable by the shared address: both people come back.
    let both = fixtures::lookup(&mut app, Key::Email("info@acme-gmbh.example.de".into())).await;
    assert_eq!(both.len(), 2);
    app.stop().await;
}

async fn a_household_phone_does_not_merge_people(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let phone = "+49 30 12345678";
    let records = vec![
        v1::SourceRecord {
            given_name: "Jürgen".into(),
            family_name: "Groß".into(),
            phones: vec![phone.into()],
            ..record("crm", "j")
        },
        v1::SourceRecord {
            given_name: "Helga".into(),
            family_name: "Groß".into(),
            phones: vec!["030 12345678".into(), "+49 30 12345678".into()],
            ..record("billing", "h")
        },
        // The same Jürgen again, spelled without the umlaut: links through the phone.
        v1::SourceRecord {
            given_name: "Jurgen".into(),
            family_name: "Gross".into(),
            phones: vec![phone.into()],
            ..record("support", "j2")
        },
    ];
    fixtures::upsert(&mut app, records).await;
    assert_eq!(fixtures::all_golden_ids(&mut app).await.len(), 2);
    let jurgen = fixtures::lookup(
        &mut app,
        Key::SourceRecord(v1::SourceRef {
            source: "support".into(),
            external_id: "j2".into(),
        }),
    )
    .await;
    assert_eq!(jurgen[0].crosswalk.len(), 2);
    app.stop().await;
}

async fn cross_references_link_records(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let crm = v1::SourceRecord {
        full_name: "王小明".into(),
        ..record("crm", "c-1")
    };
    let billing = v1::SourceRecord {
        given_name: "Xiaoming".into(),
        family_name: "Wang".into(),
        emails: vec!["xm.wang@example.cn".into()],
        cross_references: vec![v1::SourceRef {
            source: "crm".into(),
            external_id: "c-1".into(),
        }],
        ..record("billing", "b-1")
    };
    fixtures::upsert(&mut app, vec![crm]).await;
    let linked = fixtures::upsert(&mut app, vec![billing]).await;
    assert_eq!(linked.golden_created, 0);
    assert_eq!(fixtures::all_golden_ids(&mut app).await.len(), 1);
    app.stop().await;
}

async fn a_changed_record_is_re_matched(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    fixtures::upsert(&mut app, fixtures::two_people()).await;
    // Ada's crm row learns Ada's phone and moves company: an update, same golden record.
    let mut rows = fixtures::two_people();
    rows[1].company = "Babbage & Co".into();
    rows[1].phones = vec!["+44 20 7946 0018".into()];
    rows[1].updated_at = at(MARCH + 3600);
    let response = fixtures::upsert(&mut app, vec![rows[1].clone()]).await;
    assert_eq!(
        (
            response.updated,
            response.golden_created,
            response.golden_merged
        ),
        (1, 0, 0)
    );
    let ada = fixtures::lookup(&mut app, Key::Email("ada@lovelace.example.org".into())).await;
    assert_eq!(
        ada[0]
            .company
            .as_ref()
            .map(|company| company.value.as_str()),
        Some("Babbage & Co")
    );
    assert_eq!(ada[0].version, 2);
    app.stop().await;
}

async fn concurrent_batches_of_one_person_make_one_golden_record(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut tasks = Vec::new();
    for index in 0..8 {
        let mut ingest = app.ingest.clone();
        tasks.push(tokio::spawn(async move {
            let record = v1::SourceRecord {
                given_name: "Grace".into(),
                family_name: "Hopper".into(),
                emails: vec![format!("Grace.Hopper+{index}@navy.example.mil")],
                ..record(&format!("source-{index}"), "grace")
            };
            ingest
                .upsert_source_records(v1::UpsertSourceRecordsRequest {
                    records: vec![record],
                })
                .await
                .expect("UpsertSourceRecords succeeds")
                .into_inner()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("task").inserted, 1);
    }
    let mut app = app;
    let ids = fixtures::all_golden_ids(&mut app).await;
    assert_eq!(
        ids.len(),
        1,
        "writers are serialized: no duplicate golden records"
    );
    let profile = fixtures::get(&mut app, &ids[0])
        .await
        .profile
        .expect("profile");
    assert_eq!(profile.crosswalk.len(), 8);
    app.stop().await;
}

/// Real-time re-clustering orders a component's links by the probabilities
/// it reads back (packed as text for speed): they must be the stored `f64`s
/// bit for bit, or real-time and batch clustering could order ties apart.
async fn stored_link_probabilities_read_back_exactly(backend: Backend) {
    use c360_store::repo::matching::{self, LinkRow};
    let app = TestApp::spawn(backend).await;
    let probabilities = [
        0.1,
        1.0 / 3.0,
        2.0 / 3.0,
        0.999_999_999_999_999_9,
        1.0,
        1e-15,
        // The smallest probability the SQLite packing is exact for (2^-53).
        1.0 / 9_007_199_254_740_992.0,
        0.123_456_789_012_345_68,
        f64::EPSILON,
        0.950_000_000_000_000_1,
    ];
    // And a thousand spread over every binade from 2^-40 to 1 (splitmix64).
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let spread = (0..1_000).map(|index| {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut bits = state;
        bits = (bits ^ (bits >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        bits = (bits ^ (bits >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        bits ^= bits >> 31;
        let unit = (bits >> 11) as f64 / 9_007_199_254_740_992.0;
        unit * 2f64.powi(-(index % 40))
    });
    let probabilities: Vec<f64> = probabilities
        .into_iter()
        .chain(spread)
        .filter(|probability| *probability > 0.0)
        .collect();
    let links: Vec<LinkRow> = probabilities
        .iter()
        .enumerate()
        .map(|(index, probability)| LinkRow {
            left: 1,
            right: 2 + index as i64,
            probability: *probability,
            explanation: "{}".into(),
        })
        .collect();
    let mut connection = app.hub.store().pool().acquire().await.expect("connection");
    matching::insert_links(&mut connection, &links, 1)
        .await
        .expect("links stored");
    let read = matching::links_touching(&mut connection, &[1])
        .await
        .expect("links read");
    let expected: Vec<(i64, i64, u64)> = links
        .iter()
        .map(|link| (link.left, link.right, link.probability.to_bits()))
        .collect();
    let read: Vec<(i64, i64, u64)> = read
        .iter()
        .map(|(left, right, probability)| (*left, *right, probability.to_bits()))
        .collect();
    assert_eq!(read, expected);
    assert!(
        matching::links_touching(&mut connection, &[999_999])
            .await
            .expect("no links")
            .is_empty()
    );
    drop(connection);
    app.stop().await;
}
