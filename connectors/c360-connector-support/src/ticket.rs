//! A Zendesk ticket object → its activities.
//!
//! Fields as documented for the Tickets API and the incremental ticket export
//! (<https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/>):
//! `id`, `requester_id`, `subject`, `status` (`new`, `open`, `pending`,
//! `hold`, `solved`, `closed`, and `deleted` in incremental exports),
//! `created_at`, `updated_at`, `satisfaction_rating` (`{"score": "good" |
//! "bad" | "offered" | "unoffered", "comment": …}`), `priority`, `type`,
//! `via.channel`, `tags`. Account JSON exports add `solved_at` (and older ones
//! `metric_set.solved_at`).
//!
//! One ticket yields up to three activities, each with its own id so a later
//! export updates rather than duplicates them:
//! - `ticket-<id>-opened` (`ticket_opened`, at `created_at`, subject as summary);
//! - `ticket-<id>-solved` (`ticket_solved`, for `solved`/`closed` tickets, at
//!   `solved_at`, else `updated_at`: the API keeps no solve time of its own);
//! - `ticket-<id>-csat` (`csat_rating`, for `good` → 5 and `bad` → 1 only: an
//!   offered survey nobody answered is no rating; the comment is the summary).

use std::collections::BTreeMap;

use c360_connector::{Location, RowError, RowResult, SourceConfig};
use c360_model::{Activity, ActivityKind};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::fields::{joined_list, text, timestamp};

/// The activities of one ticket, or why each could not be read.
pub fn ticket_activities(
    object: &Value,
    location: &Location,
    config: &SourceConfig,
) -> Vec<RowResult<Activity>> {
    let error = |field: &str, reason: String| {
        RowError::boxed(location.clone(), field, reason, object.to_string())
    };
    let Some(id) = text(object, "id") else {
        return vec![Err(error("id", "the ticket has no id".into()))];
    };
    let Some(requester) = text(object, "requester_id") else {
        return vec![Err(error(
            "requester_id",
            "the ticket has no requester".into(),
        ))];
    };
    let status = text(object, "status")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let base = Activity {
        source: config.name.clone(),
        external_id: String::new(),
        record_external_id: requester,
        kind: ActivityKind::TicketOpened,
        occurred_at: DateTime::<Utc>::UNIX_EPOCH,
        amount: None,
        score: None,
        summary: text(object, "subject")
            .or_else(|| text(object, "raw_subject"))
            .unwrap_or_default(),
        attributes: ticket_attributes(object, &status),
    };
    let mut activities = Vec::new();

    activities.push(match timestamp(object, "created_at", config) {
        Ok(Some(at)) => Ok(Activity {
            external_id: format!("ticket-{id}-opened"),
            occurred_at: at,
            ..base.clone()
        }),
        Ok(None) => Err(error(
            "created_at",
            "the ticket has no creation time".into(),
        )),
        Err(reason) => Err(error("created_at", reason)),
    });

    if status == "solved" || status == "closed" {
        activities.push(
            solved_at(object, config)
                .map_err(|(field, reason)| error(field, reason))
                .map(|at| Activity {
                    external_id: format!("ticket-{id}-solved"),
                    kind: ActivityKind::TicketSolved,
                    occurred_at: at,
                    ..base.clone()
                }),
        );
    }

    if let Some(rating) = object.get("satisfaction_rating").filter(|r| r.is_object()) {
        let score = text(rating, "score").map(|score| score.to_ascii_lowercase());
        let points = match score.as_deref() {
            Some("good") => Some(5),
            Some("bad") => Some(1),
            None | Some("offered" | "unoffered") => None,
            Some(other) => {
                activities.push(Err(error(
                    "satisfaction_rating.score",
                    format!("{other:?} is none of good, bad, offered, unoffered"),
                )));
                None
            }
        };
        if let Some(points) = points {
            activities.push(
                rated_at(object, rating, config)
                    .map_err(|(field, reason)| error(field, reason))
                    .map(|at| {
                        let mut attributes = base.attributes.clone();
                        if let Some(reason) = text(rating, "reason") {
                            attributes.insert("reason".into(), reason);
                        }
                        Activity {
                            external_id: format!("ticket-{id}-csat"),
                            kind: ActivityKind::CsatRating,
                            occurred_at: at,
                            score: Some(points),
                            summary: text(rating, "comment").unwrap_or_default(),
                            attributes,
                            ..base.clone()
                        }
                    }),
            );
        }
    }
    activities
}

fn ticket_attributes(object: &Value, status: &str) -> BTreeMap<String, String> {
    let mut attributes = BTreeMap::new();
    if !status.is_empty() {
        attributes.insert("status".into(), status.to_owned());
    }
    if let Some(id) = text(object, "id") {
        attributes.insert("ticket_id".into(), id);
    }
    for (key, path) in [
        ("priority", "priority"),
        ("type", "type"),
        ("channel", "via.channel"),
        ("organization_id", "organization_id"),
    ] {
        if let Some(value) = text(object, path) {
            attributes.insert(key.into(), value);
        }
    }
    if let Some(tags) = joined_list(object, "tags") {
        attributes.insert("tags".into(), tags);
    }
    // Incremental exports keep deleted tickets with status `deleted`: their
    // history is real, but a reader should know the ticket is gone.
    if status == "deleted" {
        attributes.insert("deleted".into(), "true".into());
    }
    attributes
}

type FieldFailure = (&'static str, String);

/// `solved_at` (account exports), `metric_set.solved_at`, else `updated_at`.
fn solved_at(object: &Value, config: &SourceConfig) -> Result<DateTime<Utc>, FieldFailure> {
    for field in ["solved_at", "metric_set.solved_at", "updated_at"] {
        if let Some(at) = timestamp(object, field, config).map_err(|reason| (field, reason))? {
            return Ok(at);
        }
    }
    Err((
        "updated_at",
        "the solved ticket has no solve or update time".into(),
    ))
}

/// The rating's own time when the export has it, else the ticket's update.
fn rated_at(
    object: &Value,
    rating: &Value,
    config: &SourceConfig,
) -> Result<DateTime<Utc>, FieldFailure> {
    for field in ["updated_at", "created_at"] {
        if let Some(at) = timestamp(rating, field, config)
            .map_err(|reason| ("satisfaction_rating.updated_at", reason))?
        {
            return Ok(at);
        }
    }
    timestamp(object, "updated_at", config)
        .map_err(|reason| ("updated_at", reason))?
        .ok_or(("updated_at", "the rated ticket has no update time".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(object: Value) -> Vec<RowResult<Activity>> {
        let config = SourceConfig {
            name: "support".into(),
            ..SourceConfig::default()
        };
        ticket_activities(&object, &Location::object("t.json", "tickets[0]"), &config)
    }

    #[test]
    fn a_solved_rated_ticket_has_three_activities() {
        let activities = read(json!({
            "id": 42, "requester_id": 9001, "subject": "Fatura tutarı yanlış",
            "status": "closed", "created_at": "2024-03-01T09:00:00Z",
            "updated_at": "2024-03-05T12:00:00Z", "solved_at": "2024-03-02T10:30:00Z",
            "via": {"channel": "email"}, "tags": ["billing"], "priority": "high",
            "satisfaction_rating": {"score": "bad", "comment": "Too slow", "reason": "Issue took too long"}
        }));
        let activities: Vec<Activity> = activities.into_iter().map(|a| a.expect("ok")).collect();
        let ids: Vec<&str> = activities.iter().map(|a| a.external_id.as_str()).collect();
        assert_eq!(
            ids,
            ["ticket-42-opened", "ticket-42-solved", "ticket-42-csat"]
        );
        assert_eq!(activities[0].summary, "Fatura tutarı yanlış");
        assert_eq!(activities[0].record_external_id, "9001");
        assert_eq!(
            activities[1].occurred_at.to_rfc3339(),
            "2024-03-02T10:30:00+00:00"
        );
        assert_eq!(activities[2].score, Some(1));
        assert_eq!(activities[2].summary, "Too slow");
        assert_eq!(
            activities[2].occurred_at.to_rfc3339(),
            "2024-03-05T12:00:00+00:00"
        );
        assert_eq!(
            activities[2].attributes.get("reason").map(String::as_str),
            Some("Issue took too long")
        );
        assert_eq!(
            activities[0].attributes.get("channel").map(String::as_str),
            Some("email")
        );
        for activity in &activities {
            activity.validate().expect("valid activity");
        }
    }

    #[test]
    fn open_unrated_and_deleted_tickets() {
        let activities = read(json!({
            "id": 7, "requester_id": 1, "status": "open", "created_at": "2024-03-01T09:00:00Z",
            "satisfaction_rating": {"score": "offered"}
        }));
        assert_eq!(activities.len(), 1);
        let activities = read(json!({
            "id": 8, "requester_id": 1, "status": "deleted", "created_at": "2024-03-01T09:00:00Z",
            "satisfaction_rating": null
        }));
        let opened = activities[0].as_ref().expect("ok");
        assert_eq!(
            opened.attributes.get("deleted").map(String::as_str),
            Some("true")
        );
    }

    #[test]
    fn solved_without_solved_at_uses_updated_at() {
        let activities = read(json!({
            "id": 9, "requester_id": 1, "status": "solved",
            "created_at": "2024-03-01T09:00:00Z", "updated_at": "2024-03-03T09:00:00Z"
        }));
        let solved = activities[1].as_ref().expect("ok");
        assert_eq!(solved.occurred_at.to_rfc3339(), "2024-03-03T09:00:00+00:00");
    }

    #[test]
    fn broken_tickets_are_row_errors_per_activity() {
        let activities = read(json!({"id": 1, "created_at": "2024-03-01T09:00:00Z"}));
        assert_eq!(
            activities[0].as_ref().expect_err("no requester").field,
            "requester_id"
        );
        let activities = read(json!({
            "id": 2, "requester_id": 1, "status": "solved", "created_at": "01/13/2024 25:00",
            "updated_at": "2024-03-03T09:00:00Z", "satisfaction_rating": {"score": "great"}
        }));
        assert_eq!(activities.len(), 3);
        assert_eq!(
            activities[0].as_ref().expect_err("bad date").field,
            "created_at"
        );
        assert!(activities[1].is_ok());
        assert_eq!(
            activities[2].as_ref().expect_err("bad score").field,
            "satisfaction_rating.score"
        );
    }
}
