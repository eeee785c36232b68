//! A table's columns as this reader understands them: the header names (made
//! unique, blanks named after their column letter), which columns the mapping
//! reads, and which hold dates or numbers, so cells can be read for what they
//! are before the mapper sees them.

use std::collections::HashSet;

use c360_connector::mapping::header_key;
use c360_connector::{FieldMapping, FieldSpec};

/// What a column's cells are, for reading them as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Text,
    /// Birth dates and update times: a spreadsheet number is a date serial.
    Date,
    /// Locale numbers ("1.234,50"), kept as plain decimals.
    Numeric,
}

/// The columns of one table (a CSV file or one sheet).
#[derive(Debug, Clone)]
pub struct Layout {
    /// Header names, unique, none empty.
    pub headers: Vec<String>,
    pub kinds: Vec<CellKind>,
    /// Whether the mapping reads the column (else it becomes an attribute).
    pub mapped: Vec<bool>,
}

/// Rates candidate header rows: how many cells name a column the mapping
/// (or the numeric list) knows.
#[derive(Debug, Clone)]
pub struct HeaderScorer {
    known: HashSet<String>,
    dates: HashSet<String>,
    numeric: HashSet<String>,
}

impl HeaderScorer {
    pub fn new(mapping: &FieldMapping, numeric: Vec<String>) -> Self {
        let mut dates = HashSet::new();
        for target in ["birth_date", "updated_at"] {
            if let Some(spec) = mapping.0.get(target) {
                dates.extend(spec_columns(spec).iter().map(|column| header_key(column)));
            }
        }
        Self {
            known: mapping.known_columns().into_iter().collect(),
            dates,
            numeric: numeric.into_iter().collect(),
        }
    }

    pub fn score(&self, cells: &[String]) -> usize {
        cells
            .iter()
            .map(|cell| header_key(cell))
            .filter(|key| self.known.contains(key) || self.numeric.contains(key))
            .count()
    }

    /// The layout of a table whose header row is `cells`.
    pub fn layout(&self, cells: &[String]) -> Layout {
        let headers = unique_headers(cells);
        let keys: Vec<String> = headers.iter().map(|header| header_key(header)).collect();
        let kinds = keys
            .iter()
            .map(|key| {
                if self.dates.contains(key) {
                    CellKind::Date
                } else if self.numeric.contains(key) {
                    CellKind::Numeric
                } else {
                    CellKind::Text
                }
            })
            .collect();
        let mapped = keys.iter().map(|key| self.known.contains(key)).collect();
        Layout {
            headers,
            kinds,
            mapped,
        }
    }
}

impl Layout {
    pub fn kind(&self, column: usize) -> CellKind {
        self.kinds.get(column).copied().unwrap_or(CellKind::Text)
    }
}

fn spec_columns(spec: &FieldSpec) -> Vec<String> {
    use c360_connector::mapping::OneOrMany;
    match spec {
        FieldSpec::Column(column) => vec![column.clone()],
        FieldSpec::Columns(columns) => columns.clone(),
        FieldSpec::Rule(rule) => match &rule.from {
            OneOrMany::One(column) => vec![column.clone()],
            OneOrMany::Many(columns) => columns.clone(),
        },
    }
}

/// Trimmed header names; a blank one is named after its column letter
/// ("column C"), a repeated one gets a number ("Phone", "Phone 2"): the
/// mapper finds a column by name, and attributes are keyed by it.
pub fn unique_headers(cells: &[String]) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut headers = Vec::with_capacity(cells.len());
    for (index, cell) in cells.iter().enumerate() {
        let base = match cell.trim() {
            "" => format!("column {}", column_letter(index)),
            name => name.to_owned(),
        };
        let mut name = base.clone();
        let mut number = 2;
        while !seen.insert(header_key(&name)) {
            name = format!("{base} {number}");
            number += 1;
        }
        headers.push(name);
    }
    headers
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut rest = index + 1;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aliases::{default_mapping, numeric_keys};

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|cell| (*cell).to_owned()).collect()
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn headers_are_unique_and_named() {
        let headers = unique_headers(&strings(&["Phone", " ", "phone", "Phone 2", "Tel."]));
        assert_eq!(
            headers,
            strings(&["Phone", "column B", "phone 2", "Phone 2 2", "Tel."])
        );
    }

    #[test]
    fn scores_and_kinds() {
        let scorer = HeaderScorer::new(&default_mapping(), numeric_keys(None));
        assert_eq!(scorer.score(&strings(&["Kundenliste 2024", "", ""])), 0);
        let header = strings(&["Müşteri No", "AD SOYAD", "Doğum Tarihi", "Ciro", "Segment"]);
        assert_eq!(scorer.score(&header), 4);
        let layout = scorer.layout(&header);
        assert_eq!(
            layout.kinds,
            vec![
                CellKind::Text,
                CellKind::Text,
                CellKind::Date,
                CellKind::Numeric,
                CellKind::Text
            ]
        );
        assert_eq!(layout.mapped, vec![true, true, true, false, false]);
    }
}
