//! The body-size limit: tower-http enforces it; this file makes its refusals problems.

use std::error::Error;

use axum::body::{Body, Bytes, HttpBody};
use axum::http::header::CONTENT_TYPE;
use axum::http::{Response as HttpResponse, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::BoxError;
use http_body_util::LengthLimitError;

use super::codes;
use crate::error::PROBLEM_CONTENT_TYPE;
use crate::{AppError, ErrorKind};

/// The 413 every over-limit body gets.
pub(crate) fn payload_too_large() -> AppError {
    AppError::new(
        ErrorKind::PayloadTooLarge,
        "the request body is larger than this service accepts",
    )
    .with_code(codes::PAYLOAD_TOO_LARGE)
}

/// Replaces the plain-text 413 tower-http's `RequestBodyLimit` answers for a declared
/// `Content-Length` over the limit with the problem every other rejection is; any other
/// answer passes unchanged.
pub(crate) async fn problem_for_declared_length<B>(response: HttpResponse<B>) -> Response
where
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let is_problem = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes() == PROBLEM_CONTENT_TYPE.as_bytes());
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_problem {
        payload_too_large().into_response()
    } else {
        response.map(Body::new)
    }
}

/// Whether reading a body failed because it passed the limit (a chunked body, or one that
/// sent more than its `Content-Length` said), somewhere in the error's chain.
pub(crate) fn is_over_limit(error: &(dyn Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<LengthLimitError>() {
            return true;
        }
        current = error.source();
    }
    false
}
