//! Reading benchmark person files into source records and match records.
//!
//! The FEBRL files and `gen_people.py` output share one column set (`rec_id,
//! given_name, surname, street_number, address_1, address_2, suburb,
//! postcode, state, date_of_birth, soc_sec_id`); files from
//! `tools/gen_customers.py` add `source, full_name, email, phone, country,
//! company`. Columns are found by header name, so either layout reads. Each
//! row goes through the hub's own normalization, so the bench measures what
//! the product does. Ground truth is the entity in `rec_id`
//! (`rec-<entity>-org` / `rec-<entity>-dup-<k>`).

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use c360_match::record::NATIONAL_ID_ATTRIBUTE;
use c360_match::{DateParts, MatchRecord};
use c360_model::normalize::NormalizeConfig;
use c360_model::{PostalAddress, SourceRecord, normalize_record};
use rayon::prelude::*;

/// A labelled data set.
#[derive(Debug, Default)]
pub struct Dataset {
    pub ids: Vec<String>,
    pub records: Vec<MatchRecord>,
    pub sources: Vec<SourceRecord>,
    /// Per record, its true entity (dense numbers).
    pub entity_of: Vec<u64>,
    /// Rows whose e-mail could not be read (kept without it).
    pub dropped_emails: usize,
}

/// One CSV row, by column name.
struct Row<'a> {
    columns: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    fn get(&self, column: &str) -> String {
        self.columns
            .get(column)
            .and_then(|index| self.record.get(*index))
            .map(|value| value.trim().to_owned())
            .unwrap_or_default()
    }
}

/// Rows converted at a time: bounds memory on million-row files.
const CHUNK: usize = 50_000;

/// Reads one or more files as one data set (FEBRL4 is two files). Source
/// records are kept only with `keep_sources` (they are large).
pub fn read_people(
    paths: &[&Path],
    normalize: &NormalizeConfig,
    keep_sources: bool,
) -> anyhow::Result<Dataset> {
    let mut dataset = Dataset::default();
    let mut entities: HashMap<String, u64> = HashMap::new();
    for path in paths {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_path(path)
            .with_context(|| format!("failed to open {}", path.display()))?;
        let columns: HashMap<String, usize> = reader
            .headers()
            .with_context(|| format!("failed to read the header of {}", path.display()))?
            .iter()
            .enumerate()
            .map(|(index, name)| (name.trim().to_ascii_lowercase(), index))
            .collect();
        anyhow::ensure!(
            columns.contains_key("rec_id"),
            "{} has no rec_id column",
            path.display()
        );
        let file = path.display().to_string();
        let mut chunk: Vec<(String, SourceRecord, String)> = Vec::with_capacity(CHUNK);
        for (line, record) in reader.records().enumerate() {
            let record = record.with_context(|| format!("{file}: line {} is not CSV", line + 2))?;
            let row = Row {
                columns: &columns,
                record: &record,
            };
            chunk.push(source_record_of(&row, &file));
            if chunk.len() == CHUNK {
                dataset.add(
                    std::mem::take(&mut chunk),
                    normalize,
                    keep_sources,
                    &mut entities,
                );
            }
        }
        dataset.add(chunk, normalize, keep_sources, &mut entities);
    }
    Ok(dataset)
}

impl Dataset {
    fn add(
        &mut self,
        rows: Vec<(String, SourceRecord, String)>,
        normalize: &NormalizeConfig,
        keep_sources: bool,
        entities: &mut HashMap<String, u64>,
    ) {
        let converted: Vec<(MatchRecord, SourceRecord, bool)> = rows
            .par_iter()
            .map(|(_, source, birth)| match_record_of(source, birth, normalize))
            .collect();
        for ((rec_id, _, _), (record, source, dropped)) in rows.into_iter().zip(converted) {
            let entity = c360_match::eval::febrl_entity(&rec_id)
                .unwrap_or(&rec_id)
                .to_owned();
            let next = entities.len() as u64;
            self.entity_of.push(*entities.entry(entity).or_insert(next));
            self.ids.push(rec_id);
            self.records.push(record);
            if keep_sources {
                self.sources.push(source);
            }
            self.dropped_emails += usize::from(dropped);
        }
    }
}

/// The row as the source record a connector would produce; the raw birth
/// date is returned beside it (benchmark files hold corrupted dates).
fn source_record_of(row: &Row<'_>, file: &str) -> (String, SourceRecord, String) {
    let rec_id = row.get("rec_id");
    let line1 = format!("{} {}", row.get("street_number"), row.get("address_1"));
    let address = PostalAddress {
        line1: line1.trim().to_owned(),
        line2: row.get("address_2"),
        city: row.get("suburb"),
        region: row.get("state"),
        postal_code: row.get("postcode"),
        country: row.get("country"),
    };
    let mut attributes = std::collections::BTreeMap::new();
    let national_id = row.get("soc_sec_id");
    if !national_id.is_empty() {
        attributes.insert(NATIONAL_ID_ATTRIBUTE.to_owned(), national_id);
    }
    let source = row.get("source");
    let record = SourceRecord {
        source: if source.is_empty() {
            file.to_owned()
        } else {
            source
        },
        external_id: rec_id.clone(),
        given_name: row.get("given_name"),
        family_name: row.get("surname"),
        full_name: row.get("full_name"),
        emails: Some(row.get("email"))
            .filter(|value| !value.is_empty())
            .into_iter()
            .collect(),
        phones: Some(row.get("phone"))
            .filter(|value| !value.is_empty())
            .into_iter()
            .collect(),
        addresses: if address.is_empty() {
            Vec::new()
        } else {
            vec![address]
        },
        company: row.get("company"),
        attributes,
        ..SourceRecord::default()
    };
    (rec_id, record, row.get("date_of_birth"))
}

fn match_record_of(
    source: &SourceRecord,
    birth: &str,
    normalize: &NormalizeConfig,
) -> (MatchRecord, SourceRecord, bool) {
    let mut config = normalize.clone();
    if let Some(country) = source
        .addresses
        .first()
        .map(|address| address.country.trim())
        && country.len() == 2
    {
        config.default_region = Some(country.to_ascii_uppercase());
    }
    let mut source = source.clone();
    let mut dropped = false;
    let normalized = match normalize_record(&source, &config) {
        Ok(normalized) => normalized,
        Err(_) => {
            // An unreadable e-mail: keep the row without it, as ingest would
            // report the field and keep the rest.
            dropped = true;
            source.emails.clear();
            normalize_record(&source, &config).unwrap_or_default()
        }
    };
    let mut record = MatchRecord::from_source(&source, &normalized, &config.text);
    record.birth_date = DateParts::parse(birth);
    // Keep the raw date on the source record in the form ingest accepts.
    if let Some(date) = record.birth_date
        && chrono::NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        )
        .is_some()
    {
        source.birth_date = format!("{:04}-{:02}-{:02}", date.year, date.month, date.day);
    }
    (record, source, dropped)
}
