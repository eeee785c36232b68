//! The billing [`Connector`]: a source's files, each read as a Dashboard CSV
//! export or as saved API responses according to its extension.

use std::path::Path;
use std::sync::Arc;

use c360_connector::{
    Connector, ConnectorResult, ItemIter, SourceConfig, SourceUnit, discover_files,
};

use crate::context::Context;
use crate::{api_json, customer, dashboard_csv};

/// File extensions read as saved API responses; everything else is CSV.
const JSON_EXTENSIONS: [&str; 3] = ["json", "jsonl", "ndjson"];
/// Extensions a folder in `paths` is searched for.
const EXTENSIONS: [&str; 6] = ["csv", "tsv", "txt", "json", "jsonl", "ndjson"];

pub struct StripeConnector {
    context: Arc<Context>,
}

impl StripeConnector {
    pub fn new(config: &SourceConfig) -> ConnectorResult<Self> {
        Ok(Self {
            context: Arc::new(Context::new(config, customer::default_mapping())?),
        })
    }

    /// Reads one file, whatever unit it belongs to.
    pub fn read_path(&self, path: &Path) -> ConnectorResult<ItemIter> {
        let is_json = path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| {
                JSON_EXTENSIONS
                    .iter()
                    .any(|json| extension.eq_ignore_ascii_case(json))
            });
        if is_json {
            api_json::read(path, Arc::clone(&self.context))
        } else {
            dashboard_csv::read(path, Arc::clone(&self.context))
        }
    }
}

impl Connector for StripeConnector {
    fn config(&self) -> &SourceConfig {
        &self.context.config
    }

    fn units(&self) -> ConnectorResult<Vec<SourceUnit>> {
        discover_files(&self.context.config, &EXTENSIONS)
    }

    fn read(&self, unit: &SourceUnit) -> ConnectorResult<ItemIter> {
        self.read_path(&unit.path)
    }
}
