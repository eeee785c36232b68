//! Who a message is with: addresses read from From/Reply-To/To/Cc,
//! normalized, and filtered — the mailbox owner's own addresses are not
//! customers, and role or no-reply senders are skipped when the source asks.

use c360_connector::transform::split_full_name;
use c360_model::SourceRecord;

/// Longest address accepted (RFC 5321's path limit).
const MAX_ADDRESS_LEN: usize = 254;

/// Local parts that name a function, not a person.
const ROLE_LOCAL_PARTS: [&str; 40] = [
    "noreply",
    "no-reply",
    "no_reply",
    "donotreply",
    "do-not-reply",
    "do_not_reply",
    "mailer-daemon",
    "postmaster",
    "bounce",
    "bounces",
    "notification",
    "notifications",
    "notify",
    "alert",
    "alerts",
    "newsletter",
    "news",
    "info",
    "support",
    "help",
    "sales",
    "admin",
    "administrator",
    "webmaster",
    "hostmaster",
    "abuse",
    "security",
    "billing",
    "accounts",
    "team",
    "hello",
    "contact",
    "office",
    "marketing",
    "jobs",
    "careers",
    "privacy",
    "feedback",
    "service",
    "customerservice",
];

/// Which addresses are the mailbox owner's and which are skipped.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Lower-cased full addresses.
    own_addresses: Vec<String>,
    /// Lower-cased domains (`@example.com` in the option): every colleague.
    own_domains: Vec<String>,
    skip_roles: bool,
}

impl Filters {
    /// `own` entries are addresses or `@domain`s.
    pub fn new(own: &[String], skip_roles: bool) -> Self {
        let mut filters = Self {
            skip_roles,
            ..Self::default()
        };
        for entry in own {
            let entry = entry.trim().to_lowercase();
            match entry.strip_prefix('@') {
                Some(domain) if !domain.is_empty() => filters.own_domains.push(domain.to_owned()),
                Some(_) => {}
                None => filters.own_addresses.push(entry),
            }
        }
        filters
    }

    /// Whether `address` (normalized) is the mailbox owner's.
    pub fn is_own(&self, address: &str) -> bool {
        self.own_addresses.iter().any(|own| own == address)
            || address
                .rsplit_once('@')
                .is_some_and(|(_, domain)| self.own_domains.iter().any(|own| own == domain))
    }

    /// Whether `address` (normalized) is skipped as a role or no-reply sender.
    pub fn is_skipped_role(&self, address: &str) -> bool {
        self.skip_roles && is_role_address(address)
    }

    /// Whether `address` can be a customer record of this mailbox.
    pub fn is_correspondent(&self, address: &str) -> bool {
        !self.is_own(address) && !self.is_skipped_role(address)
    }
}

/// `noreply@…`, `info@…`, `bounces+123@…`, `reply-noreply-7@…`.
pub fn is_role_address(address: &str) -> bool {
    let Some((local, _)) = address.rsplit_once('@') else {
        return false;
    };
    let base = local.split('+').next().unwrap_or(local);
    ROLE_LOCAL_PARTS.contains(&base)
        || [
            "noreply",
            "no-reply",
            "donotreply",
            "do-not-reply",
            "mailer-daemon",
        ]
        .iter()
        .any(|marker| local.contains(marker))
}

/// An address as c360 keys it: trimmed, without angle brackets, lower case;
/// `None` when it cannot be one (no `@`, spaces, too long).
pub fn normalize_address(raw: &str) -> Option<String> {
    let address = raw
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    let (local, domain) = address.rsplit_once('@')?;
    let plausible = !local.is_empty()
        && !domain.is_empty()
        && address.len() <= MAX_ADDRESS_LEN
        && !address.chars().any(|c| c.is_whitespace() || c.is_control());
    plausible.then(|| address.to_lowercase())
}

/// A display name worth keeping: not empty, not the address again.
pub fn display_name(name: Option<&str>, address: &str) -> Option<String> {
    let name = name?.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if name.is_empty() || name.contains('@') || name.eq_ignore_ascii_case(address) {
        return None;
    }
    Some(name.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The record of a correspondent first seen with this name (if any).
pub fn record_of(source: &str, address: &str, name: Option<&str>) -> SourceRecord {
    let (given_name, family_name) = name.map(split_full_name).unwrap_or_default();
    SourceRecord {
        source: source.to_owned(),
        external_id: address.to_owned(),
        given_name,
        family_name,
        emails: vec![address.to_owned()],
        ..SourceRecord::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_addresses() {
        assert_eq!(
            normalize_address(" <Ayse.Yilmaz@Example.COM.tr> "),
            Some("ayse.yilmaz@example.com.tr".into())
        );
        assert_eq!(normalize_address("undisclosed-recipients"), None);
        assert_eq!(normalize_address("a b@example.com"), None);
        assert_eq!(normalize_address("@example.com"), None);
    }

    #[test]
    fn own_addresses_and_domains() {
        let filters = Filters::new(&["Me@Shop.example".into(), "@team.example".into()], false);
        assert!(filters.is_own("me@shop.example"));
        assert!(filters.is_own("colleague@team.example"));
        assert!(!filters.is_own("customer@mail.example"));
        assert!(filters.is_correspondent("noreply@bank.example"));
        let filters = Filters::new(&[], true);
        assert!(!filters.is_correspondent("noreply@bank.example"));
        assert!(!filters.is_correspondent("bounces+8812@list.example"));
        assert!(!filters.is_correspondent("reply-noreply-7@shop.example"));
        assert!(filters.is_correspondent("mehmet@mail.example"));
    }

    #[test]
    fn display_names() {
        assert_eq!(
            display_name(Some(" \"Yılmaz,  Ayşe\" "), "a@b.c"),
            Some("Yılmaz, Ayşe".into())
        );
        assert_eq!(display_name(Some("a@b.c"), "a@b.c"), None);
        assert_eq!(display_name(Some("  "), "a@b.c"), None);
        let record = record_of("mail", "a@b.c", Some("Yılmaz, Ayşe"));
        assert_eq!(
            (record.given_name.as_str(), record.family_name.as_str()),
            ("Ayşe", "Yılmaz")
        );
    }
}
