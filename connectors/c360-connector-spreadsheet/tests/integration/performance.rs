//! A 100,000-row XLSX parses within 10 seconds in a release build:
//! `cargo test --release -p c360-connector-spreadsheet -- --ignored`.
//! (Ignored by default: a debug build is several times slower.)

use std::time::{Duration, Instant};

use crate::common::config;
use crate::common::xlsx_writer::{Cell, write_xlsx};

pub fn customer_rows(count: usize) -> impl Iterator<Item = Vec<Cell>> {
    let header = [
        "Customer ID",
        "First name",
        "Last name",
        "E-mail",
        "Mobile",
        "DOB",
        "Revenue",
        "City",
        "Notes",
    ]
    .map(|name| Cell::Text(name.to_owned()))
    .into_iter()
    .collect::<Vec<_>>();
    std::iter::once(header).chain((0..count).map(|index| {
        vec![
            Cell::Number(100_000.0 + index as f64),
            Cell::Text(["Ayşe", "Hans", "Wei", "Fatima"][index % 4].to_owned()),
            Cell::Text(format!("Kunde{index}")),
            Cell::Text(format!("kunde{index}@example.com")),
            Cell::Number(1_761_000_000.0 + index as f64),
            Cell::Date(25_000.0 + (index % 15_000) as f64),
            Cell::Number(index as f64 * 1.25),
            Cell::Text("Berlin".to_owned()),
            if index % 10 == 0 {
                Cell::Text("=1+1".to_owned())
            } else {
                Cell::Empty
            },
        ]
    }))
}

#[test]
#[ignore = "release-build timing: run with --release -- --ignored"]
fn a_hundred_thousand_rows_parse_in_under_ten_seconds() {
    let folder = tempfile::tempdir().expect("tempdir");
    let path = folder.path().join("big.xlsx");
    write_xlsx(&path, customer_rows(100_000)).expect("write");
    let config = config(std::slice::from_ref(&path), "DE", false);
    let started = Instant::now();
    let (records, errors) = c360_connector_spreadsheet::parse_only(&config, &path);
    let took = started.elapsed();
    eprintln!("100,000 rows: {records} records, {errors} errors in {took:?}");
    assert_eq!((records, errors), (100_000, 0));
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn generated_workbooks_read_like_hand_made_ones() {
    let folder = tempfile::tempdir().expect("tempdir");
    let path = folder.path().join("small.xlsx");
    write_xlsx(&path, customer_rows(20)).expect("write");
    let items = c360_connector_spreadsheet::read_file(
        &config(std::slice::from_ref(&path), "DE", false),
        &path,
    );
    let first = crate::common::record(&items, "100000");
    assert_eq!(first.phones, vec!["+491761000000"]);
    assert_eq!(first.birth_date, "1968-06-11");
    assert_eq!(crate::common::attribute(first, "notes"), Some("=1+1"));
    let last = crate::common::record(&items, "100019");
    assert_eq!(crate::common::attribute(last, "Revenue"), Some("23.75"));
}
