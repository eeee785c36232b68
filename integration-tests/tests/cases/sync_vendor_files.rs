//! Vendor files synced over `RunSync`: the demo's exports
//! (`crates/c360-cli/demo/sources/`), declared as `config/examples/*.toml`
//! declare them, become golden records that link across all five sources,
//! and a second run changes nothing; the connector crates' own fixtures
//! (exports with deliberate bad rows) become golden records too, with every
//! bad row in `ListRowErrors` at its line.

use std::collections::BTreeSet;
use std::path::Path;

use c360_connector::{FieldMapping, FieldSpec, SourceConfig};
use c360_integration_tests::{Backend, TestApp, run_sync, source, spawn_with_sources};
use c360_proto::v1;
use c360_proto::v1::lookup_profile_request::Key;

on_both_backends!(
    demo_exports_link_across_sources_and_resync_as_unchanged,
    connector_fixtures_sync_and_quarantine_their_bad_rows
);

/// The demo's vendor exports (written by `make_vendor_files.py`).
const DEMO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../crates/c360-cli/demo/sources"
);
/// The connector crates, whose `tests/fixtures/` hold small vendor exports.
const CONNECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../connectors");

/// A source reading `patterns` (files, folders or globs) below `root`.
fn declared(name: &str, kind: &str, root: &str, patterns: &[&str]) -> SourceConfig {
    let paths: Vec<String> = patterns
        .iter()
        .map(|pattern| format!("{root}/{pattern}"))
        .collect();
    let paths: Vec<&Path> = paths.iter().map(Path::new).collect();
    source(name, kind, &paths)
}

fn mapping(pairs: &[(&str, &str)]) -> FieldMapping {
    FieldMapping(
        pairs
            .iter()
            .map(|(target, column)| {
                (
                    (*target).to_owned(),
                    FieldSpec::Column((*column).to_owned()),
                )
            })
            .collect(),
    )
}

fn options(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect()
}

/// The five sources of `config/examples/{billing,email,spreadsheet,support,survey}.toml`.
fn demo_sources() -> Vec<SourceConfig> {
    vec![
        SourceConfig {
            options: options(&[
                ("cross_reference_metadata", "crm_row=crm-sheet"),
                ("invoice_charges_as_orders", "false"),
            ]),
            mapping: mapping(&[("attribute:vat_id", "vat_id (metadata)")]),
            ..declared(
                "billing",
                "stripe",
                DEMO,
                &["billing/*.csv", "billing/*.json"],
            )
        },
        SourceConfig {
            mapping: mapping(&[("attribute:language", "Language")]),
            ..declared(
                "newsletter",
                "mailchimp",
                DEMO,
                &[
                    "newsletter/*.csv",
                    "newsletter/granular_activity/opens/*.csv",
                    "newsletter/granular_activity/clicks/*.csv",
                ],
            )
        },
        SourceConfig {
            encoding: "windows-1254".into(),
            delimiter: ";".into(),
            decimal_separator: ",".into(),
            default_country: "US".into(),
            date_formats: vec![
                "%d.%m.%Y %H:%M:%S".into(),
                "%d.%m.%Y %H:%M".into(),
                "%d.%m.%Y".into(),
            ],
            day_first: true,
            mapping: mapping(&[
                ("address_line2", "Adres 2"),
                ("region", "Bölge"),
                ("attribute:owner", "Sorumlu"),
                ("attribute:segment", "Segment"),
            ]),
            ..declared("crm-sheet", "spreadsheet", DEMO, &["crm-sheet"])
        },
        SourceConfig {
            options: options(&[("include_agents", "false")]),
            ..declared("support", "zendesk", DEMO, &["support/*.json"])
        },
        SourceConfig {
            options: options(&[
                ("layout", "delighted"),
                ("metric", "nps"),
                ("score_column", "Score"),
                ("comment_column", "Comment"),
            ]),
            mapping: mapping(&[("activity_attribute:wave", "Tags")]),
            ..declared("nps-survey", "survey", DEMO, &["nps-survey/*.csv"])
        },
    ]
}

/// What the first sync of each demo source reads: (source, files, records
/// read, records inserted, activities).
const DEMO_COUNTS: [(&str, i64, i64, i64, i64); 5] = [
    // 87 customers; 288 paid invoices, 77 subscriptions started and 9
    // cancelled, 13 refunds embedded in the charges page.
    ("billing", 4, 87, 87, 387),
    // 3 audience files + one open and one click file for each of 21 campaigns.
    ("newsletter", 45, 85, 85, 330),
    // The windows-1254 CSV and the workbook of Persian and Chinese rows.
    ("crm-sheet", 2, 79, 79, 0),
    // 107 tickets opened, 95 solved, 45 rated.
    ("support", 2, 82, 82, 247),
    // 41 answers, but three come from one shared info@ mailbox: Delighted
    // knows one person per address, so they are one respondent.
    ("nps-survey", 1, 41, 39, 41),
];

/// 120 customers, plus the shared mailbox's respondent: a role address
/// links to nobody.
const DEMO_GOLDEN_RECORDS: usize = 121;

async fn demo_exports_link_across_sources_and_resync_as_unchanged(backend: Backend) {
    let mut app = spawn_with_sources(backend, demo_sources()).await;

    let summaries = run_sync(&mut app.ingest, &[]).await;
    assert_eq!(summaries.len(), DEMO_COUNTS.len());
    for (summary, (name, files, records_read, records_inserted, activities)) in
        summaries.iter().zip(DEMO_COUNTS)
    {
        assert_eq!(summary.source, name);
        assert_eq!(
            (
                summary.files_read,
                summary.files_failed,
                summary.rows_unreadable
            ),
            (files, 0, 0),
            "{summary:?}"
        );
        assert_eq!(
            (
                summary.records_read,
                summary.records_inserted,
                summary.records_unchanged,
                summary.records_rejected
            ),
            (
                records_read,
                records_inserted,
                records_read - records_inserted,
                0
            ),
            "{summary:?}"
        );
        assert_eq!(
            (
                summary.activities_read,
                summary.activities_inserted,
                summary.activities_rejected
            ),
            (activities, activities, 0),
            "{summary:?}"
        );
    }
    assert_eq!(golden_record_count(&mut app).await, DEMO_GOLDEN_RECORDS);
    assert_eq!(row_error_total(&mut app, "").await, 0);

    // Günter Jäger of Bäckerei Groß is in all five systems, under three
    // spellings of one address; his timeline mixes them all.
    let jaeger = lookup_one(&mut app, Key::Email("g.jaeger@baeckerei-gross.de".into())).await;
    assert_eq!(
        crosswalk_sources(&jaeger),
        BTreeSet::from([
            "billing",
            "crm-sheet",
            "newsletter",
            "nps-survey",
            "support"
        ])
    );
    let timeline: BTreeSet<(v1::ActivityKind, &str)> = jaeger
        .recent_activity
        .iter()
        .map(|entry| {
            let source = entry
                .record
                .as_ref()
                .map_or("", |record| record.source.as_str());
            (entry.kind(), source)
        })
        .collect();
    for expected in [
        (v1::ActivityKind::InvoicePaid, "billing"),
        (v1::ActivityKind::Refund, "billing"),
        (v1::ActivityKind::SubscriptionStarted, "billing"),
        (v1::ActivityKind::EmailOpen, "newsletter"),
        (v1::ActivityKind::TicketOpened, "support"),
        (v1::ActivityKind::TicketSolved, "support"),
        (v1::ActivityKind::CsatRating, "support"),
        (v1::ActivityKind::NpsResponse, "nps-survey"),
    ] {
        assert!(timeline.contains(&expected), "{expected:?} in {timeline:?}");
    }
    let fetched = app
        .profiles
        .get_profile(v1::GetProfileRequest {
            golden_id: jaeger.golden_id.clone(),
        })
        .await
        .expect("GetProfile")
        .into_inner()
        .profile
        .expect("a profile");
    assert_eq!(fetched.crosswalk.len(), jaeger.crosswalk.len());

    // The demo's example calls: Ada by a tagged address and by her London
    // number, written three ways in three systems.
    let ada = lookup_one(&mut app, Key::Phone("+44 20 7946 0018".into())).await;
    assert_eq!(
        ada.name.as_ref().map(|name| name.display.as_str()),
        Some("Ada Lovelace")
    );
    assert_eq!(
        crosswalk_sources(&ada),
        BTreeSet::from(["billing", "crm-sheet", "nps-survey", "support"])
    );
    let by_email = lookup_one(
        &mut app,
        Key::Email("ADA.lovelace+news@lovelace.example.org".into()),
    )
    .await;
    assert_eq!(by_email.golden_id, ada.golden_id);

    // The Stripe metadata crm_row is a cross-reference into the sheet.
    let muller = lookup_one(
        &mut app,
        Key::SourceRecord(v1::SourceRef {
            source: "crm-sheet".into(),
            external_id: "CRM-0071".into(),
        }),
    )
    .await;
    assert!(
        muller.crosswalk.iter().any(|entry| entry
            .record
            .as_ref()
            .is_some_and(|record| record.external_id == "cus_AVtFlqmlS3sodz")),
        "{:?}",
        muller.crosswalk
    );

    // The shared mailbox's three NPS answers stay with its respondent
    // instead of pulling the colleagues who share the address together.
    let shared = app
        .profiles
        .lookup_profile(v1::LookupProfileRequest {
            key: Some(Key::Email("info@nordlicht-design.de".into())),
        })
        .await
        .expect("LookupProfile")
        .into_inner()
        .profiles;
    let respondent = shared
        .iter()
        .find(|profile| crosswalk_sources(profile).contains("nps-survey"))
        .expect("the shared mailbox's respondent");
    assert_eq!(
        crosswalk_sources(respondent),
        BTreeSet::from(["nps-survey"])
    );
    assert_eq!(respondent.recent_activity.len(), 3);

    // A second run finds every file unchanged and changes nothing.
    let again = run_sync(&mut app.ingest, &[]).await;
    for (summary, (_, files, ..)) in again.iter().zip(DEMO_COUNTS) {
        assert_eq!(
            (
                summary.files_read,
                summary.files_unchanged,
                summary.records_read,
                summary.activities_read,
                summary.golden_created,
                summary.golden_merged
            ),
            (0, files, 0, 0, 0, 0),
            "{summary:?}"
        );
    }
    assert_eq!(golden_record_count(&mut app).await, DEMO_GOLDEN_RECORDS);
    let unchanged = lookup_one(&mut app, Key::Email("g.jaeger@baeckerei-gross.de".into())).await;
    assert_eq!(unchanged.version, jaeger.version);
    app.stop().await;
}

/// The connector crates' fixtures that are exports of their format (some
/// rows deliberately bad), as each crate's own tests configure them.
fn fixture_sources() -> Vec<SourceConfig> {
    let sheet = |name: &str, file: &str, country: &str, day_first: bool| SourceConfig {
        default_country: country.into(),
        day_first,
        ..declared(
            name,
            "spreadsheet",
            CONNECTORS,
            &[&format!("c360-connector-spreadsheet/tests/fixtures/{file}")],
        )
    };
    vec![
        SourceConfig {
            options: options(&[("cross_reference_metadata", "crm_id=crm-sheet")]),
            ..declared(
                "stripe-fixtures",
                "stripe",
                CONNECTORS,
                &[
                    "c360-connector-billing/tests/fixtures/stripe/*.csv",
                    "c360-connector-billing/tests/fixtures/stripe/api",
                ],
            )
        },
        declared(
            "mailchimp-fixtures",
            "mailchimp",
            CONNECTORS,
            &[
                "c360-connector-email/tests/fixtures/mailchimp",
                "c360-connector-email/tests/fixtures/mailchimp/granular_activity/opens",
                "c360-connector-email/tests/fixtures/mailchimp/granular_activity/clicks",
            ],
        ),
        SourceConfig {
            options: options(&[("own_addresses", "me@shop.example, @shop.example")]),
            ..declared(
                "mailbox-fixtures",
                "mailbox",
                CONNECTORS,
                // Not eml/003.eml, binary garbage rather than a message: its
                // row error's raw text holds NUL bytes, which PostgreSQL
                // refuses, failing the whole sync there (a hub/store issue:
                // any NUL in a file does that; SQLite stores it).
                &[
                    "c360-connector-email/tests/fixtures/mailbox/inbox.mbox",
                    "c360-connector-email/tests/fixtures/mailbox/eml/001.eml",
                    "c360-connector-email/tests/fixtures/mailbox/eml/002.eml",
                ],
            )
        },
        sheet("kunden-fixture", "kunden.csv", "DE", true),
        sheet("musteriler-fixture", "musteriler.tsv", "TR", true),
        sheet("xlsx-fixture", "customers.xlsx", "DE", false),
        sheet("ods-fixture", "clients.ods", "FR", true),
        SourceConfig {
            default_country: "DE".into(),
            options: options(&[("external_id_source", "crm")]),
            ..declared(
                "zendesk-fixtures",
                "zendesk",
                CONNECTORS,
                &["c360-connector-support/tests/fixtures"],
            )
        },
        // Delighted, SurveyMonkey, Typeform, Qualtrics and Google Forms side
        // by side: each file's layout is recognized from its header.
        declared(
            "survey-fixtures",
            "survey",
            CONNECTORS,
            &["c360-connector-survey/tests/fixtures/*.csv"],
        ),
        SourceConfig {
            day_first: true,
            options: options(&[("layout", "generic"), ("metric", "csat")]),
            mapping: mapping(&[("name", "Kunde"), ("activity_at", "Datum")]),
            ..declared(
                "csat-fixture",
                "survey",
                CONNECTORS,
                &["c360-connector-survey/tests/fixtures/csat/generic_csat.csv"],
            )
        },
    ]
}

/// Per fixture source: records read, records the hub rejected, activities
/// read, and where each bad row is reported (the end of its location:
/// `file:line`, `file#object`, `file:line#sheet`), as the fixtures' READMEs
/// describe them.
struct FixtureExpectation {
    source: &'static str,
    records_read: i64,
    records_rejected: i64,
    activities_read: i64,
    bad_rows: &'static [&'static str],
}

const FIXTURES: [FixtureExpectation; 10] = [
    FixtureExpectation {
        source: "stripe-fixtures",
        records_read: 7,
        // Line 10's invalid e-mail is the hub's to refuse.
        records_rejected: 1,
        activities_read: 17,
        bad_rows: &[
            "stripe/customers.csv:6",
            "stripe/customers.csv:7",
            "stripe/customers.csv:8",
            "stripe/customers.csv:10",
            "stripe/invoices.csv:6",
            "stripe/invoices.csv:7",
            "stripe/invoices.csv:9",
            "stripe/payments.csv:5",
            "stripe/payments.csv:7",
            "stripe/subscriptions.csv:5",
            "stripe/api/customers.json#data[3]:cus_JNobody",
            "stripe/api/billing_pages.json#[2].data[1]:re_JOrphan",
            "stripe/api/billing_pages.json#[4]:po_1",
            "stripe/api/charges.jsonl:2",
            "stripe/api/charges.jsonl:4#ch_LYen",
        ],
    },
    FixtureExpectation {
        source: "mailchimp-fixtures",
        records_read: 8,
        records_rejected: 0,
        activities_read: 6,
        bad_rows: &[
            "subscribed_members_export_8f3c1a2b9d.csv:6",
            "subscribed_members_export_8f3c1a2b9d.csv:7",
            "subscribed_members_export_8f3c1a2b9d.csv:8",
            "subscribed_members_export_8f3c1a2b9d.csv:9",
            "opens/81234_Spring_Sale_2024.csv:4",
            "opens/81234_Spring_Sale_2024.csv:5",
        ],
    },
    FixtureExpectation {
        source: "mailbox-fixtures",
        records_read: 8,
        records_rejected: 0,
        activities_read: 7,
        bad_rows: &[
            "mailbox/inbox.mbox:54#nofrom@somewhere.example",
            "mailbox/eml/002.eml#eml-002@example.at",
        ],
    },
    FixtureExpectation {
        source: "kunden-fixture",
        records_read: 6,
        records_rejected: 0,
        activities_read: 0,
        bad_rows: &["kunden.csv:8", "kunden.csv:9", "kunden.csv:10"],
    },
    FixtureExpectation {
        source: "musteriler-fixture",
        records_read: 4,
        records_rejected: 0,
        activities_read: 0,
        bad_rows: &["musteriler.tsv:5"],
    },
    FixtureExpectation {
        source: "xlsx-fixture",
        records_read: 8,
        records_rejected: 0,
        activities_read: 0,
        bad_rows: &[
            "customers.xlsx:10#Customers",
            "customers.xlsx:11#Customers",
            "customers.xlsx:13#Customers",
            "customers.xlsx#Notizen",
        ],
    },
    FixtureExpectation {
        source: "ods-fixture",
        records_read: 2,
        records_rejected: 0,
        activities_read: 0,
        bad_rows: &["clients.ods:5#Clients"],
    },
    FixtureExpectation {
        source: "zendesk-fixtures",
        records_read: 5,
        records_rejected: 0,
        activities_read: 13,
        bad_rows: &[
            "users_page.json#users[4]:35439",
            "incremental_tickets.json#tickets[4]:505",
            "incremental_tickets.json#tickets[5]:506",
            "account_export_tickets.json:3",
        ],
    },
    FixtureExpectation {
        source: "survey-fixtures",
        records_read: 19,
        records_rejected: 0,
        activities_read: 14,
        bad_rows: &[
            "delighted_nps.csv:5",
            "delighted_nps.csv:7",
            "delighted_nps.csv:8",
            "surveymonkey_nps.csv:6",
            "qualtrics_nps.csv:7",
            // The same respondent answered again without a name and with
            // the address in capitals: the hub's duplicate-id check refuses
            // that second respondent record (the answer itself is kept).
            "typeform_nps.csv:4",
            "typeform_nps.csv:5",
        ],
    },
    FixtureExpectation {
        source: "csat-fixture",
        records_read: 3,
        records_rejected: 0,
        activities_read: 2,
        bad_rows: &["csat/generic_csat.csv:6", "csat/generic_csat.csv:7"],
    },
];

async fn connector_fixtures_sync_and_quarantine_their_bad_rows(backend: Backend) {
    let sources = fixture_sources();
    let files: Vec<usize> = sources
        .iter()
        .map(|source| {
            let connector =
                c360_connector::ConnectorFactory::build(&c360_cli::connectors::Families, source)
                    .expect("the source builds");
            connector.units().expect("its files are found").len()
        })
        .collect();
    let mut app = spawn_with_sources(backend, sources).await;
    let summaries = run_sync(&mut app.ingest, &[]).await;
    assert_eq!(summaries.len(), FIXTURES.len());
    for ((summary, expected), files) in summaries.iter().zip(&FIXTURES).zip(files) {
        assert_eq!(summary.source, expected.source);
        assert_eq!(
            (summary.files_read, summary.files_failed),
            (files as i64, 0),
            "{summary:?}"
        );
        assert_eq!(
            (
                summary.records_read,
                summary.records_rejected,
                summary.activities_read,
                summary.activities_rejected,
                summary.rows_unreadable + summary.records_rejected
            ),
            (
                expected.records_read,
                expected.records_rejected,
                expected.activities_read,
                0,
                expected.bad_rows.len() as i64
            ),
            "{summary:?}"
        );
        assert!(summary.golden_created > 0, "{summary:?}");

        let errors = app
            .ingest
            .list_row_errors(v1::ListRowErrorsRequest {
                source: expected.source.into(),
                page_size: 1000,
                page_token: String::new(),
            })
            .await
            .expect("ListRowErrors")
            .into_inner();
        assert_eq!(
            errors.total_size,
            expected.bad_rows.len() as i64,
            "{:?}",
            errors.row_errors
        );
        for bad_row in expected.bad_rows {
            let found = errors
                .row_errors
                .iter()
                .find(|error| error.location.ends_with(bad_row))
                .unwrap_or_else(|| panic!("no row error at {bad_row}: {:?}", errors.row_errors));
            assert!(
                !found.reason.is_empty() && !found.field.is_empty(),
                "{found:?}"
            );
        }
    }

    // Ayşe Yılmaz is in the Stripe, Mailchimp, spreadsheet, Zendesk and
    // survey fixtures: the fixtures of five families make one customer.
    let ayse = lookup_one(&mut app, Key::Email("ayse.yilmaz@example.com.tr".into())).await;
    let sources = crosswalk_sources(&ayse);
    for family in [
        "stripe-fixtures",
        "mailchimp-fixtures",
        "musteriler-fixture",
        "zendesk-fixtures",
        "survey-fixtures",
    ] {
        assert!(sources.contains(family), "{family} in {sources:?}");
    }

    // Re-running the fixtures repeats no quarantine entry.
    let before = row_error_total(&mut app, "").await;
    run_sync(&mut app.ingest, &[]).await;
    assert_eq!(row_error_total(&mut app, "").await, before);
    app.stop().await;
}

async fn lookup_one(app: &mut TestApp, key: Key) -> v1::Profile {
    let mut profiles = app
        .profiles
        .lookup_profile(v1::LookupProfileRequest {
            key: Some(key.clone()),
        })
        .await
        .unwrap_or_else(|status| panic!("LookupProfile {key:?}: {status:?}"))
        .into_inner()
        .profiles;
    assert_eq!(profiles.len(), 1, "{key:?}: {profiles:?}");
    profiles.remove(0)
}

fn crosswalk_sources(profile: &v1::Profile) -> BTreeSet<&str> {
    profile
        .crosswalk
        .iter()
        .filter_map(|entry| entry.record.as_ref().map(|record| record.source.as_str()))
        .collect()
}

async fn golden_record_count(app: &mut TestApp) -> usize {
    let mut count = 0;
    let mut page_token = String::new();
    loop {
        let page = app
            .profiles
            .list_golden_records(v1::ListGoldenRecordsRequest {
                page_size: 500,
                page_token,
                ..Default::default()
            })
            .await
            .expect("ListGoldenRecords")
            .into_inner();
        count += page.records.len();
        if page.next_page_token.is_empty() {
            return count;
        }
        page_token = page.next_page_token;
    }
}

async fn row_error_total(app: &mut TestApp, source: &str) -> i64 {
    app.ingest
        .list_row_errors(v1::ListRowErrorsRequest {
            source: source.into(),
            page_size: 1,
            page_token: String::new(),
        })
        .await
        .expect("ListRowErrors")
        .into_inner()
        .total_size
}
