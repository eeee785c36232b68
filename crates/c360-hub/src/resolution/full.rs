//! Matching over every stored record: `c360 match train` fits a model and
//! stores it as the next version; `c360 match --full` re-resolves everything
//! with the current model in one transaction (links, review tasks, golden
//! records), giving the clusters real-time matching would have given.

use std::collections::HashMap;

use c360_match::decision::Decision;
use c360_match::train::TrainingReport;
use c360_match::{Constraints, PreparedRecord};
use c360_store::repo::matching::{self, LinkRow, ReviewRow};
use c360_store::time::now_micros;

use super::realtime::Resolved;
use crate::error::{HubError, HubResult};
use crate::hub::Hub;
use crate::ingest::IngestOutcome;
use crate::progress::{PAIR_CHUNK, Progress};

/// What a full re-match did.
#[derive(Debug, Clone, Default)]
pub struct FullMatchReport {
    pub records: u64,
    pub candidate_pairs: u64,
    pub links: u64,
    pub review_tasks: u64,
    pub clusters: u64,
    pub outcome: IngestOutcome,
}

/// Loaded records in arrival order: ids, goldens, prepared forms.
struct Loaded {
    ids: Vec<i64>,
    golden_of: HashMap<i64, Option<String>>,
    prepared: Vec<PreparedRecord>,
}

impl Hub {
    async fn load_all(
        &self,
        engine: &c360_match::batch::Engine,
        progress: &dyn Progress,
    ) -> HubResult<Loaded> {
        let mut connection = self.read_connection().await?;
        let ids = matching::live_record_ids(&mut connection).await?;
        progress.phase("loading records", ids.len() as u64);
        let mut golden_of = HashMap::with_capacity(ids.len());
        let mut prepared = Vec::with_capacity(ids.len());
        let mut ordered = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(5_000) {
            for input in matching::inputs(&mut connection, chunk).await? {
                let view = self.match_record(&input.record, &input.normalized);
                prepared.push(engine.prepare(&view));
                golden_of.insert(input.record_id, input.golden_id);
                ordered.push(input.record_id);
            }
            progress.advance(chunk.len() as u64);
        }
        Ok(Loaded {
            ids: ordered,
            golden_of,
            prepared,
        })
    }

    /// Trains a model on every stored record (no labels) and makes it current.
    pub async fn train_model(&self, progress: &dyn Progress) -> HubResult<(i64, TrainingReport)> {
        let engine = {
            let mut connection = self.read_connection().await?;
            self.engine(&mut connection).await?
        };
        let loaded = self.load_all(&engine, progress).await?;
        let trained = tokio::task::block_in_place(|| {
            progress.phase("blocking", 0);
            let (pairs, _) = engine.block(&loaded.prepared);
            let levels = compare_in_chunks(&engine, &loaded.prepared, &pairs, progress);
            progress.phase("training (u sampling, EM)", 0);
            engine.train(&loaded.prepared, &levels)
        })?;
        progress.phase("saving the model", 0);
        let (model, report) = trained;
        let json = serde_json::to_string(&model)
            .map_err(|error| HubError::Internal(format!("model does not serialize: {error}")))?;
        let _serialized = self.inner.write_lock.lock().await;
        let mut transaction = self.inner.store.begin_write().await?;
        let version = matching::save_model(&mut transaction, &json, now_micros()).await?;
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        *self.inner.engine.write().await = Some(std::sync::Arc::new(engine.with_model(model)?));
        progress.finish();
        Ok((version, report))
    }

    /// Re-resolves every record with the current model (see the module docs).
    pub async fn match_full(
        &self,
        actor: &str,
        progress: &dyn Progress,
    ) -> HubResult<FullMatchReport> {
        let engine = {
            let mut connection = self.read_connection().await?;
            self.engine(&mut connection).await?
        };
        let loaded = self.load_all(&engine, progress).await?;
        let _serialized = self.inner.write_lock.lock().await;
        let now = now_micros();
        let mut transaction = self.inner.store.begin_write().await?;
        let mut constraints = Constraints::default();
        let index_of: HashMap<i64, u64> = loaded
            .ids
            .iter()
            .enumerate()
            .map(|(index, id)| (*id, index as u64))
            .collect();
        for (left, right, kind) in
            matching::constraints_touching(&mut transaction, &loaded.ids).await?
        {
            if let (Some(a), Some(b)) = (index_of.get(&left), index_of.get(&right)) {
                if kind == "never" {
                    constraints.never(*a, *b);
                } else {
                    constraints.always(*a, *b);
                }
            }
        }
        let (pairs, resolution) = tokio::task::block_in_place(|| {
            progress.phase("blocking", 0);
            let (pairs, _) = engine.block(&loaded.prepared);
            let levels = compare_in_chunks(&engine, &loaded.prepared, &pairs, progress);
            progress.phase("scoring pairs", pairs.len() as u64);
            let mut probabilities = Vec::with_capacity(pairs.len());
            for (pairs, levels) in pairs.chunks(PAIR_CHUNK).zip(levels.chunks(PAIR_CHUNK)) {
                probabilities.extend(engine.score_pairs(&loaded.prepared, pairs, levels));
                progress.advance(pairs.len() as u64);
            }
            progress.phase("clustering", 0);
            let resolution = engine.resolve(&loaded.prepared, &pairs, &probabilities, &constraints);
            (pairs, resolution)
        });
        progress.phase("writing links, review tasks and golden records", 0);
        let record = |index: u64| loaded.ids[index as usize];
        let explain = |left: u64, right: u64| {
            serde_json::to_string(&engine.explain(
                &loaded.prepared[left as usize],
                &loaded.prepared[right as usize],
            ))
            .unwrap_or_default()
        };
        let links: Vec<LinkRow> = resolution
            .links
            .iter()
            .map(|pair| LinkRow {
                left: record(pair.left),
                right: record(pair.right),
                probability: pair.probability,
                explanation: explain(pair.left, pair.right),
            })
            .collect();
        matching::delete_all_links(&mut transaction).await?;
        matching::insert_links(&mut transaction, &links, now).await?;
        let reviews: Vec<ReviewRow> = resolution
            .reviews
            .iter()
            .filter(|pair| engine.decide(pair.probability) != Decision::NoLink)
            .map(|pair| ReviewRow {
                kind: "potential_match".into(),
                link: LinkRow {
                    left: record(pair.left),
                    right: record(pair.right),
                    probability: pair.probability,
                    explanation: explain(pair.left, pair.right),
                },
                reason: if engine.decide(pair.probability) == Decision::Link {
                    "weak_chain".into()
                } else {
                    "review_band".into()
                },
            })
            .collect();
        let cluster_of: HashMap<i64, usize> = resolution
            .clusters
            .iter()
            .enumerate()
            .flat_map(|(cluster, members)| {
                members.iter().map(move |index| (record(*index), cluster))
            })
            .collect();
        let reviews =
            super::review::strongest_per_cluster_pair(reviews, |id| cluster_of.get(&id).copied());
        matching::open_review_tasks(&mut transaction, &reviews, now).await?;
        let clusters: Vec<Vec<i64>> = resolution
            .clusters
            .iter()
            .map(|cluster| cluster.iter().map(|index| record(*index)).collect())
            .collect();
        let mut outcome = IngestOutcome::default();
        let resolved = Resolved {
            clusters,
            golden_of: loaded.golden_of.clone(),
            reason_of: HashMap::new(),
            changed: std::collections::HashSet::new(),
        };
        self.apply_assignment(
            &mut transaction,
            resolved,
            &HashMap::new(),
            actor,
            now,
            &mut outcome,
        )
        .await?;
        let affected: Vec<String> = outcome.affected_golden_ids.iter().cloned().collect();
        self.announce(&mut transaction, &affected).await?;
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        self.after_change(&affected).await;
        progress.finish();
        Ok(FullMatchReport {
            records: loaded.ids.len() as u64,
            candidate_pairs: pairs.len() as u64,
            links: links.len() as u64,
            review_tasks: reviews.len() as u64,
            clusters: resolution.clusters.len() as u64,
            outcome,
        })
    }
}

/// Comparison levels of every pair, a chunk at a time (each chunk in
/// parallel) so that progress moves.
fn compare_in_chunks(
    engine: &c360_match::batch::Engine,
    prepared: &[PreparedRecord],
    pairs: &[u64],
    progress: &dyn Progress,
) -> Vec<c360_match::comparison::Levels> {
    progress.phase("comparing pairs", pairs.len() as u64);
    let mut levels = Vec::with_capacity(pairs.len());
    for chunk in pairs.chunks(PAIR_CHUNK) {
        levels.extend(engine.compare_pairs(prepared, chunk));
        progress.advance(chunk.len() as u64);
    }
    levels
}

impl Hub {
    /// Every live record's (source, external id, golden id).
    pub async fn assignments(&self) -> HubResult<Vec<(String, String, String)>> {
        let mut connection = self.read_connection().await?;
        Ok(matching::assignments(&mut connection).await?)
    }

    /// Open review tasks, highest probability first.
    pub async fn open_review_tasks(&self, limit: i64) -> HubResult<Vec<matching::ReviewTask>> {
        let mut connection = self.read_connection().await?;
        Ok(matching::list_review_tasks(&mut connection, "open", limit).await?)
    }
}
