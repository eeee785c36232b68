//! Normalizers: comparable forms of e-mails, phones, names and addresses.
//!
//! Every normalized value sits next to the raw value it came from; the raw value
//! is never thrown away. Layout:
//!
//! - [`text`]: Unicode folding shared by all text (NFKC, full case folding with
//!   Turkish İ/ı, Arabic/Persian letter variants, zero-width characters, and
//!   diacritic-free comparison keys).
//! - [`email`]: canonical e-mail addresses (case, spaces, plus-tags, provider dots).
//! - [`phone`]: phone numbers in E.164 with a default region.
//! - [`name`]: person and company names.
//! - [`record`]: a whole [`crate::SourceRecord`] at once.

pub mod email;
pub mod name;
pub mod phone;
pub mod record;
pub mod text;

use serde::{Deserialize, Serialize};

pub use email::{EmailRules, NormalizedEmail, normalize_email};
pub use name::{NormalizedName, normalize_name};
pub use phone::{NormalizedPhone, normalize_phone};
pub use record::{NormalizedAddress, NormalizedRecord, normalize_record};
pub use text::{TextRules, comparison_key, fold_text};

/// Settings of every normalizer, read from the `[normalize]` config section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NormalizeConfig {
    /// ISO 3166-1 alpha-2 region assumed for phone numbers written without a
    /// country code (`"DE"`, `"US"`); `None` means such numbers are not keys.
    pub default_region: Option<String>,
    pub email: EmailRules,
    pub text: TextRules,
}

impl Default for NormalizeConfig {
    fn default() -> Self {
        Self {
            default_region: Some("US".to_owned()),
            email: EmailRules::default(),
            text: TextRules::default(),
        }
    }
}
