//! The profile cache (moka) in front of `GetProfile`.
//!
//! Two maps: live golden id → rendered profile, and absorbed id → live id.
//! Every write invalidates the profiles of the golden ids it touched (an
//! absorbed id is among them, so a stale entry under it disappears too).
//! Redirects never change back, so they are kept. A generation counter stops a
//! read that raced a write from putting a stale profile back. Entries also
//! expire after `ttl_seconds`, which bounds staleness from writers in other
//! processes (a `c360 ingest` run straight into the database). On PostgreSQL,
//! writes by other replicas arrive as change notifications and invalidate too.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use c360_proto::v1::Profile;
use moka::future::Cache;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheConfig {
    /// Most profiles kept in memory.
    pub max_profiles: u64,
    /// Longest an entry lives, in seconds.
    pub ttl_seconds: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            max_profiles: 100_000,
            ttl_seconds: 300,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ProfileCache {
    profiles: Cache<String, Arc<Profile>>,
    redirects: Cache<String, String>,
    generation: Arc<AtomicU64>,
}

/// Where a cached answer came from.
#[derive(Debug, Clone)]
pub struct CachedProfile {
    pub profile: Arc<Profile>,
    pub redirected: bool,
}

impl ProfileCache {
    pub fn new(config: &CacheConfig) -> Self {
        let ttl = Duration::from_secs(config.ttl_seconds.max(1));
        Self {
            profiles: Cache::builder()
                .max_capacity(config.max_profiles)
                .time_to_live(ttl)
                .build(),
            redirects: Cache::builder()
                .max_capacity(config.max_profiles)
                .time_to_live(ttl)
                .build(),
            generation: Arc::new(AtomicU64::new(0)),
        }
    }

    pub async fn get(&self, requested_id: &str) -> Option<CachedProfile> {
        if let Some(profile) = self.profiles.get(requested_id).await {
            return Some(CachedProfile {
                profile,
                redirected: false,
            });
        }
        let live = self.redirects.get(requested_id).await?;
        let profile = self.profiles.get(&live).await?;
        Some(CachedProfile {
            profile,
            redirected: true,
        })
    }

    /// The generation to pass to [`ProfileCache::put`]; read it before loading.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Stores a profile loaded at `generation`, unless a write happened since.
    pub async fn put(&self, requested_id: &str, profile: Arc<Profile>, generation: u64) {
        if self.generation() != generation {
            return;
        }
        let live = profile.golden_id.clone();
        if live != requested_id {
            self.redirects
                .insert(requested_id.to_owned(), live.clone())
                .await;
        }
        self.profiles.insert(live, profile).await;
    }

    /// Drops every cached profile (after missed change notifications).
    pub fn invalidate_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.profiles.invalidate_all();
    }

    pub async fn invalidate<'a>(&self, golden_ids: impl IntoIterator<Item = &'a String>) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        for id in golden_ids {
            self.profiles.invalidate(id).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(id: &str) -> Arc<Profile> {
        Arc::new(Profile {
            golden_id: id.to_owned(),
            ..Profile::default()
        })
    }

    #[tokio::test]
    async fn redirects_and_invalidation() {
        let cache = ProfileCache::new(&CacheConfig::default());
        let generation = cache.generation();
        cache.put("old", profile("live"), generation).await;
        let hit = cache.get("old").await.expect("cached");
        assert!(hit.redirected);
        assert!(!cache.get("live").await.expect("cached").redirected);
        cache.invalidate([&"live".to_owned()]).await;
        assert!(cache.get("old").await.is_none());
    }

    #[tokio::test]
    async fn a_read_that_raced_a_write_is_not_cached() {
        let cache = ProfileCache::new(&CacheConfig::default());
        let generation = cache.generation();
        cache.invalidate([&"live".to_owned()]).await;
        cache.put("live", profile("live"), generation).await;
        assert!(cache.get("live").await.is_none());
    }
}
