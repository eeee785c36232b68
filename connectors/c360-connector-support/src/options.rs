//! The `[sources.options]` a `zendesk` source understands.

use c360_connector::{ConnectorError, ConnectorResult, SourceConfig};

/// What the user chose for this source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZendeskOptions {
    /// `include_agents = "true"`: agents and admins become records too. By
    /// default they are skipped: they are staff, not customers, and would
    /// otherwise merge into golden records of the people they support.
    pub include_agents: bool,
    /// `external_id_source = "crm"`: a user's `external_id` (the id your own
    /// system gave them) becomes a cross-reference to that source, a strong
    /// link. Without it the value is kept as the `external_id` attribute.
    pub external_id_source: Option<String>,
    /// `object = "users" | "tickets"`: what every object of the files is, for
    /// exports whose objects are ambiguous. Default: decided per object.
    pub object: Option<ObjectKind>,
}

/// The two Zendesk objects this connector reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    User,
    Ticket,
}

impl ZendeskOptions {
    pub fn from_config(config: &SourceConfig) -> ConnectorResult<Self> {
        let include_agents = match config.option("include_agents") {
            None => false,
            Some(value) => parse_flag(value).ok_or_else(|| {
                ConnectorError::config(
                    &config.name,
                    format!("include_agents {value:?} is neither true nor false"),
                )
            })?,
        };
        let object = match config
            .option("object")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None => None,
            Some("users" | "user") => Some(ObjectKind::User),
            Some("tickets" | "ticket") => Some(ObjectKind::Ticket),
            Some(other) => {
                return Err(ConnectorError::config(
                    &config.name,
                    format!("object {other:?} is neither \"users\" nor \"tickets\""),
                ));
            }
        };
        Ok(Self {
            include_agents,
            external_id_source: config
                .option("external_id_source")
                .map(|s| s.trim().to_owned()),
            object,
        })
    }
}

fn parse_flag(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> SourceConfig {
        SourceConfig {
            name: "support".into(),
            options: pairs
                .iter()
                .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
                .collect(),
            ..SourceConfig::default()
        }
    }

    #[test]
    fn defaults_and_values() {
        assert_eq!(
            ZendeskOptions::from_config(&config(&[])).expect("options"),
            ZendeskOptions::default()
        );
        let options = ZendeskOptions::from_config(&config(&[
            ("include_agents", "yes"),
            ("external_id_source", " crm "),
            ("object", "Tickets"),
        ]))
        .expect("options");
        assert!(options.include_agents);
        assert_eq!(options.external_id_source.as_deref(), Some("crm"));
        assert_eq!(options.object, Some(ObjectKind::Ticket));
    }

    #[test]
    fn refuses_nonsense() {
        assert!(ZendeskOptions::from_config(&config(&[("include_agents", "maybe")])).is_err());
        assert!(ZendeskOptions::from_config(&config(&[("object", "macros")])).is_err());
    }
}
