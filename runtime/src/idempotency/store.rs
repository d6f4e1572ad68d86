//! What an idempotency store must do, whichever backend keeps the keys.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A boxed store operation: stores sit behind `dyn` so a service picks one at start-up.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Keeps, per scoped key, either the run holding it or the answer it produced.
///
/// Every method is atomic for one key: two replicas asking [`begin`](Self::begin) for the
/// same key at once get one [`Begin::Run`] between them.
pub trait IdempotencyStore: Send + Sync + 'static {
    /// Claims `key` for a first run under `lock` (held for at most `lock_timeout`, so a
    /// crashed run frees its key), or says why the request must not run.
    fn begin<'a>(
        &'a self,
        key: &'a str,
        fingerprint: &'a str,
        lock: &'a Lock,
        lock_timeout: Duration,
    ) -> StoreFuture<'a, Begin>;

    /// Records the answer of the run holding `lock`, kept for `retention`. Returns `false`
    /// and changes nothing when the lock was lost (timed out and possibly taken by a newer
    /// run): a late original never overwrites a newer result.
    fn complete<'a>(
        &'a self,
        key: &'a str,
        lock: &'a Lock,
        response: &'a StoredResponse,
        retention: Duration,
    ) -> StoreFuture<'a, bool>;

    /// Frees `key` after a run whose answer must not be replayed (a server error, or a
    /// rejection before the handler), if `lock` still holds it.
    fn release<'a>(&'a self, key: &'a str, lock: &'a Lock) -> StoreFuture<'a, ()>;
}

/// What [`IdempotencyStore::begin`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// The key was free and is now held by the caller's lock: run the handler.
    Run,
    /// Another run holds the key.
    InFlight,
    /// The key was used for a different request.
    Mismatch,
    /// The key's run finished with this answer.
    Replay(StoredResponse),
}

/// Proof of holding a key: a random token only the run that claimed it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock(String);

impl Lock {
    pub fn new() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    pub fn token(&self) -> &str {
        &self.0
    }
}

impl Default for Lock {
    fn default() -> Self {
        Self::new()
    }
}

/// An answer as it is replayed: status, the headers that describe the body and the
/// `x-correlation-id` of the request that produced it, the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as sent; the services answer JSON, so it is text.
    pub body: String,
}

/// The store could not be asked: the request is refused (503) rather than run unguarded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("idempotency store unavailable: {0}")]
pub struct StoreError(pub String);
