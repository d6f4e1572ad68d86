//! The correlation layer: one id per request, kept from the caller when it is fit, echoed
//! on the answer, and current for everything the request causes.

use std::future::Future;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::response::Response;

use super::context::CorrelationId;
use crate::correlation::{self, CORRELATION_HEADER};
use crate::idempotency::ReplayedAnswer;

/// Takes the incoming `x-correlation-id` if [`correlation::is_valid`], else makes a fresh
/// one (an invalid id could split headers, forge log lines or bloat every log entry), then
/// serves the request inside [`correlation::scope`] so client calls made while serving
/// forward it and every problem body names it, and echoes it on the answer — whatever the
/// answer is, since this is the outermost layer — except on an idempotent replay, which
/// carries the id of the request whose answer it repeats.
pub(crate) async fn correlate<F, Fut>(mut request: Request, next: F) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let id = request
        .headers()
        .get(CORRELATION_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|id| correlation::is_valid(id))
        .map_or_else(correlation::new_id, str::to_owned);
    request.extensions_mut().insert(CorrelationId(id.clone()));
    let mut response = correlation::scope(id.clone(), next(request)).await;
    // A replay keeps the id of the request that produced it, as its body does.
    let replay_names_its_own = response.extensions().get::<ReplayedAnswer>().is_some()
        && response.headers().contains_key(CORRELATION_HEADER);
    if replay_names_its_own {
        return response;
    }
    // A valid id is visible ASCII, so it is always a valid header value.
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(CORRELATION_HEADER, value);
    }
    response
}
