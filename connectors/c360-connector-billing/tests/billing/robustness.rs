//! Arbitrary bytes and mutated fixtures never panic the reader and always
//! end; whatever cannot be read is a row error, not a crash.

use std::path::Path;

use proptest::prelude::*;

use crate::common::*;

const FIXTURES: [&str; 7] = [
    "customers.csv",
    "invoices.csv",
    "payments.csv",
    "subscriptions.csv",
    "api/customers.json",
    "api/billing_pages.json",
    "api/charges.jsonl",
];

fn read_bytes(name: &str, bytes: &[u8]) -> usize {
    let folder = tempfile::tempdir().expect("tempdir");
    let path = folder.path().join(
        Path::new(name)
            .file_name()
            .expect("fixture names are files"),
    );
    std::fs::write(&path, bytes).expect("write");
    c360_connector_billing::read_file(&config(&[]), &path).len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        json in any::<bool>(),
    ) {
        read_bytes(if json { "x.json" } else { "x.csv" }, &bytes);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        fixture in 0..FIXTURES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
        cut in any::<prop::sample::Index>(),
    ) {
        let name = FIXTURES[fixture];
        let mut bytes = std::fs::read(fixtures().join(name)).expect("fixture");
        for (index, byte) in edits {
            let at = index.index(bytes.len());
            bytes[at] = byte;
        }
        // Truncate somewhere: exports cut short by a failed download.
        let keep = cut.index(bytes.len() + 1);
        bytes.truncate(keep);
        read_bytes(name, &bytes);
    }
}
