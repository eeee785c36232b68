//! Workbooks (XLSX/XLSM, XLSB, XLS, ODS) through calamine: every worksheet in
//! workbook order (or those the `sheets` option names), one sheet loaded at a
//! time.
//!
//! calamine is a parser of complex binary and zipped XML formats; a
//! malformed file must cost one unit (or one sheet), never the sync. Its
//! calls run under `catch_unwind`, so a panic inside it becomes an error.

use std::collections::VecDeque;
use std::fs::File;
use std::io::BufReader;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use c360_connector::{ConnectorError, ConnectorResult, ItemIter, Location, RowError, SourceItem};
use calamine::{Data, Dimensions, Ods, Range, Reader, SheetType, Sheets, Xls, Xlsb, Xlsx};

use crate::error::SpreadsheetError;
use crate::settings::Settings;
use crate::sheet::{SheetRows, SheetStart};

/// The workbook formats calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// Excel 97-2003 (`.xls`, an OLE compound file).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
}

type Workbook = Sheets<BufReader<File>>;

/// The items of one workbook, streamed sheet by sheet.
pub fn read_workbook(
    settings: &Settings,
    path: &Path,
    format: Format,
) -> ConnectorResult<ItemIter> {
    let file = path.display().to_string();
    let workbook = guarded(|| open(path, format))
        .and_then(|opened| opened.map_err(|error| SpreadsheetError::Open(error.to_string())))
        .map_err(|error| ConnectorError::format(path, error.to_string()))?;
    let worksheets: Vec<String> = guarded(|| {
        workbook
            .sheets_metadata()
            .iter()
            .filter(|sheet| sheet.typ == SheetType::WorkSheet)
            .map(|sheet| sheet.name.clone())
            .collect()
    })
    .map_err(|error| ConnectorError::format(path, error.to_string()))?;
    let mut pending = VecDeque::new();
    let sheets: VecDeque<String> = if settings.sheets.is_empty() {
        worksheets.into()
    } else {
        for wanted in &settings.sheets {
            if !worksheets
                .iter()
                .any(|sheet| sheet.to_lowercase() == *wanted)
            {
                pending.push_back(SourceItem::error(RowError::new(
                    Location::object(&file, wanted.as_str()),
                    "sheets",
                    format!(
                        "no sheet named {wanted:?}; the workbook has {}",
                        worksheets.join(", ")
                    ),
                    "",
                )));
            }
        }
        worksheets
            .into_iter()
            .filter(|sheet| settings.sheets.contains(&sheet.to_lowercase()))
            .collect()
    };
    Ok(Box::new(WorkbookItems {
        settings: Arc::new(settings.clone()),
        file,
        workbook,
        sheets,
        pending,
        current: None,
    }))
}

fn open(path: &Path, format: Format) -> Result<Workbook, calamine::Error> {
    Ok(match format {
        Format::Xlsx => Sheets::Xlsx(calamine::open_workbook::<Xlsx<_>, _>(path)?),
        Format::Xlsb => Sheets::Xlsb(calamine::open_workbook::<Xlsb<_>, _>(path)?),
        Format::Xls => Sheets::Xls(calamine::open_workbook::<Xls<_>, _>(path)?),
        Format::Ods => Sheets::Ods(calamine::open_workbook::<Ods<_>, _>(path)?),
    })
}

struct WorkbookItems {
    settings: Arc<Settings>,
    file: String,
    workbook: Workbook,
    /// Sheets still to read.
    sheets: VecDeque<String>,
    /// Items to yield before the next row (a missing or unreadable sheet).
    pending: VecDeque<SourceItem>,
    current: Option<Box<SheetRows>>,
}

impl WorkbookItems {
    /// Loads the next sheet: its rows, or an error item.
    fn load(&mut self, sheet: &str) {
        let loaded = guarded(|| load_sheet(&mut self.workbook, sheet)).and_then(|loaded| loaded);
        let (range, regions) = match loaded {
            Ok(loaded) => loaded,
            Err(error) => {
                self.pending.push_back(SourceItem::error(RowError::new(
                    Location::object(&self.file, sheet),
                    "sheet",
                    format!("unreadable: {error}"),
                    "",
                )));
                return;
            }
        };
        match SheetRows::start(&self.settings, &self.file, sheet, range, &regions) {
            SheetStart::Rows(rows) => self.current = Some(rows),
            SheetStart::Empty => {}
            SheetStart::NoHeader(error) => self.pending.push_back(SourceItem::Error(error)),
        }
    }
}

impl Iterator for WorkbookItems {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if let Some(rows) = &mut self.current {
                if let Some(item) = rows.next() {
                    return Some(item);
                }
                self.current = None;
            }
            let sheet = self.sheets.pop_front()?;
            self.load(&sheet);
        }
    }
}

/// A sheet's cells (formula cells as their cached values) and its merged
/// regions (XLSX and XLS record them; XLSB and ODS readers do not expose them).
fn load_sheet(
    workbook: &mut Workbook,
    sheet: &str,
) -> Result<(Range<Data>, Vec<Dimensions>), SpreadsheetError> {
    let range = workbook
        .worksheet_range(sheet)
        .map_err(|error| SpreadsheetError::Sheet(error.to_string()))?;
    // Merges only repeat values; a sheet whose merges cannot be read is
    // still read.
    let regions = match workbook {
        Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    };
    Ok((range, regions))
}

/// Runs a calamine call; a panic inside it becomes an error.
fn guarded<T>(call: impl FnOnce() -> T) -> Result<T, SpreadsheetError> {
    catch_unwind(AssertUnwindSafe(call)).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        SpreadsheetError::Panicked(message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_errors() {
        let result: Result<(), _> = guarded(|| panic!("broken record"));
        let error = result.expect_err("caught");
        assert_eq!(
            error.to_string(),
            "the spreadsheet reader failed: broken record"
        );
    }
}
