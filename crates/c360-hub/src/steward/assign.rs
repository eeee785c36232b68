//! Assigning a review task to a steward (or releasing it).
//!
//! Stewards split a queue by claiming tasks; `ListReviewTasks` filters by
//! assignee. The assignment is a versioned write like a decision: two
//! stewards claiming one task at once, exactly one wins, and the other sees
//! `ABORTED` and re-reads who holds it. A resolved task keeps whoever it was
//! assigned to and cannot be re-assigned.

use std::collections::BTreeSet;

use c360_store::repo::steward;
use c360_store::time::now_micros;
use serde_json::json;
use tracing::instrument;

use super::queue::TaskView;
use super::resolve::{stored_view, task_to_change};
use crate::error::{HubError, HubResult};
use crate::hub::Hub;

/// Longest assignee name accepted (a steward's subject or e-mail).
const MAX_ASSIGNEE_LEN: usize = 200;

impl Hub {
    /// Assigns a task the steward saw at `version` to `assignee` (trimmed;
    /// empty releases it). Audited on the customers of the task's records.
    #[instrument(name = "steward.assign_task", skip(self))]
    pub async fn assign_review_task(
        &self,
        task_id: i64,
        version: i64,
        assignee: &str,
        actor: &str,
    ) -> HubResult<TaskView> {
        let assignee = assignee.trim();
        if assignee.chars().count() > MAX_ASSIGNEE_LEN {
            return Err(HubError::invalid(
                "assignee",
                format!("is longer than {MAX_ASSIGNEE_LEN} characters"),
            ));
        }
        if assignee.chars().any(char::is_control) {
            return Err(HubError::invalid(
                "assignee",
                "must not contain control characters",
            ));
        }
        let _serialized = self.inner.write_lock.lock().await;
        let now = now_micros();
        let mut transaction = self.inner.store.begin_write().await?;
        let task = task_to_change(&mut transaction, task_id, version).await?;
        if !steward::assign_task(&mut transaction, task_id, version, assignee, now).await? {
            return Err(HubError::conflict(format!("review task {task_id}")));
        }
        let golden_of = steward::goldens_of(&mut transaction, &[task.left, task.right]).await?;
        let touched: BTreeSet<String> = golden_of.into_values().collect();
        let detail = json!({
            "task": task_id,
            "kind": task.kind,
            "assignee": assignee,
            "previous_assignee": task.assignee,
        });
        let action = if assignee.is_empty() {
            "review_unassigned"
        } else {
            "review_assigned"
        };
        self.audit_goldens(&mut transaction, &touched, action, &detail, actor, now)
            .await?;
        let view = stored_view(&mut transaction, task_id).await?;
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        Ok(view)
    }
}
