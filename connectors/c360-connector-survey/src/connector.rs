//! The `survey` connector: finds the CSV exports of a source, recognizes
//! each file's layout, and streams its responses.

use std::collections::VecDeque;
use std::path::Path;

use c360_connector::encoding::configured;
use c360_connector::tabular::{TableOptions, TableReader, TableRow};
use c360_connector::{
    Connector, ConnectorError, ConnectorResult, ItemIter, RowResult, SourceConfig, SourceItem,
    SourceUnit, discover_files,
};

use crate::columns::named;
use crate::layout::Layout;
use crate::plan::Plan;
use crate::response::response_items;

/// Responses read ahead to recognize the score column by its values.
const SAMPLE_ROWS: usize = 50;

pub struct SurveyConnector {
    config: SourceConfig,
    /// Option `layout`; `None`: recognized per file from its header.
    layout: Option<Layout>,
    table: TableOptions,
}

impl SurveyConnector {
    pub fn new(config: &SourceConfig) -> ConnectorResult<Self> {
        let layout = match config.option("layout") {
            None => None,
            Some(name) => Some(Layout::parse(name).ok_or_else(|| {
                ConnectorError::config(
                    &config.name,
                    format!(
                        "layout {name:?} is none of delighted, surveymonkey, typeform, qualtrics, google_forms, generic"
                    ),
                )
            })?),
        };
        let table = TableOptions {
            delimiter: TableOptions::delimiter_from(&config.delimiter)?,
            encoding: configured(&config.encoding)?,
        };
        Ok(Self {
            config: config.clone(),
            layout,
            table,
        })
    }

    fn open(&self, path: &Path) -> ConnectorResult<ItemIter> {
        let wanted = self.layout;
        let mapped = self.config.mapping.known_columns();
        let header_score = move |cells: &[String]| -> usize {
            let layouts = match wanted {
                Some(layout) => vec![layout],
                None => vec![
                    Layout::Qualtrics,
                    Layout::SurveyMonkey,
                    Layout::Typeform,
                    Layout::Delighted,
                    Layout::GoogleForms,
                ],
            };
            let by_layout = layouts
                .iter()
                .map(|layout| layout.header_matches(cells))
                .max()
                .unwrap_or(0);
            let by_mapping = cells
                .iter()
                .filter(|cell| mapped.contains(&c360_connector::mapping::header_key(cell)))
                .count();
            by_layout.max(by_mapping)
        };
        let mut reader = TableReader::open(path, self.table, &header_score)?;
        let headers = reader.headers.clone();
        if headers.is_empty() {
            return Ok(Box::new(std::iter::empty()));
        }
        let layout = wanted.unwrap_or_else(|| Layout::detect(&headers));
        let mut ahead: VecDeque<RowResult<TableRow>> = reader.by_ref().take(SAMPLE_ROWS).collect();
        let extra_rows = take_extra_header_rows(layout, &headers, &mut ahead);
        let samples: Vec<Vec<String>> = ahead
            .iter()
            .filter_map(|row| row.as_ref().ok())
            .map(|row| row.cells.iter().map(str::to_owned).collect())
            .collect();
        let plan = Plan::new(&self.config, layout, &headers, &extra_rows, &samples)
            .map_err(|error| ConnectorError::format(path, error.to_string()))?;
        let file = reader.file().to_owned();
        let delimiter = reader.delimiter;
        let rows = ahead.into_iter().chain(reader);
        Ok(Box::new(rows.flat_map(move |row| match row {
            Ok(row) => response_items(&plan, &row, &file, delimiter),
            Err(error) => vec![SourceItem::Error(error)],
        })))
    }
}

/// Removes the layout's extra header rows from the front of the rows read
/// ahead, returning their cells (question texts for the column finder).
fn take_extra_header_rows(
    layout: Layout,
    headers: &[String],
    ahead: &mut VecDeque<RowResult<TableRow>>,
) -> Vec<Vec<String>> {
    let mut extra = Vec::new();
    let Some(id_column) = layout
        .response_id_column()
        .first()
        .and_then(|name| named(name, headers, &[]))
    else {
        return extra;
    };
    while extra.len() < layout.extra_header_rows() {
        let Some(Ok(row)) = ahead.front() else { break };
        if !layout.is_extra_header(row.cells.get(id_column).unwrap_or_default()) {
            break;
        }
        extra.push(row.cells.iter().map(str::to_owned).collect());
        ahead.pop_front();
    }
    extra
}

impl Connector for SurveyConnector {
    fn config(&self) -> &SourceConfig {
        &self.config
    }

    fn units(&self) -> ConnectorResult<Vec<SourceUnit>> {
        discover_files(&self.config, &["csv", "tsv", "txt"])
    }

    fn read(&self, unit: &SourceUnit) -> ConnectorResult<ItemIter> {
        self.open(&unit.path)
    }
}
