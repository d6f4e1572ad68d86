//! The server layer: claim the key, run once, store the answer, replay it to repeats.

use std::future::Future;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::config::Idempotency;
use super::store::{Begin, Lock, StoredResponse};
use crate::contract::{OperationInfo, RetryPolicy};
use crate::server::body_limit::{is_over_limit, payload_too_large};
use crate::server::context::Caller;
use crate::server::operation::matched;
use crate::server::rejection::RejectedBeforeHandler;
use crate::{AppError, ErrorKind};

/// The request header carrying the key.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// Set to `true` on a stored answer sent again.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// The longest key accepted, in bytes.
const MAX_KEY_LENGTH: usize = 255;

/// The headers of an answer that are part of what it says (the rest — date, correlation
/// id — belong to the exchange and are set afresh on a replay).
const STORED_HEADERS: [HeaderName; 2] = [CONTENT_TYPE, LOCATION];

/// What the layer needs besides the request's operation: the store and the body limit.
pub(crate) struct KeyedOperations {
    pub(crate) idempotency: Idempotency,
    /// The server's body limit: the layer reads the body (to fingerprint it) before the
    /// limit layer inside it would.
    pub(crate) body_limit: usize,
}

pub(crate) async fn idempotency<F, Fut>(
    state: &KeyedOperations,
    request: Request,
    next: F,
) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let operation = matched(&request).filter(|operation| operation.retry == RetryPolicy::Keyed);
    let Some(operation) = operation else {
        return next(request).await;
    };
    let key = match request_key(&request) {
        Ok(key) => key,
        Err(error) => return error.into_response(),
    };
    let caller = request
        .extensions()
        .get::<Caller>()
        .map(|caller| caller.0.clone())
        .unwrap_or_default();
    let (parts, body) = request.into_parts();
    let body = match to_bytes(body, state.body_limit).await {
        Ok(body) => body,
        Err(error) if is_over_limit(&error) => return payload_too_large().into_response(),
        Err(_) => {
            return AppError::new(ErrorKind::BadRequest, "the request body could not be read")
                .with_code(crate::server::codes::BODY_UNREADABLE)
                .into_response()
        }
    };
    let fingerprint = fingerprint(parts.method.as_str(), &parts.uri.to_string(), &body);
    // Scoped per calling service and operation: two callers never see each other's answers.
    let scoped = format!("{caller}\u{1f}{}\u{1f}{key}", operation.id);
    let config = &state.idempotency;
    let lock = Lock::new();
    let begin = config
        .store
        .begin(&scoped, &fingerprint, &lock, config.lock_timeout)
        .await;
    match begin {
        Err(error) => {
            tracing::warn!(operation = operation.id, %error, "idempotency store unavailable");
            AppError::new(
                ErrorKind::Unavailable,
                "the idempotency store cannot be reached; the request was not run",
            )
            .with_code(codes::STORE_UNAVAILABLE)
            .into_response()
        }
        Ok(Begin::InFlight) => AppError::new(
            ErrorKind::Conflict,
            "a request with this Idempotency-Key is still being processed; retry later",
        )
        .with_code(codes::KEY_IN_USE)
        .into_response(),
        Ok(Begin::Mismatch) => AppError::new(
            ErrorKind::Validation,
            "this Idempotency-Key was used for a different request",
        )
        .with_code(codes::KEY_REUSED)
        .into_response(),
        Ok(Begin::Replay(stored)) => replay(stored),
        Ok(Begin::Run) => {
            let response = next(Request::from_parts(parts, Body::from(body))).await;
            record(config, &scoped, &lock, operation, response).await
        }
    }
}

/// The request's key, checked: present, 1 to 255 visible ASCII characters.
fn request_key(request: &Request) -> Result<String, AppError> {
    let Some(value) = request.headers().get(IDEMPOTENCY_KEY_HEADER) else {
        return Err(AppError::new(
            ErrorKind::BadRequest,
            "this operation needs an Idempotency-Key header",
        )
        .with_code(codes::KEY_REQUIRED));
    };
    value
        .to_str()
        .ok()
        .filter(|key| {
            (1..=MAX_KEY_LENGTH).contains(&key.len())
                && key.bytes().all(|byte| byte.is_ascii_graphic())
        })
        .map(str::to_owned)
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::BadRequest,
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
            )
            .with_code(codes::KEY_INVALID)
        })
}

/// SHA-256 over method, target and body: a repeat must be the same request, not just
/// carry the same key.
fn fingerprint(method: &str, target: &str, body: &[u8]) -> String {
    let mut digest = Sha256::new();
    for part in [method.as_bytes(), target.as_bytes(), body] {
        digest.update((part.len() as u64).to_be_bytes());
        digest.update(part);
    }
    digest
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Stores the handler's answer (or frees the key when it must not be replayed) and
/// passes the answer on.
async fn record(
    config: &Idempotency,
    key: &str,
    lock: &Lock,
    operation: &OperationInfo,
    response: Response,
) -> Response {
    let (parts, body) = response.into_parts();
    let body: Bytes = match to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(_) => {
            release(config, key, lock, operation).await;
            return AppError::new(ErrorKind::Internal, "the answer could not be produced")
                .with_code(crate::server::codes::INTERNAL_ERROR)
                .into_response();
        }
    };
    let replayable = !parts.status.is_server_error()
        && parts.extensions.get::<RejectedBeforeHandler>().is_none();
    let text = std::str::from_utf8(&body).ok();
    match (replayable, text) {
        (true, Some(text)) => {
            let stored = StoredResponse {
                status: parts.status.as_u16(),
                headers: STORED_HEADERS
                    .iter()
                    .filter_map(|name| {
                        let value = parts.headers.get(name)?.to_str().ok()?;
                        Some((name.as_str().to_owned(), value.to_owned()))
                    })
                    .collect(),
                body: text.to_owned(),
            };
            match config
                .store
                .complete(key, lock, &stored, config.retention)
                .await
            {
                Ok(true) => {}
                Ok(false) => tracing::warn!(
                    operation = operation.id,
                    "the run outlived its idempotency lock; its answer was not stored"
                ),
                Err(error) => tracing::warn!(
                    operation = operation.id,
                    %error,
                    "the answer could not be stored; a repeat will run again"
                ),
            }
        }
        _ => release(config, key, lock, operation).await,
    }
    Response::from_parts(parts, Body::from(body))
}

async fn release(config: &Idempotency, key: &str, lock: &Lock, operation: &OperationInfo) {
    if let Err(error) = config.store.release(key, lock).await {
        tracing::warn!(operation = operation.id, %error, "could not free an idempotency key");
    }
}

/// A stored answer, sent again.
fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.body).into_response();
    let headers = response.headers_mut();
    headers.remove(CONTENT_TYPE);
    for (name, value) in &stored.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            headers.insert(name, value);
        }
    }
    headers.insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    response
}

/// The `code` of each refusal.
mod codes {
    pub const KEY_REQUIRED: &str = "IDEMPOTENCY_KEY_REQUIRED";
    pub const KEY_INVALID: &str = "IDEMPOTENCY_KEY_INVALID";
    pub const KEY_IN_USE: &str = "IDEMPOTENCY_KEY_IN_USE";
    pub const KEY_REUSED: &str = "IDEMPOTENCY_KEY_REUSED";
    pub const STORE_UNAVAILABLE: &str = "IDEMPOTENCY_STORE_UNAVAILABLE";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_tell_requests_apart() {
        let a = fingerprint("POST", "/internal/payments", br#"{"amount":1}"#);
        assert_eq!(
            a,
            fingerprint("POST", "/internal/payments", br#"{"amount":1}"#)
        );
        assert_ne!(
            a,
            fingerprint("POST", "/internal/payments", br#"{"amount":2}"#)
        );
        assert_ne!(
            a,
            fingerprint("PUT", "/internal/payments", br#"{"amount":1}"#)
        );
        // Lengths are part of the digest: moving bytes between parts changes it.
        assert_ne!(
            fingerprint("POST", "/a", b"bc"),
            fingerprint("POST", "/ab", b"c")
        );
        assert_eq!(a.len(), 64);
    }
}
