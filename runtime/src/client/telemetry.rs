//! The metrics every client call reports, through the `metrics` facade so the service picks
//! the exporter (Prometheus, StatsD…) and the runtime does not.
//!
//! Labels are the upstream's name, the operation id and the outcome — all `&'static str`
//! from the contract, never anything from a request, so the key (or a user's data) cannot
//! become a label and cardinality stays fixed.

use std::time::Duration;

use crate::{AppError, ErrorKind};

use super::codes;

/// Histogram: seconds from the start of a call to its result, retries and waits included.
pub const REQUEST_DURATION_SECONDS: &str = "solo60_client_request_duration_seconds";
/// Counter: calls, by outcome.
pub const REQUESTS_TOTAL: &str = "solo60_client_requests_total";
/// Counter: retries made (attempts after the first).
pub const RETRIES_TOTAL: &str = "solo60_client_retries_total";
/// Counter: fallbacks used in place of a failed non-critical call, by `reason` (the failure's
/// outcome: `unavailable`, `timeout` or `circuit_open`).
pub const FALLBACKS_TOTAL: &str = "solo60_client_fallbacks_total";
/// Gauge: 0 closed, 1 half-open, 2 open.
pub const CIRCUIT_STATE: &str = "solo60_client_circuit_state";

/// How a call ended, as the `outcome` label says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Success,
    /// A 4xx answer (429 included) or a request refused before sending.
    ClientError,
    /// A 5xx answer other than an outage.
    ServerError,
    Timeout,
    /// Unreachable, or 502/503.
    Unavailable,
    CircuitOpen,
    InvalidResponse,
}

impl Outcome {
    pub fn of<T>(result: &Result<T, AppError>) -> Outcome {
        match result {
            Ok(_) => Outcome::Success,
            Err(error) => Outcome::of_error(error),
        }
    }

    /// How a call that failed with `error` ended.
    pub fn of_error(error: &AppError) -> Outcome {
        match error.kind {
            _ if error.code == codes::CIRCUIT_OPEN => Outcome::CircuitOpen,
            ErrorKind::Timeout => Outcome::Timeout,
            ErrorKind::Unavailable => Outcome::Unavailable,
            ErrorKind::InvalidResponse => Outcome::InvalidResponse,
            ErrorKind::Internal => Outcome::ServerError,
            ErrorKind::BadRequest
            | ErrorKind::Unauthorized
            | ErrorKind::Forbidden
            | ErrorKind::NotFound
            | ErrorKind::MethodNotAllowed
            | ErrorKind::Conflict
            | ErrorKind::PayloadTooLarge
            | ErrorKind::UnsupportedMediaType
            | ErrorKind::Validation
            | ErrorKind::RateLimited => Outcome::ClientError,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::ClientError => "client_error",
            Outcome::ServerError => "server_error",
            Outcome::Timeout => "timeout",
            Outcome::Unavailable => "unavailable",
            Outcome::CircuitOpen => "circuit_open",
            Outcome::InvalidResponse => "invalid_response",
        }
    }
}

pub(crate) fn record_call(
    upstream: &'static str,
    operation: &'static str,
    outcome: Outcome,
    duration: Duration,
) {
    let labels = [
        ("upstream", upstream),
        ("operation", operation),
        ("outcome", outcome.as_str()),
    ];
    metrics::histogram!(REQUEST_DURATION_SECONDS, &labels).record(duration.as_secs_f64());
    metrics::counter!(REQUESTS_TOTAL, &labels).increment(1);
}

pub(crate) fn record_retry(upstream: &'static str, operation: &'static str) {
    metrics::counter!(RETRIES_TOTAL, "upstream" => upstream, "operation" => operation).increment(1);
}

pub(crate) fn record_circuit_state(upstream: &'static str, level: f64) {
    metrics::gauge!(CIRCUIT_STATE, "upstream" => upstream).set(level);
}

pub(crate) fn record_fallback(
    upstream: &'static str,
    operation: &'static str,
    reason: &'static str,
) {
    metrics::counter!(
        FALLBACKS_TOTAL,
        "upstream" => upstream,
        "operation" => operation,
        "reason" => reason
    )
    .increment(1);
}
