//! Cells that look like formulas (OWASP "CSV injection") are data: kept as
//! the literal text, never evaluated, nothing else derived from them.

use crate::common::{attribute, config, fixture, read_source, record, records};

#[test]
fn csv_cells_starting_with_formula_characters_stay_literal() {
    let items = read_source(&config(&[fixture("kunden.csv")], "DE", true));
    let anna = records(&items)
        .into_iter()
        .map(|(record, _)| record)
        .find(|record| record.given_name == "Anna")
        .expect("Anna");
    assert_eq!(
        attribute(anna, "notes"),
        Some(r#"=HYPERLINK("http://evil.example","click")"#)
    );
    let max = record(&items, "K-106");
    // A "phone" that is a DDE payload stays that text: no number is made of it.
    assert_eq!(max.phones, vec!["=cmd|' /C calc'!A0"]);
    assert_eq!(attribute(max, "notes"), Some("@SUM(1+1)"));
    assert_eq!(max.family_name, "Mustermann, \"Maxi\"");
    let wang = record(&items, "K-107");
    assert_eq!(attribute(wang, "Anrede"), Some("-2+3"));
}

#[test]
fn workbook_text_cells_that_look_like_formulas_stay_literal() {
    let items = read_source(&config(&[fixture("customers.xlsx")], "DE", false));
    let hans = record(&items, "1003");
    assert_eq!(
        attribute(hans, "notes"),
        Some(r#"=HYPERLINK("http://evil.example","click")"#)
    );
    let anna = record(&items, "anna.schmidt@example.de");
    assert_eq!(attribute(anna, "notes"), Some("=cmd|' /C calc'!A0"));
    // A real formula cell is its saved value, not its formula.
    assert_eq!(attribute(record(&items, "1001"), "notes"), Some("VIP"));
}
