//! Fallbacks for non-critical calls: when an upstream is sick, a request that only wanted
//! something nice to have (a gym's current occupancy, a list of plans to show) degrades to a
//! default instead of failing.
//!
//! A fallback stands in only for failures that say nothing about the request: the upstream
//! is unreachable or answered 502/503 ([`ErrorKind::Unavailable`]), it was too slow
//! ([`ErrorKind::Timeout`]: an attempt's timeout, the deadline, 504), or our circuit breaker
//! is open ([`codes::CIRCUIT_OPEN`](super::codes::CIRCUIT_OPEN)). A 4xx answer — not found,
//! validation, forbidden, even 408 and 429 — is about the request or the caller and is
//! returned as it is; so are a 500 and a contract-breaking answer, which a default would
//! hide. Every fallback used is logged (`tracing::warn`, with the correlation id) and counted
//! in [`FALLBACKS_TOTAL`](super::telemetry::FALLBACKS_TOTAL).

use std::future::Future;

use crate::contract::OperationInfo;
use crate::correlation;
use crate::{AppError, ErrorKind};

use super::telemetry::{self, Outcome};

/// Whether `error` is one a fallback may stand in for: the upstream is unavailable, timed
/// out, or its circuit is open — never a 4xx answer.
pub fn fallback_applies(error: &AppError) -> bool {
    let answered_4xx = (400..500).contains(&error.status);
    matches!(error.kind, ErrorKind::Unavailable | ErrorKind::Timeout) && !answered_4xx
}

/// Awaits `call`; when it fails in a way [`fallback_applies`] to, logs and counts the
/// failure and returns `fallback(&error)` instead. Any other error is returned unchanged and
/// `fallback` is not called.
///
/// `upstream` and `operation` name the call in the log line and the metric's labels (a
/// generated client passes its service name and the operation's constant).
pub async fn with_fallback<T, F>(
    upstream: &'static str,
    operation: &'static OperationInfo,
    call: impl Future<Output = Result<T, AppError>>,
    fallback: F,
) -> Result<T, AppError>
where
    F: FnOnce(&AppError) -> T,
{
    let error = match call.await {
        Ok(answer) => return Ok(answer),
        Err(error) if fallback_applies(&error) => error,
        Err(error) => return Err(error),
    };
    let reason = Outcome::of_error(&error).as_str();
    let current = correlation::current();
    let correlation_id = error
        .correlation_id
        .as_deref()
        .or(current.as_deref())
        .unwrap_or("-");
    tracing::warn!(
        upstream,
        operation = operation.id,
        reason,
        correlation_id,
        code = %error.code,
        error = %error,
        "non-critical call failed; using its fallback"
    );
    telemetry::record_fallback(upstream, operation.id, reason);
    Ok(fallback(&error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::codes;

    fn answered(status: u16) -> AppError {
        AppError {
            status,
            ..AppError::new(ErrorKind::from_status(status), "answered")
        }
    }

    #[test]
    fn outages_timeouts_and_open_circuits_fall_back() {
        for status in [502, 503, 504] {
            assert!(fallback_applies(&answered(status)), "{status}");
        }
        let open = AppError::new(ErrorKind::Unavailable, "open").with_code(codes::CIRCUIT_OPEN);
        assert!(fallback_applies(&open));
        let slow = AppError::new(ErrorKind::Timeout, "slow").with_code(codes::UPSTREAM_TIMEOUT);
        assert!(fallback_applies(&slow));
    }

    #[test]
    fn answers_about_the_request_and_server_errors_do_not() {
        for status in [400, 401, 403, 404, 408, 409, 422, 429, 500, 501] {
            assert!(!fallback_applies(&answered(status)), "{status}");
        }
        let invalid = AppError::new(ErrorKind::InvalidResponse, "bad body");
        assert!(!fallback_applies(&invalid));
    }
}
