//! The connection pool: SQLite (default, a file created on first use) or
//! PostgreSQL, chosen by the database URL, behind sqlx's `Any` driver.

use std::path::Path;
use std::sync::Once;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};

use crate::error::{StoreError, StoreResult};

/// The `[database]` config section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://data/c360.db` (created on first run) or `postgres://user@host/db`.
    pub url: String,
    /// Pool size. SQLite serializes writers anyway; readers use the rest.
    pub max_connections: u32,
    /// How long a query waits for a free connection before failing.
    pub acquire_timeout_ms: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://data/c360.db".to_owned(),
            max_connections: 8,
            acquire_timeout_ms: 10_000,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> StoreResult<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }
}

/// A connection borrowed from the pool for reads.
pub type PooledConnection = sqlx::pool::PoolConnection<sqlx::Any>;

/// Serializes writers on PostgreSQL across replicas: every write transaction
/// takes this transaction-scoped advisory lock first. (On SQLite the database
/// file lock does the same.)
const WRITE_LOCK_KEY: i64 = 0x0c36_0001;

/// A handle on the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Kept for connections outside the pool (change listeners).
    url: String,
    /// Rows written since the planner statistics were last refreshed.
    growth: std::sync::Arc<std::sync::Mutex<Growth>>,
}

/// When to refresh PostgreSQL's planner statistics: after the rows written
/// since the last refresh reach half of all rows written before it (and at
/// least [`Growth::FIRST`]), so a load of n rows refreshes O(log n) times.
#[derive(Debug, Default)]
struct Growth {
    since_refresh: u64,
    at_refresh: u64,
}

impl Growth {
    const FIRST: u64 = 1000;
}

static INSTALL_DRIVERS: Once = Once::new();

impl Store {
    /// Connects, creating the SQLite file (and its folder) if needed.
    pub async fn connect(config: &DatabaseConfig) -> StoreResult<Self> {
        INSTALL_DRIVERS.call_once(sqlx::any::install_default_drivers);
        let backend = Backend::of_url(&config.url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(&config.url)?,
            Backend::Postgres => config.url.clone(),
        };
        // Bulk statements bind thousands of values: sqlx's per-statement and
        // slow-statement logs would print each one in full. Timing is traced
        // by the hub's spans instead.
        let options: AnyConnectOptions = url
            .clone()
            .parse::<AnyConnectOptions>()?
            .log_statements(log::LevelFilter::Trace)
            .log_slow_statements(log::LevelFilter::Off, Duration::from_secs(60));
        let pool = AnyPoolOptions::new()
            .max_connections(config.max_connections.max(1))
            .acquire_timeout(Duration::from_millis(config.acquire_timeout_ms))
            .after_connect(move |connection, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; NORMAL sync is
                        // durable across application crashes; busy_timeout makes
                        // a second writer wait instead of failing.
                        connection
                            .execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA busy_timeout = 10000; PRAGMA cache_size = -65536; \
                                 PRAGMA wal_autocheckpoint = 16384; PRAGMA temp_store = MEMORY;",
                            )
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            backend,
            url,
            growth: Default::default(),
        })
    }

    /// Applies pending migrations of this backend.
    pub async fn migrate(&self) -> StoreResult<()> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => {
                sqlx::migrate!("migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Starts a write transaction, holding the cross-replica write lock on
    /// PostgreSQL. Every multi-row change goes through one of these.
    pub async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Any>> {
        let mut transaction = match self.backend {
            // IMMEDIATE takes the write lock up front: two processes on one
            // file then queue on busy_timeout instead of deadlocking when both
            // try to upgrade a read transaction.
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK_KEY)
                .execute(&mut *transaction)
                .await?;
        }
        Ok(transaction)
    }

    /// Notes `rows` written and, on PostgreSQL, refreshes the planner
    /// statistics of the tables ingest looks rows up in when they have grown
    /// enough. Without it a database whose autovacuum is off (or slow) keeps
    /// planning a table filled by a bulk load as if it were empty, and every
    /// batch's lookups scan it: a 200,000-row sync slowed to seconds per batch.
    pub async fn note_rows_written(&self, rows: u64) -> StoreResult<()> {
        if self.backend != Backend::Postgres || rows == 0 {
            return Ok(());
        }
        let due = {
            let Ok(mut growth) = self.growth.lock() else {
                return Ok(());
            };
            growth.since_refresh += rows;
            let due = growth.since_refresh >= Growth::FIRST.max(growth.at_refresh / 2);
            if due {
                growth.at_refresh += growth.since_refresh;
                growth.since_refresh = 0;
            }
            due
        };
        if due {
            sqlx::query(
                "ANALYZE source_records, memberships, block_keys, activities, golden_records, \
                 attribute_lineage, search_terms, review_tasks, match_links",
            )
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// Checks the database answers (health checks).
    pub async fn ping(&self) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        connection.ping().await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Makes sure the folder of a SQLite file exists and that the URL asks sqlx to
/// create the file (`mode=rwc`).
fn prepare_sqlite_url(url: &str) -> StoreResult<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    if path.is_empty() || path == ":memory:" {
        return Ok(url.to_owned());
    }
    if let Some(parent) = Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|source| StoreError::Location {
            path: parent.display().to_string(),
            source,
        })?;
    }
    Ok(match query {
        Some(query) if query.contains("mode=") => url.to_owned(),
        Some(_) => format!("{url}&mode=rwc"),
        None => format!("{url}?mode=rwc"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_ask_for_creation() {
        let folder = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/nested/c360.db", folder.path().display());
        let prepared = prepare_sqlite_url(&url).expect("prepared");
        assert!(prepared.ends_with("?mode=rwc"));
        assert!(folder.path().join("nested").is_dir());
        assert_eq!(
            prepare_sqlite_url("sqlite::memory:").expect("memory"),
            "sqlite::memory:"
        );
    }

    #[test]
    fn backends_follow_the_url_scheme() {
        assert!(matches!(
            Backend::of_url("postgres://localhost/test"),
            Ok(Backend::Postgres)
        ));
        assert!(matches!(
            Backend::of_url("sqlite://data/c360.db"),
            Ok(Backend::Sqlite)
        ));
        assert!(Backend::of_url("mysql://x").is_err());
    }
}
