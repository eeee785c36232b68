//! A Zendesk user object → a [`SourceRecord`].
//!
//! Fields as documented for the Users API and the incremental user export
//! (<https://developer.zendesk.com/api-reference/ticketing/users/users/>):
//! `id`, `name`, `email`, `phone`, `organization_id`, `role` (`end-user`,
//! `agent`, `admin`), `external_id`, `locale`, `time_zone`, `tags`,
//! `updated_at`, `active` (`false` once deleted), `suspended`, and — in some
//! exports — `identities` (`{"type": "email" | "phone_number", "value": …}`).

use c360_connector::transform::{international_phone, split_full_name};
use c360_connector::{Location, RowError, RowResult};
use c360_model::{SourceKey, SourceRecord};
use serde_json::Value;

use crate::fields::{is_false, joined_list, text, timestamp};
use crate::options::ZendeskOptions;
use c360_connector::SourceConfig;

/// The record of one user; `Ok(None)` for staff skipped by the options.
pub fn user_record(
    object: &Value,
    location: &Location,
    config: &SourceConfig,
    options: &ZendeskOptions,
) -> RowResult<Option<SourceRecord>> {
    let error = |field: &str, reason: String| {
        RowError::boxed(location.clone(), field, reason, object.to_string())
    };
    let id = text(object, "id").ok_or_else(|| error("id", "the user has no id".into()))?;
    let role = text(object, "role").unwrap_or_else(|| "end-user".into());
    if role != "end-user" && !options.include_agents {
        return Ok(None);
    }
    let mut record = SourceRecord {
        source: config.name.clone(),
        external_id: id,
        ..SourceRecord::default()
    };
    if let Some(name) = text(object, "name") {
        let (given, family) = split_full_name(&name);
        record.given_name = given;
        record.family_name = family;
        record.full_name = name;
    }
    if let Some(email) = text(object, "email") {
        record.emails.push(email);
    }
    if let Some(phone) = text(object, "phone") {
        push_phone(&mut record, &phone, config);
    }
    add_identities(&mut record, object, config);
    record.updated_at =
        timestamp(object, "updated_at", config).map_err(|reason| error("updated_at", reason))?;
    if let Some(external_id) = text(object, "external_id") {
        match &options.external_id_source {
            Some(source) => record
                .cross_references
                .push(SourceKey::new(source.clone(), external_id)),
            None => {
                record.attributes.insert("external_id".into(), external_id);
            }
        }
    }
    record.attributes.insert("role".into(), role);
    for key in ["organization_id", "locale", "time_zone"] {
        if let Some(value) = text(object, key) {
            record.attributes.insert(key.into(), value);
        }
    }
    if let Some(tags) = joined_list(object, "tags") {
        record.attributes.insert("tags".into(), tags);
    }
    // Deleted users stay readable (their tickets still point at them); the
    // attribute tells the hub and its users why they went quiet.
    if is_false(object, "active") {
        record.attributes.insert("deleted".into(), "true".into());
    }
    if object.get("suspended").and_then(Value::as_bool) == Some(true) {
        record.attributes.insert("suspended".into(), "true".into());
    }
    record
        .validate()
        .map_err(|problem| error(problem.field_name(), problem.reason()))?;
    Ok(Some(record))
}

/// Secondary e-mails and phones from `identities`, without repeating the
/// primary ones.
fn add_identities(record: &mut SourceRecord, object: &Value, config: &SourceConfig) {
    let Some(identities) = object.get("identities").and_then(Value::as_array) else {
        return;
    };
    for identity in identities {
        let Some(value) = text(identity, "value") else {
            continue;
        };
        match text(identity, "type").as_deref() {
            Some("email")
                if !record
                    .emails
                    .iter()
                    .any(|known| known.eq_ignore_ascii_case(&value)) =>
            {
                record.emails.push(value);
            }
            Some("phone_number") => push_phone(record, &value, config),
            _ => {}
        }
    }
}

fn push_phone(record: &mut SourceRecord, phone: &str, config: &SourceConfig) {
    let phone = international_phone(phone, &config.default_country);
    if !record.phones.contains(&phone) {
        record.phones.push(phone);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config() -> SourceConfig {
        SourceConfig {
            name: "support".into(),
            default_country: "TR".into(),
            ..SourceConfig::default()
        }
    }

    fn read(object: Value, options: &ZendeskOptions) -> RowResult<Option<SourceRecord>> {
        user_record(
            &object,
            &Location::object("users.json", "users[0]"),
            &config(),
            options,
        )
    }

    #[test]
    fn end_users_become_records() {
        let object = json!({
            "id": 9001, "name": "Ayşe Yılmaz", "email": "ayse@example.com.tr",
            "phone": "0532 111 22 33", "role": "end-user", "organization_id": 57,
            "external_id": "CRM-17", "locale": "tr", "time_zone": "Istanbul",
            "tags": ["vip"], "updated_at": "2024-02-10T08:00:00Z", "active": true,
            "identities": [
                {"type": "email", "value": "AYSE@example.com.tr"},
                {"type": "email", "value": "ayse.y@example.org"},
                {"type": "phone_number", "value": "+90 212 555 12 34"},
                {"type": "twitter", "value": "ayse"}
            ]
        });
        let record = read(object, &ZendeskOptions::default())
            .expect("ok")
            .expect("record");
        assert_eq!(record.external_id, "9001");
        assert_eq!(
            (record.given_name.as_str(), record.family_name.as_str()),
            ("Ayşe", "Yılmaz")
        );
        assert_eq!(
            record.emails,
            vec!["ayse@example.com.tr", "ayse.y@example.org"]
        );
        assert_eq!(record.phones, vec!["+905321112233", "+902125551234"]);
        assert_eq!(
            record.attributes.get("external_id").map(String::as_str),
            Some("CRM-17")
        );
        assert_eq!(
            record.attributes.get("organization_id").map(String::as_str),
            Some("57")
        );
        assert_eq!(
            record.attributes.get("tags").map(String::as_str),
            Some("vip")
        );
        assert!(!record.attributes.contains_key("deleted"));
    }

    #[test]
    fn agents_are_skipped_unless_asked_for() {
        let agent = json!({"id": 1, "name": "Support Agent", "role": "agent"});
        assert_eq!(
            read(agent.clone(), &ZendeskOptions::default()).expect("ok"),
            None
        );
        let options = ZendeskOptions {
            include_agents: true,
            ..ZendeskOptions::default()
        };
        let record = read(agent, &options).expect("ok").expect("record");
        assert_eq!(
            record.attributes.get("role").map(String::as_str),
            Some("agent")
        );
    }

    #[test]
    fn external_id_becomes_a_cross_reference_and_deleted_users_are_marked() {
        let options = ZendeskOptions {
            external_id_source: Some("crm".into()),
            ..ZendeskOptions::default()
        };
        let object = json!({"id": 5, "name": "Jan Müller", "external_id": "C-9", "active": false});
        let record = read(object, &options).expect("ok").expect("record");
        assert_eq!(record.cross_references, vec![SourceKey::new("crm", "C-9")]);
        assert_eq!(
            record.attributes.get("deleted").map(String::as_str),
            Some("true")
        );
    }

    #[test]
    fn bad_users_are_row_errors() {
        let options = ZendeskOptions::default();
        let error = read(json!({"name": "No Id"}), &options).expect_err("no id");
        assert_eq!(error.field, "id");
        let error = read(
            json!({"id": 3, "name": "X", "updated_at": "soon"}),
            &options,
        )
        .expect_err("bad time");
        assert_eq!(error.field, "updated_at");
        let error = read(json!({"id": 4}), &options).expect_err("nobody");
        assert_eq!(error.field, "record");
    }
}
