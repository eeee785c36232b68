//! Merging golden records by a steward's decision.
//!
//! The oldest golden id survives and the others redirect to it (as an
//! automatic merge does). The decision is stored as `always` constraints
//! from one record of the survivor to every record of the absorbed ones, so
//! real-time re-clustering and a full re-match keep them together even
//! where no link between them scores high; older `never` constraints inside
//! the merged set are dropped (the newer decision wins), and open tasks
//! between its records are answered.

use std::collections::BTreeMap;

use c360_store::AnyConnection;
use c360_store::repo::steward::{self, TaskDecision};
use c360_store::repo::{golden_records, matching};
use c360_store::time::now_micros;
use serde_json::{Value as Json, json};
use tracing::instrument;

use super::{claim_golden, live_golden};
use crate::error::{HubError, HubResult};
use crate::golden_writer::GoldenChange;
use crate::hub::Hub;
use crate::ingest::IngestOutcome;

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeOutcome {
    pub survivor: String,
    pub absorbed: Vec<String>,
    /// The survivor's version after the merge.
    pub version: i64,
}

impl Hub {
    /// Merges `golden_ids` (each at the version in `versions`, same order).
    #[instrument(name = "steward.merge_profiles", skip(self, comment))]
    pub async fn merge_profiles(
        &self,
        golden_ids: &[String],
        versions: &[i64],
        comment: &str,
        actor: &str,
    ) -> HubResult<MergeOutcome> {
        if golden_ids.len() < 2 {
            return Err(HubError::invalid(
                "golden_ids",
                "name at least two golden records",
            ));
        }
        if versions.len() != golden_ids.len() {
            return Err(HubError::invalid(
                "versions",
                format!(
                    "{} versions for {} golden records; send one per record, in order",
                    versions.len(),
                    golden_ids.len()
                ),
            ));
        }
        let _serialized = self.inner.write_lock.lock().await;
        let now = now_micros();
        let mut transaction = self.inner.store.begin_write().await?;
        let mut live_ids: Vec<String> = Vec::with_capacity(golden_ids.len());
        for (requested, version) in golden_ids.iter().zip(versions) {
            let live = live_golden(&mut transaction, "golden_ids", requested).await?;
            if live != requested.trim().to_ascii_lowercase() {
                // The steward saw a record that has since been merged away.
                return Err(HubError::conflict(format!(
                    "golden record {requested} (merged into {live})"
                )));
            }
            if live_ids.contains(&live) {
                return Err(HubError::invalid(
                    "golden_ids",
                    format!("{live} is named twice"),
                ));
            }
            claim_golden(&mut transaction, &live, *version).await?;
            live_ids.push(live);
        }
        let why = json!({ "comment": comment, "requested_by": actor });
        let (survivor, absorbed) = self
            .merge_goldens_in(&mut transaction, &live_ids, why, comment, actor, now)
            .await?;
        let version = golden_records::get(&mut transaction, &survivor)
            .await?
            .map(|row| row.version)
            .ok_or_else(|| HubError::Internal(format!("merged golden {survivor} vanished")))?;
        self.announce(&mut transaction, &live_ids).await?;
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        self.after_change(&live_ids).await;
        Ok(MergeOutcome {
            survivor,
            absorbed,
            version,
        })
    }

    /// Merges live golden records inside the caller's transaction (versions
    /// already checked). Returns the survivor and the absorbed ids.
    pub(crate) async fn merge_goldens_in(
        &self,
        connection: &mut AnyConnection,
        golden_ids: &[String],
        why: Json,
        comment: &str,
        actor: &str,
        now: i64,
    ) -> HubResult<(String, Vec<String>)> {
        let created_at = golden_records::created_at_of(connection, golden_ids).await?;
        let mut ordered: Vec<&String> = golden_ids.iter().collect();
        ordered.sort_by_key(|id| {
            (
                created_at.get(*id).copied().unwrap_or(i64::MAX),
                (*id).clone(),
            )
        });
        let Some((survivor, rest)) = ordered.split_first() else {
            return Err(HubError::Internal("merge of no golden records".into()));
        };
        let survivor = (*survivor).clone();
        let absorbed: Vec<String> = rest.iter().map(|id| (*id).clone()).collect();

        let members = steward::member_ids(connection, golden_ids).await?;
        let record_ids: Vec<i64> = members.iter().map(|(record, _)| *record).collect();
        let anchor = members
            .iter()
            .find(|(_, golden)| *golden == survivor)
            .map(|(record, _)| *record);
        let moved: Vec<i64> = members
            .iter()
            .filter(|(_, golden)| *golden != survivor)
            .map(|(record, _)| *record)
            .collect();
        if let Some(anchor) = anchor {
            let always: Vec<(i64, i64)> = moved.iter().map(|record| (anchor, *record)).collect();
            steward::drop_never_within(connection, &record_ids).await?;
            matching::add_constraints(connection, &always, "always", actor, now).await?;
        }
        let answered = TaskDecision {
            status: "resolved",
            decision: "merge",
            comment,
            actor,
        };
        steward::close_tasks_within(connection, &record_ids, None, &answered, now).await?;

        let mut outcome = IngestOutcome::default();
        self.absorb_goldens(
            connection,
            &absorbed,
            &survivor,
            json!(moved),
            actor,
            now,
            &mut outcome,
        )
        .await?;
        let change = GoldenChange {
            action: "merged",
            detail: json!({ "absorbed": absorbed, "by_records": moved, "steward": why }),
        };
        self.rewrite_goldens(
            connection,
            BTreeMap::from([(survivor.clone(), change)]),
            Vec::new(),
            actor,
            now,
        )
        .await?;
        Ok((survivor, absorbed))
    }
}
