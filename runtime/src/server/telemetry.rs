//! One span and one set of metrics per request.
//!
//! Span fields and metric labels come from the contract (operation id, route template),
//! from values the layers validated (caller, correlation id) or from the answer (status);
//! never from a header value as sent, so neither the key nor a hostile string reaches a log.

use std::future::Future;

use axum::extract::{MatchedPath, Request};
use axum::http::StatusCode;
use axum::response::Response;
use metrics::SharedString;
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::Instrument;

use super::context::CorrelationId;
use super::operation::matched;

/// Histogram: seconds from the first layer to the answer, labelled `operation` and `status`.
pub const REQUEST_DURATION_SECONDS: &str = "solo60_server_request_duration_seconds";
/// Counter: requests answered, labelled `operation` and `status`.
pub const REQUESTS_TOTAL: &str = "solo60_server_requests_total";
/// The `operation` label of a request that matched no operation (404, 405, extra routes).
pub const UNMATCHED: &str = "unmatched";

/// Serves the request inside a `request` span (method, route, operation, correlation id;
/// the service-auth layer adds the caller; status and duration are recorded at the end),
/// logs one event per answer, and reports the metrics.
pub(crate) async fn observe<F, Fut>(request: Request, next: F) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let started = Instant::now();
    let route = request.extensions().get::<MatchedPath>();
    let operation = matched(&request).map(|op| op.id);
    let span = tracing::info_span!(
        "request",
        method = %request.method(),
        route = route.map_or("", MatchedPath::as_str),
        operation = operation.unwrap_or(UNMATCHED),
        caller = Empty,
        correlation_id = request
            .extensions()
            .get::<CorrelationId>()
            .map_or("", |CorrelationId(id)| id.as_str()),
        status = Empty,
        duration_ms = Empty,
    );
    let response = next(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status();
    span.record("status", status.as_u16());
    span.record("duration_ms", elapsed.as_millis() as u64);
    span.in_scope(|| {
        if status.is_server_error() {
            tracing::warn!("request failed");
        } else {
            tracing::info!("request served");
        }
    });
    let labels = [
        (
            "operation",
            SharedString::const_str(operation.unwrap_or(UNMATCHED)),
        ),
        ("status", status_label(status)),
    ];
    metrics::histogram!(REQUEST_DURATION_SECONDS, &labels).record(elapsed.as_secs_f64());
    metrics::counter!(REQUESTS_TOTAL, &labels).increment(1);
    response
}

/// The `status` label. The answers the platform gives are static strings, so labelling a
/// request allocates nothing; any other status is spelled out.
fn status_label(status: StatusCode) -> SharedString {
    let label = match status.as_u16() {
        200 => "200",
        201 => "201",
        202 => "202",
        204 => "204",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        405 => "405",
        409 => "409",
        413 => "413",
        415 => "415",
        422 => "422",
        429 => "429",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        other => return SharedString::from(other.to_string()),
    };
    SharedString::const_str(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_labelled_with_its_number() {
        for code in 100..=599 {
            let status = StatusCode::from_u16(code).expect("a valid status");
            assert_eq!(&*status_label(status), code.to_string().as_str(), "{code}");
        }
    }
}
