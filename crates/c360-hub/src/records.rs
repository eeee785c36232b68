//! Removing a source record from the hub.

use std::collections::BTreeMap;

use c360_model::SourceKey;
use c360_store::repo::source_records;
use c360_store::time::now_micros;
use serde_json::json;
use tracing::instrument;

use crate::error::{HubError, HubResult};
use crate::golden_writer::GoldenChange;
use crate::hub::Hub;

/// What deleting a record did to its golden record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteOutcome {
    /// The golden record that held it (now without it).
    pub golden_id: Option<String>,
    /// True when it was the last record and the golden record was retired.
    pub golden_retired: bool,
    /// The golden record the record was taken from (also when retired).
    pub affected_golden_id: Option<String>,
}

impl Hub {
    /// Marks a source record deleted (the raw data stays for audit) and
    /// recomputes, or retires, its golden record.
    #[instrument(name = "ingest.delete", skip(self), fields(record = %key))]
    pub async fn delete_source_record(
        &self,
        key: &SourceKey,
        actor: &str,
    ) -> HubResult<DeleteOutcome> {
        let _serialized = self.inner.write_lock.lock().await;
        let now = now_micros();
        let mut transaction = self.inner.store.begin_write().await?;
        let Some((record_id, golden_id)) = source_records::locate(&mut transaction, key).await?
        else {
            return Err(HubError::not_found(format!("source record {key}")));
        };
        source_records::mark_deleted(&mut transaction, record_id, now).await?;
        let mut retired = false;
        if let Some(golden_id) = &golden_id {
            let change = GoldenChange {
                action: "record_removed",
                detail: json!({ "removed": key.to_string() }),
            };
            self.rewrite_goldens(
                &mut transaction,
                BTreeMap::from([(golden_id.clone(), change)]),
                Vec::new(),
                actor,
                now,
            )
            .await?;
            retired = c360_store::repo::golden_records::get(&mut transaction, golden_id)
                .await?
                .is_none();
            self.announce(&mut transaction, std::slice::from_ref(golden_id))
                .await?;
        }
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        if let Some(golden_id) = &golden_id {
            self.after_change(std::slice::from_ref(golden_id)).await;
        }
        Ok(DeleteOutcome {
            golden_id: if retired { None } else { golden_id.clone() },
            golden_retired: retired,
            affected_golden_id: golden_id,
        })
    }
}
