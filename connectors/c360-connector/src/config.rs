//! One source as `c360.toml` declares it (`[[sources]]`): which reader, which
//! files, how to decode and map them, and what a record missing from a later
//! full export becomes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::mapping::FieldMapping;

/// What happens to a stored record that a later complete run of its source
/// no longer contains (a customer removed from a full export, a file that shrank).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnMissing {
    /// Keep it as it was (exports that hold only recent changes).
    #[default]
    Keep,
    /// Mark it deleted: it leaves its golden record, its raw data is kept.
    Delete,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourceConfig {
    /// The source name records are stored under (`billing`, `crm-sheet`).
    pub name: String,
    /// The reader: see `c360 sync --kinds` (e.g. `stripe`, `mailchimp`,
    /// `mailbox`, `spreadsheet`, `zendesk`, `survey`).
    pub kind: String,
    /// Files to read: paths, folders or glob patterns (`exports/*.csv`).
    pub paths: Vec<String>,
    /// Text encoding: empty or `auto` to detect (BOM, UTF-16, UTF-8, else the
    /// likeliest legacy code page), or a WHATWG label such as `windows-1254`.
    pub encoding: String,
    /// CSV field delimiter: empty to sniff (`,` `;` tab `|`), or the character.
    pub delimiter: String,
    /// Decimal separator in numbers: empty to infer per value, `.` or `,`.
    pub decimal_separator: String,
    /// ISO 3166-1 region for phone numbers written without a country code.
    pub default_country: String,
    /// ISO 4217 currency for amounts that do not say theirs.
    pub default_currency: String,
    /// Extra date formats (strftime) tried after the ISO 8601 forms.
    pub date_formats: Vec<String>,
    /// Day before month in ambiguous numeric dates (03/04/2024 = 3 April).
    pub day_first: bool,
    /// Mapping overrides: c360 attribute → source column or JSON path.
    pub mapping: FieldMapping,
    /// What a record missing from a later complete run becomes.
    pub on_missing: OnMissing,
    /// Reader-specific options (e.g. `layout = "typeform"` for surveys).
    pub options: BTreeMap<String, String>,
}

impl SourceConfig {
    pub fn option(&self, key: &str) -> Option<&str> {
        self.options
            .get(key)
            .map(String::as_str)
            .filter(|value| !value.trim().is_empty())
    }

    /// A stable digest of everything that changes what a file reads as: a
    /// sync whose config changed re-reads files it had finished.
    pub fn digest(&self) -> String {
        use sha2::{Digest, Sha256};
        let json = serde_json::to_string(self).unwrap_or_default();
        hex(&Sha256::digest(json.as_bytes())[..12])
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}
