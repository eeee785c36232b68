//! The console's routes: sign-in, the review queue, a task side by side,
//! a profile with its records. The steward role is checked in front of them
//! (`steward_only` in the console module), which hands each page its steward.

use std::collections::BTreeSet;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use c360_hub::HubError;
use c360_hub::steward::{Decision, PinRequest, TaskQuery};
use c360_model::SourceKey;
use serde::Deserialize;

use super::ConsoleState;
use super::html::{escape, page, table};
use super::session::{login_page, signed_in, signed_out, token_is_steward};
use crate::auth::Subject;

/// A hub error as a page with the right HTTP status.
fn error_page(subject: &str, error: HubError) -> Response {
    let (status, message) = match &error {
        HubError::NotFound { what } => (StatusCode::NOT_FOUND, format!("{what} not found")),
        HubError::InvalidArgument { field, reason } => (
            StatusCode::BAD_REQUEST,
            format!("invalid {field}: {reason}"),
        ),
        // Someone else acted first: say so, and let the steward reload.
        HubError::Conflict { .. } => (StatusCode::CONFLICT, error.to_string()),
        HubError::FailedPrecondition { reason } => (StatusCode::CONFLICT, reason.clone()),
        other => {
            tracing::error!(error = %other, "console request failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "an internal error occurred".to_owned(),
            )
        }
    };
    (
        status,
        Html(page(
            "Something went wrong",
            Some(subject),
            &format!(
                "<p class=\"error\">{}</p><p><a href=\"/\">Back to the queue</a></p>",
                escape(&message)
            ),
        )),
    )
        .into_response()
}

pub async fn login_form() -> Html<String> {
    Html(login_page(None))
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    token: String,
}

pub async fn login(State(state): State<ConsoleState>, Form(form): Form<LoginForm>) -> Response {
    let token = form.token.trim();
    match token_is_steward(&state.authenticator, token) {
        Ok(_) => signed_in(token),
        Err(reason) => (StatusCode::UNAUTHORIZED, Html(login_page(Some(&reason)))).into_response(),
    }
}

pub async fn logout() -> Response {
    signed_out()
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueParams {
    #[serde(default)]
    page_token: String,
    /// Only the tasks assigned to the signed-in steward.
    #[serde(default)]
    mine: bool,
}

/// The open review tasks, most impact first.
pub async fn queue(
    State(state): State<ConsoleState>,
    Extension(subject): Extension<Subject>,
    Query(params): Query<QueueParams>,
) -> Response {
    let query = TaskQuery {
        page_size: 50,
        page_token: params.page_token,
        assignee: params.mine.then(|| subject.name.clone()),
        ..TaskQuery::default()
    };
    let page_of_tasks = match state.hub.list_review_tasks(&query).await {
        Ok(page_of_tasks) => page_of_tasks,
        Err(error) => return error_page(&subject.name, error),
    };
    let rows: Vec<Vec<String>> = page_of_tasks
        .tasks
        .iter()
        .map(|task| {
            let key = |key: &Option<c360_model::SourceKey>| {
                key.as_ref()
                    .map_or_else(|| "—".to_owned(), |key| escape(&key.to_string()))
            };
            vec![
                format!(
                    "<a href=\"/tasks/{id}\" id=\"task-{id}\">#{id}</a>",
                    id = task.row.id
                ),
                escape(task.kind.as_str()),
                format!("{:.3}", task.row.probability),
                format!("{:.2}", task.row.impact / 100.0),
                key(&task.left),
                key(&task.right),
                escape(&task.row.reason),
                escape(&task.row.assignee),
            ]
        })
        .collect();
    let mut body = if params.mine {
        "<p>Assigned to you · <a href=\"/\" id=\"all-tasks\">all open tasks</a></p>".to_owned()
    } else {
        "<p><a href=\"/?mine=true\" id=\"my-tasks\">Assigned to me</a></p>".to_owned()
    };
    body.push_str(&if rows.is_empty() {
        "<p class=\"ok\">No open tasks.</p>".to_owned()
    } else {
        table(
            &[
                "Task",
                "Kind",
                "Probability",
                "Impact",
                "Record",
                "Record",
                "Why",
                "Assignee",
            ],
            &rows,
        )
    });
    if !page_of_tasks.next_page_token.is_empty() {
        body.push_str(&format!(
            "<p><a href=\"/?mine={}&amp;page_token={}\">Next page</a></p>",
            params.mine,
            escape(&page_of_tasks.next_page_token)
        ));
    }
    Html(page("Review queue", Some(&subject.name), &body)).into_response()
}

/// The top-level fields of a JSON object, as text.
fn fields_of(json: &str) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) else {
        return Vec::new();
    };
    map.into_iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(key, value)| {
            let text = match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            (key, text)
        })
        .filter(|(_, text)| !text.is_empty() && text != "[]" && text != "{}")
        .collect()
}

/// Both records side by side (raw and normalized), the engine's evidence
/// per field, and the decisions.
pub async fn task(
    State(state): State<ConsoleState>,
    Extension(subject): Extension<Subject>,
    Path(id): Path<i64>,
) -> Response {
    let detail = match state.hub.get_review_task(id).await {
        Ok(detail) => detail,
        Err(error) => return error_page(&subject.name, error),
    };
    let mut body = String::new();
    let task = &detail.task;
    body.push_str(&format!(
        "<p>{} · probability <strong>{:.3}</strong> · status {} · version {}</p><p class=\"muted\">{}</p>",
        escape(task.kind.as_str()),
        task.row.probability,
        escape(&task.row.status),
        task.row.version,
        escape(&task.row.reason)
    ));

    // Side by side: every field either record has.
    let sides = [detail.left.as_ref(), detail.right.as_ref()];
    for (title, normalized) in [("As the sources wrote them", false), ("Normalized", true)] {
        let columns: Vec<Vec<(String, String)>> = sides
            .iter()
            .map(|side| {
                side.map(|side| {
                    fields_of(if normalized {
                        &side.normalized_json
                    } else {
                        &side.payload_json
                    })
                })
                .unwrap_or_default()
            })
            .collect();
        let names: BTreeSet<&String> = columns.iter().flatten().map(|(name, _)| name).collect();
        let value = |column: usize, name: &str| {
            columns[column]
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
                .unwrap_or("")
        };
        let rows: Vec<Vec<String>> = names
            .iter()
            .map(|name| {
                let (left, right) = (value(0, name), value(1, name));
                let class = if left == right {
                    "agree"
                } else if left.is_empty() || right.is_empty() {
                    "partial"
                } else {
                    "differ"
                };
                vec![
                    escape(name),
                    format!("<span class=\"{class}\">{}</span>", escape(left)),
                    format!("<span class=\"{class}\">{}</span>", escape(right)),
                ]
            })
            .collect();
        let heading = |side: Option<&c360_hub::steward::RecordSide>| {
            side.map_or_else(
                || "—".to_owned(),
                |side| {
                    let golden = side.golden_id.as_deref().unwrap_or("");
                    format!(
                        "{} <a href=\"/profiles/{}\">profile</a>",
                        escape(&side.key.to_string()),
                        escape(golden)
                    )
                },
            )
        };
        body.push_str(&format!("<h2>{}</h2>", escape(title)));
        body.push_str(&format!(
            "<table class=\"side-by-side\"><thead><tr><th>Field</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            heading(sides[0]),
            heading(sides[1]),
            rows.iter()
                .map(|row| format!("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", row[0], row[1], row[2]))
                .collect::<String>()
        ));
    }

    if let Some(explanation) = &detail.explanation {
        let rows: String = explanation
            .fields
            .iter()
            .map(|field| {
                let class = if field.weight > 0.5 {
                    "agree"
                } else if field.weight < -0.5 {
                    "differ"
                } else {
                    "partial"
                };
                format!(
                    "<tr class=\"{class}\"><td>{}</td><td>{}</td><td>{:+.2}</td></tr>",
                    escape(&field.comparison),
                    escape(&field.level_name),
                    field.weight
                )
            })
            .collect();
        body.push_str(&format!(
            "<h2>Why the engine thinks so</h2><p>prior {:+.2} · match weight {:+.2} · probability {:.3}</p>\
             <table class=\"comparison\"><thead><tr><th>Field</th><th>Comparison level</th><th>Weight (log2 odds)</th></tr></thead><tbody>{rows}</tbody></table>",
            explanation.prior_weight, explanation.match_weight, explanation.probability
        ));
    }

    if task.row.status == "open" || task.row.status == "deferred" {
        let (holder, button) = if task.row.assignee.is_empty() {
            (
                "nobody".to_owned(),
                "<button id=\"assign-me\" name=\"action\" value=\"take\">Assign to me</button>",
            )
        } else if task.row.assignee == subject.name {
            (
                "you".to_owned(),
                "<button id=\"release\" name=\"action\" value=\"release\">Release</button>",
            )
        } else {
            (
                escape(&task.row.assignee),
                "<button id=\"assign-me\" name=\"action\" value=\"take\">Take over</button>",
            )
        };
        body.push_str(&format!(
            "<form method=\"post\" action=\"/tasks/{id}/assign\"><p id=\"assignee\">Assigned to {holder} \
             <input type=\"hidden\" name=\"version\" value=\"{version}\">{button}</p></form>",
            id = task.row.id,
            version = task.row.version
        ));
        body.push_str(&format!(
            "<h2>Decide</h2><form method=\"post\" action=\"/tasks/{id}/resolve\">\
             <input type=\"hidden\" name=\"version\" value=\"{version}\">\
             <p><label>Comment <input type=\"text\" name=\"comment\"></label></p>\
             <button class=\"merge\" id=\"merge\" name=\"decision\" value=\"merge\">Merge</button>\
             <button class=\"apart\" id=\"keep-apart\" name=\"decision\" value=\"keep_apart\">Keep apart</button>\
             <button id=\"defer\" name=\"decision\" value=\"defer\">Defer</button></form>",
            id = task.row.id,
            version = task.row.version
        ));
    }
    Html(page(
        &format!("Task #{}", task.row.id),
        Some(&subject.name),
        &body,
    ))
    .into_response()
}

/// A golden record: attributes with lineage, its source records, and the
/// actions on it.
pub async fn profile(
    State(state): State<ConsoleState>,
    Extension(subject): Extension<Subject>,
    Path(id): Path<String>,
    Query(notice): Query<Notice>,
) -> Response {
    let found = match state.hub.get_profile(&id).await {
        Ok(found) => found,
        Err(error) => return error_page(&subject.name, error),
    };
    let golden = &found.profile.golden;
    let mut body = String::new();
    if let Some(message) = &notice.done {
        body.push_str(&format!("<p class=\"ok\">{}</p>", escape(message)));
    }
    body.push_str(&format!(
        "<p id=\"golden-id\" data-id=\"{id}\">Golden id <code>{id}</code> · version {} · {} source records · \
         <a href=\"/profiles/{id}/audit\">audit history</a></p>",
        golden.version,
        golden.record_count,
        id = escape(&golden.id)
    ));
    if found.redirected {
        body.push_str(&format!(
            "<p class=\"muted\">{} was merged into this record.</p>",
            escape(&found.requested_id)
        ));
    }
    let attributes = &golden.attributes;
    let mut rows = Vec::new();
    if let Some(name) = &attributes.name {
        rows.push(vec!["name".to_owned(), escape(&name.display)]);
    }
    for email in &attributes.emails {
        rows.push(vec!["email".to_owned(), escape(&email.value)]);
    }
    for phone in &attributes.phones {
        rows.push(vec!["phone".to_owned(), escape(&phone.value)]);
    }
    if let Some(birth) = &attributes.birth_date {
        rows.push(vec!["birth_date".to_owned(), escape(&birth.value)]);
    }
    if let Some(company) = &attributes.company {
        rows.push(vec!["company".to_owned(), escape(&company.value)]);
    }
    body.push_str("<h2>Golden attributes</h2>");
    body.push_str(&table(&["Attribute", "Value"], &rows));
    let records: Vec<Vec<String>> = found
        .profile
        .crosswalk
        .iter()
        .map(|row| vec![escape(&row.key.to_string()), escape(&row.linked_by)])
        .collect();
    body.push_str("<h2>Source records</h2>");
    body.push_str(&table(&["Record", "Linked by"], &records));
    body.push_str(&actions(&found.profile));
    Html(page(&golden.display_name, Some(&subject.name), &body)).into_response()
}

/// A confirmation shown after an action (`?done=…`).
#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    done: Option<String>,
}

/// Where a finished action sends the steward.
pub fn to_profile(golden_id: &str, done: &str) -> Response {
    let query: String = done
        .bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect();
    Redirect::to(&format!("/profiles/{golden_id}?done={query}")).into_response()
}

/// The split and pin forms of a profile page.
fn actions(profile: &c360_hub::ProfileView) -> String {
    let golden = &profile.golden;
    let id = escape(&golden.id);
    let version = golden.version;
    let mut out = String::new();
    if profile.crosswalk.len() > 1 {
        let options: String = profile
            .crosswalk
            .iter()
            .map(|row| {
                let key = escape(&format!("{}:{}", row.key.source, row.key.external_id));
                format!("<option value=\"{key}\">{key}</option>")
            })
            .collect();
        out.push_str(&format!(
            "<h2>Split</h2><form method=\"post\" action=\"/profiles/{id}/split\">\
             <input type=\"hidden\" name=\"version\" value=\"{version}\">\
             <select name=\"record\">{options}</select> \
             <input type=\"text\" name=\"comment\" placeholder=\"why\"> \
             <button id=\"split\">Move out into a new customer</button></form>"
        ));
    }
    out.push_str(&format!(
        "<h2>Pin a value</h2><form method=\"post\" action=\"/profiles/{id}/pin\">\
         <input type=\"hidden\" name=\"version\" value=\"{version}\">\
         <select name=\"attribute\"><option>name</option><option>email</option>\
         <option>phone</option><option>birth_date</option><option>company</option></select> \
         <input type=\"text\" name=\"value\" placeholder=\"value\"> \
         <input type=\"text\" name=\"reason\" placeholder=\"reason\"> \
         <button id=\"pin\">Pin</button></form>"
    ));
    out
}

#[derive(Debug, Deserialize)]
pub struct ResolveForm {
    version: i64,
    decision: String,
    #[serde(default)]
    comment: String,
}

/// Merge, keep apart or defer a task (the same hub operation as
/// `StewardService.ResolveReviewTask`).
pub async fn resolve(
    State(state): State<ConsoleState>,
    Extension(subject): Extension<Subject>,
    Path(id): Path<i64>,
    Form(form): Form<ResolveForm>,
) -> Response {
    let decision = match form.decision.as_str() {
        "merge" => Decision::Merge,
        "keep_apart" => Decision::KeepApart,
        "defer" => Decision::Defer,
        other => {
            return error_page(
                &subject.name,
                HubError::invalid(
                    "decision",
                    format!("{other:?} is not merge, keep_apart or defer"),
                ),
            );
        }
    };
    let resolution = match state
        .hub
        .resolve_review_task(id, form.version, decision, &form.comment, &subject.name)
        .await
    {
        Ok(resolution) => resolution,
        Err(error) => return error_page(&subject.name, error),
    };
    state.cache.invalidate_all();
    match (&resolution.golden_id, decision) {
        (Some(golden_id), _) => to_profile(golden_id, &format!("Task #{id} merged")),
        (None, Decision::KeepApart) => Redirect::to(&format!("/tasks/{id}")).into_response(),
        _ => Redirect::to("/").into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct AssignForm {
    version: i64,
    /// `take` (assign to the signed-in steward) or `release`.
    action: String,
}

/// Takes a task or releases it (the same hub operation as
/// `StewardService.AssignReviewTask`).
pub async fn assign(
    State(state): State<ConsoleState>,
    Extension(subject): Extension<Subject>,
    Path(id): Path<i64>,
    Form(form): Form<AssignForm>,
) -> Response {
    let assignee = match form.action.as_str() {
        "take" => subject.name.as_str(),
        "release" => "",
        other => {
            return error_page(
                &subject.name,
                HubError::invalid("action", format!("{other:?} is not take or release")),
            );
        }
    };
    match state
        .hub
        .assign_review_task(id, form.version, assignee, &subject.name)
        .await
    {
        Ok(_) => Redirect::to(&format!("/tasks/{id}")).into_response(),
        Err(error) => error_page(&subject.name, error),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditParams {
    #[serde(default)]
    page_token: String,
}

/// Every change of a golden record, oldest first (as GetAuditLog pages it).
pub async fn audit(
    State(state): State<ConsoleState>,
    Extension(subject): Extension<Subject>,
    Path(id): Path<String>,
    Query(params): Query<AuditParams>,
) -> Response {
    let audit = match state.hub.audit_log(&id, 100, &params.page_token).await {
        Ok(audit) => audit,
        Err(error) => return error_page(&subject.name, error),
    };
    let rows: Vec<Vec<String>> = audit
        .entries
        .iter()
        .map(|(_, entry)| {
            let at = chrono::DateTime::<chrono::Utc>::from_timestamp_micros(entry.at)
                .map(|at| at.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                .unwrap_or_default();
            vec![
                escape(&at),
                escape(&entry.actor),
                escape(&entry.action),
                format!("<code>{}</code>", escape(&entry.detail)),
            ]
        })
        .collect();
    let mut body = format!(
        "<p><a href=\"/profiles/{id}\">Back to the profile</a></p>{}",
        table(
            &["When", "Who", "What", "Detail (before/after, why)"],
            &rows
        ),
        id = escape(&id)
    );
    if !audit.next_page_token.is_empty() {
        body.push_str(&format!(
            "<p><a href=\"/profiles/{}/audit?page_token={}\">Older entries</a></p>",
            escape(&id),
            escape(&audit.next_page_token)
        ));
    }
    Html(page("Audit history", Some(&subject.name), &body)).into_response()
}

#[derive(Debug, Deserialize)]
pub struct PinForm {
    version: i64,
    attribute: String,
    value: String,
    #[serde(default)]
    reason: String,
}

/// A steward value that wins survivorship.
pub async fn pin(
    State(state): State<ConsoleState>,
    Extension(subject): Extension<Subject>,
    Path(id): Path<String>,
    Form(form): Form<PinForm>,
) -> Response {
    let request = PinRequest {
        golden_id: id.clone(),
        version: form.version,
        attribute: form.attribute.clone(),
        value: form.value,
        reason: form.reason,
        expires_at: None,
    };
    if let Err(error) = state.hub.pin_attribute(&request, &subject.name).await {
        return error_page(&subject.name, error);
    }
    state.cache.invalidate_all();
    to_profile(&id, &format!("{} pinned", form.attribute))
}

#[derive(Debug, Deserialize)]
pub struct SplitForm {
    version: i64,
    /// `source:external_id` of the record to move out.
    record: String,
    #[serde(default)]
    comment: String,
}

/// Moves one source record out into a new golden record.
pub async fn split(
    State(state): State<ConsoleState>,
    Extension(subject): Extension<Subject>,
    Path(id): Path<String>,
    Form(form): Form<SplitForm>,
) -> Response {
    let Some((source, external_id)) = form.record.split_once(':') else {
        return error_page(
            &subject.name,
            HubError::invalid("record", "expected source:external_id"),
        );
    };
    let key = SourceKey::new(source.to_owned(), external_id.to_owned());
    match state
        .hub
        .split_profile(&id, form.version, &[key], &form.comment, &subject.name)
        .await
    {
        Ok(outcome) => {
            state.cache.invalidate_all();
            to_profile(
                &outcome.new_golden_id,
                &format!("{} split off {id}", form.record),
            )
        }
        Err(error) => error_page(&subject.name, error),
    }
}
