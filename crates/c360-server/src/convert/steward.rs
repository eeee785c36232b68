//! Steward answers (hub → proto) and the steward enums (proto → hub).

use c360_hub::steward::{
    AuditPage, Decision, LineageView, RecordSide, TaskDetail, TaskKind, TaskStatus, TaskView,
};
use c360_model::SourceKey;
use c360_proto::v1;

use super::time;

fn source_ref(key: &SourceKey) -> v1::SourceRef {
    v1::SourceRef {
        source: key.source.clone(),
        external_id: key.external_id.clone(),
    }
}

/// `None` for unspecified (no filter); `Err` for a value we do not know.
pub fn task_kind(value: i32) -> Result<Option<TaskKind>, String> {
    match v1::ReviewTaskKind::try_from(value) {
        Ok(v1::ReviewTaskKind::Unspecified) => Ok(None),
        Ok(v1::ReviewTaskKind::PotentialMatch) => Ok(Some(TaskKind::PotentialMatch)),
        Ok(v1::ReviewTaskKind::AttributeConflict) => Ok(Some(TaskKind::AttributeConflict)),
        Err(_) => Err(format!("{value} is not a ReviewTaskKind")),
    }
}

pub fn task_status(value: i32) -> Result<Option<TaskStatus>, String> {
    match v1::ReviewTaskStatus::try_from(value) {
        Ok(v1::ReviewTaskStatus::Unspecified) => Ok(None),
        Ok(v1::ReviewTaskStatus::Open) => Ok(Some(TaskStatus::Open)),
        Ok(v1::ReviewTaskStatus::Resolved) => Ok(Some(TaskStatus::Resolved)),
        Ok(v1::ReviewTaskStatus::Deferred) => Ok(Some(TaskStatus::Deferred)),
        Err(_) => Err(format!("{value} is not a ReviewTaskStatus")),
    }
}

/// A decision; unspecified and unknown values are refused.
pub fn decision(value: i32) -> Result<Decision, String> {
    match v1::ReviewDecision::try_from(value) {
        Ok(v1::ReviewDecision::Merge) => Ok(Decision::Merge),
        Ok(v1::ReviewDecision::KeepApart) => Ok(Decision::KeepApart),
        Ok(v1::ReviewDecision::Defer) => Ok(Decision::Defer),
        Ok(v1::ReviewDecision::Dismiss) => Ok(Decision::Dismiss),
        Ok(v1::ReviewDecision::Unspecified) => {
            Err("is required (MERGE, KEEP_APART, DEFER or DISMISS)".to_owned())
        }
        Err(_) => Err(format!("{value} is not a ReviewDecision")),
    }
}

pub fn task(view: &TaskView) -> v1::ReviewTask {
    let row = &view.row;
    v1::ReviewTask {
        task_id: row.id,
        kind: match view.kind {
            TaskKind::PotentialMatch => v1::ReviewTaskKind::PotentialMatch,
            TaskKind::AttributeConflict => v1::ReviewTaskKind::AttributeConflict,
        } as i32,
        status: match view.status {
            TaskStatus::Open => v1::ReviewTaskStatus::Open,
            TaskStatus::Resolved => v1::ReviewTaskStatus::Resolved,
            TaskStatus::Deferred => v1::ReviewTaskStatus::Deferred,
        } as i32,
        version: row.version,
        probability: row.probability,
        reason: row.reason.clone(),
        impact: row.impact,
        left_record: view.left.as_ref().map(source_ref),
        right_record: view.right.as_ref().map(source_ref),
        left_golden_id: view.left_golden.clone().unwrap_or_default(),
        right_golden_id: view.right_golden.clone().unwrap_or_default(),
        assignee: row.assignee.clone(),
        decision: if row.decision.is_empty() && row.status == "merged" {
            "merged".to_owned()
        } else {
            row.decision.clone()
        },
        comment: row.comment.clone(),
        resolved_by: row.resolved_by.clone(),
        created_at: Some(time::from_micros(row.created_at)),
        updated_at: Some(time::from_micros(row.updated_at)),
    }
}

fn record(side: &RecordSide) -> v1::ReviewRecord {
    v1::ReviewRecord {
        record: Some(source_ref(&side.key)),
        golden_id: side.golden_id.clone().unwrap_or_default(),
        payload_json: side.payload_json.clone(),
        normalized_json: side.normalized_json.clone(),
    }
}

pub fn task_detail(detail: &TaskDetail) -> v1::GetReviewTaskResponse {
    let explanation = detail.explanation.as_ref();
    v1::GetReviewTaskResponse {
        task: Some(task(&detail.task)),
        left: detail.left.as_ref().map(record),
        right: detail.right.as_ref().map(record),
        fields: explanation
            .map(|explanation| {
                explanation
                    .fields
                    .iter()
                    .map(|field| v1::FieldComparison {
                        comparison: field.comparison.clone(),
                        level: i32::from(field.level),
                        level_name: field.level_name.clone(),
                        match_weight: field.weight,
                        m: field.m,
                        u: field.u,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        prior_weight: explanation.map_or(0.0, |explanation| explanation.prior_weight),
        match_weight: explanation.map_or(0.0, |explanation| explanation.match_weight),
        explanation_json: detail.task.row.explanation.clone(),
    }
}

pub fn audit_page(page: &AuditPage) -> v1::GetAuditLogResponse {
    v1::GetAuditLogResponse {
        entries: page
            .entries
            .iter()
            .map(|(id, entry)| v1::AuditEntry {
                entry_id: *id,
                golden_id: entry.golden_id.clone(),
                at: Some(time::from_micros(entry.at)),
                actor: entry.actor.clone(),
                action: entry.action.clone(),
                detail_json: entry.detail.clone(),
            })
            .collect(),
        next_page_token: page.next_page_token.clone(),
    }
}

pub fn lineage(view: &LineageView) -> v1::GetLineageResponse {
    v1::GetLineageResponse {
        golden_id: view.golden_id.clone(),
        version: view.version,
        entries: view
            .entries
            .iter()
            .map(|(row, key, pin)| v1::LineageEntry {
                attribute: row.attribute.clone(),
                ordinal: row.ordinal,
                value: row.value.clone(),
                normalized: row.normalized.clone(),
                record: key.as_ref().map(source_ref),
                rule: row.rule.clone(),
                pinned_by: pin
                    .as_ref()
                    .map(|pin| pin.actor.clone())
                    .unwrap_or_default(),
                pin_reason: pin
                    .as_ref()
                    .map(|pin| pin.reason.clone())
                    .unwrap_or_default(),
                pin_expires_at: pin
                    .as_ref()
                    .and_then(|pin| pin.expires_at)
                    .map(time::from_micros),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_unspecified_decisions_are_refused() {
        assert!(decision(v1::ReviewDecision::Unspecified as i32).is_err());
        assert!(decision(99).is_err());
        assert_eq!(
            decision(v1::ReviewDecision::KeepApart as i32),
            Ok(Decision::KeepApart)
        );
    }
}
