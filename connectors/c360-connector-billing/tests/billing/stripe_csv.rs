//! Stripe Dashboard CSV exports: customers, invoices, payments and
//! subscriptions, each detected from its header row.

use c360_connector::SourceItem;
use c360_model::{PostalAddress, SourceKey};

use crate::common::*;

fn summary(rows: &[(&str, &str, &str, i64, &str)]) -> Vec<(String, String, String, i64, String)> {
    rows.iter()
        .map(|(id, customer, kind, amount, currency)| {
            (
                (*id).to_owned(),
                (*customer).to_owned(),
                (*kind).to_owned(),
                *amount,
                (*currency).to_owned(),
            )
        })
        .collect()
}

#[test]
fn customers_export_becomes_records_with_cross_references() {
    let items = read_source(&config(&["customers.csv"]));
    let records = records(&items);
    let ids: Vec<&str> = records.iter().map(|r| r.external_id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "cus_PAyse01",
            "cus_PMueller",
            "cus_PArabic",
            "cus_PChinese",
            "cus_PBadDate"
        ]
    );

    let ayse = records[0];
    assert_eq!(
        (ayse.given_name.as_str(), ayse.family_name.as_str()),
        ("Ayşe", "Yılmaz")
    );
    assert_eq!(ayse.emails, vec!["ayse.yilmaz@example.com.tr"]);
    // No country code: read with the billing address's country.
    assert_eq!(ayse.phones, vec!["+905321112233"]);
    assert_eq!(
        ayse.addresses,
        vec![PostalAddress {
            line1: "Bağdat Cd. No:5".into(),
            line2: "D:3".into(),
            city: "İstanbul".into(),
            region: String::new(),
            postal_code: "34710".into(),
            country: "TR".into(),
        }]
    );
    assert_eq!(
        ayse.cross_references,
        vec![SourceKey::new("crm-sheet", "CRM-1001")]
    );
    assert_eq!(ayse.updated_at, None, "created is not a change time");
    for (key, value) in [
        ("created", "2024-01-15T09:30:00+00:00"),
        ("currency", "try"),
        ("delinquent", "false"),
        ("metadata.crm_id", "CRM-1001"),
        ("metadata.language", "tr"),
        ("plan", "Pro"),
        ("subscription_status", "active"),
    ] {
        assert_eq!(
            ayse.attributes.get(key).map(String::as_str),
            Some(value),
            "{key}"
        );
    }

    // "Family, Given" and padded e-mail.
    let mueller = records[1];
    assert_eq!(
        (mueller.given_name.as_str(), mueller.family_name.as_str()),
        ("Jürgen", "Müller")
    );
    assert_eq!(mueller.emails, vec!["j.mueller@example.de"]);
    assert_eq!(mueller.attributes["delinquent"], "true");
    assert!(mueller.cross_references.is_empty());

    let arabic = records[2];
    assert_eq!(arabic.phones, vec!["+971501234567"]);
    assert_eq!(arabic.addresses[0].city, "دبي");

    // An unreadable creation date is kept as written; an invalid e-mail is the hub's to judge.
    let legacy = records[4];
    assert_eq!(legacy.attributes["created"], "31/31/2024");
    assert_eq!(legacy.emails, vec!["not-an-email"]);
    assert_eq!(legacy.attributes["description"], "imported from legacy");

    assert_eq!(
        errors(&items)
            .iter()
            .map(|(place, field, _)| (place.as_str(), field.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("customers.csv:6", "row"),
            ("customers.csv:7", "id"),
            ("customers.csv:8", "record"),
        ]
    );
    assert!(
        activities(&items).is_empty(),
        "customers files yield no activities"
    );
}

#[test]
fn invoices_export_yields_paid_invoices_only() {
    let items = read_source(&config(&["invoices.csv"]));
    assert!(
        records(&items).is_empty(),
        "only customers files yield records"
    );
    assert_eq!(
        activity_summary(&items),
        summary(&[
            ("in_1Ayse", "cus_PAyse01", "invoice_paid", 4900, "TRY"),
            ("in_3Arabic", "cus_PArabic", "invoice_paid", 36725, "AED"),
            // Yen has no minor unit.
            ("in_4Chinese", "cus_PChinese", "invoice_paid", 1500, "JPY"),
        ])
    );
    let first = activities(&items)[0];
    assert_eq!(first.occurred_at.to_rfc3339(), "2024-02-15T09:31:00+00:00");
    assert_eq!(first.summary, "Invoice A1B2C3-0001");
    assert_eq!(first.attributes["subscription"], "sub_1Ayse");
    assert_eq!(
        errors(&items),
        vec![
            (
                "invoices.csv:6".into(),
                "Amount Paid".into(),
                "\"n/a\" is not an amount".into()
            ),
            (
                "invoices.csv:7".into(),
                "Date (UTC)".into(),
                "\"2024-02-30 09:31\" is not a date or time".into()
            ),
            (
                "invoices.csv:9".into(),
                "Customer".into(),
                "no customer id".into()
            ),
        ]
    );
    let raw = items.iter().find_map(|item| match item {
        SourceItem::Error(error) => Some(error.raw.clone()),
        _ => None,
    });
    assert!(raw.is_some_and(|raw| raw.starts_with("in_5BadAmount,12.00,n/a,")));
}

#[test]
fn payments_export_yields_orders_and_refunds() {
    let items = read_source(&config(&["payments.csv"]));
    assert_eq!(
        activity_summary(&items),
        summary(&[
            ("ch_1Mueller", "cus_PMueller", "order", 2500, "EUR"),
            // Paid an invoice: its invoice_paid counts it; the refund still counts.
            ("ch_2Ayse-refund", "cus_PAyse01", "refund", 1000, "TRY"),
            ("ch_5Chinese", "cus_PChinese", "order", 1500, "JPY"),
            ("ch_5Chinese-refund", "cus_PChinese", "refund", 1500, "JPY"),
        ])
    );
    assert_eq!(activities(&items)[0].summary, "Workshop ticket");
    assert_eq!(
        errors(&items)
            .iter()
            .map(|(place, field, _)| (place.as_str(), field.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("payments.csv:5", "Customer ID"),
            ("payments.csv:7", "Amount Refunded")
        ]
    );
}

#[test]
fn invoice_payments_can_count_as_orders() {
    let mut config = config(&["payments.csv"]);
    config
        .options
        .insert("invoice_charges_as_orders".into(), "true".into());
    let items = read_source(&config);
    assert!(
        activity_summary(&items)
            .iter()
            .any(|(id, _, kind, amount, _)| id == "ch_2Ayse" && kind == "order" && *amount == 4900)
    );
}

#[test]
fn subscriptions_export_yields_starts_and_cancellations() {
    let items = read_source(&config(&["subscriptions.csv"]));
    assert_eq!(
        activity_summary(&items),
        summary(&[
            (
                "sub_1Ayse-started",
                "cus_PAyse01",
                "subscription_started",
                0,
                ""
            ),
            (
                "sub_2Mueller-started",
                "cus_PMueller",
                "subscription_started",
                0,
                ""
            ),
            (
                "sub_2Mueller-cancelled",
                "cus_PMueller",
                "subscription_cancelled",
                0,
                ""
            ),
        ])
    );
    let cancelled = activities(&items)[2];
    assert_eq!(
        cancelled.occurred_at.to_rfc3339(),
        "2024-02-10T12:00:00+00:00"
    );
    assert_eq!(cancelled.attributes["reason"], "too_expensive");
    assert_eq!(cancelled.attributes["plan"], "price_basic_yearly");
    assert_eq!(
        errors(&items)
            .iter()
            .map(|(place, field, _)| (place.as_str(), field.as_str()))
            .collect::<Vec<_>>(),
        vec![("subscriptions.csv:5", "Canceled At (UTC)")]
    );
}

#[test]
fn a_semicolon_comma_decimal_resave_reads_the_same() {
    // The invoices export after a round trip through a German spreadsheet.
    let folder = tempfile::tempdir().expect("tempdir");
    let path = folder.path().join("rechnungen.csv");
    std::fs::write(
        &path,
        "id;Amount Paid;Currency;Customer;Date (UTC);Status\nin_9;1.234,50;eur;cus_PMueller;2024-02-16 10:00;paid\n",
    )
    .expect("write");
    let mut config = config(&[]);
    config.paths = vec![path.display().to_string()];
    let items = read_source(&config);
    assert_eq!(
        activity_summary(&items),
        summary(&[("in_9", "cus_PMueller", "invoice_paid", 123_450, "EUR")])
    );
}

#[test]
fn an_unknown_csv_is_refused_and_an_empty_one_is_nothing() {
    let folder = tempfile::tempdir().expect("tempdir");
    let unknown = folder.path().join("orders.csv");
    std::fs::write(&unknown, "Order,Total,Buyer\n1,2,3\n").expect("write");
    let empty = folder.path().join("empty.csv");
    std::fs::write(&empty, "").expect("write");
    let config = config(&[]);
    let unknown_items = c360_connector_billing::read_file(&config, &unknown);
    assert_eq!(unknown_items.len(), 1);
    assert!(
        errors(&unknown_items)[0]
            .2
            .contains("not a Stripe customers"),
        "{:?}",
        errors(&unknown_items)
    );
    assert!(c360_connector_billing::read_file(&config, &empty).is_empty());
}

#[test]
fn a_turkish_code_page_export_is_decoded() {
    // Opened and saved by a spreadsheet on a Turkish Windows machine.
    let folder = tempfile::tempdir().expect("tempdir");
    let path = folder.path().join("customers.csv");
    std::fs::write(
        &path,
        b"id,Email,Name,Address Country\ncus_1,ayse@example.com,Ay\xFEe Y\xFDlmaz,TR\n",
    )
    .expect("write");
    let mut config = config(&[]);
    config.paths = vec![path.display().to_string()];
    config.encoding = "windows-1254".into();
    let items = read_source(&config);
    let records = records(&items);
    assert_eq!(records.len(), 1, "{:?}", errors(&items));
    assert_eq!(
        (
            records[0].given_name.as_str(),
            records[0].family_name.as_str()
        ),
        ("Ayşe", "Yılmaz")
    );
}
