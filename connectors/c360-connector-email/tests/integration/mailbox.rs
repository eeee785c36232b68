//! The `mailbox` kind on an mbox file and a folder of `.eml` messages.

use c360_connector::SourceItem;
use c360_model::ActivityKind;
use chrono::{TimeZone, Utc};

use crate::common::{activities, config, errors, fixture, read_all, records};

fn inbox() -> Vec<(String, SourceItem)> {
    let config = config(
        "mailbox",
        &[fixture("mailbox/inbox.mbox")],
        &[
            ("own_addresses", "me@shop.example, @shop.example"),
            ("skip_role_addresses", "true"),
        ],
    );
    read_all(&config)
}

#[test]
fn correspondents_once_messages_each() {
    let items = inbox();
    // Records come before the message that introduces them.
    let shape: Vec<String> = items
        .iter()
        .map(|(_, item)| match item {
            SourceItem::Record(record, _) => format!("record {}", record.external_id),
            SourceItem::Activity(activity, location) => {
                format!(
                    "message {} line {:?}",
                    activity.record_external_id, location.line
                )
            }
            SourceItem::Error(error) => {
                format!("error {} line {:?}", error.field, error.location.line)
            }
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            "record ayse@mail.example",
            "record sule.demir@mail.example",
            "message ayse@mail.example line Some(1)",
            "record fatima.alharbi@example.sa",
            "message fatima.alharbi@example.sa line Some(18)",
            "record wei.chen@example.cn",
            "message wei.chen@example.cn line Some(27)",
            // line 35: the bank's no-reply statement is skipped.
            "record juergen.mueller@example.de",
            "message juergen.mueller@example.de line Some(44)",
            "error From line Some(54)",
            "message ayse@mail.example line Some(62)",
        ]
    );
}

#[test]
fn encoded_names_in_four_charsets() {
    let items = inbox();
    let names: Vec<(String, String)> = records(&items)
        .iter()
        .map(|(record, _)| (record.given_name.clone(), record.family_name.clone()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Ayşe".to_owned(), "Yılmaz".to_owned()),
            ("Şule".to_owned(), "Demir".to_owned()),
            ("فاطمة".to_owned(), "الحربي".to_owned()),
            // Han names without a space: the first character is the family name.
            ("伟".to_owned(), "陈".to_owned()),
            ("Jürgen".to_owned(), "Müller".to_owned()),
        ]
    );
    let summaries: Vec<&str> = activities(&items)
        .iter()
        .map(|(activity, _)| activity.summary.as_str())
        .collect();
    assert_eq!(
        summaries,
        vec![
            "Sipariş hakkında",
            "طلب إرجاع",
            "订单问题",
            "Re: Lieferung",
            "Re: Sipariş hakkında"
        ]
    );
}

#[test]
fn a_message_in_full() {
    let items = inbox();
    let activities = activities(&items);
    let (first, location) = activities[0];
    assert_eq!(
        location.object.as_deref(),
        Some("CAF1234.ayse@mail.example")
    );
    assert_eq!(first.external_id, "CAF1234.ayse@mail.example");
    assert_eq!(first.kind, ActivityKind::EmailMessage);
    assert_eq!(
        first.occurred_at,
        Utc.with_ymd_and_hms(2024, 3, 5, 7, 11, 12).unwrap()
    );
    assert_eq!(first.attributes["direction"], "inbound");
    assert_eq!(first.attributes["from"], "ayse@mail.example");
    assert_eq!(first.attributes["to"], "me@shop.example");
    assert_eq!(
        first.attributes["cc"],
        "sule.demir@mail.example, colleague@shop.example"
    );

    // No Message-ID: an id from date, sender and subject, stable across runs.
    assert!(activities[2].0.external_id.starts_with("msg-"));
    assert_eq!(
        activities[2].0.external_id,
        self::activities(&inbox())[2].0.external_id
    );

    // Outbound, with a Date nobody can read: the separator's date.
    let (outbound, _) = activities[3];
    assert_eq!(outbound.attributes["direction"], "outbound");
    assert_eq!(outbound.attributes["date_from"], "mbox envelope");
    assert_eq!(
        outbound.occurred_at,
        Utc.with_ymd_and_hms(2024, 3, 8, 16, 30, 0).unwrap()
    );
    for (activity, _) in &activities {
        activity.validate().expect("valid activity");
    }
    for (record, _) in records(&items) {
        record.validate().expect("valid record");
    }
}

#[test]
fn role_senders_are_kept_unless_skipped() {
    let config = config(
        "mailbox",
        &[fixture("mailbox/inbox.mbox")],
        &[("own_addresses", "me@shop.example")],
    );
    let items = read_all(&config);
    let ids: Vec<&str> = records(&items)
        .iter()
        .map(|(record, _)| record.external_id.as_str())
        .collect();
    assert!(ids.contains(&"noreply@bank.example"));
    // Without the domain entry the colleague is a correspondent too.
    assert!(ids.contains(&"colleague@shop.example"));
}

#[test]
fn eml_folder() {
    let config = config(
        "mailbox",
        &[fixture("mailbox/eml")],
        &[("own_addresses", "me@shop.example")],
    );
    let items = read_all(&config);
    let files: Vec<&str> = items.iter().map(|(file, _)| file.as_str()).collect();
    assert_eq!(
        files,
        vec![
            "mailbox/eml/001.eml",
            "mailbox/eml/001.eml",
            "mailbox/eml/002.eml",
            "mailbox/eml/002.eml",
            "mailbox/eml/003.eml",
        ]
    );
    let (juergen, location) = records(&items)[0];
    assert_eq!(juergen.external_id, "juergen.mueller@example.de");
    assert_eq!(
        (juergen.given_name.as_str(), juergen.family_name.as_str()),
        ("Jürgen", "Müller")
    );
    assert_eq!(
        (location.line, location.object.as_deref()),
        (None, Some("eml-001@example.de"))
    );
    let (message, _) = activities(&items)[0];
    assert_eq!(message.summary, "Rückfrage");
    assert_eq!(
        message.occurred_at,
        Utc.with_ymd_and_hms(2024, 3, 11, 8, 15, 0).unwrap()
    );
    let errors = errors(&items);
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].field, "Date");
    assert_eq!(errors[0].reason, "the message has no Date header");
    assert!(errors[1].location.file.ends_with("003.eml"));
}
