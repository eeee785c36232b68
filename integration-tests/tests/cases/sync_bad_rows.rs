//! Sync runs over files with bad rows of every kind: each bad row is
//! quarantined with its line and reason, every good row is stored, and
//! re-running (or re-reading a grown file) duplicates nothing.

use std::path::Path;

use c360_integration_tests::{Backend, run_sync, source, spawn_with_sources};
use c360_proto::v1;
use c360_proto::v1::lookup_profile_request::Key;

on_both_backends!(
    bad_rows_of_every_kind_are_quarantined_and_good_rows_kept,
    legacy_code_pages_decode,
    records_missing_from_a_full_export_follow_on_missing
);

const ROWS: usize = 2000;

/// What a bad row at `line` should be reported for.
struct Expected {
    line: usize,
    reason: &'static str,
}

/// 2,000 customer rows, 1% of them bad in six ways (bad date, invalid e-mail,
/// wrong column count, undecodable bytes, a conflicting duplicate id, a
/// 100 kB field).
fn customers_csv(path: &Path, extra_rows: usize) -> Vec<Expected> {
    let mut bytes = b"Customer ID,Full name,E-mail,Mobile,Birth date\n".to_vec();
    let mut expected = Vec::new();
    for row in 0..ROWS + extra_rows {
        let line = row + 2;
        let good = format!(
            "C{row:05},Customer {row} Yılmaz,customer{row}@example.com,0532 {:03} {:04},05.03.1990\n",
            row % 1000,
            row
        );
        if row % 100 != 50 || row >= ROWS {
            bytes.extend_from_slice(good.as_bytes());
            continue;
        }
        let (text, reason): (Vec<u8>, &str) = match (row / 100) % 6 {
            0 => (
                format!("C{row:05},Bad Date,bad-date{row}@example.com,,31.31.1990\n").into_bytes(),
                "is not a date",
            ),
            // The hub refuses it; its reason names the address.
            1 => (
                format!("C{row:05},Bad Mail,not-an-email,,\n").into_bytes(),
                "",
            ),
            2 => (
                format!("C{row:05},Too Few\n").into_bytes(),
                "fields, the header has 5",
            ),
            3 => {
                let mut text = format!("C{row:05},Bro").into_bytes();
                text.extend_from_slice(b"\xff\xfeken");
                text.extend_from_slice(format!(",broken{row}@example.com,,\n").as_bytes());
                (text, "not valid UTF-8")
            }
            4 => (
                format!("C{:05},Someone Else,else{row}@example.com,,\n", row - 50).into_bytes(),
                "duplicate id",
            ),
            _ => (
                format!(
                    "C{row:05},{},huge{row}@example.com,,\n",
                    "x".repeat(100 * 1024)
                )
                .into_bytes(),
                "bytes long",
            ),
        };
        bytes.extend_from_slice(&text);
        expected.push(Expected { line, reason });
    }
    std::fs::write(path, bytes).expect("write the customer file");
    expected
}

async fn bad_rows_of_every_kind_are_quarantined_and_good_rows_kept(backend: Backend) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let customers = folder.path().join("customers.csv");
    let empty = folder.path().join("empty.csv");
    let expected = customers_csv(&customers, 0);
    std::fs::write(&empty, b"").expect("write the empty file");
    assert_eq!(expected.len(), ROWS / 100, "1% of the rows are bad");

    let mut config = source("crm-sheet", "spreadsheet", &[&customers, &empty]);
    config.default_country = "TR".into();
    config.day_first = true;
    let mut app = spawn_with_sources(backend, vec![config]).await;

    let summary = run_sync(&mut app.ingest, &["crm-sheet"]).await.remove(0);
    let good = (ROWS - expected.len()) as i64;
    assert_eq!(summary.records_inserted, good, "{summary:?}");
    assert_eq!(summary.files_read, 2);
    assert_eq!(summary.files_failed, 0);
    // Invalid e-mails are refused by the hub; the rest the connector could
    // not read (plus the empty file).
    let invalid_emails = expected.iter().filter(|bad| bad.reason.is_empty()).count() as i64;
    assert_eq!(summary.records_rejected, invalid_emails, "{summary:?}");
    assert_eq!(
        summary.rows_unreadable,
        expected.len() as i64 - invalid_emails + 1,
        "{summary:?}"
    );

    let errors = app
        .ingest
        .list_row_errors(v1::ListRowErrorsRequest {
            source: "crm-sheet".into(),
            page_size: 1000,
            page_token: String::new(),
        })
        .await
        .expect("ListRowErrors")
        .into_inner();
    assert_eq!(errors.total_size, expected.len() as i64 + 1);
    let customers_name = customers.display().to_string();
    for bad in &expected {
        let location = format!("{customers_name}:{}", bad.line);
        let found = errors
            .row_errors
            .iter()
            .find(|error| error.location == location)
            .unwrap_or_else(|| panic!("no row error at {location}: {:?}", errors.row_errors));
        assert!(
            found.reason.contains(bad.reason),
            "{location}: {:?} does not say {:?}",
            found.reason,
            bad.reason
        );
        assert!(!found.raw.is_empty(), "{location} keeps the raw row");
    }
    let empty_name = empty.display().to_string();
    assert!(
        errors
            .row_errors
            .iter()
            .any(|error| error.location == empty_name && error.reason.contains("no rows")),
        "the empty file is reported"
    );

    // A good row next to a bad one is stored.
    let profile = app
        .profiles
        .lookup_profile(v1::LookupProfileRequest {
            key: Some(Key::Email("customer51@example.com".into())),
        })
        .await
        .expect("the row after a bad one is stored")
        .into_inner();
    assert_eq!(profile.profiles.len(), 1);

    // Re-running an unchanged source changes nothing.
    let again = run_sync(&mut app.ingest, &["crm-sheet"]).await.remove(0);
    assert_eq!(
        (again.files_unchanged, again.records_read),
        (2, 0),
        "{again:?}"
    );

    // A grown file is read again: old rows unchanged, new ones inserted, no
    // quarantine entry repeated.
    customers_csv(&customers, 10);
    let grown = run_sync(&mut app.ingest, &["crm-sheet"]).await.remove(0);
    assert_eq!(grown.records_inserted, 10, "{grown:?}");
    assert_eq!(grown.records_unchanged, good, "{grown:?}");
    let total = app
        .ingest
        .list_row_errors(v1::ListRowErrorsRequest {
            source: "crm-sheet".into(),
            page_size: 1,
            page_token: String::new(),
        })
        .await
        .expect("ListRowErrors")
        .into_inner();
    assert_eq!(
        total.total_size, errors.total_size,
        "no quarantine entry repeated"
    );
    assert_eq!(total.row_errors.len(), 1);
    assert!(!total.next_page_token.is_empty(), "pages on");
    app.stop().await;
}

async fn legacy_code_pages_decode(backend: Backend) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let turkish = folder.path().join("musteriler.csv");
    let arabic = folder.path().join("customers-ar.csv");
    let text = "Müşteri No;Ad Soyad;E-posta;Şehir\nT1;Ayşe Yılmaz;ayse@example.com;İstanbul\nT2;Çağrı Öztürk;cagri@example.com;Eskişehir\nT3;Gülşen Işık;gulsen@example.com;Muğla\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1254.encode(text);
    std::fs::write(&turkish, bytes).expect("write");
    let text = "ID,الاسم,البريد الإلكتروني\nA1,محمد عبد الله,mohammed@example.com\nA2,فاطمة الزهراء,fatima@example.com\nA3,يوسف كريم,yusuf@example.com\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
    std::fs::write(&arabic, bytes).expect("write");
    let sources = vec![
        source("tr-sheet", "spreadsheet", &[&turkish]),
        source("ar-sheet", "spreadsheet", &[&arabic]),
    ];
    let mut app = spawn_with_sources(backend, sources).await;
    let summaries = run_sync(&mut app.ingest, &[]).await;
    assert_eq!(summaries.len(), 2);
    for (email, name) in [
        ("ayse@example.com", "Ayşe Yılmaz"),
        ("gulsen@example.com", "Gülşen Işık"),
        ("mohammed@example.com", "محمد عبد الله"),
        ("fatima@example.com", "فاطمة الزهراء"),
    ] {
        let profile = app
            .profiles
            .lookup_profile(v1::LookupProfileRequest {
                key: Some(Key::Email(email.into())),
            })
            .await
            .expect("synced")
            .into_inner()
            .profiles
            .remove(0);
        let shown = profile.name.map(|name| name.display).unwrap_or_default();
        assert_eq!(shown, name, "{email}");
    }
    app.stop().await;
}

/// Writes a customer list of the given people (index → e-mail `p<index>@…`).
fn people_csv(path: &Path, people: &[usize]) {
    let mut text = String::from("ID,Name,Email\n");
    for person in people {
        text.push_str(&format!(
            "P{person},Person {person} Kaya,p{person}@example.com\n"
        ));
    }
    std::fs::write(path, text).expect("write the list");
}

async fn profiles_with_email(app: &mut c360_integration_tests::TestApp, email: &str) -> usize {
    app.profiles
        .lookup_profile(v1::LookupProfileRequest {
            key: Some(Key::Email(email.into())),
        })
        .await
        .map(|response| response.into_inner().profiles.len())
        .unwrap_or(0)
}

async fn records_missing_from_a_full_export_follow_on_missing(backend: Backend) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let full = folder.path().join("full.csv");
    let partial = folder.path().join("partial.csv");
    people_csv(&full, &[1, 2, 3, 4, 5]);
    people_csv(&partial, &[6, 7, 8]);
    let mut deleting = source("full-export", "spreadsheet", &[&full]);
    deleting.on_missing = c360_connector::OnMissing::Delete;
    let keeping = source("changes-export", "spreadsheet", &[&partial]);
    let mut app = spawn_with_sources(backend, vec![deleting, keeping]).await;
    let first = run_sync(&mut app.ingest, &[]).await;
    assert_eq!(
        (first[0].records_inserted, first[1].records_inserted),
        (5, 3)
    );

    // Both files shrink: the full export drops people 2 and 4, the other drops 7.
    people_csv(&full, &[1, 3, 5]);
    people_csv(&partial, &[6, 8]);
    let second = run_sync(&mut app.ingest, &[]).await;
    assert_eq!(second[0].records_deleted, 2, "{:?}", second[0]);
    assert_eq!(second[0].records_unchanged, 3, "{:?}", second[0]);
    assert_eq!(second[1].records_deleted, 0, "{:?}", second[1]);
    assert_eq!(profiles_with_email(&mut app, "p2@example.com").await, 0);
    assert_eq!(profiles_with_email(&mut app, "p4@example.com").await, 0);
    assert_eq!(profiles_with_email(&mut app, "p1@example.com").await, 1);
    assert_eq!(
        profiles_with_email(&mut app, "p7@example.com").await,
        1,
        "kept"
    );

    // A deleted person who comes back is a record again.
    people_csv(&full, &[1, 2, 3, 5]);
    let third = run_sync(&mut app.ingest, &["full-export"]).await;
    assert_eq!(
        (third[0].records_inserted, third[0].records_deleted),
        (1, 0),
        "{:?}",
        third[0]
    );
    assert_eq!(profiles_with_email(&mut app, "p2@example.com").await, 1);
    app.stop().await;
}
