//! The `mailchimp` kind on one audience export and one campaign's activity.

use std::collections::BTreeMap;

use c360_connector_email::hash::subscriber_hash;
use c360_model::{ActivityKind, PostalAddress, SourceRecord};
use chrono::{TimeZone, Utc};

use crate::common::{activities, attribute, config, errors, fixture, read_all, records};

fn items() -> Vec<(String, c360_connector::SourceItem)> {
    let config = config(
        "mailchimp",
        &[
            fixture("mailchimp"),
            fixture("mailchimp/granular_activity/*/*.csv"),
        ],
        &[],
    );
    read_all(&config)
}

#[test]
fn reads_every_file_of_the_export() {
    let items = items();
    let mut files: Vec<&str> = items.iter().map(|(file, _)| file.as_str()).collect();
    files.dedup();
    assert_eq!(
        files,
        vec![
            "mailchimp/cleaned_members_export_8f3c1a2b9d.csv",
            "mailchimp/granular_activity/clicks/81234_Spring_Sale_2024.csv",
            "mailchimp/granular_activity/opens/81234_Spring_Sale_2024.csv",
            "mailchimp/subscribed_members_export_8f3c1a2b9d.csv",
            "mailchimp/unsubscribed_members_export_8f3c1a2b9d.csv",
        ]
    );
    assert_eq!(items.len(), 20);
    assert_eq!(records(&items).len(), 8);
    assert_eq!(activities(&items).len(), 6);
    assert_eq!(errors(&items).len(), 6);
}

#[test]
fn a_subscribed_member_in_full() {
    let items = items();
    let records = records(&items);
    let (ayse, location) = records
        .iter()
        .find(|(record, _)| record.given_name == "Ayşe")
        .expect("Ayşe");
    assert_eq!(location.line, Some(2));
    let expected = SourceRecord {
        source: "mailchimp-test".into(),
        external_id: subscriber_hash("ayse.yilmaz@example.com.tr"),
        given_name: "Ayşe".into(),
        family_name: "Yılmaz".into(),
        emails: vec!["ayse.yilmaz@example.com.tr".into()],
        // Written without a country code; the address says TR.
        phones: vec!["+905321112233".into()],
        addresses: vec![PostalAddress {
            line1: "Bağdat Cad. 12".into(),
            line2: "Daire 5".into(),
            city: "İstanbul".into(),
            region: "Kadıköy".into(),
            postal_code: "34710".into(),
            country: "TR".into(),
        }],
        company: "Yılmaz Tekstil".into(),
        updated_at: Some(Utc.with_ymd_and_hms(2024, 2, 11, 8, 1, 12).unwrap()),
        attributes: BTreeMap::from(
            [
                ("birthday", "03/15"),
                ("confirm_time", "2021-03-02 09:16:40"),
                ("euid", "a1b2c3d4e5"),
                ("favourite_store", "Kadıköy"),
                ("geo_country", "TR"),
                ("geo_region", "34"),
                ("leid", "110234567"),
                ("member_rating", "4"),
                ("optin_time", "2021-03-02 09:15:01"),
                ("status", "subscribed"),
                ("tags", r#"["VIP","Sadık müşteri"]"#),
                ("timezone", "Europe/Istanbul"),
            ]
            .map(|(key, value)| (key.to_owned(), value.to_owned())),
        ),
        ..SourceRecord::default()
    };
    assert_eq!(**ayse, expected);
}

#[test]
fn other_scripts_addresses_and_statuses() {
    let items = items();
    let records = records(&items);
    let find = |given: &str| {
        records
            .iter()
            .find(|(record, _)| record.given_name == given)
            .map(|(record, location)| (*record, location.line))
            .unwrap_or_else(|| panic!("{given}"))
    };
    let (fatima, _) = find("فاطمة");
    assert_eq!(fatima.emails, vec!["fatima.alharbi@example.sa"]);
    assert_eq!(
        fatima.external_id,
        subscriber_hash("fatima.alharbi@example.sa")
    );
    assert_eq!(fatima.phones, vec!["+966501234567"]);
    assert_eq!(fatima.addresses[0].city, "الرياض");
    assert_eq!(fatima.addresses[0].line2, "");
    assert_eq!(attribute(fatima, "tags"), Some(r#"["Riyadh"]"#));

    let (juergen, _) = find("Jürgen");
    assert_eq!(juergen.addresses[0].postal_code, "10115");
    assert_eq!(juergen.phones, vec!["+49301234567"]);
    assert_eq!(attribute(juergen, "tags"), None);

    let (wei, _) = find("伟");
    assert_eq!(wei.family_name, "陈");
    assert_eq!(attribute(wei, "favourite_store"), Some("上海 南京路"));
    assert_eq!(attribute(wei, "notes"), Some("Prefers WeChat"));
    assert!(wei.addresses.is_empty());

    let (mehmet, _) = find("Mehmet");
    assert_eq!(attribute(mehmet, "status"), Some("unsubscribed"));
    assert_eq!(
        attribute(mehmet, "unsub_reason_other"),
        Some("Çok sık e-posta geliyor")
    );
    assert_eq!(
        attribute(mehmet, "unsub_campaign_title"),
        Some("Spring Sale 2024")
    );

    let (karim, line) = find("كريم");
    assert_eq!(line, Some(3));
    assert_eq!(attribute(karim, "status"), Some("cleaned"));
    assert_eq!(
        attribute(karim, "notes"),
        Some("Called twice.\nPrefers Arabic.")
    );
    assert_eq!(
        attribute(karim, "clean_campaign_title"),
        Some("Newsletter August")
    );
    // The quoted note spans two lines: Sabine's row is line 5.
    assert_eq!(find("Sabine").1, Some(5));
}

#[test]
fn bad_rows_are_reported_with_their_lines() {
    let items = items();
    let found: Vec<(Option<u64>, &str, &str)> = errors(&items)
        .iter()
        .map(|error| {
            let file = if error.location.file.contains("opens") {
                "opens"
            } else {
                "subscribed"
            };
            (error.location.line, error.field.as_str(), file)
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (Some(4), "Timestamp", "opens"),
            (Some(5), "Email", "opens"),
            (Some(6), "LAST_CHANGED", "subscribed"),
            (Some(7), "row", "subscribed"),
            (Some(8), "Email Address", "subscribed"),
            (Some(9), "MEMBER_RATING", "subscribed"),
        ]
    );
    let short = errors(&items)[3];
    assert!(short.reason.contains("6 fields"), "{}", short.reason);
    assert!(
        short.raw.starts_with("short.row@example.com"),
        "{}",
        short.raw
    );
}

#[test]
fn opens_and_clicks_key_to_the_member() {
    let items = items();
    let activities = activities(&items);
    let opens: Vec<_> = activities
        .iter()
        .filter(|(activity, _)| activity.kind == ActivityKind::EmailOpen)
        .collect();
    let clicks: Vec<_> = activities
        .iter()
        .filter(|(activity, _)| activity.kind == ActivityKind::EmailClick)
        .collect();
    assert_eq!((opens.len(), clicks.len()), (3, 3));

    let ayse = subscriber_hash("ayse.yilmaz@example.com.tr");
    let (first_open, location) = opens[0];
    assert_eq!(location.line, Some(2));
    assert_eq!(
        first_open.external_id,
        format!("mc-open-81234-{ayse}-20240305T101112")
    );
    assert_eq!(first_open.record_external_id, ayse);
    assert_eq!(
        first_open.occurred_at,
        Utc.with_ymd_and_hms(2024, 3, 5, 10, 11, 12).unwrap()
    );
    assert_eq!(first_open.summary, "Spring_Sale_2024");
    assert_eq!(first_open.attributes["campaign_id"], "81234");

    // Written in capitals in the opens file, unsubscribed since: one member.
    let records = records(&items);
    let mehmet = records
        .iter()
        .find(|(record, _)| record.given_name == "Mehmet")
        .expect("Mehmet");
    assert_eq!(opens[1].0.record_external_id, mehmet.0.external_id);

    // Two links clicked in the same second are two clicks.
    assert_ne!(clicks[0].0.external_id, clicks[1].0.external_id);
    assert_eq!(
        clicks[0].0.attributes["url"],
        "https://shop.example.com/bahar?utm_source=mailchimp"
    );
    assert_eq!(
        clicks[2].0.attributes["url"],
        "https://shop.example.com/ar?q=عطر"
    );
    for (activity, _) in &activities {
        activity.validate().expect("valid activity");
    }
}

#[test]
fn reading_twice_gives_the_same_items() {
    assert_eq!(items(), items());
}

#[test]
fn a_file_that_is_no_mailchimp_export_is_refused_whole() {
    let folder = tempfile::tempdir().expect("tempdir");
    let path = folder.path().join("orders.csv");
    std::fs::write(&path, "Order,Total\n1,9.99\n").expect("write");
    let config = config("mailchimp", std::slice::from_ref(&path), &[]);
    let items = c360_connector_email::read_file(&config, &path);
    assert_eq!(items.len(), 1);
    let c360_connector::SourceItem::Error(error) = &items[0] else {
        panic!("one file error");
    };
    assert!(
        error.reason.contains("not a Mailchimp export"),
        "{}",
        error.reason
    );
}

#[test]
fn unknown_options_are_refused() {
    let config = config("mailchimp", &[fixture("mailchimp")], &[("statuss", "x")]);
    assert!(c360_connector_email::connector(&config).is_err());
}
