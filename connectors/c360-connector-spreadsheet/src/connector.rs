//! The spreadsheet [`Connector`]: a source's files, each read as a workbook
//! or as delimited text according to what it is (its first bytes), not only
//! its name — a "customers.xls" saved from a web page is often CSV.

use std::io::Read;
use std::path::Path;

use c360_connector::{
    Connector, ConnectorError, ConnectorResult, ItemIter, SourceConfig, SourceUnit, discover_files,
};

use crate::delimited::read_delimited;
use crate::settings::Settings;
use crate::workbook::{Format, read_workbook};

/// File extensions a folder or glob picks up.
pub const EXTENSIONS: [&str; 9] = [
    "csv", "tsv", "tab", "txt", "xlsx", "xlsm", "xlsb", "xls", "ods",
];

/// Zip local file header: XLSX, XLSB and ODS are zip packages.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// OLE compound file: XLS (Excel 97-2003).
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

#[derive(Debug)]
pub struct SpreadsheetConnector {
    settings: Settings,
}

impl SpreadsheetConnector {
    pub fn new(config: &SourceConfig) -> ConnectorResult<Self> {
        Ok(Self {
            settings: Settings::new(config)?,
        })
    }

    /// Reads one file, whatever its extension.
    pub fn read_path(&self, path: &Path) -> ConnectorResult<ItemIter> {
        match detect(path)? {
            Some(format) => read_workbook(&self.settings, path, format),
            None => read_delimited(&self.settings, path),
        }
    }
}

impl Connector for SpreadsheetConnector {
    fn config(&self) -> &SourceConfig {
        &self.settings.config
    }

    fn units(&self) -> ConnectorResult<Vec<SourceUnit>> {
        discover_files(&self.settings.config, &EXTENSIONS)
    }

    fn read(&self, unit: &SourceUnit) -> ConnectorResult<ItemIter> {
        self.read_path(&unit.path)
    }
}

/// The workbook format of a file, or `None` for delimited text. An ODS
/// package starts with its uncompressed `mimetype` entry (ODF 1.2 part 3,
/// §3.3), which tells it from Office Open XML.
fn detect(path: &Path) -> ConnectorResult<Option<Format>> {
    let mut head = Vec::with_capacity(96);
    std::fs::File::open(path)
        .and_then(|file| file.take(96).read_to_end(&mut head))
        .map_err(|error| ConnectorError::io(path, error))?;
    if head.starts_with(OLE_MAGIC) {
        return Ok(Some(Format::Xls));
    }
    if !head.starts_with(ZIP_MAGIC) {
        return Ok(None);
    }
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let opendocument = head.get(30..38) == Some(b"mimetype".as_slice())
        && head.windows(11).any(|window| window == b"opendocumen");
    Ok(Some(if opendocument || extension == "ods" {
        Format::Ods
    } else if extension == "xlsb" {
        Format::Xlsb
    } else {
        Format::Xlsx
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats_by_content() {
        let folder = tempfile::tempdir().expect("tempdir");
        let write = |name: &str, bytes: &[u8]| {
            let path = folder.path().join(name);
            std::fs::write(&path, bytes).expect("write");
            path
        };
        let csv_named_xls = write("customers.xls", b"Name;E-mail\nAda;ada@example.com\n");
        assert_eq!(detect(&csv_named_xls).expect("detect"), None);
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 16]);
        assert_eq!(
            detect(&write("old.dat", &ole)).expect("detect"),
            Some(Format::Xls)
        );
        let mut ods = b"PK\x03\x04".to_vec();
        ods.resize(30, 0);
        ods.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(
            detect(&write("list.zip", &ods)).expect("detect"),
            Some(Format::Ods)
        );
        assert_eq!(
            detect(&write("list.xlsx", b"PK\x03\x04rest")).expect("detect"),
            Some(Format::Xlsx)
        );
        assert_eq!(detect(&write("empty.csv", b"")).expect("detect"), None);
    }
}
