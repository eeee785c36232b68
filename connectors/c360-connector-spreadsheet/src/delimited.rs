//! CSV, TSV and other delimited text lists (RFC 4180 quoting, read by the
//! shared [`TableReader`]: any encoding, the delimiter sniffed among `,` `;`
//! tab `|`, the header found below title rows, each row's column count
//! checked). A cell is text as written: one starting with `=`, `+`, `-` or
//! `@` stays that literal text.

use std::path::Path;

use c360_connector::tabular::TableReader;
use c360_connector::{ConnectorResult, ItemIter, Location, RowError, SourceItem};

use crate::cell::text_cell;
use crate::record::RowBuilder;
use crate::settings::Settings;

/// The items of one delimited file, streamed.
pub fn read_delimited(settings: &Settings, path: &Path) -> ConnectorResult<ItemIter> {
    let scorer = settings.scorer.clone();
    let reader = TableReader::open(path, settings.table, &|cells| scorer.score(cells))?;
    let layout = scorer.layout(&reader.headers);
    let builder = RowBuilder::new(&settings.config, &settings.mapping, layout)?;
    let delimiter = reader.delimiter;
    let decimal = settings.decimal;
    let file = reader.file().to_owned();
    Ok(Box::new(reader.map(move |row| {
        let row = match row {
            Ok(row) => row,
            Err(error) => return SourceItem::Error(error),
        };
        let location = Location::line(&file, row.line);
        let raw = || row.raw(delimiter);
        let mut cells = Vec::with_capacity(row.cells.len());
        for (index, cell) in row.cells.iter().enumerate() {
            match text_cell(cell, builder.layout().kind(index), decimal) {
                Ok(text) => cells.push(text),
                Err(reason) => {
                    let column = builder
                        .layout()
                        .headers
                        .get(index)
                        .cloned()
                        .unwrap_or_default();
                    return SourceItem::error(RowError::new(location, column, reason, raw()));
                }
            }
        }
        builder.build(cells, location, &raw)
    })))
}
