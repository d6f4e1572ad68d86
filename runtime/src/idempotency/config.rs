//! Which store a server keeps its keys in, and for how long.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::memory::MemoryStore;
use super::store::IdempotencyStore;

/// How a server applies `Idempotency-Key` (see [`crate::idempotency`]).
#[derive(Clone)]
pub struct Idempotency {
    pub store: Arc<dyn IdempotencyStore>,
    /// How long an answer is replayed to repeats of its key (default 24 hours); after it,
    /// the key runs again.
    pub retention: Duration,
    /// How long a run holds its key (default 60 s, twice the request timeout): a run that
    /// crashed frees its key after this, and its late answer is then never stored.
    pub lock_timeout: Duration,
}

impl Idempotency {
    /// Keys in `store`, with the default retention and lock timeout.
    pub fn with_store(store: impl IdempotencyStore) -> Self {
        Self {
            store: Arc::new(store),
            ..Self::default()
        }
    }

    /// The Redis store when `REDIS_URL` is set (services running as several replicas must
    /// share their keys), the in-memory store otherwise.
    #[cfg(feature = "redis")]
    pub async fn from_env() -> Result<Self, crate::config_error::ConfigError> {
        match std::env::var("REDIS_URL") {
            Ok(url) if !url.trim().is_empty() => {
                let store = super::RedisStore::connect(&url).await.map_err(|error| {
                    crate::config_error::ConfigError::InvalidVar {
                        name: "REDIS_URL".into(),
                        reason: error.to_string(),
                    }
                })?;
                Ok(Self::with_store(store))
            }
            _ => Ok(Self::default()),
        }
    }
}

impl Default for Idempotency {
    fn default() -> Self {
        Self {
            store: Arc::new(MemoryStore::new()),
            retention: Duration::from_secs(24 * 60 * 60),
            lock_timeout: Duration::from_secs(60),
        }
    }
}

impl fmt::Debug for Idempotency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Idempotency")
            .field("retention", &self.retention)
            .field("lock_timeout", &self.lock_timeout)
            .finish_non_exhaustive()
    }
}
