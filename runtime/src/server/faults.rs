//! Answers for a handler that panicked or ran out of time.

use std::any::Any;
use std::time::Duration;

use axum::response::{IntoResponse, Response};
use axum::BoxError;

use super::codes;
use super::response::internal_error;
use crate::{AppError, ErrorKind};

/// The answer to a panic, for tower-http's `CatchPanicLayer`: a 500 problem that says
/// nothing of the panic (its text may hold data or internals), while the panic message is
/// logged inside the request's span for the service's own operators.
pub(crate) fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(a panic without a message)");
    tracing::error!(panic = message, "handler panicked");
    internal_error().into_response()
}

/// The answer when the request outlived `request_timeout` (tower's `Timeout` reports it as
/// an error): 504 `REQUEST_TIMEOUT`, which callers treat as retryable for operations that
/// are safe to repeat. 504 rather than 503 because it is our `Timeout` kind — the server is
/// up, this request took too long (usually waiting on something else) — and the status
/// maps back to that kind on the caller's side.
pub(crate) fn timeout_response(error: BoxError, limit: Duration) -> Response {
    if error.is::<tower::timeout::error::Elapsed>() {
        tracing::warn!(timeout_ms = limit.as_millis() as u64, "request timed out");
        AppError::new(
            ErrorKind::Timeout,
            format!("the request was not served within {} ms", limit.as_millis()),
        )
        .with_code(codes::REQUEST_TIMEOUT)
        .into_response()
    } else {
        // The services inside the timeout never fail; this is here for completeness.
        tracing::error!(error = %error, "server layer failed");
        internal_error().into_response()
    }
}
