//! One billing object as the readers see it, whichever way it was saved: a
//! Dashboard CSV row (headers such as `Amount Paid`, amounts in major units,
//! dates as `2024-03-05 10:11`) or an API JSON object (`amount_paid`, integer
//! minor units, unix seconds).
//!
//! Both are read through the same candidate names. Names are compared the
//! way [`header_key`] compares headers (case, spaces and punctuation ignored),
//! so `amount_paid` finds the CSV column `Amount Paid` too; JSON names are
//! dotted paths (`status_transitions.paid_at`).

use c360_connector::mapping::header_key;
use c360_connector::tabular::join_cells;
use c360_connector::transform::{currency_exponent, parse_amount_minor, parse_timestamp};

use crate::money::api_minor_units;
use c360_model::Money;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// How values of this source are written (from its `SourceConfig`).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Configured decimal separator; `None` reads Stripe's `.` (see [`Fields::amount`]).
    pub decimal: Option<char>,
    pub date_formats: Vec<String>,
    pub day_first: bool,
    /// Currency for objects that name none (ISO 4217).
    pub default_currency: String,
}

/// A value found, with the name it was found under (the CSV header as
/// written, or the JSON path): error messages name the source's own field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
}

/// Why a value could not be used, and which source field it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub reason: String,
}

impl Problem {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// A CSV header row, with its normalized keys computed once per file.
#[derive(Debug, Clone)]
pub struct Header {
    pub names: Vec<String>,
    pub keys: Vec<String>,
}

impl Header {
    pub fn new(names: Vec<String>) -> Self {
        let keys = names.iter().map(|name| header_key(name)).collect();
        Self { names, keys }
    }

    pub fn position(&self, candidate: &str) -> Option<usize> {
        let wanted = header_key(candidate);
        self.keys.iter().position(|key| *key == wanted)
    }

    pub fn has(&self, candidate: &str) -> bool {
        self.position(candidate).is_some()
    }
}

/// One object's fields.
#[derive(Debug, Clone, Copy)]
pub enum Fields<'a> {
    Csv {
        header: &'a Header,
        cells: &'a csv::StringRecord,
        delimiter: u8,
        settings: &'a Settings,
    },
    Json {
        value: &'a Value,
        settings: &'a Settings,
    },
}

impl<'a> Fields<'a> {
    fn settings(&self) -> &'a Settings {
        match self {
            Self::Csv { settings, .. } | Self::Json { settings, .. } => settings,
        }
    }

    fn is_json(&self) -> bool {
        matches!(self, Self::Json { .. })
    }

    /// The first candidate present with a non-empty value.
    pub fn text(&self, candidates: &[&str]) -> Option<Field> {
        candidates.iter().find_map(|candidate| {
            let (name, value) = match self {
                Self::Csv { header, cells, .. } => {
                    let index = header.position(candidate)?;
                    (header.names[index].clone(), cells.get(index)?.to_owned())
                }
                Self::Json { value, .. } => (
                    (*candidate).to_owned(),
                    scalar_text(json_path(value, candidate)?)?,
                ),
            };
            let value = value.trim();
            (!value.is_empty()).then(|| Field {
                name,
                value: value.to_owned(),
            })
        })
    }

    /// Like [`Fields::text`], or a problem naming the field that is missing.
    pub fn require(&self, candidates: &[&str], what: &str) -> Result<Field, Problem> {
        self.text(candidates)
            .ok_or_else(|| Problem::new(self.name_of(candidates), format!("no {what}")))
    }

    /// The name to blame for a missing value: the column the file has (though
    /// empty), else the first candidate of the file's kind.
    fn name_of(&self, candidates: &[&str]) -> String {
        match self {
            Self::Csv { header, .. } => candidates
                .iter()
                .find_map(|candidate| header.position(candidate))
                .map_or_else(
                    || candidates.first().map_or("row", |c| *c).to_owned(),
                    |index| header.names[index].clone(),
                ),
            Self::Json { .. } => candidates.first().map_or("object", |c| *c).to_owned(),
        }
    }

    /// A yes/no field (`true`, `false`; Stripe writes booleans this way in both).
    pub fn flag(&self, candidates: &[&str]) -> Option<bool> {
        let field = self.text(candidates)?;
        match field.value.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        }
    }

    /// Lower-cased text, empty when absent (statuses).
    pub fn lower(&self, candidates: &[&str]) -> String {
        self.text(candidates)
            .map(|field| field.value.to_lowercase())
            .unwrap_or_default()
    }

    /// The object's currency, or the source's default.
    pub fn currency(&self, candidates: &[&str]) -> Result<String, Problem> {
        match self.text(candidates) {
            Some(field) => Ok(field.value),
            None if !self.settings().default_currency.trim().is_empty() => {
                Ok(self.settings().default_currency.trim().to_owned())
            }
            None => Err(Problem::new(
                self.name_of(candidates),
                "no currency, and the source sets no default_currency",
            )),
        }
    }

    /// An amount as money. CSV exports write major units ("12.50"), read with
    /// the currency's exponent; the API writes integer minor units (1250).
    pub fn money(&self, field: &Field, currency: &str) -> Result<Money, Problem> {
        let problem = |reason: String| Problem::new(field.name.clone(), reason);
        let minor = if self.is_json() {
            let stripe_minor = field.value.parse::<i64>().map_err(|_| {
                problem(format!(
                    "{:?} is not a whole amount in minor units",
                    field.value
                ))
            })?;
            api_minor_units(stripe_minor, currency)
                .ok_or_else(|| problem(format!("{:?} is out of range", field.value)))?
        } else {
            let decimal = self.settings().decimal.or_else(|| {
                // Stripe writes "1234.50"; only a file re-saved in a comma
                // locale has commas, and then the transform's inference reads it.
                (!field.value.contains(',')).then_some('.')
            });
            parse_amount_minor(&field.value, decimal, currency_exponent(currency))
                .ok_or_else(|| problem(format!("{:?} is not an amount", field.value)))?
        };
        Money::parse(minor, currency).map_err(|error| problem(error.to_string()))
    }

    /// A point in time: unix seconds in the API, `YYYY-MM-DD HH:MM[:SS]` (UTC)
    /// in Dashboard exports, or the source's configured date formats.
    pub fn time(&self, field: &Field) -> Result<DateTime<Utc>, Problem> {
        let settings = self.settings();
        let parsed = if self.is_json() {
            field
                .value
                .parse::<i64>()
                .ok()
                .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
                .or_else(|| parse_timestamp(&field.value, &settings.date_formats, false))
        } else {
            parse_timestamp(&field.value, &settings.date_formats, settings.day_first)
        };
        parsed.ok_or_else(|| {
            Problem::new(
                field.name.clone(),
                format!("{:?} is not a date or time", field.value),
            )
        })
    }

    /// The first candidate that is present, as a time; `Ok(None)` when none is.
    pub fn optional_time(&self, candidates: &[&str]) -> Result<Option<DateTime<Utc>>, Problem> {
        self.text(candidates)
            .map(|field| self.time(&field))
            .transpose()
    }

    /// Metadata key/value pairs: the API's `metadata` object, or the export's
    /// `key (metadata)` columns. Sorted by key for a stable order.
    pub fn metadata(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = match self {
            Self::Csv { header, cells, .. } => header
                .names
                .iter()
                .zip(cells.iter())
                .filter_map(|(name, cell)| {
                    let key = name.trim().strip_suffix("(metadata)")?.trim();
                    let cell = cell.trim();
                    (!key.is_empty() && !cell.is_empty()).then(|| (key.to_owned(), cell.to_owned()))
                })
                .collect(),
            Self::Json { value, .. } => match value.get("metadata") {
                Some(Value::Object(map)) => map
                    .iter()
                    .filter_map(|(key, value)| {
                        let text = scalar_text(value)?;
                        let text = text.trim();
                        (!text.is_empty()).then(|| (key.clone(), text.to_owned()))
                    })
                    .collect(),
                _ => Vec::new(),
            },
        };
        pairs.sort();
        pairs
    }

    /// JSON objects in an array at `path` (a charge's `refunds.data`); none in CSV.
    pub fn objects(&self, path: &str) -> Vec<&'a Value> {
        match self {
            Self::Json { value, .. } => match json_path(value, path) {
                Some(Value::Array(items)) => items.iter().filter(|item| item.is_object()).collect(),
                _ => Vec::new(),
            },
            Self::Csv { .. } => Vec::new(),
        }
    }

    /// The object as read, for the quarantine.
    pub fn raw(&self) -> String {
        match self {
            Self::Csv {
                cells, delimiter, ..
            } => join_cells(cells.iter(), *delimiter),
            Self::Json { value, .. } => value.to_string(),
        }
    }
}

/// The value at a dotted path (`address.city`, `items.data.0.price.id`).
pub fn json_path<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(value, |current, segment| match current {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
            _ => None,
        })
}

/// Strings, numbers and booleans as text; null, objects and arrays are none.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            default_currency: "EUR".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn csv_and_json_answer_the_same_names() {
        let settings = settings();
        let header = Header::new(
            [
                "id",
                "Amount Paid",
                "Currency",
                "Date (UTC)",
                "crm_id (metadata)",
            ]
            .map(String::from)
            .to_vec(),
        );
        let cells =
            csv::StringRecord::from(vec!["in_1", "1234.50", "eur", "2024-03-05 10:11", " C-7 "]);
        let row = Fields::Csv {
            header: &header,
            cells: &cells,
            delimiter: b',',
            settings: &settings,
        };
        let amount = row
            .text(&["amount_paid"])
            .expect("found by normalized name");
        assert_eq!(amount.name, "Amount Paid");
        let money = row.money(&amount, "eur").expect("amount");
        assert_eq!(
            (money.amount_minor, money.currency.as_str()),
            (123_450, "EUR")
        );
        let at = row
            .time(&row.text(&["created", "Date (UTC)"]).expect("date"))
            .expect("parses");
        assert_eq!(at.to_rfc3339(), "2024-03-05T10:11:00+00:00");
        assert_eq!(row.metadata(), vec![("crm_id".into(), "C-7".into())]);

        let value = serde_json::json!({
            "id": "in_1", "amount_paid": 123450, "currency": "eur",
            "status_transitions": {"paid_at": 1709633472},
            "customer": {"id": "cus_9"}, "metadata": {"crm_id": "C-7", "n": 3}
        });
        let object = Fields::Json {
            value: &value,
            settings: &settings,
        };
        let amount = object.text(&["amount_paid"]).expect("amount");
        assert_eq!(
            object.money(&amount, "eur").expect("minor").amount_minor,
            123_450
        );
        let paid = object
            .optional_time(&["status_transitions.paid_at"])
            .expect("time");
        assert_eq!(paid.map(|at| at.timestamp()), Some(1_709_633_472));
        assert_eq!(
            object.text(&["customer", "customer.id"]).map(|f| f.value),
            Some("cus_9".into())
        );
        assert_eq!(object.metadata().len(), 2);
    }

    #[test]
    fn bad_values_name_their_field() {
        let settings = Settings::default();
        let header = Header::new(["Amount", "Created (UTC)"].map(String::from).to_vec());
        let cells = csv::StringRecord::from(vec!["twelve", "2024-13-45 10:00"]);
        let row = Fields::Csv {
            header: &header,
            cells: &cells,
            delimiter: b',',
            settings: &settings,
        };
        let amount = row.text(&["amount"]).expect("present");
        assert_eq!(row.money(&amount, "usd").expect_err("bad").field, "Amount");
        let created = row.text(&["Created (UTC)"]).expect("present");
        assert_eq!(row.time(&created).expect_err("bad").field, "Created (UTC)");
        let missing = row.currency(&["currency", "Currency"]).expect_err("none");
        assert_eq!(missing.field, "currency");
        let json = serde_json::json!({"amount": "12.50"});
        let object = Fields::Json {
            value: &json,
            settings: &settings,
        };
        let amount = object.text(&["amount"]).expect("present");
        assert!(object.money(&amount, "usd").is_err());
    }
}
