//! One response row → a respondent record and, when the score question was
//! answered, an `nps_response` (or `csat_rating`) activity.
//!
//! - Record external id: the mapped `external_id`, else the first e-mail
//!   lower-cased (a respondent answering twice is one record), else the
//!   response id. A response with neither e-mail nor name identifies nobody
//!   and is a row error.
//! - Activity external id: the response id, else `response-<hash of the row>`
//!   (stable for the same row, so a re-read updates rather than duplicates).
//! - A skipped score question: the record only. A score that is no number or
//!   out of range: the record and a row error naming the score column (the
//!   respondent is real; only the answer is unreadable).

use c360_connector::tabular::TableRow;
use c360_connector::{Location, RowError, SourceItem};

use crate::plan::Plan;

/// The items of one response row, in order: record, then activity or error.
pub fn response_items(plan: &Plan, row: &TableRow, file: &str, delimiter: u8) -> Vec<SourceItem> {
    let location = Location::line(file, row.line);
    let raw = row.raw(delimiter);
    let error = |field: &str, reason: String| {
        SourceItem::error(RowError::new(location.clone(), field, reason, raw.clone()))
    };
    let mut record = match plan.mapper.record(&row.cells) {
        Ok(record) => record,
        Err(problem) => return vec![error(&problem.field, problem.reason)],
    };
    let response_id = plan
        .response_id
        .and_then(|index| row.cells.get(index))
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map_or_else(
            || format!("response-{:016x}", fnv1a(raw.as_bytes())),
            str::to_owned,
        );
    record.emails.retain(|email| !email.trim().is_empty());
    if record.emails.is_empty() && record.display_name().is_empty() {
        return vec![error(
            "row",
            "the response names no respondent (no e-mail or name)".into(),
        )];
    }
    if record.external_id.trim().is_empty() {
        record.external_id = match record.emails.first() {
            Some(email) => email.trim().to_lowercase(),
            None => response_id.clone(),
        };
    }
    if let Err(problem) = record.validate() {
        return vec![error(problem.field_name(), problem.reason())];
    }

    let (score_index, score_column) = &plan.score;
    let cell = row.cells.get(*score_index).unwrap_or_default();
    let score = match plan.metric.score(cell) {
        Ok(Some(score)) => score,
        Ok(None) => return vec![SourceItem::record(record, location)],
        Err(reason) => {
            let problem = error(score_column, reason);
            return vec![SourceItem::record(record, location.clone()), problem];
        }
    };
    let activity = match plan
        .mapper
        .activity(&row.cells, &record.external_id, &response_id)
    {
        Ok(Some(activity)) => activity,
        Ok(None) => {
            let problem = error("activity_at", "the response has no date".into());
            return vec![SourceItem::record(record, location.clone()), problem];
        }
        Err(problem) => {
            let problem = error(&problem.field, problem.reason);
            return vec![SourceItem::record(record, location.clone()), problem];
        }
    };
    let mut activity = activity;
    activity.score = Some(score);
    if activity.summary.is_empty()
        && let Some(comment) = plan.comment.and_then(|index| row.cells.get(index))
    {
        activity.summary = comment.trim().to_owned();
    }
    activity
        .attributes
        .insert("survey".into(), plan.layout.name().to_owned());
    let mut items = vec![SourceItem::record(record, location.clone())];
    items.push(match activity.validate() {
        Ok(()) => SourceItem::activity(activity, location),
        Err(problem) => error(problem.field_name(), problem.reason()),
    });
    items
}

/// FNV-1a, 64 bits: a stable id for rows without one (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Layout;
    use c360_connector::SourceConfig;
    use c360_model::ActivityKind;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    fn plan() -> Plan {
        let headers = strings(&[
            "Timestamp",
            "Email Address",
            "How likely are you to recommend us?",
            "Why?",
        ]);
        let config = SourceConfig {
            name: "nps".into(),
            ..SourceConfig::default()
        };
        Plan::new(&config, Layout::GoogleForms, &headers, &[], &[]).expect("plan")
    }

    fn row(line: u64, cells: &[&str]) -> TableRow {
        TableRow {
            line,
            cells: csv::StringRecord::from(cells.to_vec()),
        }
    }

    fn items(cells: &[&str]) -> Vec<SourceItem> {
        response_items(&plan(), &row(5, cells), "forms.csv", b',')
    }

    #[test]
    fn a_scored_response_is_a_record_and_an_activity() {
        let items = items(&[
            "3/1/2024 14:05:09",
            "Zeynep.Kaya@Example.com",
            "9",
            " Harika destek ",
        ]);
        let [
            SourceItem::Record(record, _),
            SourceItem::Activity(activity, location),
        ] = items.as_slice()
        else {
            panic!("{items:?}");
        };
        assert_eq!(record.external_id, "zeynep.kaya@example.com");
        assert_eq!(record.emails, ["Zeynep.Kaya@Example.com"]);
        assert_eq!(activity.kind, ActivityKind::NpsResponse);
        assert_eq!(
            (activity.score, activity.summary.as_str()),
            (Some(9), "Harika destek")
        );
        assert_eq!(
            activity.occurred_at.to_rfc3339(),
            "2024-03-01T14:05:09+00:00"
        );
        assert_eq!(activity.record_external_id, "zeynep.kaya@example.com");
        assert!(activity.external_id.starts_with("response-"));
        assert_eq!(location.line, Some(5));
    }

    #[test]
    fn skipped_bad_and_anonymous_responses() {
        assert!(matches!(
            items(&["3/1/2024 14:05:09", "a@example.com", "", ""]).as_slice(),
            [SourceItem::Record(..)]
        ));
        let bad = items(&["3/1/2024 14:05:09", "a@example.com", "11", ""]);
        let [SourceItem::Record(..), SourceItem::Error(error)] = bad.as_slice() else {
            panic!("{bad:?}");
        };
        assert_eq!(error.field, "How likely are you to recommend us?");
        let anonymous = items(&["3/1/2024 14:05:09", "", "7", ""]);
        assert!(matches!(anonymous.as_slice(), [SourceItem::Error(e)] if e.field == "row"));
        let bad_date = items(&["someday", "a@example.com", "7", ""]);
        assert!(matches!(bad_date.as_slice(), [SourceItem::Error(e)] if e.field == "Timestamp"));
    }

    #[test]
    fn hashed_ids_are_stable() {
        assert_eq!(fnv1a(b"abc"), fnv1a(b"abc"));
        assert_ne!(fnv1a(b"abc"), fnv1a(b"abd"));
    }
}
