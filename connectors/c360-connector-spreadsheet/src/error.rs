//! Why a workbook or one of its sheets could not be read. A file that fails
//! to open skips its unit (as a `ConnectorError::Format`); a sheet that fails
//! becomes one row error and the other sheets are read.

#[derive(Debug, thiserror::Error)]
pub enum SpreadsheetError {
    #[error("not a readable workbook: {0}")]
    Open(String),
    #[error("{0}")]
    Sheet(String),
    /// calamine panicked on a malformed file (caught, see `workbook`).
    #[error("the spreadsheet reader failed: {0}")]
    Panicked(String),
}
