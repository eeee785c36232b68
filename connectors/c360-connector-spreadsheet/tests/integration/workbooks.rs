//! Workbooks: every sheet of an XLSX (title rows, merged cells, typed
//! numbers and dates, formula cells, a sheet without a header, an empty
//! sheet), the `sheets` option, and an ODS file.

use c360_connector::SourceItem;

use crate::common::{attribute, config, errors, fixture, read_source, record, records};

#[test]
fn every_sheet_of_an_xlsx() {
    let items = read_source(&config(&[fixture("customers.xlsx")], "DE", false));
    let places: Vec<String> = items
        .iter()
        .map(|item| item.location().to_string())
        .collect();
    let file = fixture("customers.xlsx").display().to_string();
    let expected: Vec<String> = [
        ":5#Customers",
        ":6#Customers",
        ":7#Customers",
        ":9#Customers",
        ":10#Customers",
        ":11#Customers",
        ":12#Customers",
        ":13#Customers",
        ":14#Customers",
        ":2#Leads",
        ":3#Leads",
        "#Notizen",
    ]
    .iter()
    .map(|place| format!("{file}{place}"))
    .collect();
    assert_eq!(places, expected);
    assert_eq!((records(&items).len(), errors(&items).len()), (8, 4));

    let ayse = record(&items, "1001");
    assert_eq!(
        (ayse.given_name.as_str(), ayse.family_name.as_str()),
        ("Ayşe", "Yılmaz")
    );
    assert_eq!(
        ayse.emails,
        vec!["ayse@example.com.tr", "ayse.yilmaz@example.com"]
    );
    assert_eq!(ayse.birth_date, "1990-03-05");
    assert_eq!(ayse.company, "Anadolu Gıda A.Ş.");
    assert_eq!(attribute(ayse, "Revenue"), Some("1234.5"));
    assert_eq!(attribute(ayse, "Segment"), Some("retail"));

    // The company is merged down from the row above; the mobile lost its
    // leading zero when typed as a number; a text date and a text amount.
    let mehmet = record(&items, "1002");
    assert_eq!(mehmet.company, "Anadolu Gıda A.Ş.");
    assert_eq!(mehmet.phones, vec!["+491761234567"]);
    assert_eq!(mehmet.birth_date, "1985-03-05");
    assert_eq!(attribute(mehmet, "Revenue"), Some("1234.5"));

    // 4.917612345678E12 stored as a number is no "4.9e12"; a custom date format.
    let hans = record(&items, "1003");
    assert_eq!(hans.phones, vec!["+4917612345678"]);
    assert_eq!(hans.birth_date, "1975-11-23");
    assert_eq!(attribute(hans, "title"), Some("Dr."));
    assert_eq!(attribute(hans, "Revenue"), Some("98000"));

    // A bare serial in the DOB column; a note typed beside the table.
    let wang = record(&items, "1004");
    assert_eq!(
        (wang.family_name.as_str(), wang.given_name.as_str()),
        ("王", "伟")
    );
    assert_eq!(wang.birth_date, "1990-05-07");
    assert_eq!(attribute(wang, "column K"), Some("called 2024-01"));

    // No id cell: the e-mail is the id. A formula cell's cached value.
    assert_eq!(record(&items, "anna.schmidt@example.de").given_name, "Anna");
    assert_eq!(record(&items, "1007").family_name, "Kaya");

    // Kunden-Nr typed as a number, "Name" beside "Vorname" is the family name.
    let jorg = record(&items, "49176123456");
    assert_eq!(
        (jorg.given_name.as_str(), jorg.family_name.as_str()),
        ("Jörg", "Weiß")
    );
    assert_eq!(jorg.birth_date, "1988-08-08");
    assert_eq!(attribute(jorg, "Umsatz"), Some("12500"));
    let ingrid = record(&items, "L-2");
    assert_eq!(attribute(ingrid, "title"), Some("Prof. Dr."));
    assert_eq!(attribute(ingrid, "Umsatz"), Some("0.5"));

    let errors = errors(&items);
    let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
    assert_eq!(fields, vec!["DOB", "Revenue", "row", "header"]);
    assert_eq!(
        errors[0].raw,
        "1005,فاطمة الزهراء,fatima@example.ae,+971 50 123 4567,,31.02.1990,,,,,"
    );
    assert!(
        errors[3].reason.starts_with("sheet skipped"),
        "{}",
        errors[3].reason
    );
}

#[test]
fn the_sheets_option_limits_the_sheets_read() {
    let mut config = config(&[fixture("customers.xlsx")], "DE", false);
    config
        .options
        .insert("sheets".into(), "leads, Verträge".into());
    let items = read_source(&config);
    assert_eq!(items.len(), 3);
    let SourceItem::Error(missing) = &items[0] else {
        panic!("the missing sheet first: {:?}", items[0]);
    };
    assert_eq!(missing.field, "sheets");
    assert!(
        missing.reason.contains("Customers, Leads, Notizen, Leer"),
        "{}",
        missing.reason
    );
    assert!(
        records(&items)
            .iter()
            .all(|(_, location)| location.object.as_deref() == Some("Leads"))
    );
}

#[test]
fn an_ods_with_french_headers() {
    let items = read_source(&config(&[fixture("clients.ods")], "FR", true));
    assert_eq!((records(&items).len(), errors(&items).len()), (2, 1));
    let elodie = record(&items, "C-01");
    assert_eq!(
        (elodie.given_name.as_str(), elodie.family_name.as_str()),
        ("Élodie", "Durand")
    );
    assert_eq!(elodie.phones, vec!["+33612345678"]);
    assert_eq!(elodie.birth_date, "1992-07-14");
    assert_eq!(elodie.addresses[0].city, "Lyon");
    assert_eq!(attribute(elodie, "Chiffre d'affaires"), Some("1500.75"));
    let jose = record(&items, "C-02");
    assert_eq!(jose.birth_date, "1992-07-14");
    assert_eq!(attribute(jose, "Chiffre d'affaires"), Some("2500.5"));
    let error = errors(&items)[0];
    assert_eq!(
        (
            error.location.line,
            error.location.object.as_deref(),
            error.field.as_str()
        ),
        (Some(5), Some("Clients"), "Date de naissance")
    );
}

#[test]
fn a_folder_source_reads_every_list() {
    let config = config(&[fixture("")], "DE", true);
    let connector = c360_connector_spreadsheet::connector(&config).expect("connector");
    let names: Vec<String> = connector
        .units()
        .expect("units")
        .iter()
        .filter_map(|unit| {
            unit.path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .collect();
    assert_eq!(
        names,
        vec![
            "clients.ods",
            "customers.xlsx",
            "kunden.csv",
            "musteriler.tsv"
        ]
    );
}
