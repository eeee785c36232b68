//! The `mailchimp` connector: audience export CSVs become member records,
//! granular activity CSVs `email_open` / `email_click` activities. Which is
//! which is decided per file by [`layout::classify`].

pub mod activity;
pub mod address;
pub mod audience;
pub mod layout;

use c360_connector::encoding::configured;
use c360_connector::mapping::{Mapper, header_key};
use c360_connector::tabular::{TableOptions, TableReader};
use c360_connector::{
    Connector, ConnectorError, ConnectorResult, FieldMapping, ItemIter, SourceConfig, SourceItem,
    SourceUnit, discover_files,
};

use activity::ActivityRows;
use audience::AudienceRows;
use layout::{FileKind, classify, default_mapping};

pub struct MailchimpConnector {
    config: SourceConfig,
    /// The audience defaults with the source's overrides applied.
    mapping: FieldMapping,
    table_options: TableOptions,
}

impl MailchimpConnector {
    pub fn new(config: &SourceConfig) -> ConnectorResult<Self> {
        crate::options::check_known(config, &[])?;
        let mapping = default_mapping().overridden_by(&config.mapping);
        // Unknown targets and a bad decimal separator fail now, not per file.
        Mapper::new(config, &mapping, None)?;
        let table_options = TableOptions {
            delimiter: TableOptions::delimiter_from(&config.delimiter)
                .map_err(|error| ConnectorError::config(&config.name, error.to_string()))?,
            encoding: configured(&config.encoding)
                .map_err(|error| ConnectorError::config(&config.name, error.to_string()))?,
        };
        Ok(Self {
            config: config.clone(),
            mapping,
            table_options,
        })
    }

    /// Rates a candidate header row: how many cells are columns Mailchimp
    /// files have.
    fn header_scorer(&self) -> impl Fn(&[String]) -> usize + use<> {
        let mut known = self.mapping.known_columns();
        for column in [
            "Timestamp",
            "Email",
            "Url",
            "IP",
            "Status",
            "TAGS",
            "Address",
            "OPTIN_IP",
            "CONFIRM_IP",
            "LATITUDE",
            "LONGITUDE",
            "GMTOFF",
            "DSTOFF",
        ] {
            known.push(header_key(column));
        }
        move |cells: &[String]| {
            cells
                .iter()
                .filter(|cell| known.contains(&header_key(cell)))
                .count()
        }
    }
}

impl Connector for MailchimpConnector {
    fn config(&self) -> &SourceConfig {
        &self.config
    }

    fn units(&self) -> ConnectorResult<Vec<SourceUnit>> {
        discover_files(&self.config, &["csv", "txt"])
    }

    fn read(&self, unit: &SourceUnit) -> ConnectorResult<ItemIter> {
        let scorer = self.header_scorer();
        let table = TableReader::open(&unit.path, self.table_options, &scorer)?;
        let headers = table.headers.clone();
        let file = table.file().to_owned();
        let delimiter = table.delimiter;
        let kind = classify(&unit.path, &headers)
            .map_err(|reason| ConnectorError::format(&unit.path, reason))?;
        match kind {
            FileKind::Audience { status } => {
                let mapper = Mapper::new(&self.config, &self.mapping, Some(&headers))?;
                let rows =
                    AudienceRows::new(&file, &headers, delimiter, mapper, &self.mapping, status);
                Ok(Box::new(table.map(move |row| match row {
                    Ok(row) => rows.item(&row),
                    Err(error) => SourceItem::Error(error),
                })))
            }
            FileKind::Activity { kind, campaign } => {
                let rows =
                    ActivityRows::new(&file, &headers, delimiter, &self.config, kind, campaign)
                        .ok_or_else(|| {
                            ConnectorError::format(
                                &unit.path,
                                "activity file without Timestamp and Email columns",
                            )
                        })?;
                Ok(Box::new(table.map(move |row| match row {
                    Ok(row) => rows.item(&row),
                    Err(error) => SourceItem::Error(error),
                })))
            }
        }
    }
}
