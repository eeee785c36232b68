//! One granular activity row (`Timestamp`, `Email`, and `Url` for clicks) →
//! one `email_open` or `email_click` of the member whose subscriber hash the
//! address gives.

use std::collections::BTreeMap;

use c360_connector::mapping::header_key;
use c360_connector::tabular::TableRow;
use c360_connector::transform::parse_timestamp;
use c360_connector::{Location, RowError, SourceConfig, SourceItem};
use c360_model::{Activity, ActivityKind};

use super::layout::{ACTIVITY_EMAIL_COLUMNS, Campaign};
use crate::hash::{md5_hex, subscriber_hash};

/// Reads the rows of one campaign's open or click file.
pub struct ActivityRows {
    file: String,
    source: String,
    delimiter: u8,
    kind: ActivityKind,
    campaign: Campaign,
    /// (index, header) of the columns read.
    timestamp: (usize, String),
    email: (usize, String),
    url: Option<usize>,
    date_formats: Vec<String>,
    day_first: bool,
}

impl ActivityRows {
    /// `None` when the header lacks `Timestamp` or an e-mail column.
    pub fn new(
        file: &str,
        headers: &[String],
        delimiter: u8,
        config: &SourceConfig,
        kind: ActivityKind,
        campaign: Campaign,
    ) -> Option<Self> {
        let find = |candidates: &[&str]| {
            let wanted: Vec<String> = candidates.iter().map(|name| header_key(name)).collect();
            headers
                .iter()
                .position(|header| wanted.contains(&header_key(header)))
                .map(|index| (index, headers[index].clone()))
        };
        Some(Self {
            file: file.to_owned(),
            source: config.name.clone(),
            delimiter,
            kind,
            campaign,
            timestamp: find(&["Timestamp"])?,
            email: find(&ACTIVITY_EMAIL_COLUMNS)?,
            url: find(&["Url", "URL"]).map(|(index, _)| index),
            date_formats: config.date_formats.clone(),
            day_first: config.day_first,
        })
    }

    pub fn item(&self, row: &TableRow) -> SourceItem {
        let location = Location::line(&self.file, row.line);
        let error = |field: &str, reason: String| {
            SourceItem::error(RowError::new(
                location.clone(),
                field,
                reason,
                row.raw(self.delimiter),
            ))
        };
        let cell = |index: usize| row.cells.get(index).map(str::trim).unwrap_or_default();
        let email = cell(self.email.0);
        if email.is_empty() {
            return error(
                &self.email.1,
                "no e-mail address: whose activity is it?".into(),
            );
        }
        let timestamp = cell(self.timestamp.0);
        let Some(occurred_at) = parse_timestamp(timestamp, &self.date_formats, self.day_first)
        else {
            return error(
                &self.timestamp.1,
                format!("{timestamp:?} is not a date or time"),
            );
        };
        let member = subscriber_hash(email);
        let verb = match self.kind {
            ActivityKind::EmailClick => "click",
            _ => "open",
        };
        let mut external_id = format!(
            "mc-{verb}-{}-{member}-{}",
            self.campaign.id,
            occurred_at.format("%Y%m%dT%H%M%S")
        );
        let mut attributes = BTreeMap::from([
            ("campaign_id".to_owned(), self.campaign.id.clone()),
            ("campaign".to_owned(), self.campaign.name.clone()),
        ]);
        if let Some(url) = self.url.map(cell).filter(|url| !url.is_empty()) {
            // Two links clicked in the same second are two clicks.
            external_id.push('-');
            external_id.push_str(&md5_hex(url)[..8]);
            attributes.insert("url".to_owned(), url.to_owned());
        }
        SourceItem::activity(
            Activity {
                source: self.source.clone(),
                external_id,
                record_external_id: member,
                kind: self.kind,
                occurred_at,
                amount: None,
                score: None,
                summary: self.campaign.name.clone(),
                attributes,
            },
            location,
        )
    }
}
