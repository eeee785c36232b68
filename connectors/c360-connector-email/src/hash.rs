//! MD5 hex digests. Not for security: Mailchimp keys members by the MD5 of
//! their lower-cased address (the "subscriber hash"), and a message without a
//! `Message-ID` needs a stable id derived from what it says.

use md5::{Digest, Md5};

/// Lower-case hex MD5 of `text`.
pub fn md5_hex(text: &str) -> String {
    use std::fmt::Write;
    let digest = Md5::digest(text.as_bytes());
    let mut out = String::with_capacity(32);
    for byte in digest {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// Mailchimp's subscriber hash: MD5 of the trimmed, lower-cased address.
/// Mailchimp lower-cases ASCII only (its API documents "the lowercase
/// version"); non-ASCII letters are rare in addresses and kept as written.
pub fn subscriber_hash(email: &str) -> String {
    md5_hex(&email.trim().to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_known_digests() {
        assert_eq!(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
        // The example of Mailchimp's API guides: urist.mcvankab@freddiesjokes.com.
        assert_eq!(
            subscriber_hash(" Urist.McVankab@FreddiesJokes.com "),
            md5_hex("urist.mcvankab@freddiesjokes.com")
        );
        assert_eq!(subscriber_hash("a@b.c").len(), 32);
    }
}
