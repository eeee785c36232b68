//! Reads the fixtures (see `fixtures/README.md`) through the public API as a
//! sync would: `connector(&config)` → `units()` → `read()`.

use std::path::{Path, PathBuf};

use c360_connector::{SourceConfig, SourceItem};
use c360_connector_support::{KINDS, connector, read_file};
use c360_model::{Activity, ActivityKind, SourceKey, SourceRecord};
use proptest::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn config() -> SourceConfig {
    SourceConfig {
        name: "support".into(),
        kind: "zendesk".into(),
        paths: vec![fixtures().display().to_string()],
        default_country: "DE".into(),
        options: [("external_id_source".to_owned(), "crm".to_owned())].into(),
        ..SourceConfig::default()
    }
}

struct Read {
    records: Vec<SourceRecord>,
    activities: Vec<Activity>,
    errors: Vec<(String, Option<u64>, Option<String>, String)>,
    total: usize,
}

fn read_all(config: &SourceConfig) -> Read {
    let connector = connector(config).expect("connector");
    let units = connector.units().expect("units");
    let names: Vec<_> = units
        .iter()
        .filter_map(|unit| {
            unit.path
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(
        names,
        [
            "account_export_tickets.json",
            "incremental_tickets.json",
            "incremental_users_cursor.json",
            "users_page.json"
        ]
    );
    let mut read = Read {
        records: Vec::new(),
        activities: Vec::new(),
        errors: Vec::new(),
        total: 0,
    };
    for unit in &units {
        for item in connector.read(unit).expect("read") {
            read.total += 1;
            match item {
                SourceItem::Record(record, _) => read.records.push(*record),
                SourceItem::Activity(activity, _) => read.activities.push(*activity),
                SourceItem::Error(error) => {
                    let file = Path::new(&error.location.file)
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default()
                        .to_owned();
                    read.errors.push((
                        file,
                        error.location.line,
                        error.location.object.clone(),
                        error.field.clone(),
                    ));
                }
            }
        }
    }
    read
}

#[test]
fn kinds_are_declared() {
    assert_eq!(
        KINDS.iter().map(|(kind, _)| *kind).collect::<Vec<_>>(),
        ["zendesk"]
    );
    let wrong = SourceConfig {
        kind: "freshdesk".into(),
        ..config()
    };
    assert!(connector(&wrong).is_err());
}

#[test]
fn reads_users_and_tickets_from_every_export_shape() {
    let read = read_all(&config());
    assert_eq!(
        (
            read.records.len(),
            read.activities.len(),
            read.errors.len(),
            read.total
        ),
        (5, 13, 4, 22)
    );

    let ids: Vec<&str> = read
        .records
        .iter()
        .map(|r| r.external_id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["35441", "35436", "35437", "35438", "35440"],
        "agent 100 skipped"
    );

    let jurgen = &read.records[0];
    assert_eq!(
        (jurgen.given_name.as_str(), jurgen.family_name.as_str()),
        ("Jürgen", "Groß")
    );
    assert_eq!(jurgen.phones, ["+49301234567"]);
    assert_eq!(jurgen.cross_references, [SourceKey::new("crm", "CRM-0099")]);

    let arabic = &read.records[2];
    assert_eq!(arabic.full_name, "محمد الأحمد");
    assert_eq!(
        arabic.emails,
        ["m.alahmad@example.ae", "mohammed@example.org"]
    );
    assert_eq!(arabic.phones, ["+971501234567"]);
    assert_eq!(
        arabic.attributes.get("locale").map(String::as_str),
        Some("ar")
    );

    let chinese = &read.records[3];
    assert_eq!(chinese.full_name, "王小明");
    assert_eq!(
        chinese.updated_at.map(|at| at.to_rfc3339()).as_deref(),
        Some("2024-03-03T03:03:03+00:00")
    );

    let deleted = &read.records[4];
    assert_eq!(
        deleted.attributes.get("deleted").map(String::as_str),
        Some("true")
    );

    let kinds = |ticket: &str| -> Vec<(String, ActivityKind, Option<i32>)> {
        read.activities
            .iter()
            .filter(|a| a.attributes.get("ticket_id").map(String::as_str) == Some(ticket))
            .map(|a| (a.external_id.clone(), a.kind, a.score))
            .collect()
    };
    assert_eq!(
        kinds("601"),
        [
            ("ticket-601-opened".into(), ActivityKind::TicketOpened, None),
            ("ticket-601-solved".into(), ActivityKind::TicketSolved, None),
            ("ticket-601-csat".into(), ActivityKind::CsatRating, Some(5)),
        ]
    );
    assert_eq!(kinds("503").len(), 1, "an offered survey is no rating");
    assert_eq!(
        kinds("506"),
        [("ticket-506-solved".into(), ActivityKind::TicketSolved, None)]
    );

    let solved_601 = read
        .activities
        .iter()
        .find(|a| a.external_id == "ticket-601-solved")
        .expect("solved");
    assert_eq!(
        solved_601.occurred_at.to_rfc3339(),
        "2024-02-02T09:30:00+00:00"
    );
    assert_eq!(solved_601.record_external_id, "35441");

    let bad_rating = read
        .activities
        .iter()
        .find(|a| a.external_id == "ticket-502-csat")
        .expect("csat");
    assert_eq!(
        (
            bad_rating.score,
            bad_rating.summary.as_str(),
            bad_rating.record_external_id.as_str()
        ),
        (Some(1), "Took three days", "35437")
    );
    let opened_504 = read
        .activities
        .iter()
        .find(|a| a.external_id == "ticket-504-opened")
        .expect("deleted ticket kept");
    assert_eq!(
        opened_504.attributes.get("deleted").map(String::as_str),
        Some("true")
    );
    for activity in &read.activities {
        activity.validate().expect("valid activity");
    }
    for record in &read.records {
        record.validate().expect("valid record");
    }

    assert_eq!(
        read.errors,
        [
            (
                "account_export_tickets.json".into(),
                Some(3),
                None,
                "line".into()
            ),
            (
                "incremental_tickets.json".into(),
                None,
                Some("tickets[4]:505".into()),
                "requester_id".into()
            ),
            (
                "incremental_tickets.json".into(),
                None,
                Some("tickets[5]:506".into()),
                "created_at".into()
            ),
            (
                "users_page.json".into(),
                None,
                Some("users[4]:35439".into()),
                "updated_at".into()
            ),
        ]
    );
}

#[test]
fn agents_are_read_when_asked_for_and_reading_is_deterministic() {
    let mut with_agents = config();
    with_agents
        .options
        .insert("include_agents".into(), "true".into());
    let read = read_all(&with_agents);
    assert_eq!(read.records.len(), 6);
    let again = read_all(&with_agents);
    assert_eq!(read.records, again.records);
    assert_eq!(read.activities, again.activities);
}

#[test]
fn unreadable_files_are_items_not_panics() {
    let folder = tempfile::tempdir().expect("tempdir");
    let empty = folder.path().join("empty.json");
    std::fs::write(&empty, "").expect("write");
    assert!(read_file(&config(), &empty).is_empty());
    let error = folder.path().join("error.json");
    std::fs::write(&error, r#"{"error":"Couldn't authenticate you"}"#).expect("write");
    let items = read_file(&config(), &error);
    assert!(matches!(items.as_slice(), [SourceItem::Error(e)] if e.field == "object"));
    let missing = read_file(&config(), &folder.path().join("missing.json"));
    assert!(matches!(missing.as_slice(), [SourceItem::Error(e)] if e.field == "file"));
}

fn fixture_bytes() -> Vec<Vec<u8>> {
    [
        "users_page.json",
        "incremental_tickets.json",
        "account_export_tickets.json",
    ]
    .iter()
    .map(|name| std::fs::read(fixtures().join(name)).expect("fixture"))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let folder = tempfile::tempdir().expect("tempdir");
        let path = folder.path().join("fuzz.json");
        std::fs::write(&path, &bytes).expect("write");
        let _ = read_file(&config(), &path);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = fixture_bytes().swap_remove(which);
        for (at, byte) in edits {
            let index = at.index(bytes.len());
            bytes[index] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        let folder = tempfile::tempdir().expect("tempdir");
        let path = folder.path().join("mutated.json");
        std::fs::write(&path, &bytes).expect("write");
        let first = read_file(&config(), &path);
        let second = read_file(&config(), &path);
        prop_assert_eq!(first, second);
    }
}
