//! The `zendesk` connector: finds the JSON files of a source and turns each
//! object into a record (users) or activities (tickets).
//!
//! Files are API list pages (`{"users": [...], "next_page": ...}`), incremental
//! export pages (`{"tickets": [...], "end_time": ..., "end_of_stream": ...}`,
//! cursor-based ones with `after_cursor`), plain arrays, or account JSON
//! exports (one object per line). A page's sideloads (`?include=users` on a
//! tickets page) are not read: users come from users files only, so two files
//! never emit the same user.

use c360_connector::encoding::configured;
use c360_connector::json::{JsonObject, read_json};
use c360_connector::{
    Connector, ConnectorResult, ItemIter, Location, RowError, SourceConfig, SourceItem, SourceUnit,
    discover_files,
};
use serde_json::Value;

use crate::options::{ObjectKind, ZendeskOptions};
use crate::ticket::ticket_activities;
use crate::user::user_record;

/// The list keys of the pages this connector reads, in the order they are
/// looked for (`results` is the Search API's).
const LIST_KEYS: [&str; 3] = ["users", "tickets", "results"];

pub struct ZendeskConnector {
    config: SourceConfig,
    options: ZendeskOptions,
}

impl ZendeskConnector {
    pub fn new(config: &SourceConfig) -> ConnectorResult<Self> {
        // Refuse a bad encoding label now rather than on every file.
        configured(&config.encoding)?;
        Ok(Self {
            config: config.clone(),
            options: ZendeskOptions::from_config(config)?,
        })
    }
}

impl Connector for ZendeskConnector {
    fn config(&self) -> &SourceConfig {
        &self.config
    }

    fn units(&self) -> ConnectorResult<Vec<SourceUnit>> {
        discover_files(&self.config, &["json", "jsonl", "ndjson"])
    }

    fn read(&self, unit: &SourceUnit) -> ConnectorResult<ItemIter> {
        let encoding = configured(&self.config.encoding)?;
        let objects = read_json(&unit.path, encoding, &LIST_KEYS)?;
        let config = self.config.clone();
        let options = self.options.clone();
        Ok(Box::new(objects.flat_map(move |object| match object {
            Ok(object) => items_of(object, &config, &options),
            Err(error) => vec![SourceItem::Error(error)],
        })))
    }
}

/// The items of one object: a record, up to three activities, or errors.
fn items_of(
    object: JsonObject,
    config: &SourceConfig,
    options: &ZendeskOptions,
) -> Vec<SourceItem> {
    let JsonObject { location, value } = object;
    let value = unwrap_single(value);
    match classify(&value, &location, options) {
        Some(ObjectKind::User) => match user_record(&value, &location, config, options) {
            Ok(Some(record)) => vec![SourceItem::record(record, location)],
            Ok(None) => Vec::new(),
            Err(error) => vec![SourceItem::Error(error)],
        },
        Some(ObjectKind::Ticket) => ticket_activities(&value, &location, config)
            .into_iter()
            .map(|activity| match activity {
                Ok(activity) => SourceItem::activity(activity, location.clone()),
                Err(error) => SourceItem::Error(error),
            })
            .collect(),
        None => vec![SourceItem::error(RowError::new(
            location,
            "object",
            "is neither a Zendesk user nor a ticket",
            value.to_string(),
        ))],
    }
}

/// `{"user": {...}}` / `{"ticket": {...}}` (a single-object API answer) → the object.
fn unwrap_single(value: Value) -> Value {
    if let Value::Object(map) = &value
        && map.len() == 1
        && let Some((key, inner)) = map.iter().next()
        && (key == "user" || key == "ticket")
        && inner.is_object()
    {
        return inner.clone();
    }
    value
}

/// What an object is: the option, else the page's list key, else its shape.
fn classify(value: &Value, location: &Location, options: &ZendeskOptions) -> Option<ObjectKind> {
    if let Some(kind) = options.object {
        return Some(kind);
    }
    let position = location.object.as_deref().unwrap_or_default();
    if position.starts_with("users[") {
        return Some(ObjectKind::User);
    }
    if position.starts_with("tickets[") {
        return Some(ObjectKind::Ticket);
    }
    let has = |key: &str| value.get(key).is_some();
    if has("requester_id") || has("satisfaction_rating") || has("subject") {
        Some(ObjectKind::Ticket)
    } else if has("role") || has("email") || has("identities") || has("name") {
        Some(ObjectKind::User)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn classifies_by_option_list_key_and_shape() {
        let defaults = ZendeskOptions::default();
        let at = |object: &str| Location::object("f.json", object);
        let bare = json!({"id": 1});
        assert_eq!(
            classify(&bare, &at("users[0]:1"), &defaults),
            Some(ObjectKind::User)
        );
        assert_eq!(
            classify(&bare, &at("tickets[3]"), &defaults),
            Some(ObjectKind::Ticket)
        );
        assert_eq!(
            classify(&bare, &Location::line("f.json", 1), &defaults),
            None
        );
        let ticket = json!({"id": 1, "requester_id": 2});
        assert_eq!(
            classify(&ticket, &Location::line("f.json", 1), &defaults),
            Some(ObjectKind::Ticket)
        );
        let user = json!({"id": 1, "role": "end-user"});
        assert_eq!(
            classify(&user, &Location::line("f.json", 1), &defaults),
            Some(ObjectKind::User)
        );
        let forced = ZendeskOptions {
            object: Some(ObjectKind::User),
            ..ZendeskOptions::default()
        };
        assert_eq!(
            classify(&ticket, &at("tickets[0]"), &forced),
            Some(ObjectKind::User)
        );
    }

    #[test]
    fn unwraps_single_object_answers() {
        let value = unwrap_single(json!({"user": {"id": 1}}));
        assert_eq!(value, json!({"id": 1}));
        let value = unwrap_single(json!({"users": [], "count": 0}));
        assert_eq!(value, json!({"users": [], "count": 0}));
    }
}
