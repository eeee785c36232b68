//! One worksheet's rows → items: the header row found below titles and blank
//! rows, merged cells read, each cell read for what its column holds.
//!
//! Merged cells: a value merged down several rows (one company for three
//! contacts) belongs to each of those rows, so it is repeated down its
//! column. A value merged across columns stays in its first column only:
//! a name spread over "First name" and "Last name" is not both.

use std::collections::HashMap;

use c360_connector::tabular::join_cells;
use c360_connector::{Location, RowError, SourceItem};
use calamine::{Data, Dimensions, Range};

use crate::cell::sheet_cell;
use crate::layout::CellKind;
use crate::record::RowBuilder;
use crate::settings::Settings;

/// How many leading rows are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;
/// Merged cells remembered per sheet; a merge over a whole column of a
/// broken or hostile file must not exhaust memory.
const MAX_MERGED_CELLS: usize = 1_000_000;

/// Where a sheet's header is, or why it has none.
pub enum SheetStart {
    Rows(Box<SheetRows>),
    /// No rows at all: nothing to say.
    Empty,
    /// Rows, but none of the first ones is a header this reader knows.
    NoHeader(Box<RowError>),
}

/// A sheet's cells with its merged regions.
struct Grid {
    range: Range<Data>,
    /// Covered cell (absolute row, column) → the merged region's first cell.
    merges: HashMap<(u32, u32), (u32, u32)>,
    /// The range's first cell (absolute): empty columns left of it are
    /// padded so attribute names use the sheet's column letters.
    origin: (u32, u32),
}

impl Grid {
    /// The cell at a relative position, or the merged region's value.
    fn cell(&self, row: usize, column: usize) -> &Data {
        let data = self.range.get((row, column)).unwrap_or(&Data::Empty);
        if *data != Data::Empty || self.merges.is_empty() {
            return data;
        }
        let absolute = (
            self.origin.0.saturating_add(row as u32),
            self.origin.1.saturating_add(column as u32),
        );
        self.merges
            .get(&absolute)
            .and_then(|first| self.range.get_value(*first))
            .unwrap_or(&Data::Empty)
    }

    fn padding(&self) -> usize {
        self.origin.1 as usize
    }

    /// A row as plain text, padded (header search, the quarantine's raw row).
    fn texts(&self, row: usize) -> Vec<String> {
        let mut texts = vec![String::new(); self.padding()];
        for column in 0..self.range.width() {
            texts
                .push(sheet_cell(self.cell(row, column), CellKind::Text, None).unwrap_or_default());
        }
        texts
    }

    fn is_blank(&self, row: usize) -> bool {
        (0..self.range.width()).all(|column| match self.cell(row, column) {
            Data::Empty | Data::Error(_) => true,
            Data::String(text) => text.trim().is_empty(),
            _ => false,
        })
    }
}

/// The data rows of one sheet, read lazily.
pub struct SheetRows {
    file: String,
    sheet: String,
    grid: Grid,
    builder: RowBuilder,
    decimal: Option<char>,
    /// Next row, relative to the range.
    next: usize,
}

impl SheetRows {
    pub fn start(
        settings: &Settings,
        file: &str,
        sheet: &str,
        range: Range<Data>,
        regions: &[Dimensions],
    ) -> SheetStart {
        let Some(origin) = range.start().filter(|_| !range.is_empty()) else {
            return SheetStart::Empty;
        };
        let grid = Grid {
            merges: merge_map(&range, regions),
            range,
            origin,
        };
        let searched = grid.range.height().min(HEADER_SEARCH_ROWS);
        let best = (0..searched)
            .map(|row| (settings.scorer.score(&grid.texts(row)), row))
            .filter(|(score, _)| *score > 0)
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((_, header_row)) = best else {
            let reason = format!(
                "none of its first {HEADER_SEARCH_ROWS} rows names a known column (ID, Name, E-mail, Phone, …)"
            );
            return SheetStart::NoHeader(Box::new(no_header(file, sheet, &reason)));
        };
        let mut header = grid.texts(header_row);
        while header.last().is_some_and(|cell| cell.trim().is_empty()) {
            header.pop();
        }
        let layout = settings.scorer.layout(&header);
        let builder = match RowBuilder::new(&settings.config, &settings.mapping, layout) {
            Ok(builder) => builder,
            Err(error) => {
                return SheetStart::NoHeader(Box::new(no_header(file, sheet, &error.to_string())));
            }
        };
        SheetStart::Rows(Box::new(Self {
            file: file.to_owned(),
            sheet: sheet.to_owned(),
            grid,
            builder,
            decimal: settings.decimal,
            next: header_row + 1,
        }))
    }

    fn location(&self, row: usize) -> Location {
        Location {
            file: self.file.clone(),
            line: Some(u64::from(self.grid.origin.0) + row as u64 + 1),
            object: Some(self.sheet.clone()),
        }
    }
}

impl Iterator for SheetRows {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        let grid = &self.grid;
        let padding = grid.padding();
        while self.next < grid.range.height() {
            let row = self.next;
            self.next += 1;
            if grid.is_blank(row) {
                continue;
            }
            let location = self.location(row);
            let raw = || {
                join_cells(
                    grid.texts(row).iter().map(String::as_str).skip(padding),
                    b',',
                )
            };
            let mut cells = vec![String::new(); padding];
            for column in 0..grid.range.width() {
                let index = padding + column;
                let kind = self.builder.layout().kind(index);
                match sheet_cell(grid.cell(row, column), kind, self.decimal) {
                    Ok(text) => cells.push(text),
                    Err(reason) => {
                        let header = self
                            .builder
                            .layout()
                            .headers
                            .get(index)
                            .cloned()
                            .unwrap_or_default();
                        return Some(SourceItem::error(RowError::new(
                            location,
                            header,
                            reason,
                            raw(),
                        )));
                    }
                }
            }
            return Some(self.builder.build(cells, location, &raw));
        }
        None
    }
}

fn no_header(file: &str, sheet: &str, reason: &str) -> RowError {
    RowError::new(
        Location::object(file, sheet),
        "header",
        format!("sheet skipped: {reason}"),
        "",
    )
}

/// Covered cells below each merged region's first cell, in its first column,
/// clipped to the range.
fn merge_map(range: &Range<Data>, regions: &[Dimensions]) -> HashMap<(u32, u32), (u32, u32)> {
    let mut merges = HashMap::new();
    let (Some(start), Some(end)) = (range.start(), range.end()) else {
        return merges;
    };
    for region in regions {
        let first = region.start;
        if !(start.1..=end.1).contains(&first.1) {
            continue;
        }
        let last_row = region.end.0.min(end.0);
        for row in first.0.saturating_add(1).max(start.0)..=last_row {
            if merges.len() >= MAX_MERGED_CELLS {
                return merges;
            }
            merges.insert((row, first.1), first);
        }
    }
    merges
}

#[cfg(test)]
mod tests {
    use super::*;
    use c360_connector::SourceConfig;

    fn settings() -> Settings {
        Settings::new(&SourceConfig {
            name: "sheet".into(),
            ..SourceConfig::default()
        })
        .expect("settings")
    }

    fn text(value: &str) -> Data {
        Data::String(value.to_owned())
    }

    /// A sheet starting at B2: a title, a blank row, the header, rows.
    fn range() -> Range<Data> {
        let mut range = Range::new((1, 1), (6, 3));
        range.set_value((1, 1), text("Kundenliste"));
        range.set_value((3, 1), text("Name"));
        range.set_value((3, 2), text("Firma"));
        range.set_value((3, 3), text("Kunden-Nr"));
        range.set_value((4, 1), text("Ayşe Yılmaz"));
        range.set_value((4, 2), text("ACME"));
        range.set_value((4, 3), Data::Float(1001.0));
        range.set_value((5, 1), text("Li Wei"));
        range.set_value((5, 3), Data::Int(1002));
        range.set_value((6, 1), text("Anna Schmidt"));
        range.set_value((6, 3), Data::Float(1003.0));
        range
    }

    #[test]
    fn finds_the_header_and_repeats_merged_values_down() {
        let regions = [
            Dimensions::new((1, 1), (1, 3)),
            Dimensions::new((4, 2), (5, 2)),
        ];
        let SheetStart::Rows(rows) =
            SheetRows::start(&settings(), "k.xlsx", "Kunden", range(), &regions)
        else {
            panic!("a header");
        };
        let items: Vec<SourceItem> = rows.collect();
        assert_eq!(items.len(), 3);
        let records: Vec<_> = items
            .iter()
            .filter_map(|item| match item {
                SourceItem::Record(record, location) => Some((record, location)),
                _ => None,
            })
            .collect();
        assert_eq!(records[0].0.external_id, "1001");
        assert_eq!(records[1].0.company, "ACME", "merged down");
        assert_eq!(records[2].0.company, "");
        assert_eq!(records[1].1.to_string(), "k.xlsx:6#Kunden");
    }

    #[test]
    fn sheets_without_a_known_header_are_reported() {
        let mut range = Range::new((0, 0), (1, 1));
        range.set_value((0, 0), text("Preisliste"));
        range.set_value((1, 1), Data::Float(12.5));
        match SheetRows::start(&settings(), "k.xlsx", "Preise", range, &[]) {
            SheetStart::NoHeader(error) => {
                assert_eq!(error.location.to_string(), "k.xlsx#Preise");
                assert!(
                    error.reason.starts_with("sheet skipped"),
                    "{}",
                    error.reason
                );
            }
            _ => panic!("no header"),
        }
        assert!(matches!(
            SheetRows::start(&settings(), "k.xlsx", "Leer", Range::empty(), &[]),
            SheetStart::Empty
        ));
    }
}
