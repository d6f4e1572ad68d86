//! `Idempotency-Key` for the writes a contract marks `retry: keyed`, after the IETF
//! httpapi draft "The Idempotency-Key HTTP Header Field".
//!
//! The first request with a key runs; its answer is stored with a fingerprint of the
//! request (method, target and body — a JSON body by its value in a canonical form, so the
//! same JSON reformatted is the same request) and replayed, byte for byte and marked `idempotent-replayed: true`, to every
//! repeat — so a client retrying through a lost connection never charges a card twice.
//! Keys are scoped per calling service and operation. What each refusal means:
//!
//! | status | code | when |
//! |---|---|---|
//! | 400 | `IDEMPOTENCY_KEY_REQUIRED` / `IDEMPOTENCY_KEY_INVALID` | no key, or not 1–255 visible ASCII characters |
//! | 409 | `IDEMPOTENCY_KEY_IN_USE` | the first request with this key is still running |
//! | 422 | `IDEMPOTENCY_KEY_REUSED` | the key was used for a different request |
//! | 503 | `IDEMPOTENCY_STORE_UNAVAILABLE` | the store cannot be asked; the handler does not run |
//!
//! Answers the handler never produced (401, 403, 415, 422 from validation) and server
//! errors store nothing: the key stays free for a corrected or later request.

mod config;
mod fingerprint;
mod layer;
mod memory;
#[cfg(feature = "redis")]
mod redis_store;
mod store;

pub use config::Idempotency;
pub(crate) use layer::{idempotency, KeyedOperations, ReplayedAnswer};
pub use layer::{IDEMPOTENCY_KEY_HEADER, REPLAYED_HEADER};
pub use memory::{MemoryStore, DEFAULT_CAPACITY};
#[cfg(feature = "redis")]
pub use redis_store::RedisStore;
pub use store::{Begin, IdempotencyStore, Lock, StoreError, StoreFuture, StoredResponse};
