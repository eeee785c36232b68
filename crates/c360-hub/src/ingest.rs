//! Ingest of source records: validate, normalize, store idempotently, match,
//! and rewrite the golden records that changed, all in one transaction.
//!
//! A record is keyed by (source, external id). Its content hash (of everything
//! but `updated_at`) decides: unknown → inserted, different → updated and
//! re-matched, equal → unchanged (only `last_seen` moves). Invalid records are
//! rejected one by one and quarantined in `row_errors`; the rest are stored.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use c360_model::{NormalizedRecord, SourceKey, SourceRecord, normalize_record};
use c360_store::AnyConnection;
use c360_store::repo::block_keys;
use c360_store::repo::golden_records;
use c360_store::repo::row_errors::{self, RowError};
use c360_store::repo::source_records::{self, MemberRecord, MembershipRow, RecordRow};
use c360_store::repo::sources;
use c360_store::time::{now_micros, to_micros};
use serde_json::json;
use tracing::instrument;

use crate::clustering::{Clusters, Node};
use crate::content_hash::content_hash;
use crate::error::{HubError, HubResult};
use crate::golden_writer::GoldenChange;
use crate::hub::Hub;
use crate::matching::{Decision, IndexKey, MatchSubject};

/// Most records one call accepts.
pub const MAX_BATCH: usize = 10_000;

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
type PrepareResult = Result<Prepared, Box<(Rejection, String)>>;

/// A valid record ready to store.
struct Prepared {
    index: usize,
    record: SourceRecord,
    normalized: NormalizedRecord,
    payload: String,
    normalized_json: String,
    hash: String,
}

impl Hub {
    /// Upserts a batch of source records; see the module docs. `origin` says
    /// where the batch came from (for quarantine locations), `actor` who sent it.
    #[instrument(name = "ingest.batch", skip_all, fields(records = records.len(), origin = origin))]
    pub async fn upsert_source_records(
        &self,
        records: Vec<SourceRecord>,
        origin: &str,
        actor: &str,
    ) -> HubResult<IngestOutcome> {
        if records.len() > MAX_BATCH {
            return Err(HubError::invalid(
                "records",
                format!(
                    "{} records in one batch, at most {MAX_BATCH}",
                    records.len()
                ),
            ));
        }
        let mut outcome = IngestOutcome::default();
        let (prepared, quarantined) = self.prepare(records, origin, &mut outcome).await?;

        let _serialized = self.inner.write_lock.lock().await;
        let now = now_micros();
        let mut transaction = self.inner.store.begin_write().await?;
        row_errors::insert(&mut transaction, &quarantined).await?;
        if !prepared.is_empty() {
            self.store_and_match(&mut transaction, prepared, actor, now, &mut outcome)
                .await?;
        }
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        tracing::debug!(
            inserted = outcome.inserted,
            updated = outcome.updated,
            unchanged = outcome.unchanged,
            rejected = outcome.rejections.len(),
            "ingest batch stored"
        );
        Ok(outcome)
    }

    /// Validates and normalizes; the last occurrence of a key in a batch wins.
    async fn prepare(
        &self,
        records: Vec<SourceRecord>,
        origin: &str,
        outcome: &mut IngestOutcome,
    ) -> HubResult<(Vec<Prepared>, Vec<RowError>)> {
        let now = now_micros();
        let mut prepared: Vec<Prepared> = Vec::with_capacity(records.len());
        let mut position: HashMap<SourceKey, usize> = HashMap::new();
        let mut quarantined = Vec::new();
        for result in self.prepare_in_parallel(records).await? {
            match result {
                Ok(item) => {
                    let key = item.record.key();
                    if let Some(&earlier) = position.get(&key) {
                        let previous = std::mem::replace(&mut prepared[earlier], item);
                        if previous.hash == prepared[earlier].hash {
                            outcome.unchanged += 1;
                        } else {
                            let reason =
                                format!("superseded by a later entry for {key} in the same batch");
                            outcome.rejections.push(Rejection {
                                index: previous.index,
                                key: Some(key.clone()),
                                field: "external_id".into(),
                                reason: reason.clone(),
                            });
                            quarantined.push(RowError {
                                source: key.source.clone(),
                                location: format!("{origin}[{}]", previous.index),
                                field: "external_id".into(),
                                reason,
                                raw: previous.payload,
                                at: now,
                            });
                        }
                    } else {
                        position.insert(key, prepared.len());
                        prepared.push(item);
                    }
                }
                Err(rejected) => {
                    let (rejection, raw) = *rejected;
                    quarantined.push(RowError {
                        source: rejection
                            .key
                            .as_ref()
                            .map(|key| key.source.clone())
                            .unwrap_or_default(),
                        location: format!("{origin}[{}]", rejection.index),
                        field: rejection.field.clone(),
                        reason: rejection.reason.clone(),
                        raw,
                        at: now,
                    });
                    outcome.rejections.push(rejection);
                }
            }
        }
        Ok((prepared, quarantined))
    }

    /// Runs [`Hub::prepare_one`] over the batch on the blocking pool, one
    /// chunk per core: normalization (phone metadata, Unicode folding, JSON)
    /// is the CPU-heavy part of ingest and needs no database. Results keep
    /// the input order.
    async fn prepare_in_parallel(
        &self,
        records: Vec<SourceRecord>,
    ) -> HubResult<Vec<PrepareResult>> {
        /// Below this, spreading the work costs more than it saves.
        const PARALLEL_FROM: usize = 256;
        let workers = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(8);
        if records.len() < PARALLEL_FROM || workers < 2 {
            return Ok(records
                .into_iter()
                .enumerate()
                .map(|(index, record)| self.prepare_one(index, record))
                .collect());
        }
        let chunk_size = records.len().div_ceil(workers);
        let total = records.len();
        let mut remaining = records.into_iter();
        let mut tasks = Vec::with_capacity(workers);
        let mut offset = 0;
        while offset < total {
            let chunk: Vec<SourceRecord> = remaining.by_ref().take(chunk_size).collect();
            let hub = self.clone();
            let start = offset;
            offset += chunk.len();
            tasks.push(tokio::task::spawn_blocking(move || {
                chunk
                    .into_iter()
                    .enumerate()
                    .map(|(index, record)| hub.prepare_one(start + index, record))
                    .collect::<Vec<_>>()
            }));
        }
        let mut results = Vec::with_capacity(total);
        for task in tasks {
            let chunk = task.await.map_err(|error| {
                HubError::Internal(format!("normalization task failed: {error}"))
            })?;
            results.extend(chunk);
        }
        Ok(results)
    }

    fn prepare_one(&self, index: usize, mut record: SourceRecord) -> PrepareResult {
        let raw = serde_json::to_string(&record).unwrap_or_default();
        let reject = |error: c360_model::ModelError, record: &SourceRecord| {
            let key = (!record.source.trim().is_empty() && !record.external_id.trim().is_empty())
                .then(|| record.key());
            let field = error.field_name().to_owned();
            let reason = match &error {
                c360_model::ModelError::InvalidField { reason, .. } => reason.clone(),
                other => other.to_string(),
            };
            Box::new((
                Rejection {
                    index,
                    key,
                    field,
                    reason,
                },
                raw.clone(),
            ))
        };
        if let Err(error) = record.validate() {
            return Err(reject(error, &record));
        }
        record.source = record.source.trim().to_owned();
        record.external_id = record.external_id.trim().to_owned();
        let normalized = match normalize_record(&record, &self.inner.config.normalize) {
            Ok(normalized) => normalized,
            Err(error) => return Err(reject(error, &record)),
        };
        // The hash leaves out `updated_at`: a re-export that only bumps the
        // timestamp is not a change of the customer's data.
        let updated_at = record.updated_at.take();
        let hashed = serde_json::to_string(&record).unwrap_or_default();
        record.updated_at = updated_at;
        let payload = serde_json::to_string(&record).unwrap_or_default();
        let normalized_json = serde_json::to_string(&normalized).unwrap_or_default();
        Ok(Prepared {
            index,
            hash: content_hash(&hashed),
            record,
            normalized,
            payload,
            normalized_json,
        })
    }

    async fn store_and_match(
        &self,
        connection: &mut AnyConnection,
        prepared: Vec<Prepared>,
        actor: &str,
        now: i64,
        outcome: &mut IngestOutcome,
    ) -> HubResult<()> {
        let keys: Vec<SourceKey> = prepared.iter().map(|item| item.record.key()).collect();
        let heads = source_records::heads(connection, &keys).await?;

        let mut unchanged_ids = Vec::new();
        let mut changed: Vec<&Prepared> = Vec::new();
        for item in &prepared {
            match heads.get(&item.record.key()) {
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
                key: item.record.key(),
                payload: item.payload.clone(),
                normalized: item.normalized_json.clone(),
                content_hash: item.hash.clone(),
                source_updated_at: item.record.updated_at.map(to_micros),
            })
            .collect();
        let ids = source_records::upsert(connection, &rows, now).await?;
        let record_id = |item: &Prepared| -> HubResult<i64> {
            ids.get(&item.record.key()).copied().ok_or_else(|| {
                HubError::Internal(format!("no row id returned for {}", item.record.key()))
            })
        };

        // The keys each changed record is indexed under.
        let matcher = &self.inner.matcher;
        let mut record_keys: Vec<(i64, &Prepared, Vec<IndexKey>)> =
            Vec::with_capacity(changed.len());
        for item in &changed {
            let id = record_id(item)?;
            record_keys.push((id, item, matcher.index_keys(&subject_of(item))));
        }
        let changed_ids: HashSet<i64> = record_keys.iter().map(|(id, _, _)| *id).collect();

        // Who else carries each linkable key: stored records (read before this
        // batch's keys are written, so brand-new keys cost one index probe and
        // nothing more) and the other records of this batch.
        let mut linkable: Vec<String> = record_keys
            .iter()
            .flat_map(|(_, _, index)| index.iter())
            .filter(|key| key.linkable)
            .map(|key| key.key.clone())
            .collect();
        linkable.sort_unstable();
        linkable.dedup();
        let cap = self.inner.config.matching.max_candidates_per_key;
        let stored_carriers: Vec<(String, i64)> = block_keys::carriers(connection, &linkable, cap)
            .await?
            .into_iter()
            .filter(|(_, record)| !changed_ids.contains(record))
            .collect();
        let mut stored_ids: Vec<i64> = stored_carriers.iter().map(|(_, record)| *record).collect();
        stored_ids.sort_unstable();
        stored_ids.dedup();
        let stored: HashMap<i64, block_keys::Candidate> =
            block_keys::candidates(connection, &stored_ids)
                .await?
                .into_iter()
                .map(|candidate| (candidate.record_id, candidate))
                .collect();
        let mut carriers: HashMap<&str, Vec<Carrier<'_>>> = HashMap::new();
        for (key, record) in &stored_carriers {
            if let Some(candidate) = stored.get(record) {
                carriers.entry(key.as_str()).or_default().push(Carrier {
                    record_id: *record,
                    golden_id: candidate.golden_id.as_deref(),
                    normalized: &candidate.normalized,
                });
            }
        }
        for (id, item, index) in &record_keys {
            for key in index.iter().filter(|key| key.linkable) {
                carriers.entry(key.key.as_str()).or_default().push(Carrier {
                    record_id: *id,
                    golden_id: None,
                    normalized: &item.normalized,
                });
            }
        }
        let shared = self.shared_keys(&carriers);

        let index_rows: Vec<(String, i64)> = record_keys
            .iter()
            .flat_map(|(id, _, index)| index.iter().map(move |key| (key.key.clone(), *id)))
            .collect();
        let changed_list: Vec<i64> = record_keys.iter().map(|(id, _, _)| *id).collect();
        block_keys::replace_for_records(connection, &changed_list, &index_rows).await?;

        let mut clusters = Clusters::default();
        let mut linked_by: HashMap<i64, String> = HashMap::new();
        for (id, item, index) in &record_keys {
            clusters.add(Node::Record(*id));
            if let Some(golden) = heads
                .get(&item.record.key())
                .filter(|head| !head.deleted)
                .and_then(|head| head.golden_id.clone())
            {
                clusters.union(Node::Record(*id), Node::Golden(golden));
            }
            let subject = subject_of(item);
            for key in index
                .iter()
                .filter(|key| key.linkable && !shared.contains(key.key.as_str()))
            {
                for carrier in carriers.get(key.key.as_str()).into_iter().flatten() {
                    if carrier.record_id == *id {
                        continue;
                    }
                    if let Decision::Link { reason } =
                        matcher.compare(&subject, carrier.normalized, &key.key)
                    {
                        let other = match carrier.golden_id {
                            Some(golden) => Node::Golden(golden.to_owned()),
                            None => Node::Record(carrier.record_id),
                        };
                        clusters.union(Node::Record(*id), other);
                        linked_by.entry(*id).or_insert(reason);
                    }
                }
            }
        }

        self.apply_clusters(
            connection,
            clusters,
            &record_keys,
            &heads,
            linked_by,
            actor,
            now,
            outcome,
        )
        .await
    }

    /// Keys carried by more different people than the guard allows: they
    /// stop linking (the cardinality over-merge guard).
    fn shared_keys<'a>(&self, carriers: &HashMap<&'a str, Vec<Carrier<'_>>>) -> HashSet<&'a str> {
        let matcher = &self.inner.matcher;
        carriers
            .iter()
            .filter(|(_, carriers)| carriers.len() > 1)
            .filter(|(key, carriers)| {
                let people: HashSet<String> = carriers
                    .iter()
                    .filter_map(|carrier| matcher.person_key(carrier.normalized))
                    .collect();
                matcher.key_is_shared(key, people.len())
            })
            .map(|(key, _)| *key)
            .collect()
    }

    /// Turns clusters into golden records: mint, attach, or merge (the oldest
    /// golden id survives, the others redirect to it), then rewrites them.
    #[allow(clippy::too_many_arguments)]
    async fn apply_clusters(
        &self,
        connection: &mut AnyConnection,
        clusters: Clusters,
        record_keys: &[(i64, &Prepared, Vec<IndexKey>)],
        heads: &HashMap<SourceKey, source_records::RecordHead>,
        linked_by: HashMap<i64, String>,
        actor: &str,
        now: i64,
        outcome: &mut IngestOutcome,
    ) -> HubResult<()> {
        let clusters = clusters.into_clusters();
        let all_goldens: Vec<String> = clusters
            .iter()
            .flat_map(|cluster| cluster.goldens.iter().cloned())
            .collect();
        let created_at = golden_records::created_at_of(connection, &all_goldens).await?;
        let key_of: HashMap<i64, SourceKey> = record_keys
            .iter()
            .map(|(id, item, _)| (*id, item.record.key()))
            .collect();

        let prepared_of: HashMap<i64, &Prepared> = record_keys
            .iter()
            .map(|(id, item, _)| (*id, *item))
            .collect();
        let mut memberships = Vec::new();
        let mut fresh = Vec::new();
        let mut changes: BTreeMap<String, GoldenChange> = BTreeMap::new();
        for cluster in clusters {
            let changed_records: Vec<i64> = cluster
                .records
                .iter()
                .copied()
                .filter(|id| key_of.contains_key(id))
                .collect();
            if changed_records.is_empty() {
                continue;
            }
            let mut goldens: Vec<&String> = cluster
                .goldens
                .iter()
                .filter(|id| created_at.contains_key(*id))
                .collect();
            goldens.sort_by_key(|id| {
                (
                    created_at.get(*id).copied().unwrap_or(i64::MAX),
                    (*id).clone(),
                )
            });
            let record_names: Vec<String> = changed_records
                .iter()
                .filter_map(|id| key_of.get(id).map(ToString::to_string))
                .collect();
            let minted = goldens.is_empty();
            let (survivor, change) = match goldens.split_first() {
                None => {
                    outcome.golden_created += 1;
                    let id = c360_model::GoldenId::mint().to_string();
                    (
                        id,
                        GoldenChange {
                            action: "created",
                            detail: json!({ "added": record_names }),
                        },
                    )
                }
                Some((survivor, [])) => (
                    (*survivor).clone(),
                    GoldenChange {
                        action: "updated",
                        detail: json!({ "changed_records": record_names }),
                    },
                ),
                Some((survivor, absorbed)) => {
                    let absorbed: Vec<String> = absorbed.iter().map(|id| (*id).clone()).collect();
                    outcome.golden_merged += absorbed.len() as u64;
                    source_records::move_members(connection, &absorbed, survivor).await?;
                    golden_records::absorb(connection, &absorbed, survivor, now).await?;
                    let absorbed_entries: Vec<_> = absorbed
                        .iter()
                        .map(|id| c360_store::repo::audit_log::AuditEntry {
                            golden_id: id.clone(),
                            at: now,
                            actor: actor.to_owned(),
                            action: "absorbed".to_owned(),
                            detail: json!({ "into": survivor, "by_records": record_names })
                                .to_string(),
                        })
                        .collect();
                    c360_store::repo::audit_log::append(connection, &absorbed_entries).await?;
                    outcome.affected_golden_ids.extend(absorbed.iter().cloned());
                    (
                        (*survivor).clone(),
                        GoldenChange {
                            action: "merged",
                            detail: json!({ "absorbed": absorbed, "by_records": record_names }),
                        },
                    )
                }
            };
            for id in &changed_records {
                let previous = key_of
                    .get(id)
                    .and_then(|key| heads.get(key))
                    .and_then(|head| head.golden_id.clone());
                let reason = linked_by
                    .get(id)
                    .cloned()
                    .or_else(|| previous.map(|_| "kept".to_owned()))
                    .unwrap_or_else(|| "new".to_owned());
                if minted && let Some(item) = prepared_of.get(id) {
                    fresh.push(MemberRecord {
                        id: *id,
                        record: item.record.clone(),
                        normalized: item.normalized.clone(),
                        source_updated_at: item.record.updated_at.map(to_micros),
                        first_seen: now,
                        last_seen: now,
                        last_changed: now,
                        golden_id: survivor.clone(),
                        linked_by: reason.clone(),
                    });
                }
                memberships.push(MembershipRow {
                    record_id: *id,
                    golden_id: survivor.clone(),
                    linked_by: reason,
                });
            }
            changes.entry(survivor).or_insert(change);
        }
        source_records::upsert_memberships(connection, &memberships, now).await?;
        let rewritten = self
            .rewrite_goldens(connection, changes, fresh, actor, now)
            .await?;
        outcome.affected_golden_ids.extend(rewritten);
        Ok(())
    }
}

/// A record carrying a key: stored (with its golden record) or in this batch.
struct Carrier<'a> {
    record_id: i64,
    golden_id: Option<&'a str>,
    normalized: &'a NormalizedRecord,
}

fn subject_of(item: &Prepared) -> MatchSubject<'_> {
    MatchSubject {
        source: &item.record.source,
        external_id: &item.record.external_id,
        normalized: &item.normalized,
        cross_references: &item.record.cross_references,
    }
}
