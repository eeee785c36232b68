//! One audience export row → one member record. The declarative mapping
//! reads the plain columns; code adds what needs logic: the subscriber hash
//! as key, the status, the `TAGS` cell, the `Address` merge field, and the
//! audience's own merge fields as attributes.

use c360_connector::mapping::{Mapper, header_key};
use c360_connector::tabular::TableRow;
use c360_connector::transform::international_phone;
use c360_connector::{FieldMapping, Location, RowError, SourceItem};

use super::address::parse_address;
use super::layout::{ADDRESS_COLUMNS, DROPPED_COLUMNS, STATUS_COLUMNS, TAGS_COLUMNS};
use crate::hash::subscriber_hash;

/// Reads the rows of one audience file.
pub struct AudienceRows {
    file: String,
    delimiter: u8,
    mapper: Mapper,
    /// From the file name; else the row's `Status` column.
    status: Option<&'static str>,
    status_column: Option<usize>,
    tags_column: Option<usize>,
    /// `None` when the user maps address targets themselves.
    address_column: Option<usize>,
    email_column: String,
    /// `MEMBER_RATING` (index, header): Mailchimp's 1–5 stars.
    rating_column: Option<(usize, String)>,
    /// Merge fields no mapping names: (column, attribute key).
    extra_columns: Vec<(usize, String)>,
    maps_external_id: bool,
}

impl AudienceRows {
    pub fn new(
        file: &str,
        headers: &[String],
        delimiter: u8,
        mapper: Mapper,
        mapping: &FieldMapping,
        status: Option<&'static str>,
    ) -> Self {
        let find = |candidates: &[&str]| {
            let wanted: Vec<String> = candidates.iter().map(|name| header_key(name)).collect();
            headers
                .iter()
                .position(|header| wanted.contains(&header_key(header)))
        };
        let maps_address = mapping.0.keys().any(|target| {
            matches!(
                target.as_str(),
                "address_line1" | "address_line2" | "city" | "region" | "postal_code" | "country"
            )
        });
        let address_column = if maps_address {
            None
        } else {
            find(&ADDRESS_COLUMNS)
        };
        let status_column = find(&STATUS_COLUMNS);
        let rating_column = find(&["MEMBER_RATING"]).map(|index| (index, headers[index].clone()));
        let tags_column = find(&TAGS_COLUMNS);
        let mapped = mapping.known_columns();
        let handled: Vec<Option<usize>> = vec![address_column, status_column, tags_column];
        let dropped: Vec<String> = DROPPED_COLUMNS
            .iter()
            .map(|name| header_key(name))
            .collect();
        let extra_columns = headers
            .iter()
            .enumerate()
            .filter(|(index, header)| {
                let key = header_key(header);
                !key.is_empty()
                    && !mapped.contains(&key)
                    && !dropped.contains(&key)
                    && !handled.contains(&Some(*index))
            })
            .map(|(index, header)| (index, attribute_key(header)))
            .collect();
        // The column named in "no e-mail address" errors.
        let email_column = find(&["Email Address", "Email"])
            .and_then(|index| headers.get(index).cloned())
            .unwrap_or_else(|| "email".to_owned());
        Self {
            file: file.to_owned(),
            delimiter,
            maps_external_id: mapper.maps("external_id"),
            mapper,
            status,
            status_column,
            tags_column,
            address_column,
            email_column,
            rating_column,
            extra_columns,
        }
    }

    /// The record of one row, or why there is none.
    pub fn item(&self, row: &TableRow) -> SourceItem {
        let location = Location::line(&self.file, row.line);
        let raw = || row.raw(self.delimiter);
        if let Some((index, header)) = &self.rating_column {
            let rating = row.cells.get(*index).map(str::trim).unwrap_or_default();
            let valid = rating.is_empty()
                || rating
                    .parse::<u8>()
                    .is_ok_and(|stars| (1..=5).contains(&stars));
            if !valid {
                return SourceItem::error(RowError::new(
                    location,
                    header.clone(),
                    format!("{rating:?} is not a member rating (1 to 5 stars)"),
                    raw(),
                ));
            }
        }
        let mut record = match self.mapper.record(&row.cells) {
            Ok(record) => record,
            Err(error) => {
                return SourceItem::error(RowError::new(
                    location,
                    error.field,
                    error.reason,
                    raw(),
                ));
            }
        };
        if !self.maps_external_id {
            let Some(email) = record
                .emails
                .first()
                .filter(|email| !email.trim().is_empty())
            else {
                return SourceItem::error(RowError::new(
                    location,
                    self.email_column.clone(),
                    "no e-mail address: a Mailchimp member is keyed by it",
                    raw(),
                ));
            };
            record.external_id = subscriber_hash(email);
        }
        let cell = |index: Option<usize>| {
            index
                .and_then(|index| row.cells.get(index))
                .map(str::trim)
                .filter(|value| !value.is_empty())
        };
        let status = self
            .status
            .map(str::to_owned)
            .or_else(|| cell(self.status_column).map(str::to_ascii_lowercase));
        if let Some(status) = status {
            record.attributes.insert("status".into(), status);
        }
        if let Some(tags) = cell(self.tags_column) {
            let tags = parse_tags(tags);
            if !tags.is_empty() {
                record.attributes.insert(
                    "tags".into(),
                    serde_json::to_string(&tags).unwrap_or_default(),
                );
            }
        }
        if let Some(address) = cell(self.address_column).and_then(parse_address) {
            // Phones without a country code read as the address's country
            // when the source sets no default (the mapper could not know it).
            if address.country.len() == 2 {
                for phone in &mut record.phones {
                    if !phone.starts_with('+') {
                        *phone = international_phone(phone, &address.country);
                    }
                }
            }
            record.addresses.push(address);
        }
        for (index, key) in &self.extra_columns {
            if let Some(value) = cell(Some(*index)) {
                record
                    .attributes
                    .entry(key.clone())
                    .or_insert_with(|| value.to_owned());
            }
        }
        SourceItem::record(record, location)
    }
}

/// `"VIP","Blog readers"` (as the `TAGS` cell holds them) → the tag names.
pub fn parse_tags(cell: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(cell.as_bytes());
    let mut record = csv::StringRecord::new();
    let parsed = match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(str::to_owned).collect(),
        // An unbalanced quote: split on commas and strip the quotes.
        _ => cell.split(',').map(str::to_owned).collect::<Vec<_>>(),
    };
    parsed
        .iter()
        .map(|tag| tag.trim().trim_matches('"').trim().to_owned())
        .filter(|tag| !tag.is_empty())
        .collect()
}

/// A merge field's header as an attribute key: `Favourite Colour` →
/// `favourite_colour`.
pub fn attribute_key(header: &str) -> String {
    let mut key = String::new();
    for c in header.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            key.push(c);
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags() {
        assert_eq!(
            parse_tags(r#""VIP","Blog readers""#),
            vec!["VIP", "Blog readers"]
        );
        assert_eq!(parse_tags(r#""Müşteri, sadık""#), vec!["Müşteri, sadık"]);
        assert_eq!(parse_tags("plain"), vec!["plain"]);
        assert_eq!(parse_tags(r#""broken,"ok""#), vec!["broken,ok"]);
        assert!(parse_tags(r#""""#).is_empty());
    }

    #[test]
    fn attribute_keys() {
        assert_eq!(attribute_key("Favourite Colour"), "favourite_colour");
        assert_eq!(attribute_key(" Üye No. "), "üye_no");
        assert_eq!(attribute_key("MMERGE7"), "mmerge7");
    }
}
