//! Declarative field mapping: which source column (or JSON path) feeds which
//! c360 attribute, with per-field transforms.
//!
//! In `c360.toml` a source's `[sources.mapping]` table maps a target to a
//! column name, a list of candidate names (the first present and non-empty
//! wins), or a rule:
//!
//! ```toml
//! [sources.mapping]
//! external_id = "Customer No"
//! name = { from = ["Full name", "Name"], transform = "split_name" }
//! email = { from = ["E-mail", "Email 2"], separator = ";" }
//! phone = { from = ["Mobile", "Tel."], transform = "phone" }
//! birth_date = { from = "DOB", formats = ["%d.%m.%Y"] }
//! "attribute:plan" = "Plan"
//! ```
//!
//! Targets: `external_id`, `given_name`, `family_name`, `full_name`, `name`
//! (a full name, also split into given and family), `email`, `phone`,
//! `company`, `birth_date`, `updated_at`, `address_line1`, `address_line2`,
//! `city`, `region`, `postal_code`, `country`, `cross_reference:<source>`,
//! `attribute:<key>`; for an activity per row: `activity_id`,
//! `activity_kind` (a column or `{ value = "nps_response" }`),
//! `activity_at`, `activity_amount`, `activity_currency`, `activity_score`,
//! `activity_summary`, `activity_record_id`, `activity_attribute:<key>`.
//!
//! Column names match ignoring case, spaces and punctuation ("E-mail" =
//! "email", "Tel." = "tel"). In JSON sources a name is a dotted path
//! (`address.city`, `identities.0.value`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use c360_model::{Activity, ActivityKind, Money, SourceKey, SourceRecord};
use serde::{Deserialize, Serialize};

use crate::config::SourceConfig;
use crate::error::{ConnectorError, ConnectorResult};
use crate::transform::{
    currency_exponent, international_phone, parse_amount_minor, parse_date, parse_integer,
    parse_timestamp, split_full_name,
};

/// Target → where its value comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldMapping(pub BTreeMap<String, FieldSpec>);

impl FieldMapping {
    /// A mapping from (target, candidate columns) pairs: a family's defaults.
    pub fn from_pairs(pairs: &[(&str, &[&str])]) -> Self {
        Self(
            pairs
                .iter()
                .map(|(target, columns)| {
                    let columns = columns.iter().map(|column| (*column).to_owned()).collect();
                    ((*target).to_owned(), FieldSpec::Columns(columns))
                })
                .collect(),
        )
    }

    /// This mapping with `overrides`' targets replacing its own.
    pub fn overridden_by(mut self, overrides: &FieldMapping) -> Self {
        for (target, spec) in &overrides.0 {
            self.0.insert(target.clone(), spec.clone());
        }
        self
    }

    pub fn with(mut self, target: &str, spec: FieldSpec) -> Self {
        self.0.insert(target.to_owned(), spec);
        self
    }

    /// Every column name the mapping mentions (normalized): rates header rows.
    pub fn known_columns(&self) -> Vec<String> {
        self.0
            .values()
            .flat_map(FieldSpec::columns)
            .map(|column| header_key(&column))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldSpec {
    Column(String),
    Columns(Vec<String>),
    Rule(FieldRule),
}

impl FieldSpec {
    pub fn constant(value: &str) -> Self {
        Self::Rule(FieldRule {
            value: Some(value.to_owned()),
            ..FieldRule::default()
        })
    }

    fn columns(&self) -> Vec<String> {
        match self {
            Self::Column(column) => vec![column.clone()],
            Self::Columns(columns) => columns.clone(),
            Self::Rule(rule) => rule.from.clone().into_vec(),
        }
    }

    fn rule(&self) -> FieldRule {
        match self {
            Self::Column(_) | Self::Columns(_) => FieldRule {
                from: OneOrMany::Many(self.columns()),
                ..FieldRule::default()
            },
            Self::Rule(rule) => rule.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FieldRule {
    pub from: OneOrMany,
    /// `split_name`, `date`, `timestamp`, `phone`, `lowercase`, `uppercase`,
    /// `amount`, `integer`; empty: the target's natural reading.
    pub transform: String,
    /// Splits one cell into several values (e-mails, phones, tags).
    pub separator: Option<String>,
    /// Date formats tried first (strftime).
    pub formats: Vec<String>,
    /// A constant instead of a column.
    pub value: Option<String>,
    /// Every listed column contributes (e.g. several e-mail columns), not
    /// just the first non-empty one. E-mail and phone targets always do.
    pub all: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Default for OneOrMany {
    fn default() -> Self {
        Self::Many(Vec::new())
    }
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            Self::One(one) => vec![one],
            Self::Many(many) => many,
        }
    }
}

/// Where a value sits in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// A CSV/sheet column, with its header (for error messages).
    Index(usize, String),
    /// A JSON path.
    Path(Vec<String>),
}

impl Column {
    pub fn name(&self) -> String {
        self.label().into_owned()
    }

    /// The name, borrowed where it can be (rows are mapped by the million).
    fn label(&self) -> Cow<'_, str> {
        match self {
            Self::Index(_, header) => Cow::Borrowed(header.as_str()),
            Self::Path(path) => Cow::Owned(path.join(".")),
        }
    }
}

/// A row a mapper reads values from.
pub trait Row {
    fn get(&self, column: &Column) -> Option<Cow<'_, str>>;
}

/// A tabular row: cells by position.
impl Row for csv::StringRecord {
    fn get(&self, column: &Column) -> Option<Cow<'_, str>> {
        match column {
            Column::Index(index, _) => csv::StringRecord::get(self, *index).map(Cow::Borrowed),
            Column::Path(_) => None,
        }
    }
}

impl Row for Vec<String> {
    fn get(&self, column: &Column) -> Option<Cow<'_, str>> {
        match column {
            Column::Index(index, _) => self
                .as_slice()
                .get(*index)
                .map(|cell| Cow::Borrowed(cell.as_str())),
            Column::Path(_) => None,
        }
    }
}

/// A JSON object: values by dotted path; numbers and booleans as text.
impl Row for serde_json::Value {
    fn get(&self, column: &Column) -> Option<Cow<'_, str>> {
        let Column::Path(path) = column else {
            return None;
        };
        let mut value = self;
        for segment in path {
            value = match value {
                serde_json::Value::Object(map) => map.get(segment)?,
                serde_json::Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        match value {
            serde_json::Value::String(text) => Some(Cow::Borrowed(text.as_str())),
            serde_json::Value::Number(number) => Some(Cow::Owned(number.to_string())),
            serde_json::Value::Bool(flag) => Some(Cow::Owned(flag.to_string())),
            _ => None,
        }
    }
}

/// Normalized header: lower case, letters and digits only; a header of
/// symbols alone (Typeform's `#`) stays itself, or every such header would match.
pub fn header_key(header: &str) -> String {
    let key: String = header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if key.is_empty() {
        header.trim().to_owned()
    } else {
        key
    }
}

/// A field the mapper could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The source column (or the target when no column was involved).
    pub field: String,
    pub reason: String,
}

impl FieldError {
    fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

#[derive(Debug, Clone)]
struct Target {
    name: String,
    columns: Vec<Column>,
    rule: FieldRule,
    /// The rule's date formats, then the source's: resolved once, not per row.
    formats: Vec<String>,
}

/// A mapping resolved against one file's header (or JSON paths), ready to
/// turn rows into records and activities.
#[derive(Debug, Clone)]
pub struct Mapper {
    source: String,
    targets: Vec<Target>,
    default_country: String,
    default_currency: String,
    decimal: Option<char>,
    date_formats: Vec<String>,
    day_first: bool,
    has_activity: bool,
}

impl Mapper {
    /// Resolves `mapping` against `headers` (tabular) or, with `None`, as JSON
    /// paths. Targets whose columns are all absent are dropped; unknown target
    /// names are a config error.
    pub fn new(
        config: &SourceConfig,
        mapping: &FieldMapping,
        headers: Option<&[String]>,
    ) -> ConnectorResult<Self> {
        let header_keys: Option<Vec<String>> =
            headers.map(|headers| headers.iter().map(|header| header_key(header)).collect());
        let mut targets = Vec::new();
        for (name, spec) in &mapping.0 {
            check_target(name).map_err(|reason| ConnectorError::config(&config.name, reason))?;
            let rule = spec.rule();
            let mut columns: Vec<Column> = rule
                .from
                .clone()
                .into_vec()
                .iter()
                .filter_map(|column| match (&header_keys, headers) {
                    (Some(keys), Some(headers)) => {
                        let wanted = header_key(column);
                        keys.iter()
                            .position(|key| *key == wanted)
                            .map(|index| Column::Index(index, headers[index].clone()))
                    }
                    _ => Some(Column::Path(column.split('.').map(str::to_owned).collect())),
                })
                .collect();
            // "E-mail" and "Email" may both name the same header.
            let mut seen = Vec::new();
            columns.retain(|column| {
                let fresh = !seen.contains(column);
                seen.push(column.clone());
                fresh
            });
            if columns.is_empty() && rule.value.is_none() {
                continue;
            }
            let mut formats = rule.formats.clone();
            formats.extend(config.date_formats.iter().cloned());
            targets.push(Target {
                name: name.clone(),
                columns,
                rule,
                formats,
            });
        }
        let decimal = match config.decimal_separator.trim() {
            "" => None,
            "," => Some(','),
            "." => Some('.'),
            other => {
                return Err(ConnectorError::config(
                    &config.name,
                    format!("decimal_separator {other:?} is neither \".\" nor \",\""),
                ));
            }
        };
        let has_activity = targets
            .iter()
            .any(|target| target.name.starts_with("activity_"));
        Ok(Self {
            source: config.name.clone(),
            targets,
            default_country: config.default_country.clone(),
            default_currency: config.default_currency.clone(),
            decimal,
            date_formats: config.date_formats.clone(),
            day_first: config.day_first,
            has_activity,
        })
    }

    /// Whether a target resolved to a column (or constant).
    pub fn maps(&self, target: &str) -> bool {
        self.targets
            .iter()
            .any(|candidate| candidate.name == target)
    }

    /// Whether rows also carry an activity.
    pub fn has_activity(&self) -> bool {
        self.has_activity
    }

    /// The values of one target: the first non-empty column, or every column
    /// (e-mails, phones, `all = true`), each split by the separator.
    fn values<'r, 'm>(
        &self,
        target: &'m Target,
        row: &'r dyn Row,
    ) -> Vec<(Cow<'r, str>, Cow<'m, str>)> {
        if let Some(value) = &target.rule.value {
            return vec![(
                Cow::Owned(value.clone()),
                Cow::Borrowed(target.name.as_str()),
            )];
        }
        let every = target.rule.all || matches!(target.name.as_str(), "email" | "phone");
        let mut values = Vec::new();
        for column in &target.columns {
            let Some(value) = row.get(column) else {
                continue;
            };
            if value.trim().is_empty() {
                continue;
            }
            match &target.rule.separator {
                Some(separator) if !separator.is_empty() => {
                    for part in value.split(separator.as_str()) {
                        if !part.trim().is_empty() {
                            values.push((Cow::Owned(part.trim().to_owned()), column.label()));
                        }
                    }
                }
                _ => values.push((value, column.label())),
            }
            if !every {
                break;
            }
        }
        values
    }

    fn first<'r, 'm>(
        &'m self,
        target: &str,
        row: &'r dyn Row,
    ) -> Option<(Cow<'r, str>, Cow<'m, str>)> {
        let target = self
            .targets
            .iter()
            .find(|candidate| candidate.name == target)?;
        self.values(target, row).into_iter().next()
    }

    /// Maps one row to a record. Fails on the first field that cannot be
    /// what its target says (a birth date that is no date).
    pub fn record(&self, row: &dyn Row) -> Result<SourceRecord, FieldError> {
        let mut record = SourceRecord {
            source: self.source.clone(),
            ..SourceRecord::default()
        };
        for target in &self.targets {
            for (value, column) in self.values(target, row) {
                let value = apply_text_transform(&target.rule.transform, value.trim());
                self.set(&mut record, target, &value, &column)?;
            }
        }
        Ok(record)
    }

    fn set(
        &self,
        record: &mut SourceRecord,
        target: &Target,
        value: &str,
        column: &str,
    ) -> Result<(), FieldError> {
        match target.name.as_str() {
            "external_id" => record.external_id = value.to_owned(),
            "given_name" => record.given_name = value.to_owned(),
            "family_name" => record.family_name = value.to_owned(),
            "full_name" => record.full_name = value.to_owned(),
            "name" => {
                let (given, family) = split_full_name(value);
                if record.given_name.is_empty() && record.family_name.is_empty() {
                    record.given_name = given;
                    record.family_name = family;
                } else {
                    record.full_name = value.to_owned();
                }
            }
            "email" => record.emails.push(value.to_owned()),
            "phone" => {
                let country = if self.default_country.is_empty() {
                    record
                        .addresses
                        .first()
                        .map(|address| address.country.clone())
                        .unwrap_or_default()
                } else {
                    self.default_country.clone()
                };
                let phone = international_phone(value, &country);
                if !record.phones.contains(&phone) {
                    record.phones.push(phone);
                }
            }
            "company" => record.company = value.to_owned(),
            "birth_date" => {
                let date = parse_date(value, &target.formats, self.day_first)
                    .ok_or_else(|| FieldError::new(column, format!("{value:?} is not a date")))?;
                // `Display` of a date is ISO 8601, without a format string.
                record.birth_date = date.to_string();
            }
            "updated_at" => {
                let at =
                    parse_timestamp(value, &target.formats, self.day_first).ok_or_else(|| {
                        FieldError::new(column, format!("{value:?} is not a date or time"))
                    })?;
                record.updated_at = Some(at);
            }
            "address_line1" | "address_line2" | "city" | "region" | "postal_code" | "country" => {
                if record.addresses.is_empty() {
                    record.addresses.push(Default::default());
                }
                let address = &mut record.addresses[0];
                let part = match target.name.as_str() {
                    "address_line1" => &mut address.line1,
                    "address_line2" => &mut address.line2,
                    "city" => &mut address.city,
                    "region" => &mut address.region,
                    "postal_code" => &mut address.postal_code,
                    _ => &mut address.country,
                };
                *part = value.to_owned();
            }
            name => {
                if let Some(source) = name.strip_prefix("cross_reference:") {
                    record.cross_references.push(SourceKey::new(source, value));
                } else if let Some(key) = name.strip_prefix("attribute:") {
                    record.attributes.insert(key.to_owned(), value.to_owned());
                }
                // activity_* targets are read by `activity`.
            }
        }
        Ok(())
    }

    /// Maps one row's activity, if the mapping has one and the row fills it
    /// (an empty `activity_at` and `activity_score` means "no activity").
    /// `record_external_id` is used when `activity_record_id` is not mapped.
    pub fn activity(
        &self,
        row: &dyn Row,
        record_external_id: &str,
        fallback_id: &str,
    ) -> Result<Option<Activity>, FieldError> {
        if !self.has_activity {
            return Ok(None);
        }
        let text = |target: &str| {
            self.first(target, row)
                .map(|(value, column)| (value.trim().to_owned(), column))
        };
        let score = text("activity_score");
        let at = text("activity_at");
        let amount = text("activity_amount");
        if score.is_none() && at.is_none() && amount.is_none() {
            return Ok(None);
        }
        let kind = match text("activity_kind") {
            Some((value, column)) => value.parse::<ActivityKind>().map_err(|_| {
                FieldError::new(column, format!("{value:?} is not an activity kind"))
            })?,
            None => return Err(FieldError::new("activity_kind", "no activity kind mapped")),
        };
        let formats: &[String] = self
            .targets
            .iter()
            .find(|target| target.name == "activity_at")
            .map_or(&self.date_formats, |target| &target.formats);
        let occurred_at = match at {
            Some((value, column)) => {
                parse_timestamp(&value, formats, self.day_first).ok_or_else(|| {
                    FieldError::new(column, format!("{value:?} is not a date or time"))
                })?
            }
            None => return Err(FieldError::new("activity_at", "the activity has no date")),
        };
        let score = match score {
            Some((value, column)) => Some(
                parse_integer(&value)
                    .and_then(|score| i32::try_from(score).ok())
                    .ok_or_else(|| {
                        FieldError::new(column, format!("{value:?} is not a whole number"))
                    })?,
            ),
            None => None,
        };
        let currency = text("activity_currency")
            .map(|(value, _)| value)
            .unwrap_or_else(|| self.default_currency.clone());
        let amount = match amount {
            Some((value, column)) => {
                let money_error = |reason: String| FieldError::new(column.clone(), reason);
                if currency.is_empty() {
                    return Err(money_error("an amount without a currency".into()));
                }
                let minor = parse_amount_minor(&value, self.decimal, currency_exponent(&currency))
                    .ok_or_else(|| money_error(format!("{value:?} is not an amount")))?;
                Some(
                    Money::parse(minor, &currency)
                        .map_err(|error| money_error(error.to_string()))?,
                )
            }
            None => None,
        };
        let mut attributes = BTreeMap::new();
        for target in &self.targets {
            if let Some(key) = target.name.strip_prefix("activity_attribute:")
                && let Some((value, _)) = self.values(target, row).into_iter().next()
            {
                attributes.insert(key.to_owned(), value.trim().to_owned());
            }
        }
        Ok(Some(Activity {
            source: self.source.clone(),
            external_id: text("activity_id")
                .map_or_else(|| fallback_id.to_owned(), |(value, _)| value),
            record_external_id: text("activity_record_id")
                .map_or_else(|| record_external_id.to_owned(), |(value, _)| value),
            kind,
            occurred_at,
            amount,
            score,
            summary: text("activity_summary")
                .map(|(value, _)| value)
                .unwrap_or_default(),
            attributes,
        }))
    }
}

fn apply_text_transform<'v>(transform: &str, value: &'v str) -> Cow<'v, str> {
    match transform {
        "lowercase" => Cow::Owned(value.to_lowercase()),
        "uppercase" => Cow::Owned(value.to_uppercase()),
        _ => Cow::Borrowed(value),
    }
}

fn check_target(name: &str) -> Result<(), String> {
    const FIXED: [&str; 24] = [
        "external_id",
        "given_name",
        "family_name",
        "full_name",
        "name",
        "email",
        "phone",
        "company",
        "birth_date",
        "updated_at",
        "address_line1",
        "address_line2",
        "city",
        "region",
        "postal_code",
        "country",
        "activity_id",
        "activity_kind",
        "activity_at",
        "activity_amount",
        "activity_currency",
        "activity_score",
        "activity_summary",
        "activity_record_id",
    ];
    let prefixed = ["cross_reference:", "attribute:", "activity_attribute:"]
        .iter()
        .any(|prefix| {
            name.strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty())
        });
    if FIXED.contains(&name) || prefixed {
        Ok(())
    } else {
        Err(format!("mapping target {name:?} is not a c360 attribute"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SourceConfig {
        SourceConfig {
            name: "sheet".into(),
            default_country: "TR".into(),
            default_currency: "TRY".into(),
            day_first: true,
            ..SourceConfig::default()
        }
    }

    #[test]
    fn maps_inconsistent_headers_with_transforms() {
        let mapping = FieldMapping::from_pairs(&[
            ("external_id", &["ID", "Customer No"]),
            ("name", &["Full name", "Name"]),
            ("email", &["E-mail", "Email"]),
            ("phone", &["Mobile", "Tel."]),
            ("birth_date", &["DOB"]),
            ("attribute:plan", &["Plan"]),
        ]);
        let headers: Vec<String> = [
            "Customer No",
            "Full Name",
            "e-mail",
            "Tel.",
            "Mobile",
            "DOB",
            "Plan",
        ]
        .map(String::from)
        .to_vec();
        let mapper = Mapper::new(&config(), &mapping, Some(&headers)).expect("mapper");
        let row: Vec<String> = [
            "C-7",
            "Ayşe Yılmaz",
            "ayse@example.com",
            "0212 555 12 34",
            "0532 111 22 33",
            "05.03.1990",
            "gold",
        ]
        .map(String::from)
        .to_vec();
        let record = mapper.record(&row).expect("record");
        assert_eq!(record.external_id, "C-7");
        assert_eq!(
            (record.given_name.as_str(), record.family_name.as_str()),
            ("Ayşe", "Yılmaz")
        );
        assert_eq!(record.emails, vec!["ayse@example.com"]);
        // In the mapping's order of candidates: "Mobile" before "Tel.".
        assert_eq!(record.phones, vec!["+905321112233", "+902125551234"]);
        assert_eq!(record.birth_date, "1990-03-05");
        assert_eq!(
            record.attributes.get("plan").map(String::as_str),
            Some("gold")
        );

        let mut bad = row.clone();
        bad[5] = "31.31.1990".into();
        let error = mapper.record(&bad).expect_err("bad date");
        assert_eq!(error.field, "DOB");
    }

    #[test]
    fn maps_json_paths_and_activities() {
        let mapping = FieldMapping::from_pairs(&[
            ("external_id", &["id"]),
            ("email", &["contact.email"]),
            ("activity_score", &["answer.score"]),
            ("activity_at", &["answered_at"]),
            ("activity_summary", &["answer.comment"]),
        ])
        .with("activity_kind", FieldSpec::constant("nps_response"));
        let mapper = Mapper::new(&config(), &mapping, None).expect("mapper");
        let row = serde_json::json!({
            "id": 42, "contact": {"email": "a@example.com"},
            "answer": {"score": 9, "comment": "great"}, "answered_at": "2024-05-01T10:00:00Z"
        });
        let record = mapper.record(&row).expect("record");
        assert_eq!(
            (record.external_id.as_str(), record.emails.len()),
            ("42", 1)
        );
        let activity = mapper
            .activity(&row, "42", "row-1")
            .expect("ok")
            .expect("activity");
        assert_eq!(
            (activity.kind, activity.score),
            (ActivityKind::NpsResponse, Some(9))
        );
        assert_eq!(activity.summary, "great");
        assert_eq!(activity.external_id, "row-1");
    }

    #[test]
    fn amounts_use_the_currency_exponent() {
        let mapping = FieldMapping::from_pairs(&[
            ("external_id", &["id"]),
            ("activity_amount", &["Total"]),
            ("activity_currency", &["Currency"]),
            ("activity_at", &["Date"]),
        ])
        .with("activity_kind", FieldSpec::constant("order"));
        let headers: Vec<String> = ["id", "Total", "Currency", "Date"]
            .map(String::from)
            .to_vec();
        let mapper = Mapper::new(&config(), &mapping, Some(&headers)).expect("mapper");
        let row: Vec<String> = ["1", "1.234,50", "eur", "01/02/2024"]
            .map(String::from)
            .to_vec();
        let activity = mapper
            .activity(&row, "1", "x")
            .expect("ok")
            .expect("activity");
        assert_eq!(
            activity.amount,
            Some(Money {
                amount_minor: 123_450,
                currency: "EUR".into()
            })
        );
        let row: Vec<String> = ["1", "1500", "JPY", "01/02/2024"]
            .map(String::from)
            .to_vec();
        let activity = mapper
            .activity(&row, "1", "x")
            .expect("ok")
            .expect("activity");
        assert_eq!(activity.amount.map(|money| money.amount_minor), Some(1500));
    }

    #[test]
    fn unknown_targets_are_config_errors() {
        let mapping = FieldMapping::from_pairs(&[("shoe_size", &["Size"])]);
        assert!(Mapper::new(&config(), &mapping, None).is_err());
    }
}
