//! The spreadsheet family (`kind = "spreadsheet"`): customer lists kept by
//! hand — CSV/TSV/TXT exports and XLSX/XLSM/XLSB/XLS/ODS workbooks — read into
//! customer [`SourceRecord`](c360_model::SourceRecord)s. Lists carry no
//! activities.
//!
//! Formats and their references:
//! - Delimited text as RFC 4180 describes it (quoted fields, doubled quotes,
//!   line breaks inside quotes): <https://www.rfc-editor.org/rfc/rfc4180>,
//!   read by `c360_connector::tabular` (any encoding, delimiter sniffed among
//!   `,` `;` tab `|`, header found below title rows, column counts checked).
//! - Workbooks through calamine (<https://docs.rs/calamine/0.38.0/calamine/>):
//!   every worksheet is read (option `sheets` limits it); formula cells are
//!   read as the value the spreadsheet program last computed and saved
//!   (calamine's `worksheet_range`); date cells as ISO 8601; merged regions
//!   (`merge_cells_by_sheet_name`, XLSX and XLS; calamine's ODS and XLSB
//!   readers do not expose merges, so there a merged value stays in its
//!   first row) repeat their value down.
//!   The file's first bytes pick the reader: a zip package is XLSX (or ODS,
//!   by its `mimetype` entry), an OLE compound file is XLS, anything else
//!   is delimited text.
//!
//! Formula injection (OWASP, <https://owasp.org/www-community/attacks/CSV_Injection>):
//! a cell starting with `=`, `+`, `-` or `@` (`=HYPERLINK("http://evil","click")`,
//! `=cmd|' /C calc'!A0`) is data. Nothing here evaluates it; it is stored as
//! the literal text it is, and whatever exports it again escapes it there.
//!
//! Mapping ([`aliases`]): a generous list of header names in English,
//! German, Turkish, French, Spanish, Arabic and Chinese for the id, the name
//! (one cell, split; "Yılmaz, Ayşe" is family-first; titles such as "Dr."
//! go to the `title` attribute), given and family names, e-mails (several in
//! one cell split on `;` `,` or spaces), phones (E.164 with the source's
//! `default_country`), company, birth date (ISO, `05.03.1990`, `03/05/1990`
//! with `day_first`), update time, address parts and notes. Every other
//! column is kept verbatim as an attribute under its header; numeric columns
//! (Revenue, Umsatz, Ciro, … and the option `numeric_columns`) are kept as
//! plain decimals ("1.234,50 €" → "1234.5"). The source's
//! `[sources.mapping]` overrides any target.
//!
//! The customer id: the id column (a default name or the option
//! `id_column`); where a list has none or the cell is blank, the first
//! e-mail (lower-cased), else `hash-` and a hash of the name and first
//! phone. The row's position is never part of it: inserting a row would
//! renumber everyone below.
//!
//! Layout:
//! - [`connector`]: the [`Connector`], file discovery and format detection.
//! - [`settings`]: the source's options and mapping, checked once.
//! - [`aliases`]: the default mapping (header names).
//! - [`layout`]: header names, what each column holds, header scoring.
//! - [`cell`]: typed spreadsheet cells and locale numbers as text.
//! - [`delimited`]: CSV/TSV files; [`workbook`] and [`sheet`]: workbooks.
//! - [`record`] and [`person`]: a row of text → a record (or a row error).
//! - [`error`]: workbook and sheet failures.
//!
//! Tests: `tests/fixtures/` holds a German CSV, a Turkish TSV, an XLSX and an
//! ODS (the workbooks written by `tests/fixtures/make_fixtures.py`, standard
//! library only); `tests/integration/` reads them through [`connector`]. The
//! 100,000-row timing test is `cargo test --release -p
//! c360-connector-spreadsheet -- --ignored` ([`parse_only`]); `cargo run
//! --example dump -- FILE [COUNTRY] [day_first]` prints what a file reads as.

pub mod aliases;
pub mod cell;
pub mod connector;
pub mod delimited;
pub mod error;
pub mod layout;
pub mod person;
pub mod record;
pub mod settings;
pub mod sheet;
pub mod workbook;

use std::path::Path;

use c360_connector::{Connector, ConnectorResult, Location, RowError, SourceConfig, SourceItem};

pub use connector::SpreadsheetConnector;

/// The `kind`s this crate reads, with one line each (shown by `c360 sync --kinds`).
pub const KINDS: &[(&str, &str)] = &[(
    "spreadsheet",
    "hand-kept customer lists: CSV/TSV/TXT, XLSX/XLS/XLSB/ODS workbooks (every sheet)",
)];

/// Builds the connector for a `[[sources]]` entry whose `kind` is one of KINDS.
pub fn connector(config: &SourceConfig) -> ConnectorResult<Box<dyn Connector>> {
    Ok(Box::new(SpreadsheetConnector::new(config)?))
}

/// Reads one file as the connector would; a file that cannot be read at
/// all is one error item. (Used by the fuzz target.)
pub fn read_file(config: &SourceConfig, path: &Path) -> Vec<SourceItem> {
    match SpreadsheetConnector::new(config).and_then(|connector| connector.read_path(path)) {
        Ok(items) => items.collect(),
        Err(error) => vec![unreadable(path, &error.to_string())],
    }
}

/// Reads one file and counts (records, row errors) without keeping them:
/// what a benchmark measures.
pub fn parse_only(config: &SourceConfig, path: &Path) -> (usize, usize) {
    let items =
        match SpreadsheetConnector::new(config).and_then(|connector| connector.read_path(path)) {
            Ok(items) => items,
            Err(_) => return (0, 1),
        };
    items.fold((0, 0), |(records, errors), item| match item {
        SourceItem::Error(_) => (records, errors + 1),
        _ => (records + 1, errors),
    })
}

fn unreadable(path: &Path, reason: &str) -> SourceItem {
    let file = path.display().to_string();
    SourceItem::error(RowError::new(Location::file(&file), "file", reason, ""))
}
