//! The service-auth layer: a valid key, a named caller, and a caller the operation allows.

use std::future::Future;

use axum::extract::Request;
use axum::http::header::WWW_AUTHENTICATE;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::codes;
use super::context::Caller;
use super::operation::matched;
use super::ServiceAuth;
use crate::service_name::{check_service_name, SERVICE_NAME_HEADER};
use crate::{AppError, ErrorKind};

/// The header carrying the service API key.
pub const API_KEY_HEADER: &str = "x-api-key";

/// What the layer checks against.
pub(crate) struct AuthState {
    pub(crate) auth: ServiceAuth,
}

/// Lets the request on only when it carries one accepted `x-api-key`, a well-formed
/// `x-service-name`, and — when it matched an operation with an allow-list — a caller on
/// that list. It runs before routing decides 404/405 and before the body is read, so a
/// caller without a key learns nothing about the routes and costs no body buffering.
pub(crate) async fn authenticate<F, Fut>(
    state: &AuthState,
    mut request: Request,
    next: F,
) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    match admit(state, &request) {
        Ok(caller) => {
            tracing::Span::current().record("caller", caller.as_str());
            request.extensions_mut().insert(Caller(caller));
            next(request).await
        }
        Err(error) if error.kind == ErrorKind::Unauthorized => {
            let challenge = HeaderValue::from_static("ApiKey header=\"x-api-key\"");
            ([(WWW_AUTHENTICATE, challenge)], error).into_response()
        }
        Err(error) => error.into_response(),
    }
}

/// The caller's name, or why the request is refused.
fn admit(state: &AuthState, request: &Request) -> Result<String, AppError> {
    if !key_accepted(&state.auth, request.headers()) {
        // One error for a missing and a wrong key: which of the two it was is none of an
        // unauthenticated caller's business.
        return Err(AppError::new(
            ErrorKind::Unauthorized,
            "a valid service API key is required in x-api-key",
        )
        .with_code(codes::UNAUTHORIZED));
    }
    let caller = request
        .headers()
        .get(SERVICE_NAME_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|name| check_service_name(name).is_ok())
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::Unauthorized,
                "x-service-name must name the calling service: 1 to 64 of A-Z a-z 0-9 . _ -",
            )
            .with_code(codes::SERVICE_NAME_REQUIRED)
        })?;
    if let Some(operation) = matched(request) {
        if !operation.allows(caller) {
            return Err(AppError::new(
                ErrorKind::Forbidden,
                format!("service `{caller}` may not call `{}`", operation.id),
            )
            .with_code(codes::CALLER_NOT_ALLOWED));
        }
    }
    Ok(caller.to_owned())
}

/// Exactly one `x-api-key`, accepted by the ring. The ring is asked even when the header is
/// missing, so a missing key costs the same as a wrong one. Two keys are refused rather than
/// guessing which one a proxy meant.
fn key_accepted(auth: &ServiceAuth, headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(API_KEY_HEADER).iter();
    let presented = values.next().map_or(&[][..], HeaderValue::as_bytes);
    let accepted = auth.accepts(presented);
    accepted && values.next().is_none()
}
