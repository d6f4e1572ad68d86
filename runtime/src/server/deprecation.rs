//! `Deprecation` and `Sunset` on every answer of a deprecated operation, so callers see
//! the timeline in their logs and tooling long before the operation goes away.

use std::future::Future;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::response::Response;

use super::operation::matched;

/// RFC 9745.
pub const DEPRECATION_HEADER: &str = "deprecation";
/// RFC 8594.
pub const SUNSET_HEADER: &str = "sunset";

pub(crate) async fn announce_deprecation<F, Fut>(request: Request, next: F) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let deprecation = matched(&request).and_then(|operation| operation.deprecation);
    let mut response = next(request).await;
    if let Some(deprecation) = deprecation {
        let headers = response.headers_mut();
        headers.insert(
            DEPRECATION_HEADER,
            HeaderValue::from_static(deprecation.deprecated_at),
        );
        if let Some(sunset) = deprecation.sunset {
            headers.insert(SUNSET_HEADER, HeaderValue::from_static(sunset));
        }
    }
    response
}
