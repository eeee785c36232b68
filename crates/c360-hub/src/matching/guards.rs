//! Over-merge guards: identifiers that must not link records on their own.
//!
//! The rule, explicitly:
//! 1. **Role mailboxes** (`info@`, `support@`, `sales-team@` …: a local part in
//!    `role_local_parts`, alone or followed by `.`, `-` or `_`) are shared by
//!    whoever staffs them and never link.
//! 2. **Block-listed** values (`blocked_values`: canonical e-mails or E.164
//!    phones) and addresses at `blocked_domains` never link.
//! 3. **Placeholders** (`000-000-0000`, `n/a`, `1234567`) never become keys at
//!    all: the phone normalizer rejects them, and invalid e-mails are rejected.
//! 4. **Cardinality**: a key seen with more than `max_names_per_key` different
//!    given names is shared (a household landline, an office switchboard, a
//!    family mailbox) and stops linking from then on.
//! 5. **Phones need compatible given names** when both records have one
//!    (`phone_requires_compatible_names`): two people at one landline stay apart
//!    even before the cardinality guard trips.
//!
//! Guarded keys are still indexed, so lookups by them keep working.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GuardConfig {
    pub role_local_parts: Vec<String>,
    pub blocked_values: Vec<String>,
    pub blocked_domains: Vec<String>,
    pub max_names_per_key: usize,
    pub phone_requires_compatible_names: bool,
    pub email_requires_compatible_names: bool,
}

impl Default for GuardConfig {
    fn default() -> Self {
        let roles = [
            "info",
            "support",
            "sales",
            "admin",
            "administrator",
            "contact",
            "office",
            "hello",
            "help",
            "helpdesk",
            "billing",
            "accounts",
            "accounting",
            "team",
            "enquiries",
            "inquiries",
            "noreply",
            "no-reply",
            "donotreply",
            "mail",
            "marketing",
            "service",
            "customerservice",
            "hr",
            "jobs",
            "careers",
            "webmaster",
            "postmaster",
            "abuse",
            "privacy",
            "legal",
            "press",
            "orders",
            "booking",
            "reception",
            "kontakt",
            "buero",
            "iletisim",
            "bilgi",
        ];
        Self {
            role_local_parts: roles.iter().map(|role| (*role).to_owned()).collect(),
            blocked_values: vec![
                "test@test.com".into(),
                "test@example.com".into(),
                "none@none.com".into(),
                "noemail@noemail.com".into(),
                "na@na.com".into(),
            ],
            blocked_domains: vec!["mailinator.com".into(), "invalid".into()],
            max_names_per_key: 3,
            phone_requires_compatible_names: true,
            email_requires_compatible_names: false,
        }
    }
}

/// The compiled guard rules.
#[derive(Debug, Clone)]
pub struct IdentifierGuard {
    roles: BTreeSet<String>,
    blocked_values: BTreeSet<String>,
    blocked_domains: BTreeSet<String>,
    pub max_names_per_key: usize,
}

impl IdentifierGuard {
    pub fn new(config: &GuardConfig) -> Self {
        let lower = |values: &[String]| {
            values
                .iter()
                .map(|value| value.trim().to_lowercase())
                .collect::<BTreeSet<_>>()
        };
        Self {
            roles: lower(&config.role_local_parts),
            blocked_values: lower(&config.blocked_values),
            blocked_domains: lower(&config.blocked_domains),
            max_names_per_key: config.max_names_per_key,
        }
    }

    /// Whether a canonical e-mail may link records; `Err` says why not.
    pub fn email_may_link(
        &self,
        local_part: &str,
        domain: &str,
        canonical: &str,
    ) -> Result<(), String> {
        if self.blocked_values.contains(canonical) {
            return Err("block-listed address".into());
        }
        if self.blocked_domains.contains(domain)
            || self
                .blocked_domains
                .iter()
                .any(|blocked| domain.ends_with(&format!(".{blocked}")))
        {
            return Err(format!("block-listed domain {domain}"));
        }
        let role = local_part
            .split(['.', '-', '_'])
            .next()
            .unwrap_or(local_part);
        if self.roles.contains(local_part) || self.roles.contains(role) {
            return Err(format!("role mailbox {local_part}@"));
        }
        Ok(())
    }

    /// Whether an E.164 phone may link records.
    pub fn phone_may_link(&self, e164: &str) -> Result<(), String> {
        if self.blocked_values.contains(e164) {
            return Err("block-listed phone".into());
        }
        Ok(())
    }

    /// The cardinality rule.
    pub fn is_shared(&self, distinct_names: usize) -> bool {
        distinct_names > self.max_names_per_key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> IdentifierGuard {
        IdentifierGuard::new(&GuardConfig::default())
    }

    #[test]
    fn role_mailboxes_never_link() {
        let guard = guard();
        assert!(
            guard
                .email_may_link("info", "acme.com", "info@acme.com")
                .is_err()
        );
        assert!(
            guard
                .email_may_link("support-team", "acme.com", "support-team@acme.com")
                .is_err()
        );
        assert!(
            guard
                .email_may_link("ada", "acme.com", "ada@acme.com")
                .is_ok()
        );
        // A person whose name merely starts like a role word is not a role mailbox.
        assert!(
            guard
                .email_may_link("information.officer", "acme.com", "x")
                .is_ok()
        );
    }

    #[test]
    fn block_lists_apply() {
        let guard = guard();
        assert!(
            guard
                .email_may_link("test", "test.com", "test@test.com")
                .is_err()
        );
        assert!(
            guard
                .email_may_link("x", "eu.mailinator.com", "x@eu.mailinator.com")
                .is_err()
        );
    }

    #[test]
    fn many_names_make_a_key_shared() {
        let guard = guard();
        assert!(!guard.is_shared(3));
        assert!(guard.is_shared(4));
    }
}
