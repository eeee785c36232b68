//! Change notifications between replicas: every write transaction on
//! PostgreSQL announces the golden ids it touched (`NOTIFY`, delivered on
//! commit), and every server listens, so profile caches stay fresh across
//! replicas. SQLite has one process per file in practice and no equivalent:
//! there the calls are no-ops.

use sqlx::AnyConnection;
use sqlx::postgres::PgListener;

use crate::error::StoreResult;
use crate::pool::{Backend, Store};

/// The notification channel.
pub const CHANNEL: &str = "c360_golden_changed";
/// Ids per notification: payloads must stay under PostgreSQL's 8,000 bytes.
const IDS_PER_NOTIFICATION: usize = 150;

/// Announces `golden_ids` inside the caller's transaction (PostgreSQL only).
pub async fn notify(
    connection: &mut AnyConnection,
    backend: Backend,
    golden_ids: &[String],
) -> StoreResult<()> {
    if backend != Backend::Postgres {
        return Ok(());
    }
    for chunk in golden_ids.chunks(IDS_PER_NOTIFICATION) {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(chunk.join(","))
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// What a listener hears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These golden records changed.
    Golden(Vec<String>),
    /// The connection dropped and was re-established: notifications may have
    /// been missed, so everything cached is suspect.
    Gap,
}

/// A subscription to change notifications.
#[derive(Debug)]
pub struct ChangeListener {
    listener: PgListener,
}

impl ChangeListener {
    /// Waits for the next change.
    pub async fn next(&mut self) -> StoreResult<Change> {
        match self.listener.try_recv().await? {
            Some(notification) => Ok(Change::Golden(
                notification
                    .payload()
                    .split(',')
                    .filter(|id| !id.is_empty())
                    .map(str::to_owned)
                    .collect(),
            )),
            None => Ok(Change::Gap),
        }
    }
}

impl Store {
    /// Subscribes to change notifications; `None` on SQLite.
    pub async fn listen_for_changes(&self) -> StoreResult<Option<ChangeListener>> {
        if self.backend() != Backend::Postgres {
            return Ok(None);
        }
        let mut listener = PgListener::connect(self.url()).await?;
        listener.listen(CHANNEL).await?;
        Ok(Some(ChangeListener { listener }))
    }
}
