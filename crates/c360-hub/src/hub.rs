//! The [`Hub`]: the use cases' shared state (store, matcher, rules).

use std::sync::Arc;

use c360_store::Store;
use tokio::sync::Mutex;

use crate::config::HubConfig;
use crate::error::HubError;
use crate::error::HubResult;
use crate::matching::{DeterministicMatcher, Matcher};
use crate::survivorship::Survivorship;

/// Cheap to clone; every use case is a method on it (see the `ingest`,
/// `records`, `activities` and `profiles` modules).
#[derive(Clone)]
pub struct Hub {
    pub(crate) inner: Arc<HubInner>,
}

pub(crate) struct HubInner {
    pub(crate) store: Store,
    pub(crate) config: HubConfig,
    pub(crate) matcher: Arc<dyn Matcher>,
    pub(crate) survivorship: Survivorship,
    /// Golden changes are computed from what is stored, so two batches must not
    /// match concurrently in one process; the database serializes processes.
    pub(crate) write_lock: Mutex<()>,
    /// The matching engine with the newest stored model; loaded on first
    /// use, replaced when a model is trained.
    pub(crate) engine: tokio::sync::RwLock<Option<Arc<c360_match::batch::Engine>>>,
    pub(crate) preparer: c360_match::Preparer,
    /// Builds connectors for syncs; registered by the binary.
    pub(crate) connectors: std::sync::OnceLock<Arc<dyn c360_connector::ConnectorFactory>>,
    pub(crate) lifecycle: crate::lifecycle::LifecycleState,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("backend", &self.inner.store.backend())
            .finish()
    }
}

impl Hub {
    /// A hub with the deterministic matcher.
    pub fn new(store: Store, config: HubConfig) -> HubResult<Self> {
        let matcher = Arc::new(DeterministicMatcher::new(&config.matching));
        Self::with_matcher(store, config, matcher)
    }

    /// A hub with another matching engine.
    pub fn with_matcher(
        store: Store,
        config: HubConfig,
        matcher: Arc<dyn Matcher>,
    ) -> HubResult<Self> {
        let survivorship = Survivorship::new(&config.survivorship)?;
        if !matches!(
            config.matching.engine.as_str(),
            "deterministic" | "probabilistic"
        ) {
            return Err(HubError::invalid(
                "matching.engine",
                format!(
                    "{:?} is not deterministic or probabilistic",
                    config.matching.engine
                ),
            ));
        }
        let preparer = crate::resolution::preparer(&config.matching)?;
        let lifecycle = crate::lifecycle::LifecycleState::new(&config.lifecycle)?;
        Ok(Self {
            inner: Arc::new(HubInner {
                store,
                config,
                matcher,
                survivorship,
                write_lock: Mutex::new(()),
                engine: tokio::sync::RwLock::new(None),
                preparer,
                connectors: std::sync::OnceLock::new(),
                lifecycle,
            }),
        })
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn config(&self) -> &HubConfig {
        &self.inner.config
    }
}

impl Hub {
    /// Tells other replicas which golden records this transaction changed
    /// (delivered on commit; PostgreSQL only).
    pub(crate) async fn announce(
        &self,
        connection: &mut c360_store::AnyConnection,
        golden_ids: &[String],
    ) -> HubResult<()> {
        c360_store::changes::notify(connection, self.inner.store.backend(), golden_ids)
            .await
            .map_err(Into::into)
    }

    /// Subscribes to the golden-record changes of every replica; `None`
    /// where the backend has no notifications (SQLite).
    pub async fn watch_changes(&self) -> HubResult<Option<ChangeWatcher>> {
        Ok(self
            .inner
            .store
            .listen_for_changes()
            .await?
            .map(ChangeWatcher))
    }

    /// Checks the database answers (for health checks).
    pub async fn ping(&self) -> HubResult<()> {
        self.inner.store.ping().await.map_err(Into::into)
    }
}

pub use c360_store::changes::Change;

/// A subscription to golden-record changes made by any replica.
#[derive(Debug)]
pub struct ChangeWatcher(c360_store::changes::ChangeListener);

impl ChangeWatcher {
    /// Waits for the next change; [`Change::Gap`] after a reconnection.
    pub async fn next(&mut self) -> HubResult<Change> {
        self.0.next().await.map_err(Into::into)
    }
}
