//! Stripe API responses saved as JSON: list pages, arrays of pages, JSON Lines.

use c360_model::{ActivityKind, SourceKey};

use crate::common::*;

#[test]
fn customer_pages_become_records() {
    let items = read_source(&config(&["api/customers.json"]));
    let records = records(&items);
    assert_eq!(records.len(), 2, "the deleted customer is skipped");
    let weiss = records[0];
    assert_eq!(weiss.external_id, "cus_JWeiss");
    assert_eq!(
        (weiss.given_name.as_str(), weiss.family_name.as_str()),
        ("Jörg", "Weiß")
    );
    assert_eq!(weiss.phones, vec!["+498912345678"]);
    assert_eq!(weiss.addresses[0].postal_code, "80539");
    assert_eq!(
        weiss.cross_references,
        vec![SourceKey::new("crm-sheet", "CRM-2001")]
    );
    assert_eq!(weiss.attributes["created"], "2024-01-01T10:00:00+00:00");
    assert_eq!(weiss.attributes["metadata.segment"], "SMB");
    assert_eq!(weiss.attributes["preferred_locale"], "de");
    let khalid = records[1];
    assert!(khalid.emails.is_empty());
    assert_eq!(khalid.attributes["delinquent"], "true");
    assert_eq!(khalid.addresses[0].city, "الرياض");
    assert_eq!(
        errors(&items)
            .iter()
            .map(|(place, field, _)| (place.as_str(), field.as_str()))
            .collect::<Vec<_>>(),
        vec![("customers.json#data[3]:cus_JNobody", "record")]
    );
}

#[test]
fn mixed_pages_dispatch_on_the_object_field() {
    let items = read_source(&config(&["api/billing_pages.json"]));
    assert!(records(&items).is_empty());
    let summary: Vec<(String, String, i64)> = activity_summary(&items)
        .into_iter()
        .map(|(id, _, kind, amount, _)| (id, kind, amount))
        .collect();
    let expected: Vec<(String, String, i64)> = [
        ("in_JWeiss1", "invoice_paid", 11900),
        ("ch_JKhalid", "order", 25000),
        // Embedded in the charge and listed on the refunds page: the same
        // activity twice, which the hub stores once.
        ("re_JKhalid", "refund", 5000),
        ("re_JKhalid", "refund", 5000),
        ("sub_JWeiss-started", "subscription_started", 0),
        ("sub_JWeiss-cancelled", "subscription_cancelled", 0),
    ]
    .iter()
    .map(|(id, kind, amount)| ((*id).to_owned(), (*kind).to_owned(), *amount))
    .collect();
    assert_eq!(summary, expected);

    let activities = activities(&items);
    assert_eq!(
        activities[0].occurred_at.timestamp(),
        1_704_103_302,
        "paid_at"
    );
    assert_eq!(activities[2], activities[3]);
    assert_eq!(activities[2].record_external_id, "cus_JKhalid");
    assert_eq!(activities[2].attributes["reason"], "requested_by_customer");
    assert_eq!(activities[5].kind, ActivityKind::SubscriptionCancelled);
    assert_eq!(activities[5].attributes["plan"], "Team monthly");

    assert_eq!(
        errors(&items)
            .iter()
            .map(|(place, field, _)| (place.as_str(), field.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("billing_pages.json#[2].data[1]:re_JOrphan", "charge"),
            ("billing_pages.json#[4]:po_1", "object"),
        ]
    );
}

#[test]
fn json_lines_report_bad_lines_and_read_the_rest() {
    let items = read_source(&config(&["api/charges.jsonl"]));
    assert_eq!(activity_summary(&items).len(), 1);
    assert_eq!(
        errors(&items)
            .iter()
            .map(|(place, field, _)| (place.as_str(), field.as_str()))
            .collect::<Vec<_>>(),
        vec![("charges.jsonl:2", "line"), ("charges.jsonl:4", "amount")]
    );
}

#[test]
fn the_whole_source_reads_deterministically() {
    let fixtures = fixtures();
    let config = {
        let mut config = config(&[]);
        config.paths = vec![
            fixtures.display().to_string(),
            fixtures.join("api").display().to_string(),
        ];
        config
    };
    let first = read_source(&config);
    let second = read_source(&config);
    assert_eq!(first, second);
    assert_eq!(records(&first).len(), 7);
    assert_eq!(activities(&first).len(), 17);
    assert_eq!(errors(&first).len(), 14);
}
