//! Splitting a golden record: chosen source records move out into a new
//! golden record.
//!
//! The original id stays with the records left behind, so everything that
//! pointed at it (redirects of earlier merges, callers' stored ids) still
//! resolves to that customer. `never` constraints between every moved and
//! every remaining record record the decision, so neither engine silently
//! re-merges them on the next upsert or full re-match.

use std::collections::{BTreeMap, BTreeSet};

use c360_model::{GoldenId, SourceKey};
use c360_store::repo::golden_records;
use c360_store::repo::source_records::{self, MembershipRow};
use c360_store::repo::{matching, steward};
use c360_store::time::now_micros;
use serde_json::json;
use tracing::instrument;

use super::{claim_golden, live_golden};
use crate::error::{HubError, HubResult};
use crate::golden_writer::GoldenChange;
use crate::hub::Hub;

/// What a split did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitOutcome {
    /// The original golden record, with the records left behind.
    pub golden_id: String,
    pub version: i64,
    /// The new golden record of the moved records.
    pub new_golden_id: String,
}

impl Hub {
    /// Moves `records` (members of `golden_id`, not all of them) into a new
    /// golden record.
    #[instrument(name = "steward.split_profile", skip(self, records, comment))]
    pub async fn split_profile(
        &self,
        golden_id: &str,
        version: i64,
        records: &[SourceKey],
        comment: &str,
        actor: &str,
    ) -> HubResult<SplitOutcome> {
        if records.is_empty() {
            return Err(HubError::invalid(
                "records",
                "name at least one record to move out",
            ));
        }
        let _serialized = self.inner.write_lock.lock().await;
        let now = now_micros();
        let mut transaction = self.inner.store.begin_write().await?;
        let live = live_golden(&mut transaction, "golden_id", golden_id).await?;
        if live != golden_id.trim().to_ascii_lowercase() {
            return Err(HubError::conflict(format!(
                "golden record {golden_id} (merged into {live})"
            )));
        }
        claim_golden(&mut transaction, &live, version).await?;
        let mut moved: BTreeSet<i64> = BTreeSet::new();
        for key in records {
            match source_records::locate(&mut transaction, key).await? {
                Some((record_id, Some(owner))) if owner == live => {
                    moved.insert(record_id);
                }
                _ => {
                    return Err(HubError::invalid(
                        "records",
                        format!("{key} is not a record of golden record {live}"),
                    ));
                }
            }
        }
        let remaining: Vec<i64> =
            steward::member_ids(&mut transaction, std::slice::from_ref(&live))
                .await?
                .into_iter()
                .map(|(record, _)| record)
                .filter(|record| !moved.contains(record))
                .collect();
        if remaining.is_empty() {
            return Err(HubError::invalid(
                "records",
                "every record would move out; a split leaves at least one behind",
            ));
        }
        let new_id = GoldenId::mint().to_string();
        let memberships: Vec<MembershipRow> = moved
            .iter()
            .map(|record| MembershipRow {
                record_id: *record,
                golden_id: new_id.clone(),
                linked_by: "steward_split".to_owned(),
            })
            .collect();
        source_records::upsert_memberships(&mut transaction, &memberships, now).await?;
        let never: Vec<(i64, i64)> = moved
            .iter()
            .flat_map(|out| remaining.iter().map(move |stays| (*out, *stays)))
            .collect();
        matching::add_constraints(&mut transaction, &never, "never", actor, now).await?;

        let moved_keys: Vec<String> = records.iter().map(ToString::to_string).collect();
        let changes = BTreeMap::from([
            (
                live.clone(),
                GoldenChange {
                    action: "split",
                    detail: json!({ "moved_out": moved_keys, "into": new_id, "comment": comment }),
                },
            ),
            (
                new_id.clone(),
                GoldenChange {
                    action: "created",
                    detail: json!({ "split_from": live, "records": moved_keys, "comment": comment }),
                },
            ),
        ]);
        self.rewrite_goldens(&mut transaction, changes, Vec::new(), actor, now)
            .await?;
        let version = golden_records::get(&mut transaction, &live)
            .await?
            .map(|row| row.version)
            .ok_or_else(|| HubError::Internal(format!("split golden {live} vanished")))?;
        let touched = vec![live.clone(), new_id.clone()];
        self.announce(&mut transaction, &touched).await?;
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        self.after_change(&touched).await;
        Ok(SplitOutcome {
            golden_id: live,
            version,
            new_golden_id: new_id,
        })
    }
}
