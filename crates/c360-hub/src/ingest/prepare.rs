//! Preparing a batch: validate and normalize every record (spread over the
//! cores), hash its content, and keep the last occurrence of each key.

use std::collections::HashMap;

use c360_model::{SourceKey, SourceRecord, normalize_record};
use c360_store::repo::row_errors::RowError;
use c360_store::time::now_micros;

use super::{IngestOutcome, Origin, PrepareResult, Prepared, Rejection};
use crate::content_hash::content_hash;
use crate::error::{HubError, HubResult};
use crate::hub::Hub;

impl Hub {
    /// Validates and normalizes; the last occurrence of a key in a batch wins.
    pub(super) async fn prepare(
        &self,
        records: Vec<SourceRecord>,
        origin: &Origin<'_>,
        outcome: &mut IngestOutcome,
    ) -> HubResult<(Vec<Prepared>, Vec<RowError>)> {
        let now = now_micros();
        let mut prepared: Vec<Prepared> = Vec::with_capacity(records.len());
        let mut position: HashMap<SourceKey, usize> = HashMap::new();
        let mut quarantined = Vec::new();
        for result in self.prepare_in_parallel(records).await? {
            match result {
                Ok(item) => {
                    let key = item.key.clone();
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
                                location: origin.location(previous.index),
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
                        location: origin.location(rejection.index),
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

    /// Normalizes a sample record once, in the background, so that the
    /// tables normalization loads on first use (phone-number metadata,
    /// name and nickname tables) are loaded before the first request rather
    /// than during it: the first upsert otherwise pays ~100 ms for them.
    pub async fn warm_up(&self) {
        let hub = self.clone();
        let sample = SourceRecord {
            source: "warm-up".into(),
            external_id: "1".into(),
            given_name: "Anna".into(),
            family_name: "Müller".into(),
            emails: vec!["anna.mueller@example.org".into()],
            phones: vec!["+49 40 1234567".into(), "(415) 253-0100".into()],
            birth_date: "1980-05-17".into(),
            company: "Example GmbH".into(),
            addresses: vec![c360_model::PostalAddress {
                line1: "Lindenstraße 10".into(),
                city: "Hamburg".into(),
                postal_code: "20095".into(),
                country: "DE".into(),
                ..c360_model::PostalAddress::default()
            }],
            ..SourceRecord::default()
        };
        // A failure here only means the first request warms up instead.
        let _ = tokio::task::spawn_blocking(move || hub.prepare_one(0, sample)).await;
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
        // The record as received is serialized only when it is quarantined.
        let reject = |error: c360_model::ModelError, record: &SourceRecord| {
            let key = (!record.source.trim().is_empty() && !record.external_id.trim().is_empty())
                .then(|| record.key());
            let rejection = Rejection {
                index,
                key,
                field: error.field_name().to_owned(),
                reason: error.reason(),
            };
            Box::new((rejection, serde_json::to_string(record).unwrap_or_default()))
        };
        if let Err(error) = record.validate() {
            return Err(reject(error, &record));
        }
        let normalized = match normalize_record(&record, &self.inner.config.normalize) {
            Ok(normalized) => normalized,
            Err(error) => return Err(reject(error, &record)),
        };
        record.source = record.source.trim().to_owned();
        record.external_id = record.external_id.trim().to_owned();
        // The hash leaves out `updated_at`: a re-export that only bumps the
        // timestamp is not a change of the customer's data.
        let updated_at = record.updated_at.take();
        let hashed = serde_json::to_string(&record).unwrap_or_default();
        let payload = match updated_at {
            None => hashed.clone(),
            Some(at) => {
                record.updated_at = Some(at);
                serde_json::to_string(&record).unwrap_or_default()
            }
        };
        let normalized_json = serde_json::to_string(&normalized).unwrap_or_default();
        Ok(Prepared {
            key: record.key(),
            index,
            hash: content_hash(&hashed),
            record,
            normalized,
            payload,
            normalized_json,
        })
    }
}
