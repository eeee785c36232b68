//! One table row (CSV line or sheet row, cells already read as text) → a
//! customer record or a row error. Shared by the delimited and workbook
//! readers so both read a list the same way.

use c360_connector::{
    ConnectorResult, FieldMapping, Location, Mapper, RowError, SourceConfig, SourceItem,
};

use crate::layout::{Layout, column_letter};
use crate::person::{derived_id, tidy};

/// Maps the rows of one table (its header resolved once).
#[derive(Debug, Clone)]
pub struct RowBuilder {
    mapper: Mapper,
    layout: Layout,
    default_country: String,
}

impl RowBuilder {
    pub fn new(
        config: &SourceConfig,
        mapping: &FieldMapping,
        layout: Layout,
    ) -> ConnectorResult<Self> {
        let mapper = Mapper::new(config, mapping, Some(&layout.headers))?;
        Ok(Self {
            mapper,
            layout,
            default_country: config.default_country.trim().to_owned(),
        })
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The record of one row. `cells` may be longer than the header (a
    /// sheet's notes typed beside the table): those become attributes named
    /// after their column letter. `raw` is the row as the quarantine keeps it.
    pub fn build(
        &self,
        cells: Vec<String>,
        location: Location,
        raw: &dyn Fn() -> String,
    ) -> SourceItem {
        let mut record = match self.mapper.record(&cells) {
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
        tidy(&mut record, &self.default_country);
        for (index, cell) in cells.iter().enumerate() {
            let cell = cell.trim();
            if cell.is_empty() || self.layout.mapped.get(index).copied().unwrap_or(false) {
                continue;
            }
            // Unknown columns are kept verbatim, under their header.
            let key = self
                .layout
                .headers
                .get(index)
                .cloned()
                .unwrap_or_else(|| format!("column {}", column_letter(index)));
            record
                .attributes
                .entry(key)
                .or_insert_with(|| cell.to_owned());
        }
        if record.external_id.trim().is_empty() {
            match derived_id(&record) {
                Some(id) => record.external_id = id,
                None => {
                    return SourceItem::error(RowError::new(
                        location,
                        "row",
                        "names no customer: no id, e-mail, name or phone",
                        raw(),
                    ));
                }
            }
        }
        SourceItem::record(record, location)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aliases::{default_mapping, numeric_keys};
    use crate::layout::HeaderScorer;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|cell| (*cell).to_owned()).collect()
    }

    fn builder(header: &[&str]) -> RowBuilder {
        let config = SourceConfig {
            name: "sheet".into(),
            default_country: "DE".into(),
            day_first: true,
            ..SourceConfig::default()
        };
        let mapping = default_mapping();
        let layout = HeaderScorer::new(&mapping, numeric_keys(None)).layout(&strings(header));
        RowBuilder::new(&config, &mapping, layout).expect("builder")
    }

    #[test]
    fn builds_records_with_attributes_and_derived_ids() {
        let builder = builder(&[
            "Vorname",
            "Name",
            "E-Mail",
            "Handy",
            "Geburtsdatum",
            "Segment",
            "Notiz",
        ]);
        let cells = strings(&[
            "Dr. Hans",
            "Müller",
            "hans@example.de; h.mueller@example.com",
            "0171 2345678",
            "05.03.1990",
            "B2B",
            "=HYPERLINK(\"http://evil\",\"click\")",
        ]);
        let item = builder.build(cells, Location::line("k.csv", 2), &|| "raw".into());
        let SourceItem::Record(record, _) = item else {
            panic!("a record: {item:?}");
        };
        assert_eq!(record.external_id, "hans@example.de");
        assert_eq!(
            (record.given_name.as_str(), record.family_name.as_str()),
            ("Hans", "Müller")
        );
        assert_eq!(record.emails.len(), 2);
        assert_eq!(record.phones, vec!["+491712345678"]);
        assert_eq!(record.birth_date, "1990-03-05");
        assert_eq!(
            record.attributes.get("Segment").map(String::as_str),
            Some("B2B")
        );
        assert_eq!(
            record.attributes.get("title").map(String::as_str),
            Some("Dr.")
        );
        assert_eq!(
            record.attributes.get("notes").map(String::as_str),
            Some("=HYPERLINK(\"http://evil\",\"click\")")
        );
    }

    #[test]
    fn bad_fields_and_anonymous_rows_are_errors() {
        let builder = builder(&["ID", "Name", "DOB"]);
        let item = builder.build(
            strings(&["7", "Ada", "31.31.1990"]),
            Location::line("k.csv", 3),
            &|| "7,Ada,31.31.1990".into(),
        );
        let SourceItem::Error(error) = item else {
            panic!("an error: {item:?}");
        };
        assert_eq!(
            (error.field.as_str(), error.raw.as_str()),
            ("DOB", "7,Ada,31.31.1990")
        );
        let item = builder.build(
            strings(&["", "", ""]),
            Location::line("k.csv", 4),
            &String::new,
        );
        assert!(matches!(item, SourceItem::Error(error) if error.field == "row"));
        let item = builder.build(
            strings(&["", "Ada Lovelace", "", "extra"]),
            Location::line("k.csv", 5),
            &String::new,
        );
        let SourceItem::Record(record, _) = item else {
            panic!("a record: {item:?}");
        };
        assert!(record.external_id.starts_with("hash-"));
        assert_eq!(
            record.attributes.get("column D").map(String::as_str),
            Some("extra")
        );
    }
}
