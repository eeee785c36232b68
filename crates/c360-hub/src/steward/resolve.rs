//! Resolving a review task: merge, keep apart, defer, or (conflicts) dismiss.
//!
//! The task's version is checked and bumped first, in the transaction that
//! carries out the decision: of two stewards resolving one task at once,
//! exactly one write matches `version = $expected`; the other gets a
//! conflict and its transaction changes nothing.

use std::collections::BTreeSet;

use c360_store::repo::audit_log::{self, AuditEntry};
use c360_store::repo::matching;
use c360_store::repo::steward::{self, TaskDecision, TaskRow};
use c360_store::time::now_micros;
use serde_json::json;
use tracing::instrument;

use super::queue::{TaskView, view};
use super::{Decision, TaskKind, TaskStatus};
use crate::error::{HubError, HubResult};
use crate::hub::Hub;

/// What resolving a task did.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// The task as it now stands.
    pub task: TaskView,
    /// After a merge: the surviving golden record.
    pub golden_id: Option<String>,
}

/// The task a steward saw at `version`, still open or deferred: missing is
/// `NotFound`, another version a conflict, resolved a failed precondition.
pub(super) async fn task_to_change(
    connection: &mut c360_store::AnyConnection,
    task_id: i64,
    version: i64,
) -> HubResult<TaskRow> {
    let Some(task) = steward::get_task(connection, task_id).await? else {
        return Err(HubError::not_found(format!("review task {task_id}")));
    };
    if task.version != version {
        return Err(HubError::conflict(format!(
            "review task {task_id} (version {version} requested, now {})",
            task.version
        )));
    }
    if TaskStatus::of_stored(&task.status) == TaskStatus::Resolved {
        return Err(HubError::failed_precondition(format!(
            "review task {task_id} is already resolved ({})",
            if task.decision.is_empty() {
                &task.status
            } else {
                &task.decision
            }
        )));
    }
    Ok(task)
}

/// The task as this transaction left it, with its records and customers.
pub(super) async fn stored_view(
    connection: &mut c360_store::AnyConnection,
    task_id: i64,
) -> HubResult<TaskView> {
    let stored = steward::get_task(connection, task_id)
        .await?
        .ok_or_else(|| HubError::Internal(format!("review task {task_id} vanished")))?;
    let records = steward::record_refs(connection, &[stored.left, stored.right]).await?;
    Ok(view(stored, &records))
}

impl Hub {
    /// Carries out `decision` on a task the steward saw at `version`.
    #[instrument(name = "steward.resolve_task", skip(self, comment))]
    pub async fn resolve_review_task(
        &self,
        task_id: i64,
        version: i64,
        decision: Decision,
        comment: &str,
        actor: &str,
    ) -> HubResult<Resolution> {
        let _serialized = self.inner.write_lock.lock().await;
        let now = now_micros();
        let mut transaction = self.inner.store.begin_write().await?;
        let task = task_to_change(&mut transaction, task_id, version).await?;
        let kind = TaskKind::parse(&task.kind).unwrap_or(TaskKind::PotentialMatch);
        match (kind, decision) {
            (TaskKind::AttributeConflict, Decision::Merge | Decision::KeepApart) => {
                return Err(HubError::invalid(
                    "decision",
                    "an attribute conflict is resolved by pinning the attribute \
                     (PinAttribute), dismissed, or deferred",
                ));
            }
            (TaskKind::PotentialMatch, Decision::Dismiss) => {
                return Err(HubError::invalid(
                    "decision",
                    "a potential match is merged, kept apart or deferred",
                ));
            }
            _ => {}
        }
        let status = if decision == Decision::Defer {
            "deferred"
        } else {
            "resolved"
        };
        let recorded = TaskDecision {
            status,
            decision: decision.as_str(),
            comment,
            actor,
        };
        if !steward::decide_task(&mut transaction, task_id, version, &recorded, now).await? {
            return Err(HubError::conflict(format!("review task {task_id}")));
        }

        let golden_of = steward::goldens_of(&mut transaction, &[task.left, task.right]).await?;
        let (left_golden, right_golden) = (golden_of.get(&task.left), golden_of.get(&task.right));
        let mut touched: BTreeSet<String> = [left_golden, right_golden]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let detail = json!({
            "task": task_id,
            "kind": task.kind,
            "decision": decision.as_str(),
            "comment": comment,
            "records": [task.left, task.right],
            "probability": task.probability,
        });
        let mut survivor = None;
        match decision {
            Decision::Merge => {
                let (Some(left_golden), Some(right_golden)) = (left_golden, right_golden) else {
                    return Err(HubError::failed_precondition(format!(
                        "a record of review task {task_id} was deleted; nothing to merge"
                    )));
                };
                matching::add_constraint(
                    &mut transaction,
                    task.left,
                    task.right,
                    "always",
                    actor,
                    now,
                )
                .await?;
                if left_golden == right_golden {
                    survivor = Some(left_golden.clone());
                } else {
                    let goldens = [left_golden.clone(), right_golden.clone()];
                    let (kept, _) = self
                        .merge_goldens_in(&mut transaction, &goldens, detail, comment, actor, now)
                        .await?;
                    survivor = Some(kept);
                }
            }
            Decision::KeepApart => {
                if left_golden.is_some() && left_golden == right_golden {
                    return Err(HubError::failed_precondition(format!(
                        "the records of review task {task_id} are one customer already; \
                         split the profile (SplitProfile) to keep them apart"
                    )));
                }
                matching::add_constraint(
                    &mut transaction,
                    task.left,
                    task.right,
                    "never",
                    actor,
                    now,
                )
                .await?;
                self.audit_goldens(
                    &mut transaction,
                    &touched,
                    "kept_apart",
                    &detail,
                    actor,
                    now,
                )
                .await?;
            }
            Decision::Defer => {
                self.audit_goldens(
                    &mut transaction,
                    &touched,
                    "review_deferred",
                    &detail,
                    actor,
                    now,
                )
                .await?;
            }
            Decision::Dismiss => {
                self.audit_goldens(
                    &mut transaction,
                    &touched,
                    "conflict_dismissed",
                    &detail,
                    actor,
                    now,
                )
                .await?;
            }
        }
        if let Some(survivor) = &survivor {
            touched.insert(survivor.clone());
        }
        let touched: Vec<String> = touched.into_iter().collect();
        self.announce(&mut transaction, &touched).await?;
        let task = stored_view(&mut transaction, task_id).await?;
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        if survivor.is_some() {
            self.after_change(&touched).await;
        }
        Ok(Resolution {
            task,
            golden_id: survivor,
        })
    }

    /// One audit entry per golden record for a decision that changed no
    /// attribute (keep apart, defer, dismiss): the log still shows who
    /// decided what, when and why.
    pub(crate) async fn audit_goldens(
        &self,
        connection: &mut c360_store::AnyConnection,
        golden_ids: &BTreeSet<String>,
        action: &str,
        detail: &serde_json::Value,
        actor: &str,
        now: i64,
    ) -> HubResult<()> {
        let entries: Vec<AuditEntry> = golden_ids
            .iter()
            .map(|golden_id| AuditEntry {
                golden_id: golden_id.clone(),
                at: now,
                actor: actor.to_owned(),
                action: action.to_owned(),
                detail: detail.to_string(),
            })
            .collect();
        audit_log::append(connection, &entries).await?;
        Ok(())
    }
}
