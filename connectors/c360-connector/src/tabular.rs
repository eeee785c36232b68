//! Delimited text (CSV, TSV, semicolon- and pipe-separated) as every family
//! reads it: decoded to UTF-8 as it streams, the delimiter sniffed, the header
//! found (not always on line 1: hand-kept files start with titles and blank
//! rows), and each row checked (column count, undecodable bytes, oversized
//! fields) before a mapper sees it. Parsing is the `csv` crate's.

use std::collections::VecDeque;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

use encoding_rs::Encoding;

use crate::encoding::{DecodedReader, open_decoded};
use crate::error::{ConnectorError, ConnectorResult};
use crate::item::{Location, RowError, RowResult};

/// Longest cell accepted. Longer ones are a broken export (an unclosed quote
/// swallowing the rest of the file) or a pasted document; the row is reported.
pub const MAX_CELL_LEN: usize = 64 * 1024;
/// How many leading rows are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;
/// Bytes of the file the delimiter sniffer reads.
const SNIFF_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// `None`: sniff among `,` `;` tab `|`.
    pub delimiter: Option<u8>,
    /// `None`: detect.
    pub encoding: Option<&'static Encoding>,
}

impl TableOptions {
    /// Reads a source's `delimiter` setting (empty: sniff; `\t` or `tab` for tab).
    pub fn delimiter_from(setting: &str) -> ConnectorResult<Option<u8>> {
        match setting {
            "" => Ok(None),
            "\\t" | "tab" | "\t" => Ok(Some(b'\t')),
            other if other.len() == 1 && other.is_ascii() => Ok(Some(other.as_bytes()[0])),
            other => Err(ConnectorError::config(
                "delimiter",
                format!("{other:?} is not one ASCII character"),
            )),
        }
    }
}

/// One data row: its 1-based line and its cells.
#[derive(Debug, Clone)]
pub struct TableRow {
    pub line: u64,
    pub cells: csv::StringRecord,
}

impl TableRow {
    /// The row as it would appear in the file (for the quarantine).
    pub fn raw(&self, delimiter: u8) -> String {
        join_cells(self.cells.iter(), delimiter)
    }
}

/// A delimited file being read row by row.
pub struct TableReader {
    file: String,
    reader: csv::Reader<LineTracking>,
    newlines: Newlines,
    pub headers: Vec<String>,
    pub delimiter: u8,
    pub encoding: &'static Encoding,
    /// Leading rows before the header still to skip.
    skip: usize,
    record: csv::StringRecord,
}

impl TableReader {
    /// Opens `path`. `header_score` rates a candidate header row (how many of
    /// its cells are column names the reader knows); the best-scoring row
    /// among the first few is the header, else the first non-empty row.
    pub fn open(
        path: &Path,
        options: TableOptions,
        header_score: &dyn Fn(&[String]) -> usize,
    ) -> ConnectorResult<Self> {
        let (sample, encoding) = {
            let (reader, encoding) = open_decoded(path, options.encoding)?;
            let mut sample = String::new();
            // A read error here shows again, per row, when the rows are read.
            let _ = reader.take(SNIFF_BYTES as u64).read_to_string(&mut sample);
            (sample, encoding)
        };
        let delimiter = options
            .delimiter
            .unwrap_or_else(|| sniff_delimiter(&sample));
        let (header_index, headers) = find_header(&sample, delimiter, header_score);
        let (decoded, _) = open_decoded(path, Some(encoding))?;
        let newlines = Newlines::default();
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(LineTracking {
                inner: decoded,
                offset: 0,
                newlines: newlines.clone(),
            });
        Ok(Self {
            file: path.display().to_string(),
            reader,
            newlines,
            headers,
            delimiter,
            encoding,
            skip: header_index + 1,
            record: csv::StringRecord::new(),
        })
    }

    /// The file as written in locations.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Position of a header (trimmed, case-insensitive).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|header| header.trim().eq_ignore_ascii_case(name.trim()))
    }
}

impl TableReader {
    /// The 1-based line the record just read starts on. The csv crate dates
    /// a record from before the blank lines it skipped, so count from where
    /// the record ended instead: every line break before that byte, less its
    /// terminator and the breaks inside its quoted cells.
    fn start_line(&self) -> u64 {
        let end = self.reader.position().byte();
        let embedded =
            memchr::memchr_iter(b'\n', self.record.as_byte_record().as_slice()).count() as u64;
        let (before_end, terminated) = self.newlines.before(end);
        (1 + before_end)
            .saturating_sub(u64::from(terminated))
            .saturating_sub(embedded)
            .max(1)
    }
}

/// Offsets of the line breaks read but not yet passed, and how many were passed.
#[derive(Clone, Default)]
struct Newlines(Arc<Mutex<(VecDeque<u64>, u64)>>);

impl Newlines {
    /// Line breaks before byte `end`, and whether one sits at `end - 1`.
    /// Calls come with growing `end`.
    fn before(&self, end: u64) -> (u64, bool) {
        let Ok(mut guard) = self.0.lock() else {
            return (0, false);
        };
        let (pending, passed) = &mut *guard;
        let mut last_at_end = false;
        while let Some(&offset) = pending.front() {
            if offset >= end {
                break;
            }
            last_at_end = offset + 1 == end;
            pending.pop_front();
            *passed += 1;
        }
        (*passed, last_at_end)
    }
}

/// Passes the decoded text through, noting where its line breaks are.
struct LineTracking {
    inner: DecodedReader,
    offset: u64,
    newlines: Newlines,
}

impl Read for LineTracking {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        if let Ok(mut guard) = self.newlines.0.lock() {
            let offset = self.offset;
            guard.0.extend(
                memchr::memchr_iter(b'\n', &buffer[..read]).map(|index| offset + index as u64),
            );
        }
        self.offset += read as u64;
        Ok(read)
    }
}

impl Iterator for TableReader {
    type Item = RowResult<TableRow>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let line = self.reader.position().line();
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(error) => {
                    let line = error.position().map_or(line, csv::Position::line);
                    return Some(Err(RowError::boxed(
                        Location::line(&self.file, line),
                        "row",
                        format!("unreadable: {error}"),
                        "",
                    )));
                }
            }
            let line = self.start_line();
            if self.skip > 0 {
                self.skip -= 1;
                continue;
            }
            if self.record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            let row = TableRow {
                line,
                cells: self.record.clone(),
            };
            return Some(check_row(
                &self.file,
                &self.headers,
                self.encoding,
                self.delimiter,
                row,
            ));
        }
    }
}

/// Column count, undecodable bytes and cell size.
fn check_row(
    file: &str,
    headers: &[String],
    encoding: &'static Encoding,
    delimiter: u8,
    mut row: TableRow,
) -> RowResult<TableRow> {
    let location = Location::line(file, row.line);
    let width = headers.len();
    if row.cells.len() > width {
        // Trailing empty cells are spreadsheet padding, not data.
        let extra_is_blank = row
            .cells
            .iter()
            .skip(width)
            .all(|cell| cell.trim().is_empty());
        if extra_is_blank {
            row.cells.truncate(width);
        }
    }
    if row.cells.len() != width {
        return Err(RowError::boxed(
            location,
            "row",
            format!("has {} fields, the header has {width}", row.cells.len()),
            row.raw(delimiter),
        ));
    }
    for (index, cell) in row.cells.iter().enumerate() {
        let column = headers.get(index).map_or("row", String::as_str);
        if cell.contains('\u{FFFD}') {
            return Err(RowError::boxed(
                location,
                column,
                format!("contains bytes that are not valid {}", encoding.name()),
                row.raw(delimiter),
            ));
        }
        if cell.len() > MAX_CELL_LEN {
            return Err(RowError::boxed(
                location,
                column,
                format!(
                    "is {} bytes long, at most {MAX_CELL_LEN} allowed",
                    cell.len()
                ),
                row.raw(delimiter),
            ));
        }
    }
    Ok(row)
}

/// The delimiter whose per-line count is most consistent over the sample
/// (quoted text ignored); `,` when nothing stands out.
pub fn sniff_delimiter(sample: &str) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let lines: Vec<&str> = sample
        .lines()
        .filter(|line| !line.trim().is_empty())
        .take(50)
        .collect();
    // The last line of a sample may be cut short.
    let lines = if lines.len() > 2 {
        &lines[..lines.len() - 1]
    } else {
        &lines[..]
    };
    let mut best = (b',', 0usize);
    for candidate in CANDIDATES {
        let counts: Vec<usize> = lines
            .iter()
            .map(|line| count_unquoted(line, candidate))
            .collect();
        let Some(&mode) = mode_of(&counts) else {
            continue;
        };
        if mode == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|count| **count == mode).count();
        // Lines agreeing, weighted by the columns they make.
        let score = consistent * 100 + mode;
        if score > best.1 {
            best = (candidate, score);
        }
    }
    best.0
}

fn count_unquoted(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for byte in line.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if byte == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

fn mode_of(counts: &[usize]) -> Option<&usize> {
    let mut best: Option<(&usize, usize)> = None;
    for count in counts {
        let frequency = counts.iter().filter(|other| *other == count).count();
        if best.is_none_or(|(_, seen)| frequency > seen) {
            best = Some((count, frequency));
        }
    }
    best.map(|(count, _)| count)
}

/// The header row among the first rows of the sample: the best score wins,
/// then the first row with as many non-empty cells as the widest row.
fn find_header(
    sample: &str,
    delimiter: u8,
    header_score: &dyn Fn(&[String]) -> usize,
) -> (usize, Vec<String>) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(sample.as_bytes());
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for (index, record) in reader.records().take(HEADER_SEARCH_ROWS).enumerate() {
        let Ok(record) = record else { break };
        let cells: Vec<String> = record.iter().map(|cell| cell.trim().to_owned()).collect();
        if !cells.iter().all(String::is_empty) {
            rows.push((index, cells));
        }
    }
    // Blank lines are not records to the csv crate; `index` counts records,
    // which is what the reader skips by.
    let scored = rows
        .iter()
        .map(|(index, cells)| (header_score(cells), *index, cells))
        .filter(|(score, _, _)| *score > 0)
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    if let Some((_, index, cells)) = scored {
        return (index, trim_trailing_empty(cells.clone()));
    }
    let widest = rows
        .iter()
        .map(|(_, cells)| cells.iter().filter(|cell| !cell.is_empty()).count())
        .max()
        .unwrap_or(0);
    rows.iter()
        .find(|(_, cells)| cells.iter().filter(|cell| !cell.is_empty()).count() == widest)
        .map(|(index, cells)| (*index, trim_trailing_empty(cells.clone())))
        .unwrap_or((0, Vec::new()))
}

fn trim_trailing_empty(mut cells: Vec<String>) -> Vec<String> {
    while cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
    cells
}

/// Cells joined back into one delimited line, quoted where needed.
pub fn join_cells<'a>(cells: impl Iterator<Item = &'a str>, delimiter: u8) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = writer.write_record(cells);
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, known: &[&str]) -> (Vec<String>, Vec<RowResult<TableRow>>, u8) {
        let folder = tempfile::tempdir().expect("tempdir");
        let path = folder.path().join("sheet.csv");
        std::fs::write(&path, text).expect("write");
        let known: Vec<String> = known.iter().map(|name| name.to_lowercase()).collect();
        let score = move |cells: &[String]| {
            cells
                .iter()
                .filter(|cell| known.contains(&cell.to_lowercase()))
                .count()
        };
        let reader = TableReader::open(&path, TableOptions::default(), &score).expect("open");
        let headers = reader.headers.clone();
        let delimiter = reader.delimiter;
        (headers, reader.collect(), delimiter)
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n4;5;6\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n"), b'|');
        assert_eq!(sniff_delimiter("a,b,c\n\"x;y\",2,3\n"), b',');
    }

    #[test]
    fn finds_the_header_below_a_title_and_reports_lines() {
        let text = "Customer list;;\nexported 2024-03-01;;\n\nFull name;E-mail;Mobile\nAyşe Yılmaz;ayse@example.com;0532 111 22 33\nBroken;row\nJosé;jose@example.com;\n";
        let (headers, rows, delimiter) = read(text, &["full name", "e-mail", "mobile"]);
        assert_eq!(delimiter, b';');
        assert_eq!(headers, vec!["Full name", "E-mail", "Mobile"]);
        assert_eq!(rows.len(), 3);
        let first = rows[0].as_ref().expect("good row");
        assert_eq!((first.line, &first.cells[0]), (5, "Ayşe Yılmaz"));
        let error = rows[1].as_ref().expect_err("short row");
        assert_eq!(error.location.line, Some(6));
        assert!(error.reason.contains("2 fields"), "{}", error.reason);
        assert_eq!(rows[2].as_ref().expect("good row").line, 7);
    }

    #[test]
    fn lines_count_blank_lines_and_quoted_breaks() {
        let text = "name,note\nAda,x\n\n\nBob,\"two\nlines\"\n\nCy,z\r\nDee,last";
        let (_, rows, _) = read(text, &["name", "note"]);
        let lines: Vec<u64> = rows
            .iter()
            .map(|row| row.as_ref().expect("row").line)
            .collect();
        assert_eq!(lines, vec![2, 5, 8, 9]);
    }

    #[test]
    fn oversized_cells_and_padding() {
        let long = "x".repeat(MAX_CELL_LEN + 1);
        let text = format!("name,email\nAda,ada@example.com,,\nBob,{long}\n");
        let (_, rows, _) = read(&text, &["name", "email"]);
        assert_eq!(rows[0].as_ref().expect("padded row").cells.len(), 2);
        let error = rows[1].as_ref().expect_err("long cell");
        assert_eq!(error.field, "email");
        assert!(error.reason.contains("at most"), "{}", error.reason);
    }

    #[test]
    fn invalid_utf8_is_reported_per_row() {
        let mut bytes = b"name,email\nAda,ada@example.com\n".to_vec();
        bytes.extend_from_slice(b"B\xff\xfeb,bob@example.com\n");
        // Enough valid UTF-8 around it that detection keeps UTF-8 is not
        // guaranteed; configure it as a source would.
        let folder = tempfile::tempdir().expect("tempdir");
        let path = folder.path().join("a.csv");
        std::fs::write(&path, &bytes).expect("write");
        let options = TableOptions {
            encoding: Some(encoding_rs::UTF_8),
            ..TableOptions::default()
        };
        let rows: Vec<_> = TableReader::open(&path, options, &|_| 0)
            .expect("open")
            .collect();
        assert!(rows[0].is_ok());
        let error = rows[1].as_ref().expect_err("undecodable");
        assert_eq!(
            (error.location.line, error.field.as_str()),
            (Some(3), "name")
        );
    }
}
