//! The reading side of a sync: a blocking thread runs the connector over one
//! file and sends batches of items to the ingest loop through a bounded
//! channel, so memory stays flat however large the file is.
//!
//! It also turns a record that repeats an earlier external id of the same
//! file with different content into a row error: which of the two is right is
//! for a person to decide, and silently keeping the last would make the
//! stored record depend on row order. Only a digest per id is kept (about 40
//! bytes a record), and ids of skipped items are digested too, so a resumed
//! run judges duplicates exactly as an uninterrupted one.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use c360_connector::{Connector, ConnectorError, RowError, SourceItem, SourceUnit};
use tokio::sync::mpsc;

/// Items read from one file, and how many items of the file are consumed
/// once this batch is stored.
pub(super) struct Batch {
    pub items: Vec<SourceItem>,
    pub end: u64,
}

/// Starts reading `unit` after its first `skip` items.
pub(super) fn spawn(
    connector: Arc<dyn Connector>,
    unit: SourceUnit,
    skip: u64,
    batch_size: usize,
) -> mpsc::Receiver<Result<Batch, ConnectorError>> {
    let (sender, receiver) = mpsc::channel(2);
    tokio::task::spawn_blocking(move || {
        let items = match connector.read(&unit) {
            Ok(items) => items,
            Err(error) => {
                let _ = sender.blocking_send(Err(error));
                return;
            }
        };
        let mut duplicates = DuplicateIds::default();
        let mut batch = Vec::with_capacity(batch_size);
        let mut position = 0u64;
        for item in items {
            let item = duplicates.check(item);
            position += 1;
            if position <= skip {
                continue;
            }
            batch.push(item);
            if batch.len() >= batch_size {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
                if sender
                    .blocking_send(Ok(Batch {
                        items: full,
                        end: position,
                    }))
                    .is_err()
                {
                    return;
                }
            }
        }
        if position == 0 {
            // An empty export is reported, never silently taken for "no customers".
            position = 1;
            if skip == 0 {
                batch.push(SourceItem::error(RowError::new(
                    c360_connector::Location::file(&unit.name),
                    "file",
                    "contains no rows",
                    "",
                )));
            }
        }
        if !batch.is_empty() || position <= skip {
            let _ = sender.blocking_send(Ok(Batch {
                items: batch,
                end: position.max(skip),
            }));
        }
    });
    receiver
}

/// Content digests of the ids seen in one file.
#[derive(Default)]
struct DuplicateIds {
    seen: HashMap<u64, (u64, u64)>,
}

impl DuplicateIds {
    fn check(&mut self, item: SourceItem) -> SourceItem {
        let SourceItem::Record(mut record, location) = item else {
            return item;
        };
        let id_digest = digest(&(&record.source, record.external_id.trim()));
        // `updated_at` is not content: the same row exported twice may differ in it.
        let updated_at = record.updated_at.take();
        let content = serde_json::to_vec(&record).map_or(0, |bytes| digest(&bytes));
        record.updated_at = updated_at;
        let line = location.line.unwrap_or(0);
        match self.seen.get(&id_digest) {
            Some(&(earlier, _)) if earlier == content => SourceItem::Record(record, location),
            Some(&(_, first_line)) => {
                let earlier = if first_line > 0 {
                    format!("line {first_line}")
                } else {
                    "an earlier entry".to_owned()
                };
                let raw = serde_json::to_string(&record).unwrap_or_default();
                SourceItem::error(RowError::new(
                    location,
                    "external_id",
                    format!(
                        "duplicate id {:?} whose data conflicts with {earlier} of the same file",
                        record.external_id
                    ),
                    raw,
                ))
            }
            None => {
                self.seen.insert(id_digest, (content, line));
                SourceItem::Record(record, location)
            }
        }
    }
}

fn digest<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}
