//! What every reader of one source shares: its config, parsed options, value
//! settings and customer mapping, built once per connector.

use std::collections::BTreeMap;

use c360_connector::{
    ConnectorError, ConnectorResult, FieldMapping, Location, Mapper, RowError, SourceConfig,
    SourceItem,
};
use c360_model::{Activity, ActivityKind, Money, SourceRecord};
use chrono::{DateTime, Utc};

use crate::fields::{Fields, Problem, Settings};
use crate::options::BillingOptions;

#[derive(Debug, Clone)]
pub struct Context {
    pub config: SourceConfig,
    pub options: BillingOptions,
    pub settings: Settings,
    /// The vendor's default customer mapping with the source's overrides.
    pub customer_mapping: FieldMapping,
}

impl Context {
    pub fn new(config: &SourceConfig, default_mapping: FieldMapping) -> ConnectorResult<Self> {
        if config.name.trim().is_empty() {
            return Err(ConnectorError::config(
                &config.name,
                "a billing source needs a `name`",
            ));
        }
        let decimal = match config.decimal_separator.trim() {
            "" => None,
            "." => Some('.'),
            "," => Some(','),
            other => {
                return Err(ConnectorError::config(
                    &config.name,
                    format!("decimal_separator {other:?} is neither \".\" nor \",\""),
                ));
            }
        };
        let customer_mapping = default_mapping.overridden_by(&config.mapping);
        // Resolving as JSON paths checks every target name up front.
        Mapper::new(config, &customer_mapping, None)?;
        Ok(Self {
            config: config.clone(),
            options: BillingOptions::parse(config)?,
            settings: Settings {
                decimal,
                date_formats: config.date_formats.clone(),
                day_first: config.day_first,
                default_currency: config.default_currency.clone(),
            },
            customer_mapping,
        })
    }

    /// An activity of this source.
    pub fn activity(&self, event: Event) -> Activity {
        Activity {
            source: self.config.name.clone(),
            external_id: event.id,
            record_external_id: event.customer,
            kind: event.kind,
            occurred_at: event.at,
            amount: event.amount,
            score: None,
            summary: event.summary,
            attributes: event
                .attributes
                .into_iter()
                .filter(|(_, value)| !value.trim().is_empty())
                .collect(),
        }
    }

    /// A row's problem as a quarantined row.
    pub fn error(&self, location: &Location, fields: &Fields, problem: Problem) -> SourceItem {
        SourceItem::error(RowError::new(
            location.clone(),
            problem.field,
            problem.reason,
            fields.raw(),
        ))
    }

    /// Activities checked as the hub will check them, each an item.
    pub fn activity_items(
        &self,
        location: &Location,
        fields: &Fields,
        activities: Result<Vec<Activity>, Problem>,
    ) -> Vec<SourceItem> {
        match activities {
            Ok(activities) => activities
                .into_iter()
                .map(|activity| match activity.validate() {
                    Ok(()) => SourceItem::activity(activity, location.clone()),
                    Err(error) => self.error(
                        location,
                        fields,
                        Problem::new(error.field_name(), error.to_string()),
                    ),
                })
                .collect(),
            Err(problem) => vec![self.error(location, fields, problem)],
        }
    }

    /// A record checked as the hub will check it.
    pub fn record_item(
        &self,
        location: &Location,
        fields: &Fields,
        record: Result<SourceRecord, Problem>,
    ) -> SourceItem {
        match record.map(|record| (record.validate(), record)) {
            Ok((Ok(()), record)) => SourceItem::record(record, location.clone()),
            Ok((Err(error), _)) => self.error(
                location,
                fields,
                Problem::new(error.field_name(), error.to_string()),
            ),
            Err(problem) => self.error(location, fields, problem),
        }
    }
}

/// The parts of an activity a reader decides.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub customer: String,
    pub kind: ActivityKind,
    pub at: DateTime<Utc>,
    pub amount: Option<Money>,
    pub summary: String,
    pub attributes: BTreeMap<String, String>,
}

impl Event {
    pub fn new(id: String, customer: String, kind: ActivityKind, at: DateTime<Utc>) -> Self {
        Self {
            id,
            customer,
            kind,
            at,
            amount: None,
            summary: String::new(),
            attributes: BTreeMap::new(),
        }
    }

    pub fn amount(mut self, amount: Money) -> Self {
        self.amount = Some(amount);
        self
    }

    pub fn summary(mut self, summary: String) -> Self {
        self.summary = summary;
        self
    }

    pub fn attribute(mut self, key: &str, value: Option<String>) -> Self {
        if let Some(value) = value {
            self.attributes.insert(key.to_owned(), value);
        }
        self
    }
}
