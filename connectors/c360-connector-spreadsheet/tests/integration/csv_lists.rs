//! Delimited lists: a German semicolon CSV (UTF-8 with BOM, title rows above
//! the header, decimal commas) and a Turkish TSV.

use c360_connector::SourceItem;

use crate::common::{attribute, config, errors, fixture, read_source, record, records};

#[test]
fn german_csv_with_title_rows_and_bad_rows() {
    let items = read_source(&config(&[fixture("kunden.csv")], "DE", true));
    assert_eq!(items.len(), 9);
    let lines: Vec<(u64, bool)> = items
        .iter()
        .map(|item| {
            (
                item.location().line.expect("line"),
                matches!(item, SourceItem::Record(..)),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            (5, true),
            (6, true),
            (7, true),
            (8, false),
            (9, false),
            (10, false),
            // Anna, on line 12, below a blank line.
            (12, true),
            (13, true),
            (14, true)
        ]
    );

    let jorg = record(&items, "K-100");
    assert_eq!(jorg.source, "crm-sheet");
    assert_eq!(
        (jorg.given_name.as_str(), jorg.family_name.as_str()),
        ("Jörg", "Weiß")
    );
    assert_eq!(jorg.emails, vec!["joerg.weiss@example.de"]);
    assert_eq!(jorg.phones, vec!["+491712345678"]);
    assert_eq!(jorg.birth_date, "1990-03-05");
    assert_eq!(attribute(jorg, "Umsatz"), Some("1234.5"));
    assert_eq!(attribute(jorg, "Anrede"), Some("Herr"));
    assert_eq!(attribute(jorg, "notes"), Some("Stammkunde"));

    let ayse = record(&items, "K-101");
    assert_eq!(
        ayse.emails,
        vec!["ayse@example.com.tr", "ayse.y@example.de"]
    );
    assert_eq!(ayse.phones, vec!["+905321112233"]);
    assert_eq!(ayse.birth_date, "1985-11-23");
    assert_eq!(attribute(ayse, "Umsatz"), Some("12500"));

    // " Dr. Hans " and 3/5/1990 read day first; "-" is no revenue.
    let hans = record(&items, "K-102");
    assert_eq!(hans.given_name, "Hans");
    assert_eq!(attribute(hans, "title"), Some("Dr."));
    assert_eq!(hans.birth_date, "1990-05-03");
    assert_eq!(hans.phones, vec!["+49301234567"]);
    assert_eq!(attribute(hans, "Umsatz"), None);

    let errors = errors(&items);
    let summary: Vec<(Option<u64>, &str)> = errors
        .iter()
        .map(|error| (error.location.line, error.field.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (Some(8), "Geburtsdatum"),
            (Some(9), "row"),
            (Some(10), "Umsatz")
        ]
    );
    assert_eq!(
        errors[0].raw,
        "K-103;;Li;Wei;li.wei@example.cn;;31.02.1990;;"
    );
    assert!(
        errors[1].reason.contains("7 fields"),
        "{}",
        errors[1].reason
    );
    assert_eq!(errors[2].reason, "\"viel\" is not a number");

    // No id: the row is known by its name and phone.
    let anna = records(&items)
        .into_iter()
        .find(|(record, _)| record.given_name == "Anna")
        .expect("Anna");
    assert!(
        anna.0.external_id.starts_with("hash-"),
        "{}",
        anna.0.external_id
    );
    assert_eq!(anna.1.line, Some(12), "below a blank line");

    let wang = record(&items, "K-107");
    assert_eq!(
        (wang.family_name.as_str(), wang.given_name.as_str()),
        ("伟", "王")
    );
    assert_eq!(attribute(wang, "Umsatz"), Some("1000"));
}

#[test]
fn turkish_tsv_with_names_family_first_and_several_phones() {
    let items = read_source(&config(&[fixture("musteriler.tsv")], "TR", true));
    assert_eq!((records(&items).len(), errors(&items).len()), (4, 1));
    let ayse = record(&items, "1");
    assert_eq!(ayse.addresses[0].city, "İstanbul");
    assert_eq!(attribute(ayse, "Ciro"), Some("1234.56"));
    let mehmet = record(&items, "2");
    assert_eq!(
        (mehmet.given_name.as_str(), mehmet.family_name.as_str()),
        ("Mehmet Ali", "Öztürk")
    );
    assert_eq!(mehmet.phones, vec!["+902125551234", "+905329998877"]);
    assert_eq!(record(&items, "3").birth_date, "1985-11-23");
    let fatima = record(&items, "5");
    assert_eq!(
        (fatima.given_name.as_str(), fatima.family_name.as_str()),
        ("فاطمة", "الزهراء")
    );
    assert_eq!(attribute(fatima, "Ciro"), Some("99"));
    assert_eq!(errors(&items)[0].location.line, Some(5));
}

#[test]
fn reading_is_deterministic() {
    let config = config(
        &[fixture("kunden.csv"), fixture("musteriler.tsv")],
        "DE",
        true,
    );
    assert_eq!(read_source(&config), read_source(&config));
}
