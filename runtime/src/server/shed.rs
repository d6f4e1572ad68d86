//! Load shedding: past [`ServerConfig::max_in_flight`](super::ServerConfig::max_in_flight)
//! requests at once, a new one is answered 503 `OVERLOADED` with `Retry-After` at once
//! instead of queueing behind the others. A queue only adds its wait to every request's
//! latency; an early 503 lets the generated client back off (it honours `Retry-After`) or
//! try another replica, while the admitted requests keep their latency.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};

use super::codes;
use crate::{AppError, ErrorKind};

/// How long a shed caller is asked to wait: long enough for a burst to pass.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// The count of requests in flight through one router, against its limit.
#[derive(Debug)]
pub(crate) struct InFlight {
    limit: usize,
    current: AtomicUsize,
}

impl InFlight {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            limit,
            current: AtomicUsize::new(0),
        }
    }

    /// Runs `inner` if there is room, counting it until its answer is ready; answers 503
    /// without running it otherwise.
    pub(crate) async fn admit<F, Fut>(&self, request: Request, inner: F) -> Response
    where
        F: FnOnce(Request) -> Fut,
        Fut: Future<Output = Response>,
    {
        let Some(_slot) = self.enter() else {
            tracing::warn!(limit = self.limit, "overloaded: request shed");
            return overloaded().into_response();
        };
        inner(request).await
    }

    fn enter(&self) -> Option<Slot<'_>> {
        let admitted = self
            .current
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |current| {
                (current < self.limit).then_some(current + 1)
            })
            .is_ok();
        // Built only when admitted: a `Slot` frees a count on drop.
        if admitted {
            Some(Slot(&self.current))
        } else {
            None
        }
    }
}

/// One admitted request; leaving (answer ready, or the future dropped) frees the slot.
struct Slot<'a>(&'a AtomicUsize);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn overloaded() -> AppError {
    AppError::new(
        ErrorKind::Unavailable,
        "the service is at its limit of requests in flight; retry after the wait",
    )
    .with_code(codes::OVERLOADED)
    .with_retry_after(RETRY_AFTER)
}

/// The default limit: 256 requests in flight per core. Requests of internal services
/// mostly wait on their own upstream calls, so the limit is well above the core count.
pub(crate) fn default_max_in_flight() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get) * 256
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_counted_and_freed() {
        let in_flight = InFlight::new(2);
        let first = in_flight.enter().expect("room");
        let second = in_flight.enter().expect("room");
        assert!(in_flight.enter().is_none(), "the third is shed");
        assert!(
            in_flight.enter().is_none(),
            "a shed request frees no slot it never had"
        );
        assert_eq!(in_flight.current.load(Ordering::SeqCst), 2);
        drop(first);
        assert!(in_flight.enter().is_some(), "a freed slot admits again");
        drop(second);
    }
}
