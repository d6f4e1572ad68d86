//! The in-memory store: the default, for a service that runs as one instance.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::store::{Begin, IdempotencyStore, Lock, StoreError, StoreFuture, StoredResponse};

/// Keys in a bounded map; each entry expires on its own deadline.
///
/// When full, expired entries go first, then the entries closest to expiring, so a burst of
/// new keys can never grow memory without bound.
#[derive(Debug)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, Entry>>,
    capacity: usize,
}

#[derive(Debug, Clone)]
struct Entry {
    fingerprint: String,
    state: State,
    expires_at: Instant,
}

#[derive(Debug, Clone)]
enum State {
    Running(Lock),
    Done(StoredResponse),
}

/// How many keys the default store keeps.
pub const DEFAULT_CAPACITY: usize = 100_000;

impl MemoryStore {
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }

    /// A store keeping at most `capacity` keys (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    fn locked(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, Entry>>, StoreError> {
        self.entries
            .lock()
            .map_err(|_| StoreError("the in-memory store was poisoned by a panic".into()))
    }

    fn begin_now(
        &self,
        key: &str,
        fingerprint: &str,
        lock: &Lock,
        lock_timeout: Duration,
    ) -> Result<Begin, StoreError> {
        let now = Instant::now();
        let mut entries = self.locked()?;
        if let Some(entry) = entries.get(key).filter(|entry| entry.expires_at > now) {
            if entry.fingerprint != fingerprint {
                return Ok(Begin::Mismatch);
            }
            return Ok(match &entry.state {
                State::Running(_) => Begin::InFlight,
                State::Done(response) => Begin::Replay(response.clone()),
            });
        }
        if entries.len() >= self.capacity && !entries.contains_key(key) {
            make_room(&mut entries, now);
        }
        entries.insert(
            key.to_owned(),
            Entry {
                fingerprint: fingerprint.to_owned(),
                state: State::Running(lock.clone()),
                expires_at: now + lock_timeout,
            },
        );
        Ok(Begin::Run)
    }

    fn complete_now(
        &self,
        key: &str,
        lock: &Lock,
        response: &StoredResponse,
        retention: Duration,
    ) -> Result<bool, StoreError> {
        let now = Instant::now();
        let mut entries = self.locked()?;
        match entries.get_mut(key) {
            Some(entry) if entry.expires_at > now && holds(entry, lock) => {
                entry.state = State::Done(response.clone());
                entry.expires_at = now + retention;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn release_now(&self, key: &str, lock: &Lock) -> Result<(), StoreError> {
        let mut entries = self.locked()?;
        if entries.get(key).is_some_and(|entry| holds(entry, lock)) {
            entries.remove(key);
        }
        Ok(())
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

fn holds(entry: &Entry, lock: &Lock) -> bool {
    matches!(&entry.state, State::Running(holder) if holder == lock)
}

/// Drops every expired entry; if none had expired, the one closest to expiring.
fn make_room(entries: &mut HashMap<String, Entry>, now: Instant) {
    let before = entries.len();
    entries.retain(|_, entry| entry.expires_at > now);
    if entries.len() < before {
        return;
    }
    let soonest = entries
        .iter()
        .min_by_key(|(_, entry)| entry.expires_at)
        .map(|(key, _)| key.clone());
    if let Some(key) = soonest {
        entries.remove(&key);
    }
}

impl IdempotencyStore for MemoryStore {
    fn begin<'a>(
        &'a self,
        key: &'a str,
        fingerprint: &'a str,
        lock: &'a Lock,
        lock_timeout: Duration,
    ) -> StoreFuture<'a, Begin> {
        let result = self.begin_now(key, fingerprint, lock, lock_timeout);
        Box::pin(async move { result })
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        lock: &'a Lock,
        response: &'a StoredResponse,
        retention: Duration,
    ) -> StoreFuture<'a, bool> {
        let result = self.complete_now(key, lock, response, retention);
        Box::pin(async move { result })
    }

    fn release<'a>(&'a self, key: &'a str, lock: &'a Lock) -> StoreFuture<'a, ()> {
        let result = self.release_now(key, lock);
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> StoredResponse {
        StoredResponse {
            status: 201,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    #[test]
    fn a_claimed_key_is_in_flight_then_replays() {
        let store = MemoryStore::new();
        let lock = Lock::new();
        let minute = Duration::from_secs(60);
        assert_eq!(store.begin_now("k", "f", &lock, minute), Ok(Begin::Run));
        assert_eq!(
            store.begin_now("k", "f", &Lock::new(), minute),
            Ok(Begin::InFlight)
        );
        assert_eq!(
            store.begin_now("k", "other", &Lock::new(), minute),
            Ok(Begin::Mismatch)
        );
        assert_eq!(
            store.complete_now("k", &lock, &answer("{}"), minute),
            Ok(true)
        );
        assert_eq!(
            store.begin_now("k", "f", &Lock::new(), minute),
            Ok(Begin::Replay(answer("{}")))
        );
    }

    #[test]
    fn a_lost_lock_cannot_complete_and_a_foreign_lock_cannot_release() {
        let store = MemoryStore::new();
        let first = Lock::new();
        assert_eq!(
            store.begin_now("k", "f", &first, Duration::ZERO),
            Ok(Begin::Run)
        );
        // The lock timed out at once; a newer run takes the key.
        let second = Lock::new();
        let minute = Duration::from_secs(60);
        assert_eq!(store.begin_now("k", "f", &second, minute), Ok(Begin::Run));
        assert_eq!(
            store.complete_now("k", &first, &answer("late"), minute),
            Ok(false)
        );
        assert_eq!(store.release_now("k", &first), Ok(()));
        assert_eq!(
            store.begin_now("k", "f", &Lock::new(), minute),
            Ok(Begin::InFlight)
        );
        assert_eq!(
            store.complete_now("k", &second, &answer("new"), minute),
            Ok(true)
        );
    }

    #[test]
    fn capacity_bounds_the_number_of_keys() {
        let store = MemoryStore::with_capacity(2);
        let minute = Duration::from_secs(60);
        for key in ["a", "b", "c", "d"] {
            assert_eq!(
                store.begin_now(key, "f", &Lock::new(), minute),
                Ok(Begin::Run)
            );
        }
        assert_eq!(store.locked().map(|entries| entries.len()), Ok(2));
    }
}
