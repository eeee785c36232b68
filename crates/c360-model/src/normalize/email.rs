//! Canonical e-mail addresses.
//!
//! The canonical form is what two spellings of one mailbox have in common:
//! lower case, no surrounding decoration (`mailto:`, `"Name" <…>`), no
//! plus-tag, and no dots for providers that ignore them. Syntax is checked
//! with the `email_address` crate, which follows RFC 5322 with the RFC 6531
//! extension: non-ASCII local parts and domains (`josé@exämple.es`,
//! `用户@例子.广告`) are accepted, as mail servers with SMTPUTF8 deliver them.
//! We are stricter in two ways: domain literals (`a@[1.2.3.4]`) are refused,
//! and the domain must contain a dot, since `user@localhost` never reaches a
//! customer.

use std::collections::BTreeMap;

use email_address::{EmailAddress, Options};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::text::lowercase;
use crate::error::ModelError;

/// Provider-specific canonicalization, read from `[normalize.email]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailRules {
    /// Drop "+tag" from the local part (ada+news@x → ada@x): nearly every
    /// provider delivers plus-addressed mail to the base mailbox.
    pub strip_plus_tags: bool,
    /// Domains whose mailboxes ignore dots in the local part.
    pub dotless_domains: Vec<String>,
    /// Domains that are aliases of another.
    pub domain_aliases: BTreeMap<String, String>,
}

impl Default for EmailRules {
    fn default() -> Self {
        Self {
            strip_plus_tags: true,
            dotless_domains: vec!["gmail.com".to_owned(), "googlemail.com".to_owned()],
            domain_aliases: BTreeMap::from([("googlemail.com".to_owned(), "gmail.com".to_owned())]),
        }
    }
}

/// An e-mail address as given and in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NormalizedEmail {
    /// The value exactly as the source sent it.
    pub raw: String,
    /// `local_part@domain`.
    pub canonical: String,
    /// Canonical local part (lower case, tag and provider dots removed).
    pub local_part: String,
    /// Canonical domain (lower case, alias applied, no trailing dot).
    pub domain: String,
}

/// Validates `raw` and returns its canonical form.
pub fn normalize_email(raw: &str, rules: &EmailRules) -> Result<NormalizedEmail, ModelError> {
    let invalid = |reason: &str| ModelError::InvalidEmail {
        value: raw.to_owned(),
        reason: reason.to_owned(),
    };
    let address = extract_address(raw);
    if address.is_empty() {
        return Err(invalid("address is empty"));
    }
    if address.chars().any(char::is_whitespace) {
        return Err(invalid("address contains whitespace"));
    }
    let address: String = address.nfkc().collect();
    validate_syntax(&address).map_err(invalid)?;
    let address = lowercase(&address);
    let (local_part, domain) = address
        .rsplit_once('@')
        .ok_or_else(|| invalid("missing '@'"))?;
    let domain = canonical_domain(domain, rules);
    let local_part = canonical_local_part(local_part, &domain, rules);
    Ok(NormalizedEmail {
        raw: raw.to_owned(),
        canonical: format!("{local_part}@{domain}"),
        local_part,
        domain,
    })
}

/// Strips what surrounds the address itself: whitespace, `mailto:`, a
/// display name with angle brackets, and a trailing dot on the domain.
fn extract_address(raw: &str) -> &str {
    let mut address = raw.trim();
    if let Some(bracketed) = inside_angle_brackets(address) {
        address = bracketed.trim();
    }
    if let Some(prefix) = address.get(..7)
        && prefix.eq_ignore_ascii_case("mailto:")
    {
        address = address[7..].trim_start();
    }
    // A fully qualified domain may end in a dot; mail servers ignore it.
    address.strip_suffix('.').unwrap_or(address)
}

/// The part between the last `<` and a closing `>` at the end, if any.
fn inside_angle_brackets(value: &str) -> Option<&str> {
    let without_end = value.strip_suffix('>')?;
    let start = without_end.rfind('<')?;
    Some(&without_end[start + 1..])
}

/// Checks RFC syntax, returning a lower-case reason on failure.
fn validate_syntax(address: &str) -> Result<(), &'static str> {
    use email_address::Error;
    let options = Options::default()
        .without_display_text()
        .without_domain_literal()
        .with_required_tld();
    EmailAddress::parse_with_options(address, options)
        .map(|_| ())
        .map_err(|error| match error {
            Error::MissingSeparator => "missing '@'",
            Error::LocalPartEmpty => "local part is empty",
            Error::LocalPartTooLong => "local part is longer than 64 characters",
            Error::DomainEmpty => "domain is empty",
            Error::DomainTooLong => "domain is too long",
            Error::SubDomainEmpty => "domain has an empty label",
            Error::SubDomainTooLong => "domain label is longer than 63 characters",
            Error::DomainTooFew => "domain must contain a dot",
            Error::UnsupportedDomainLiteral => "domain literals are not accepted",
            Error::UnbalancedQuotes => "unbalanced quotes in local part",
            _ => "invalid character",
        })
}

/// Drops the trailing dot and applies domain aliases.
fn canonical_domain(domain: &str, rules: &EmailRules) -> String {
    let domain = domain.trim_end_matches('.');
    rules
        .domain_aliases
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(domain))
        .map_or_else(|| domain.to_owned(), |(_, target)| lowercase(target))
}

/// Drops the plus-tag and, for providers that ignore them, the dots.
fn canonical_local_part(local_part: &str, domain: &str, rules: &EmailRules) -> String {
    let mut local = local_part;
    if rules.strip_plus_tags
        && let Some((base, _tag)) = local.split_once('+')
        && !base.is_empty()
    {
        // "+tag@x" alone keeps its plus: there is no base mailbox to fall back to.
        local = base;
    }
    let ignores_dots = rules
        .dotless_domains
        .iter()
        .any(|dotless| dotless.eq_ignore_ascii_case(domain));
    if ignores_dots {
        local.replace('.', "")
    } else {
        local.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(raw: &str) -> String {
        normalize_email(raw, &EmailRules::default())
            .expect("valid address")
            .canonical
    }

    fn reason(raw: &str) -> String {
        match normalize_email(raw, &EmailRules::default()) {
            Err(ModelError::InvalidEmail { value, reason }) => {
                assert_eq!(value, raw);
                reason
            }
            other => panic!("expected an invalid e-mail for {raw:?}, got {other:?}"),
        }
    }

    #[test]
    fn lowercases_and_trims() {
        assert_eq!(
            canonical("  Ada.Lovelace@Example.COM \t"),
            "ada.lovelace@example.com"
        );
        let email = normalize_email(" Ada@Example.com ", &EmailRules::default()).expect("valid");
        assert_eq!(email.raw, " Ada@Example.com ");
        assert_eq!(email.local_part, "ada");
        assert_eq!(email.domain, "example.com");
    }

    #[test]
    fn strips_plus_tags_when_configured() {
        assert_eq!(canonical("ada+news@example.com"), "ada@example.com");
        assert_eq!(
            canonical("Ada.Lovelace+news@Example.com"),
            "ada.lovelace@example.com"
        );
        assert_eq!(canonical("+only@example.com"), "+only@example.com");
        let keep = EmailRules {
            strip_plus_tags: false,
            ..EmailRules::default()
        };
        let email = normalize_email("ada+news@example.com", &keep).expect("valid");
        assert_eq!(email.canonical, "ada+news@example.com");
    }

    #[test]
    fn removes_gmail_dots_and_applies_aliases() {
        assert_eq!(
            canonical("Ada.Love.Lace@gmail.com"),
            "adalovelace@gmail.com"
        );
        assert_eq!(
            canonical("ada.lovelace+x@GoogleMail.com"),
            "adalovelace@gmail.com"
        );
        assert_eq!(
            canonical("ada.lovelace@example.com."),
            "ada.lovelace@example.com"
        );
    }

    #[test]
    fn accepts_display_name_and_mailto_forms() {
        assert_eq!(canonical(r#""Ada" <Ada@Example.com>"#), "ada@example.com");
        assert_eq!(
            canonical("Ada Lovelace <ada@example.com>"),
            "ada@example.com"
        );
        assert_eq!(canonical("<ada@example.com>"), "ada@example.com");
        assert_eq!(canonical("mailto:Ada@Example.com"), "ada@example.com");
        assert_eq!(canonical("MAILTO:ada@example.com"), "ada@example.com");
    }

    #[test]
    fn folds_turkish_dotted_capital_i_to_plain_i() {
        assert_eq!(canonical("İLKER@Example.com"), "ilker@example.com");
    }

    #[test]
    fn accepts_internationalized_addresses() {
        assert_eq!(canonical("José@Exämple.es"), "josé@exämple.es");
        assert_eq!(canonical("用户@例子.广告"), "用户@例子.广告");
        // Full-width forms are folded by NFKC.
        assert_eq!(canonical("ａｄａ@example.com"), "ada@example.com");
    }

    #[test]
    fn rejects_invalid_addresses() {
        assert_eq!(reason(""), "address is empty");
        assert_eq!(reason("   "), "address is empty");
        assert_eq!(reason("not an address"), "address contains whitespace");
        assert_eq!(reason("a@b"), "domain must contain a dot");
        assert_eq!(reason("user@localhost"), "domain must contain a dot");
        assert_eq!(reason("@x.com"), "local part is empty");
        assert_eq!(reason("a@@x.com"), "invalid character");
        assert_eq!(reason("ada.example.com"), "missing '@'");
        assert_eq!(
            reason("ada@[127.0.0.1]"),
            "domain literals are not accepted"
        );
        assert_eq!(reason("ada@example..com"), "domain has an empty label");
    }

    #[test]
    fn rules_deserialize_with_defaults() {
        let rules: EmailRules =
            serde_json::from_str(r#"{"strip_plus_tags": false}"#).expect("valid rules");
        assert!(!rules.strip_plus_tags);
        assert_eq!(rules.dotless_domains, EmailRules::default().dotless_domains);
        assert!(serde_json::from_str::<EmailRules>(r#"{"bogus": 1}"#).is_err());
    }
}
