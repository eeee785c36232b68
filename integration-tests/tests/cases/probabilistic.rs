//! Probabilistic matching over gRPC: fuzzy duplicates with no shared
//! identifier, sent one call at a time, end in one golden record; a borderline
//! pair opens a review task that explains itself field by field.

use c360_integration_tests::{Backend, TestApp};
use c360_proto::v1;

use super::fixtures::{self, record};

on_both_backends!(
    fuzzy_duplicates_arriving_one_by_one_make_one_golden_record,
    a_borderline_pair_creates_a_review_task_with_an_explanation,
);

/// The default config, spelled out so that this file keeps testing the
/// probabilistic engine whatever the default becomes.
fn probabilistic() -> c360_hub::config::HubConfig {
    let mut config = c360_hub::config::HubConfig::default();
    config.matching.engine = "probabilistic".into();
    config
}

#[allow(clippy::too_many_arguments)]
fn person(
    source: &str,
    id: &str,
    given: &str,
    family: &str,
    birth_date: &str,
    street: &str,
    city: &str,
    postcode: &str,
) -> v1::SourceRecord {
    v1::SourceRecord {
        given_name: given.into(),
        family_name: family.into(),
        birth_date: birth_date.into(),
        addresses: vec![v1::PostalAddress {
            line1: street.into(),
            city: city.into(),
            postal_code: postcode.into(),
            country: "DE".into(),
            ..v1::PostalAddress::default()
        }],
        ..record(source, id)
    }
}

/// Katherine Müller as four sources wrote her, with no identifier in common.
pub fn katherine_arrivals() -> [v1::SourceRecord; 4] {
    [
        person(
            "billing",
            "cus_1",
            "Katherine",
            "Müller",
            "1985-03-04",
            "Hauptstraße 5",
            "Berlin",
            "10115",
        ),
        // A nickname, the umlaut spelled out, the street abbreviated-free typo.
        person(
            "crm",
            "row-9",
            "Kate",
            "Mueller",
            "1985-03-04",
            "Hauptstrasse 5",
            "Berlin",
            "10115",
        ),
        // Day and month transposed, a typo in the family name, no postcode.
        person(
            "support",
            "881",
            "Katherine",
            "Mülller",
            "1985-04-03",
            "Hauptstr. 5",
            "Berlin",
            "",
        ),
        // Given and family name swapped by a hand-kept sheet.
        person(
            "sheet",
            "A7",
            "Müller",
            "Katherine",
            "1985-03-04",
            "",
            "Berlin",
            "10115",
        ),
    ]
}

async fn fuzzy_duplicates_arriving_one_by_one_make_one_golden_record(backend: Backend) {
    let mut app = TestApp::spawn_with(backend, probabilistic()).await;
    let arrivals = katherine_arrivals();
    // One unrelated person with the same family name in the same city.
    let other = person(
        "billing",
        "cus_2",
        "Jonas",
        "Müller",
        "1961-11-02",
        "Torstraße 80",
        "Berlin",
        "10119",
    );
    fixtures::upsert(&mut app, vec![other]).await;
    for arrival in arrivals {
        let response = fixtures::upsert(&mut app, vec![arrival]).await;
        assert_eq!(response.rejected, 0, "{response:?}");
    }
    let goldens = fixtures::all_golden_ids(&mut app).await;
    assert_eq!(goldens.len(), 2, "Katherine's four records and Jonas");
    let assignments = app.hub.assignments().await.expect("assignments");
    let katherine: Vec<&String> = assignments
        .iter()
        .filter(|(source, _, _)| source != "billing")
        .map(|(_, _, golden)| golden)
        .collect();
    assert!(
        katherine.windows(2).all(|pair| pair[0] == pair[1]),
        "{assignments:?}"
    );
    // A full re-match of the same records gives the same clusters and keeps
    // every golden id: batch and real time agree.
    let report = app
        .hub
        .match_full("test", &c360_hub::NoProgress)
        .await
        .expect("full re-match");
    assert_eq!(report.records, 5);
    assert_eq!(report.clusters, 2, "{report:?}");
    assert_eq!(report.outcome.golden_created, 0, "{report:?}");
    assert_eq!(report.outcome.golden_merged, 0, "{report:?}");
    let mut after = app.hub.assignments().await.expect("assignments");
    let mut before = assignments.clone();
    after.sort();
    before.sort();
    assert_eq!(after, before);
    app.stop().await;
}

async fn a_borderline_pair_creates_a_review_task_with_an_explanation(backend: Backend) {
    let mut app = TestApp::spawn_with(backend, probabilistic()).await;
    // Same family name and city, different given names, nothing else: more
    // likely two people, but a steward should look.
    fixtures::upsert(
        &mut app,
        vec![person("crm", "1", "Jan", "Kowalski", "", "", "Hamburg", "")],
    )
    .await;
    fixtures::upsert(
        &mut app,
        vec![person(
            "support", "2", "Piotr", "Kowalski", "", "", "Hamburg", "",
        )],
    )
    .await;
    assert_eq!(fixtures::all_golden_ids(&mut app).await.len(), 2);
    let tasks = app.hub.open_review_tasks(10).await.expect("review tasks");
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    let task = &tasks[0];
    assert_eq!(task.kind, "potential_match");
    assert!(task.probability > 0.0 && task.probability < 0.5, "{task:?}");
    let explanation: serde_json::Value =
        serde_json::from_str(&task.explanation).expect("the explanation is JSON");
    let fields = explanation["fields"]
        .as_array()
        .expect("per-field evidence");
    let family = fields
        .iter()
        .find(|field| field["comparison"] == "family_name")
        .expect("family name compared");
    assert_eq!(family["level_name"], "exact");
    assert!(family["weight"].as_f64().unwrap_or_default() > 0.0);
    let given = fields
        .iter()
        .find(|field| field["comparison"] == "given_name")
        .expect("given name compared");
    assert!(given["weight"].as_f64().unwrap_or_default() < 0.0);
    app.stop().await;
}
