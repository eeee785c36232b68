//! Ingest of source records: validate, normalize, store idempotently, match,
//! and rewrite the golden records that changed, all in one transaction.
//!
//! A record is keyed by (source, external id). Its content hash (of everything
//! but `updated_at`) decides: unknown → inserted, different → updated and
//! re-matched, equal → unchanged (only `last_seen` moves). Invalid records are
//! rejected one by one and quarantined in `row_errors`; the rest are stored.
//!
//! - [`prepare`]: validation, normalization (in parallel), in-batch duplicates.
//! - probabilistic matching (`matching.engine = "probabilistic"`):
//!   [`crate::resolution`];
//! - identifier-only matching (`"deterministic"`, the default): [`linking`] (keys, the
//!   cardinality guard, links) and [`assign`] (clusters → minted, attached or
//!   merged golden records).

use std::collections::{BTreeSet, HashMap};

use c360_model::{NormalizedRecord, SourceKey, SourceRecord};
use c360_store::AnyConnection;
use c360_store::repo::row_errors::{self};
use c360_store::repo::source_records::{self, RecordRow};
use c360_store::repo::sources;
use c360_store::time::{now_micros, to_micros};
use tracing::instrument;

use crate::error::{HubError, HubResult};
use crate::hub::Hub;
use crate::matching::MatchSubject;
use crate::resolution::assignment::NewMember;
use crate::resolution::realtime::ChangedRecord;

/// Most records one call accepts.
pub const MAX_BATCH: usize = 10_000;

/// Refuses batches larger than [`MAX_BATCH`], naming the field.
pub(crate) fn check_batch_size(field: &str, len: usize) -> HubResult<()> {
    if len > MAX_BATCH {
        return Err(HubError::invalid(
            field,
            format!("{len} {field} in one batch, at most {MAX_BATCH}"),
        ));
    }
    Ok(())
}

/// Where a batch's items came from, for quarantine locations.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// One name for the batch; an item is `name[index]`.
    Batch(&'a str),
    /// One location per item (`customers.csv:12`), as a sync reads them.
    Items(&'a [String]),
}

impl Origin<'_> {
    pub fn location(&self, index: usize) -> String {
        match self {
            Self::Batch(name) => format!("{name}[{index}]"),
            Self::Items(locations) => locations
                .get(index)
                .cloned()
                .unwrap_or_else(|| format!("item[{index}]")),
        }
    }

    fn describe(&self) -> &str {
        match self {
            Self::Batch(name) => name,
            Self::Items(_) => "sync",
        }
    }
}

/// Why one input item was not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Position in the input.
    pub index: usize,
    pub key: Option<SourceKey>,
    pub field: String,
    pub reason: String,
}

/// What one ingest call did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestOutcome {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejections: Vec<Rejection>,
    /// Golden records created, changed, merged or absorbed (for cache invalidation).
    pub affected_golden_ids: BTreeSet<String>,
    pub golden_created: u64,
    pub golden_merged: u64,
}

/// A prepared record, or why it was rejected (with its raw form).
pub(super) type PrepareResult = Result<Prepared, Box<(Rejection, String)>>;

/// A changed record: its row id, the record, and the keys it is indexed under.
pub(super) type Keyed<'a> = (i64, &'a Prepared, Vec<crate::matching::IndexKey>);

pub(super) struct Prepared {
    /// (source, external id), trimmed: computed once, looked up often.
    key: SourceKey,
    index: usize,
    record: SourceRecord,
    normalized: NormalizedRecord,
    payload: String,
    normalized_json: String,
    hash: String,
}

mod assign;
mod linking;
mod prepare;

impl Hub {
    /// Upserts a batch of source records; see the module docs. `origin` says
    /// where the batch came from (for quarantine locations), `actor` who sent it.
    pub async fn upsert_source_records(
        &self,
        records: Vec<SourceRecord>,
        origin: &str,
        actor: &str,
    ) -> HubResult<IngestOutcome> {
        self.upsert_source_records_from(records, Origin::Batch(origin), actor)
            .await
    }

    /// [`Hub::upsert_source_records`] with the batch's origin spelled out
    /// (a sync passes each record's file and line).
    #[instrument(name = "ingest.batch", skip_all, fields(records = records.len(), origin = origin.describe()))]
    pub async fn upsert_source_records_from(
        &self,
        records: Vec<SourceRecord>,
        origin: Origin<'_>,
        actor: &str,
    ) -> HubResult<IngestOutcome> {
        check_batch_size("records", records.len())?;
        let mut outcome = IngestOutcome::default();
        let (prepared, quarantined) = self.prepare(records, &origin, &mut outcome).await?;

        let _serialized = self.inner.write_lock.lock().await;
        let now = now_micros();
        let mut transaction = self.inner.store.begin_write().await?;
        row_errors::insert(&mut transaction, &quarantined).await?;
        if !prepared.is_empty() {
            self.store_and_match(&mut transaction, prepared, actor, now, &mut outcome)
                .await?;
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
        tracing::debug!(
            inserted = outcome.inserted,
            updated = outcome.updated,
            unchanged = outcome.unchanged,
            rejected = outcome.rejections.len(),
            "ingest batch stored"
        );
        Ok(outcome)
    }

    async fn store_and_match(
        &self,
        connection: &mut AnyConnection,
        prepared: Vec<Prepared>,
        actor: &str,
        now: i64,
        outcome: &mut IngestOutcome,
    ) -> HubResult<()> {
        let keys: Vec<SourceKey> = prepared.iter().map(|item| item.key.clone()).collect();
        let heads = source_records::heads(connection, &keys).await?;

        let mut unchanged_ids = Vec::new();
        let mut changed: Vec<&Prepared> = Vec::new();
        for item in &prepared {
            match heads.get(&item.key) {
                Some(head) if head.content_hash == item.hash && !head.deleted => {
                    unchanged_ids.push(head.id);
                    outcome.unchanged += 1;
                }
                Some(head) if !head.deleted => {
                    outcome.updated += 1;
                    changed.push(item);
                }
                _ => {
                    outcome.inserted += 1;
                    changed.push(item);
                }
            }
        }
        source_records::touch(connection, &unchanged_ids, now).await?;
        if changed.is_empty() {
            return Ok(());
        }

        let mut source_names: Vec<&str> = changed
            .iter()
            .map(|item| item.record.source.as_str())
            .collect();
        source_names.sort_unstable();
        source_names.dedup();
        sources::ensure(connection, &source_names, now).await?;

        let rows: Vec<RecordRow> = changed
            .iter()
            .map(|item| RecordRow {
                key: item.key.clone(),
                payload: item.payload.clone(),
                normalized: item.normalized_json.clone(),
                content_hash: item.hash.clone(),
                source_updated_at: item.record.updated_at.map(to_micros),
            })
            .collect();
        let ids = source_records::upsert(connection, &rows, now).await?;
        let record_id = |item: &Prepared| -> HubResult<i64> {
            ids.get(&item.key)
                .copied()
                .ok_or_else(|| HubError::Internal(format!("no row id returned for {}", item.key)))
        };

        if !self.inner.config.matching.probabilistic() {
            let matcher = &self.inner.matcher;
            let mut record_keys: Vec<Keyed<'_>> = Vec::with_capacity(changed.len());
            for item in &changed {
                let id = record_id(item)?;
                record_keys.push((id, item, matcher.index_keys(&subject_of(item))));
            }
            let (clusters, linked_by) = self.link_changed(connection, &record_keys, &heads).await?;
            return self
                .apply_clusters(
                    connection,
                    clusters,
                    &record_keys,
                    &heads,
                    linked_by,
                    actor,
                    now,
                    outcome,
                )
                .await;
        }
        // The lookup keys each changed record is indexed under, then the
        // probabilistic match against everything stored.
        let matcher = &self.inner.matcher;
        let mut items: Vec<ChangedRecord<'_>> = Vec::with_capacity(changed.len());
        for item in &changed {
            items.push(ChangedRecord {
                id: record_id(item)?,
                record: &item.record,
                normalized: &item.normalized,
                index: matcher.index_keys(&subject_of(item)),
                stored_before: heads.get(&item.key).is_some_and(|head| !head.deleted),
            });
        }
        let resolved = self.resolve_changed(connection, &items, now).await?;
        let new_members: HashMap<i64, NewMember<'_>> = items
            .iter()
            .filter(|item| !item.stored_before)
            .map(|item| {
                (
                    item.id,
                    NewMember {
                        record: item.record,
                        normalized: item.normalized,
                    },
                )
            })
            .collect();
        self.apply_assignment(connection, resolved, &new_members, actor, now, outcome)
            .await
    }
}

pub(super) fn subject_of(item: &Prepared) -> MatchSubject<'_> {
    MatchSubject {
        source: &item.record.source,
        external_id: &item.record.external_id,
        normalized: &item.normalized,
        cross_references: &item.record.cross_references,
    }
}
