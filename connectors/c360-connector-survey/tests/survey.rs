//! Reads the fixtures (see `fixtures/README.md`) through the public API as a
//! sync would: `connector(&config)` → `units()` → `read()`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use c360_connector::mapping::{FieldMapping, FieldSpec};
use c360_connector::{SourceConfig, SourceItem};
use c360_connector_survey::{KINDS, connector, read_file};
use c360_model::{Activity, ActivityKind, SourceRecord};
use proptest::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn config(path: &str, options: &[(&str, &str)]) -> SourceConfig {
    SourceConfig {
        name: "nps".into(),
        kind: "survey".into(),
        paths: vec![fixtures().join(path).display().to_string()],
        options: options
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        ..SourceConfig::default()
    }
}

#[derive(Default)]
struct Read {
    records: Vec<(u64, SourceRecord)>,
    activities: Vec<(u64, Activity)>,
    /// (file name, line, field)
    errors: Vec<(String, u64, String)>,
    per_file: BTreeMap<String, usize>,
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned()
}

fn read_all(config: &SourceConfig) -> Read {
    let connector = connector(config).expect("connector");
    let mut read = Read::default();
    for unit in connector.units().expect("units") {
        for item in connector.read(&unit).expect("read") {
            *read
                .per_file
                .entry(file_name(&item.location().file))
                .or_default() += 1;
            let line = item.location().line.unwrap_or(0);
            match item {
                SourceItem::Record(record, _) => read.records.push((line, *record)),
                SourceItem::Activity(activity, _) => read.activities.push((line, *activity)),
                SourceItem::Error(error) => {
                    read.errors
                        .push((file_name(&error.location.file), line, error.field.clone()))
                }
            }
        }
    }
    read
}

fn activity<'r>(read: &'r Read, external_id: &str) -> &'r Activity {
    read.activities
        .iter()
        .map(|(_, a)| a)
        .find(|a| a.external_id == external_id)
        .unwrap_or_else(|| panic!("no activity {external_id}"))
}

#[test]
fn kinds_are_declared_and_options_checked() {
    assert_eq!(
        KINDS.iter().map(|(kind, _)| *kind).collect::<Vec<_>>(),
        ["survey"]
    );
    assert!(connector(&config("", &[("layout", "jotform")])).is_err());
    let wrong = SourceConfig {
        kind: "zendesk".into(),
        ..config("", &[])
    };
    assert!(connector(&wrong).is_err());
}

#[test]
fn every_layout_in_one_folder_is_recognized() {
    let read = read_all(&config("", &[]));
    let per_file: Vec<(&str, usize)> = read
        .per_file
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        per_file,
        [
            ("delighted_nps.csv", 11),
            ("google_forms_nps.csv", 6),
            ("qualtrics_nps.csv", 7),
            ("surveymonkey_nps.csv", 9),
            ("typeform_nps.csv", 7),
        ]
    );
    assert_eq!(
        (read.records.len(), read.activities.len(), read.errors.len()),
        (20, 14, 6)
    );
    assert_eq!(
        read.errors,
        [
            ("delighted_nps.csv".into(), 5, "Score".into()),
            ("delighted_nps.csv".into(), 7, "row".into()),
            ("delighted_nps.csv".into(), 8, "Created At (UTC)".into()),
            ("qualtrics_nps.csv".into(), 7, "Q1".into()),
            (
                "surveymonkey_nps.csv".into(),
                6,
                "How likely is it that you would recommend Acme to a friend or colleague?".into()
            ),
            ("typeform_nps.csv".into(), 5, "row".into()),
        ]
    );
    for (_, activity) in &read.activities {
        activity.validate().expect("valid activity");
        assert_eq!(activity.kind, ActivityKind::NpsResponse);
    }
    for (_, record) in &read.records {
        record.validate().expect("valid record");
    }
}

#[test]
fn delighted_responses() {
    let read = read_all(&config("delighted_nps.csv", &[]));
    let ids: Vec<(u64, &str)> = read
        .records
        .iter()
        .map(|(line, r)| (*line, r.external_id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            (2, "ayse.yilmaz@example.com.tr"),
            (3, "m.alahmad@example.ae"),
            (5, "xiaoming.wang@example.cn"),
            (6, "juergen.gross@example.de"),
            (9, "lena.schmidt@example.de"),
        ]
    );
    let arabic = activity(&read, "1002");
    assert_eq!(arabic.summary, "الخدمة بطيئة\nلكن الموظفين لطفاء");
    assert_eq!(
        (arabic.score, arabic.record_external_id.as_str()),
        (Some(6), "m.alahmad@example.ae")
    );
    assert_eq!(arabic.occurred_at.to_rfc3339(), "2024-03-02T10:00:00+00:00");
    let lena = &read.records[4].1;
    assert_eq!(
        (lena.given_name.as_str(), lena.family_name.as_str()),
        ("Lena", "Schmidt")
    );
    assert_eq!(lena.emails, ["Lena.Schmidt@Example.DE"]);
    assert_eq!(
        activity(&read, "1007").summary,
        "Schnell und freundlich, danke!"
    );
}

#[test]
fn surveymonkey_two_header_rows() {
    let read = read_all(&config(
        "surveymonkey_nps.csv",
        &[("layout", "surveymonkey")],
    ));
    assert_eq!(
        (read.records.len(), read.activities.len(), read.errors.len()),
        (5, 3, 1)
    );
    let first = activity(&read, "114691812256");
    assert_eq!(
        (first.score, first.summary.as_str()),
        (Some(9), "Kolay kullanım")
    );
    assert_eq!(first.occurred_at.to_rfc3339(), "2024-03-04T10:22:33+00:00");
    assert_eq!(
        first.attributes.get("collector_id").map(String::as_str),
        Some("431235906")
    );
    let quoted = activity(&read, "114691812257");
    assert_eq!(quoted.summary, "Too many bugs, \"crashes\" daily");
    assert_eq!(quoted.occurred_at.to_rfc3339(), "2024-03-04T13:05:59+00:00");
    // No e-mail: the respondent id is the record id.
    let (line, gunther) = &read.records[2];
    assert_eq!((*line, gunther.external_id.as_str()), (5, "114691812258"));
    assert_eq!(
        (gunther.given_name.as_str(), gunther.family_name.as_str()),
        ("Günther", "Öztürk")
    );
    assert_eq!(
        activity(&read, "114691812258").record_external_id,
        "114691812258"
    );
}

#[test]
fn typeform_and_google_forms_questions_as_headers() {
    let read = read_all(&config("typeform_nps.csv", &[]));
    let chinese = activity(&read, "9zq0w8x7c6v5b4n3m2l1k0j9h8g7f6d5");
    assert_eq!(
        (chinese.score, chinese.summary.as_str()),
        (Some(4), "物流太慢")
    );
    assert_eq!(
        chinese.occurred_at.to_rfc3339(),
        "2024-03-05T09:12:40+00:00"
    );
    assert_eq!(
        chinese.attributes.get("network_id").map(String::as_str),
        Some("f6g7h8i9j0")
    );
    let zhang = &read.records[1].1;
    assert_eq!(
        (zhang.family_name.as_str(), zhang.given_name.as_str()),
        ("张", "伟")
    );
    // The same person answering twice: one record id, two responses.
    assert_eq!(read.records[0].1.external_id, read.records[2].1.external_id);

    let read = read_all(&config("google_forms_nps.csv", &[]));
    let ids: Vec<&str> = read
        .records
        .iter()
        .map(|(_, r)| r.external_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "zeynep.kaya@example.com",
            "hans.mueller@example.de",
            "nour@example.ae"
        ]
    );
    let hans = &read.activities[1].1;
    assert_eq!(
        (hans.score, hans.summary.as_str()),
        (Some(2), "Lieferung kam beschädigt an")
    );
    assert_eq!(hans.occurred_at.to_rfc3339(), "2024-03-02T09:41:37+00:00");
    assert!(hans.external_id.starts_with("response-"));
    let nour = &read.records[2].1;
    assert_eq!(
        (nour.given_name.as_str(), nour.family_name.as_str()),
        ("نور", "حداد")
    );
    let again = read_all(&config("google_forms_nps.csv", &[]));
    assert_eq!(
        hans.external_id, again.activities[1].1.external_id,
        "stable hashed ids"
    );
}

#[test]
fn qualtrics_three_header_rows() {
    let read = read_all(&config("qualtrics_nps.csv", &[]));
    let lines: Vec<u64> = read.records.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [4, 5, 6, 7]);
    let emre = activity(&read, "R_3PtNhbc8vJhQ1Fs");
    assert_eq!(
        (emre.score, emre.summary.as_str()),
        (Some(10), "Hızlı teslimat")
    );
    assert_eq!(emre.record_external_id, "emre.celik@example.com.tr");
    assert_eq!(emre.occurred_at.to_rfc3339(), "2024-03-06T12:02:12+00:00");
    assert_eq!(
        emre.attributes
            .get("distribution_channel")
            .map(String::as_str),
        Some("email")
    );
    let anna = &read.records[1].1;
    assert_eq!(
        (anna.given_name.as_str(), anna.family_name.as_str()),
        ("Anna", "Weiß")
    );
    assert_eq!(
        anna.attributes.get("language").map(String::as_str),
        Some("DE")
    );
    assert_eq!(read.activities.len(), 2, "Layla skipped the question");
}

#[test]
fn generic_csat_by_mapping() {
    let mut config = config(
        "csat/generic_csat.csv",
        &[("layout", "generic"), ("metric", "csat")],
    );
    config.day_first = true;
    config.mapping = FieldMapping::default()
        .with("name", FieldSpec::Column("Kunde".into()))
        .with("activity_at", FieldSpec::Column("Datum".into()));
    let read = read_all(&config);
    assert_eq!((read.records.len(), read.activities.len()), (3, 2));
    let first = &read.activities[0];
    assert_eq!(first.0, 4);
    assert_eq!(
        (first.1.kind, first.1.score, first.1.summary.as_str()),
        (ActivityKind::CsatRating, Some(5), "Alles bestens")
    );
    assert_eq!(
        first.1.occurred_at.to_rfc3339(),
        "2024-03-01T10:00:00+00:00"
    );
    assert_eq!(
        read.errors,
        [
            ("generic_csat.csv".into(), 6, "Zufriedenheit (1-5)".into()),
            ("generic_csat.csv".into(), 7, "Datum".into()),
        ]
    );
    // The same file as NPS: no column mentions recommendation, and the
    // satisfaction column is not a score word for NPS.
    let nps = SourceConfig {
        options: [("layout".to_owned(), "generic".to_owned())].into(),
        ..config.clone()
    };
    let items = read_file(&nps, &fixtures().join("csat/generic_csat.csv"));
    assert!(
        matches!(items.as_slice(), [SourceItem::Error(e)] if e.field == "file"),
        "{items:?}"
    );
}

#[test]
fn empty_and_header_only_files() {
    let folder = tempfile::tempdir().expect("tempdir");
    let empty = folder.path().join("empty.csv");
    std::fs::write(&empty, "").expect("write");
    assert!(read_file(&config("", &[]), &empty).is_empty());
    let header_only = folder.path().join("header.csv");
    std::fs::write(
        &header_only,
        "Response ID,Email,Name,Score,Comment,Created At (UTC)\n",
    )
    .expect("write");
    assert!(read_file(&config("", &[]), &header_only).is_empty());
}

fn fixture_bytes() -> Vec<Vec<u8>> {
    [
        "delighted_nps.csv",
        "surveymonkey_nps.csv",
        "typeform_nps.csv",
        "qualtrics_nps.csv",
        "google_forms_nps.csv",
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
        let path = folder.path().join("fuzz.csv");
        std::fs::write(&path, &bytes).expect("write");
        let _ = read_file(&config("", &[]), &path);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0usize..5,
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
        let path = folder.path().join("mutated.csv");
        std::fs::write(&path, &bytes).expect("write");
        let first = read_file(&config("", &[]), &path);
        let second = read_file(&config("", &[]), &path);
        prop_assert_eq!(first, second);
    }
}
