//! Reading single values out of a Zendesk JSON object: ids arrive as numbers,
//! optional fields as `null`, times as ISO 8601 strings.

use c360_connector::SourceConfig;
use c360_connector::transform::parse_timestamp;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// The value at a dotted path (`via.channel`, `metric_set.solved_at`) as
/// trimmed text; `None` for missing, `null`, empty, arrays and objects.
pub fn text(object: &Value, path: &str) -> Option<String> {
    let mut value = object;
    for segment in path.split('.') {
        value = value.get(segment)?;
    }
    match value {
        Value::String(text) => {
            let trimmed = text.trim();
            (!trimmed.is_empty()).then(|| trimmed.to_owned())
        }
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// The strings of an array field (`tags`), joined by `,`; `None` when empty.
pub fn joined_list(object: &Value, key: &str) -> Option<String> {
    let items: Vec<String> = object
        .get(key)?
        .as_array()?
        .iter()
        .filter_map(|item| match item {
            Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        })
        .collect();
    (!items.is_empty()).then(|| items.join(","))
}

/// A time field: `Ok(None)` when absent, `Err(reason)` when present but not a
/// time (the caller names the field in its row error).
pub fn timestamp(
    object: &Value,
    path: &str,
    config: &SourceConfig,
) -> Result<Option<DateTime<Utc>>, String> {
    match text(object, path) {
        None => Ok(None),
        Some(value) => parse_timestamp(&value, &config.date_formats, config.day_first)
            .map(Some)
            .ok_or_else(|| format!("{value:?} is not a date or time")),
    }
}

/// Whether a boolean field is explicitly `false` (absent means "not said").
pub fn is_false(object: &Value, key: &str) -> bool {
    object.get(key).and_then(Value::as_bool) == Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_numbers_nested_paths_nulls_and_lists() {
        let object = json!({
            "id": 35436, "email": null, "name": "  ", "via": {"channel": "email"},
            "tags": ["vip", "", 7], "active": false
        });
        assert_eq!(text(&object, "id").as_deref(), Some("35436"));
        assert_eq!(text(&object, "email"), None);
        assert_eq!(text(&object, "name"), None);
        assert_eq!(text(&object, "via.channel").as_deref(), Some("email"));
        assert_eq!(joined_list(&object, "tags").as_deref(), Some("vip,7"));
        assert!(is_false(&object, "active"));
        assert!(!is_false(&object, "suspended"));
    }

    #[test]
    fn times_are_parsed_or_refused() {
        let config = SourceConfig::default();
        let object = json!({"created_at": "2024-03-01T09:15:00Z", "updated_at": "yesterday"});
        let at = timestamp(&object, "created_at", &config).expect("time");
        assert_eq!(
            at.map(|at| at.to_rfc3339()).as_deref(),
            Some("2024-03-01T09:15:00+00:00")
        );
        assert!(timestamp(&object, "updated_at", &config).is_err());
        assert_eq!(timestamp(&object, "solved_at", &config), Ok(None));
    }
}
