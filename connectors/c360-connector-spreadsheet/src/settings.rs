//! A source's configuration as this reader uses it, checked once when the
//! connector is built: the mapping (defaults + overrides + `id_column`), the
//! header scorer, the CSV options and the spreadsheet options.
//!
//! Options (`[sources.options]`):
//! - `sheets = "Customers,Leads"`: read only these sheets of a workbook
//!   (names compared without case); default: every sheet.
//! - `id_column = "Mitgliedsnummer"`: the column holding the customer id,
//!   when it is none of the default names.
//! - `numeric_columns = "Umsatz 2023,Score"`: more columns read as locale
//!   numbers (beside Revenue, Umsatz, Ciro, …).

use c360_connector::encoding::configured;
use c360_connector::tabular::TableOptions;
use c360_connector::{
    ConnectorError, ConnectorResult, FieldMapping, FieldSpec, Mapper, SourceConfig,
};

use crate::aliases::{default_mapping, numeric_keys};
use crate::layout::HeaderScorer;

const OPTIONS: [&str; 3] = ["sheets", "id_column", "numeric_columns"];

#[derive(Debug, Clone)]
pub struct Settings {
    pub config: SourceConfig,
    pub mapping: FieldMapping,
    pub scorer: HeaderScorer,
    pub table: TableOptions,
    /// The decimal separator numbers typed as text use (`None`: inferred).
    pub decimal: Option<char>,
    /// Sheets to read (lower case); empty: all.
    pub sheets: Vec<String>,
}

impl Settings {
    pub fn new(config: &SourceConfig) -> ConnectorResult<Self> {
        let config_error = |reason: String| ConnectorError::config(&config.name, reason);
        if let Some(unknown) = config
            .options
            .keys()
            .find(|key| !OPTIONS.contains(&key.as_str()))
        {
            return Err(config_error(format!(
                "unknown option {unknown:?} (spreadsheet sources know {})",
                OPTIONS.join(", ")
            )));
        }
        let mut mapping = default_mapping().overridden_by(&config.mapping);
        if let Some(column) = config.option("id_column") {
            mapping = mapping.with("external_id", FieldSpec::Column(column.trim().to_owned()));
        }
        // A mistyped mapping target fails here, not once per file.
        Mapper::new(config, &mapping, Some(&[]))?;
        let scorer = HeaderScorer::new(&mapping, numeric_keys(config.option("numeric_columns")));
        let table = TableOptions {
            delimiter: TableOptions::delimiter_from(&config.delimiter)
                .map_err(|error| config_error(error.to_string()))?,
            encoding: configured(&config.encoding)
                .map_err(|error| config_error(error.to_string()))?,
        };
        let decimal = match config.decimal_separator.trim() {
            "" => None,
            "." => Some('.'),
            "," => Some(','),
            other => {
                return Err(config_error(format!(
                    "decimal_separator {other:?} is neither \".\" nor \",\""
                )));
            }
        };
        let sheets = config
            .option("sheets")
            .unwrap_or_default()
            .split(',')
            .map(|sheet| sheet.trim().to_lowercase())
            .filter(|sheet| !sheet.is_empty())
            .collect();
        Ok(Self {
            config: config.clone(),
            mapping,
            scorer,
            table,
            decimal,
            sheets,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_options_and_refuses_unknown_ones() {
        let mut config = SourceConfig {
            name: "sheet".into(),
            ..SourceConfig::default()
        };
        config
            .options
            .insert("sheets".into(), " Customers, Leads ,".into());
        config
            .options
            .insert("id_column".into(), "Mitgliedsnummer".into());
        let settings = Settings::new(&config).expect("settings");
        assert_eq!(settings.sheets, vec!["customers", "leads"]);
        assert_eq!(
            settings.mapping.0.get("external_id"),
            Some(&FieldSpec::Column("Mitgliedsnummer".into()))
        );
        config.options.insert("sheet".into(), "x".into());
        let error = Settings::new(&config).expect_err("typo");
        assert!(error.to_string().contains("unknown option"), "{error}");
        config.options.remove("sheet");
        config.decimal_separator = ";".into();
        assert!(Settings::new(&config).is_err());
        config.decimal_separator = String::new();
        config
            .mapping
            .0
            .insert("shoe_size".into(), FieldSpec::Column("Size".into()));
        assert!(Settings::new(&config).is_err());
    }
}
