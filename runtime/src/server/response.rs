//! An [`AppError`] as an HTTP answer: RFC 9457 `application/problem+json`.

use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::PROBLEM_CONTENT_TYPE;
use crate::{correlation, AppError, ErrorKind};

/// The answer every server gives for an error: status `error.status`, the body of
/// [`AppError::to_problem`], and `Retry-After` (whole seconds, rounded up) when the error
/// says when to come back.
///
/// The body's `correlationId` is the error's own, or else the id of the request being
/// served, so every problem a caller receives names the log lines about it. A status that
/// is not an error status (an upstream's odd answer carried through) is replaced by the
/// kind's own, so a problem body never goes out with a 2xx or 3xx.
impl IntoResponse for AppError {
    fn into_response(mut self) -> Response {
        let status = match StatusCode::from_u16(self.status) {
            Ok(status) if status.is_client_error() || status.is_server_error() => status,
            _ => {
                self.status = self.kind.status();
                StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
        };
        let mut problem = self.to_problem();
        if problem.correlation_id.is_none() {
            problem.correlation_id = correlation::current();
        }
        // Serialising a `Problem` cannot fail (string keys, no non-finite floats); should it
        // ever, the status alone still tells the caller what happened.
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
        if let Some(wait) = self.retry_after {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// The error a layer answers with when something it relies on is broken; never shows why.
pub(crate) fn internal_error() -> AppError {
    AppError::new(
        ErrorKind::Internal,
        "the service failed while handling the request",
    )
    .with_code(super::codes::INTERNAL_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Problem;
    use axum::body::to_bytes;
    use std::time::Duration;

    async fn render(error: AppError) -> (StatusCode, axum::http::HeaderMap, Problem) {
        let response = error.into_response();
        let (parts, body) = response.into_parts();
        let bytes = to_bytes(body, usize::MAX).await.unwrap();
        (
            parts.status,
            parts.headers,
            serde_json::from_slice(&bytes).unwrap(),
        )
    }

    #[tokio::test]
    async fn renders_a_problem_with_the_current_correlation_id() {
        let error = AppError::new(ErrorKind::NotFound, "no such plan").with_code("PLAN_NOT_FOUND");
        let (status, headers, problem) = correlation::scope("abc-123".into(), render(error)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(headers[CONTENT_TYPE], PROBLEM_CONTENT_TYPE);
        assert_eq!(problem.type_, "https://errors.solo60.dev/plan-not-found");
        assert_eq!(problem.title, "Not Found");
        assert_eq!(problem.status, 404);
        assert_eq!(problem.code, "PLAN_NOT_FOUND");
        assert_eq!(problem.detail.as_deref(), Some("no such plan"));
        assert_eq!(problem.correlation_id.as_deref(), Some("abc-123"));
        assert!(headers.get(RETRY_AFTER).is_none());
    }

    #[tokio::test]
    async fn keeps_the_errors_own_id_and_rounds_retry_after_up() {
        let error = AppError::new(ErrorKind::RateLimited, "slow down")
            .with_correlation_id("upstream-1")
            .with_retry_after(Duration::from_millis(1500));
        let (status, headers, problem) = correlation::scope("ours".into(), render(error)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(headers[RETRY_AFTER], "2");
        assert_eq!(problem.correlation_id.as_deref(), Some("upstream-1"));
    }

    #[tokio::test]
    async fn a_non_error_status_becomes_the_kinds_own() {
        let mut error = AppError::new(ErrorKind::InvalidResponse, "redirected");
        error.status = 302;
        let (status, _, problem) = render(error).await;
        assert_eq!((status.as_u16(), problem.status), (502, 502));
        assert_eq!(problem.correlation_id, None);
    }
}
