//! Records a complete run of a full export no longer delivered: marked
//! deleted (`on_missing = "delete"`), which takes them out of their golden
//! records and keeps their raw data.

use c360_model::SourceKey;
use c360_store::repo::source_records;

use crate::error::HubResult;
use crate::hub::Hub;

impl Hub {
    /// Marks deleted every live record of `source` not seen since `since`.
    pub(super) async fn delete_missing(
        &self,
        source: &str,
        since: i64,
        actor: &str,
    ) -> HubResult<u64> {
        let missing = {
            let mut connection = self.read_connection().await?;
            source_records::not_seen_since(&mut connection, source, since).await?
        };
        for external_id in &missing {
            self.delete_source_record(&SourceKey::new(source, external_id.as_str()), actor)
                .await?;
        }
        Ok(missing.len() as u64)
    }
}
