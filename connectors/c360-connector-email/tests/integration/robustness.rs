//! Arbitrary bytes and mutated fixtures never panic, and reading ends.

use std::path::Path;

use proptest::prelude::*;

use crate::common::{config, fixture};

fn read_bytes(kind: &str, name: &str, bytes: &[u8]) -> usize {
    let folder = tempfile::tempdir().expect("tempdir");
    let path = folder.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    let options: &[(&str, &str)] = if kind == "mailbox" {
        &[("own_addresses", "me@shop.example")]
    } else {
        &[]
    };
    let config = config(kind, std::slice::from_ref(&path), options);
    c360_connector_email::read_file(&config, Path::new(&path)).len()
}

fn fixture_bytes(relative: &str) -> Vec<u8> {
    std::fs::read(fixture(relative)).expect("fixture")
}

/// Flips, deletes and inserts bytes at positions drawn by proptest.
fn mutate(mut bytes: Vec<u8>, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    for (position, action, value) in edits {
        if bytes.is_empty() {
            bytes.push(*value);
            continue;
        }
        let at = position % bytes.len();
        match action % 3 {
            0 => bytes[at] = *value,
            1 => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, *value),
        }
    }
    bytes
}

const FIXTURES: [(&str, &str, &str); 6] = [
    (
        "mailchimp",
        "mailchimp/subscribed_members_export_8f3c1a2b9d.csv",
        "subscribed_members_export_x.csv",
    ),
    (
        "mailchimp",
        "mailchimp/cleaned_members_export_8f3c1a2b9d.csv",
        "cleaned_members_export_x.csv",
    ),
    (
        "mailchimp",
        "mailchimp/granular_activity/clicks/81234_Spring_Sale_2024.csv",
        "81234_clicks.csv",
    ),
    ("mailbox", "mailbox/inbox.mbox", "inbox.mbox"),
    ("mailbox", "mailbox/eml/001.eml", "001.eml"),
    ("mailbox", "mailbox/eml/003.eml", "003.eml"),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        read_bytes("mailchimp", "subscribed_members_export_x.csv", &bytes);
        read_bytes("mailbox", "inbox.mbox", &bytes);
        read_bytes("mailbox", "x.eml", &bytes);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0..FIXTURES.len(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..24),
    ) {
        let (kind, relative, name) = FIXTURES[which];
        let bytes = mutate(fixture_bytes(relative), &edits);
        read_bytes(kind, name, &bytes);
    }
}

#[test]
fn pathological_inputs() {
    // One 3 MB line without a newline, mbox-looking and not.
    let mut long = b"From x@y.z Mon Jan  1 00:00:00 2024\nSubject: ".to_vec();
    long.extend(std::iter::repeat_n(b'a', 3 << 20));
    assert_eq!(read_bytes("mailbox", "long.mbox", &long), 1);
    assert_eq!(read_bytes("mailbox", "empty.mbox", b""), 0);
    assert_eq!(read_bytes("mailchimp", "subscribed_x.csv", b""), 1);
    // A quote that never closes swallows the rest of the file: one error.
    let unclosed = b"\"Email Address\",MEMBER_RATING,LEID\n\"a@b.c,3,1\nx@y.z,2,2\n";
    assert!(read_bytes("mailchimp", "subscribed_x.csv", unclosed) >= 1);
}
