//! The resilient HTTP client core every generated client is built on.
//!
//! One [`ServiceClient`] per upstream holds one connection pool, one circuit breaker and one
//! retry budget. Each [`ServiceClient::call`]:
//!
//! - sends the service-auth headers (`x-api-key`, `x-service-name`, a fresh `x-service-id` per
//!   attempt) and the correlation id of the request being served (or a new one, the same on
//!   every retry);
//! - validates the request body against its contract before sending (when configured);
//! - retries only what the contract says is safe to repeat (`safe`, or `keyed` with the same
//!   `Idempotency-Key` every time), only after a transient failure (unreachable, timeout, 429,
//!   502, 503, 504), with full-jitter exponential backoff or the upstream's `Retry-After`,
//!   within the retry budget and never past the call's deadline;
//! - fails fast while the circuit breaker is open;
//! - reads at most `max_response_bytes` of an answer, and validates a success body against
//!   the response contract;
//! - maps every failure to an [`AppError`](crate::AppError) carrying the correlation id, and
//!   reports a span and metrics that never contain the key.
//!
//! Around calls: [`fire_and_forget`] for calls nobody waits for, [`dedup_chunks`] for bulk
//! reads, and [`with_fallback`] for non-critical calls that should degrade to a default when
//! the upstream is unavailable, slow or behind an open circuit.
//!
//! The HTTP stack is reqwest (rustls, no proxy, no redirects: a redirect or proxy would carry
//! the API key somewhere it was not meant to go); timeouts, retries, the budget and the
//! breaker are Tokio-timed so tests drive them with a paused clock.

mod background;
mod body;
mod breaker;
mod budget;
mod bulk;
mod call;
pub mod codes;
mod config;
mod fallback;
mod path;
mod retry;
mod retry_after;
mod service_client;
pub mod telemetry;
mod upstream_error;

pub use crate::secret::ApiKey;
pub use background::fire_and_forget;
pub use breaker::{BreakerConfig, CircuitState};
pub use budget::BudgetConfig;
pub use bulk::dedup_chunks;
pub use call::{Call, NoBody};
pub use config::{ClientConfig, ConfigError, API_KEY_ENV, SERVICE_NAME_ENV};
pub use fallback::{fallback_applies, with_fallback};
pub use path::encode_path_segment;
pub use retry::RetryConfig;
pub use service_client::{ServiceClient, ACCEPT_VALUE, ERROR_BODY_CAP};
/// The base URL type of [`ClientConfig`], re-exported so callers need no `url` dependency.
pub use url::Url;
