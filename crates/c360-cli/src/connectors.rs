//! The connector families this binary ships, behind the hub's
//! [`ConnectorFactory`]: a source's `kind` picks the family that reads it.

use c360_connector::{Connector, ConnectorError, ConnectorFactory, ConnectorResult, SourceConfig};

type Build = fn(&SourceConfig) -> ConnectorResult<Box<dyn Connector>>;

/// Each family's kinds and builder.
const FAMILIES: [(&[(&str, &str)], Build); 5] = [
    (
        c360_connector_billing::KINDS,
        c360_connector_billing::connector,
    ),
    (c360_connector_email::KINDS, c360_connector_email::connector),
    (
        c360_connector_spreadsheet::KINDS,
        c360_connector_spreadsheet::connector,
    ),
    (
        c360_connector_support::KINDS,
        c360_connector_support::connector,
    ),
    (
        c360_connector_survey::KINDS,
        c360_connector_survey::connector,
    ),
];

/// Every family.
#[derive(Debug, Clone, Copy, Default)]
pub struct Families;

impl ConnectorFactory for Families {
    fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        FAMILIES
            .iter()
            .flat_map(|(kinds, _)| kinds.iter().copied())
            .collect()
    }

    fn build(&self, config: &SourceConfig) -> ConnectorResult<Box<dyn Connector>> {
        if config.name.trim().is_empty() {
            return Err(ConnectorError::config("?", "a source needs a `name`"));
        }
        for (kinds, build) in FAMILIES {
            if kinds.iter().any(|(kind, _)| *kind == config.kind) {
                return build(config);
            }
        }
        let known: Vec<&str> = self.kinds().iter().map(|(kind, _)| *kind).collect();
        Err(ConnectorError::config(
            &config.name,
            format!(
                "unknown kind {:?} (known: {})",
                config.kind,
                known.join(", ")
            ),
        ))
    }
}
