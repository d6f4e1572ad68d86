//! Calls whose result nobody waits for (notifications, audit events).

use std::future::Future;

use tokio::task::JoinHandle;

use crate::correlation;
use crate::AppError;

/// Runs `future` in the background, keeping the current correlation id; a failure is logged
/// (`tracing::warn`, with the correlation id and the error), never panics, never propagates.
///
/// `what` names the call in the log line (e.g. `"send welcome email"`). The handle may be
/// dropped; awaiting it only tells when the work is over.
///
/// Must be called inside a Tokio runtime, as every client call is.
pub fn fire_and_forget<F, T>(what: &'static str, future: F) -> JoinHandle<()>
where
    F: Future<Output = Result<T, AppError>> + Send + 'static,
    T: Send + 'static,
{
    let current = correlation::current();
    let inherited = current.clone();
    let task = async move {
        if let Err(error) = future.await {
            let correlation_id = error.correlation_id.as_deref().or(inherited.as_deref());
            tracing::warn!(
                what,
                correlation_id = correlation_id.unwrap_or("-"),
                kind = ?error.kind,
                code = %error.code,
                error = %error,
                "background call failed"
            );
        }
    };
    match current {
        Some(id) => tokio::spawn(correlation::scope(id, task)),
        None => tokio::spawn(task),
    }
}
