//! CSV, TSV and other delimited text lists (RFC 4180 quoting, read by the
//! shared [`TableReader`]: any encoding, the delimiter sniffed among `,` `;`
//! tab `|`, the header found below title rows, each row's column count
//! checked). A cell is text as written: one starting with `=`, `+`, `-` or
//! `@` stays that literal text.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, mpsc};

use c360_connector::tabular::{TableReader, TableRow};
use c360_connector::{ConnectorResult, ItemIter, Location, RowError, RowResult, SourceItem};
use rayon::prelude::*;

use crate::cell::text_cell;
use crate::record::RowBuilder;
use crate::settings::Settings;

/// Rows mapped together: enough to keep both cores busy, few enough that
/// memory stays flat.
const MAP_CHUNK: usize = 4096;
/// Chunks being mapped while the next is read.
const CHUNKS_IN_FLIGHT: usize = 2;

/// The items of one delimited file, streamed.
pub fn read_delimited(settings: &Settings, path: &Path) -> ConnectorResult<ItemIter> {
    let scorer = settings.scorer.clone();
    let reader = TableReader::open(path, settings.table, &|cells| scorer.score(cells))?;
    let layout = scorer.layout(&reader.headers);
    let builder = RowBuilder::new(&settings.config, &settings.mapping, layout)?;
    let delimiter = reader.delimiter;
    let decimal = settings.decimal;
    let file = reader.file().to_owned();
    let convert = move |row: RowResult<TableRow>| -> SourceItem {
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
    };
    // Rows are parsed in file order on this thread while the chunks read
    // before are mapped on every core (mapping is most of the work); chunks
    // come back in order, which the sync's checkpoints rely on.
    let convert = Arc::new(convert);
    let mut reader = reader;
    let mut reading = true;
    let mut in_flight: VecDeque<mpsc::Receiver<Vec<SourceItem>>> = VecDeque::new();
    let mut mapped = Vec::new().into_iter();
    Ok(Box::new(std::iter::from_fn(move || {
        loop {
            if let Some(item) = mapped.next() {
                return Some(item);
            }
            while reading && in_flight.len() < CHUNKS_IN_FLIGHT {
                let rows: Vec<RowResult<TableRow>> = reader.by_ref().take(MAP_CHUNK).collect();
                if rows.is_empty() {
                    reading = false;
                    break;
                }
                let (sender, receiver) = mpsc::sync_channel(1);
                let convert = Arc::clone(&convert);
                rayon::spawn(move || {
                    let items: Vec<SourceItem> = rows.into_par_iter().map(&*convert).collect();
                    let _ = sender.send(items);
                });
                in_flight.push_back(receiver);
            }
            // A mapping task that died (it cannot panic on input, but a
            // bug must not hang the sync) ends the file.
            mapped = in_flight.pop_front()?.recv().ok()?.into_iter();
        }
    })))
}
