//! Ingest of activities (orders, invoices, tickets, NPS …), idempotent on
//! (source, external id). An activity whose source record has not arrived yet
//! is kept and joins the profile when the record comes.

use std::collections::{BTreeSet, HashMap};

use c360_model::Activity;
use c360_store::repo::activities::{self, ActivityRow};
use c360_store::repo::row_errors::{self, RowError};
use c360_store::time::{now_micros, to_micros};
use tracing::instrument;

use crate::content_hash::content_hash;
use crate::error::HubResult;
use crate::hub::Hub;
use crate::ingest::{Origin, Rejection, check_batch_size};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityOutcome {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejections: Vec<Rejection>,
    /// Profiles whose timeline changed.
    pub affected_golden_ids: BTreeSet<String>,
}

impl Hub {
    pub async fn upsert_activities(
        &self,
        activities: Vec<Activity>,
        origin: &str,
    ) -> HubResult<ActivityOutcome> {
        self.upsert_activities_from(activities, Origin::Batch(origin))
            .await
    }

    /// [`Hub::upsert_activities`] with each item's origin (a sync's file and line).
    #[instrument(name = "ingest.activities", skip_all, fields(activities = activities.len()))]
    pub async fn upsert_activities_from(
        &self,
        activities: Vec<Activity>,
        origin: Origin<'_>,
    ) -> HubResult<ActivityOutcome> {
        check_batch_size("activities", activities.len())?;
        let now = now_micros();
        let mut outcome = ActivityOutcome::default();
        let mut quarantined = Vec::new();
        // Last occurrence of an id in the batch wins.
        let mut rows: HashMap<(String, String), ActivityRow> = HashMap::new();
        for (index, mut activity) in activities.into_iter().enumerate() {
            let payload = serde_json::to_string(&activity).unwrap_or_default();
            if let Err(error) = activity.validate() {
                let rejection = Rejection {
                    index,
                    key: None,
                    field: error.field_name().to_owned(),
                    reason: error.to_string(),
                };
                quarantined.push(RowError {
                    source: activity.source.clone(),
                    location: origin.location(index),
                    field: rejection.field.clone(),
                    reason: rejection.reason.clone(),
                    raw: payload,
                    at: now,
                });
                outcome.rejections.push(rejection);
                continue;
            }
            activity.source = activity.source.trim().to_owned();
            activity.external_id = activity.external_id.trim().to_owned();
            activity.record_external_id = activity.record_external_id.trim().to_owned();
            let payload = serde_json::to_string(&activity).unwrap_or_default();
            let row = ActivityRow {
                source: activity.source.clone(),
                external_id: activity.external_id.clone(),
                record_external_id: activity.record_external_id.clone(),
                kind: activity.kind.as_str().to_owned(),
                occurred_at: to_micros(activity.occurred_at),
                amount_minor: activity.amount.as_ref().map(|money| money.amount_minor),
                currency: activity.amount.as_ref().map(|money| money.currency.clone()),
                score: activity.score.map(i64::from),
                summary: activity.summary.clone(),
                content_hash: content_hash(&payload),
                payload,
                reference: crate::lifecycle::activity_reference(&activity),
            };
            rows.insert((row.source.clone(), row.external_id.clone()), row);
        }

        let _serialized = self.inner.write_lock.lock().await;
        let mut transaction = self.inner.store.begin_write().await?;
        row_errors::insert(&mut transaction, &quarantined).await?;
        let mut by_source: HashMap<String, Vec<ActivityRow>> = HashMap::new();
        for ((source, _), row) in rows {
            by_source.entry(source).or_default().push(row);
        }
        for (source, rows) in by_source {
            let ids: Vec<&str> = rows.iter().map(|row| row.external_id.as_str()).collect();
            let stored = activities::hashes(&mut transaction, &source, &ids).await?;
            let mut changed = Vec::new();
            for row in rows {
                match stored.get(&row.external_id) {
                    Some(hash) if *hash == row.content_hash => outcome.unchanged += 1,
                    Some(_) => {
                        outcome.updated += 1;
                        changed.push(row);
                    }
                    None => {
                        outcome.inserted += 1;
                        changed.push(row);
                    }
                }
            }
            activities::upsert(&mut transaction, &changed).await?;
            let mut owners: Vec<&str> = changed
                .iter()
                .map(|row| row.record_external_id.as_str())
                .collect();
            owners.sort_unstable();
            owners.dedup();
            outcome
                .affected_golden_ids
                .extend(activities::owners(&mut transaction, &source, &owners).await?);
        }
        let affected: Vec<String> = outcome.affected_golden_ids.iter().cloned().collect();
        self.announce(&mut transaction, &affected).await?;
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        self.inner
            .store
            .note_rows_written(outcome.inserted + outcome.updated)
            .await?;
        self.after_change(&affected).await;
        Ok(outcome)
    }
}
