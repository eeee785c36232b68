//! No input makes the reader panic or hang: arbitrary bytes under every
//! extension, fixtures truncated or with bytes flipped, empty files.

use std::path::Path;

use c360_connector::SourceItem;
use proptest::prelude::*;

use crate::common::{config, fixture};

const EXTENSIONS: [&str; 6] = ["csv", "tsv", "xlsx", "xls", "ods", "txt"];
const FIXTURES: [&str; 4] = [
    "kunden.csv",
    "musteriler.tsv",
    "customers.xlsx",
    "clients.ods",
];

fn read_bytes(bytes: &[u8], name: &str) -> Vec<SourceItem> {
    let folder = tempfile::tempdir().expect("tempdir");
    let path = folder.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    let config = config(std::slice::from_ref(&path), "DE", true);
    c360_connector_spreadsheet::read_file(&config, Path::new(&path))
}

#[test]
fn empty_and_truncated_files() {
    for extension in EXTENSIONS {
        assert!(
            read_bytes(b"", &format!("empty.{extension}")).is_empty(),
            "{extension}"
        );
    }
    let workbook = std::fs::read(fixture("customers.xlsx")).expect("fixture");
    let items = read_bytes(&workbook[..workbook.len() / 2], "half.xlsx");
    assert!(
        matches!(items.as_slice(), [SourceItem::Error(error)] if error.field == "file"),
        "{items:?}"
    );
    // A CSV saved as .xlsx is read as the CSV it is.
    let csv = std::fs::read(fixture("kunden.csv")).expect("fixture");
    assert_eq!(read_bytes(&csv, "kunden.xlsx").len(), 9);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        extension in proptest::sample::select(EXTENSIONS.to_vec()),
        zip_magic in any::<bool>(),
    ) {
        let mut bytes = bytes;
        if zip_magic {
            // Past the format detection, into calamine.
            bytes.splice(0..0, *b"PK\x03\x04");
        }
        let _ = read_bytes(&bytes, &format!("random.{extension}"));
    }

    #[test]
    fn mutated_fixtures_never_panic(
        fixture_name in proptest::sample::select(FIXTURES.to_vec()),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = std::fs::read(fixture(fixture_name)).expect("fixture");
        for (at, value) in flips {
            let index = at.index(bytes.len());
            bytes[index] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        let items = read_bytes(&bytes, fixture_name);
        // Whatever was read, every item says where it came from.
        prop_assert!(items.iter().all(|item| !item.location().file.is_empty()));
    }
}
