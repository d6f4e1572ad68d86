//! The server layer: claim the key, run once, store the answer, replay it to repeats.

use std::future::Future;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::config::Idempotency;
use super::fingerprint::fingerprint;
use super::store::{Begin, Lock, StoredResponse};
use crate::contract::{OperationInfo, RetryPolicy};
use crate::correlation::{self, CORRELATION_HEADER};
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

/// The headers of an answer that are part of what it says (the rest, such as the date,
/// belong to the exchange and are set afresh on a replay). The correlation id is stored
/// beside them: see [`ReplayedAnswer`].
const STORED_HEADERS: [HeaderName; 2] = [CONTENT_TYPE, LOCATION];

/// Marks a replayed answer for the correlation layer, which then leaves the answer's
/// `x-correlation-id` as stored instead of echoing the repeat's own id.
///
/// A replay is the first answer, byte for byte, and a stored problem body names the first
/// request's `correlationId`; rewriting the body would break that promise, so the header
/// names the first request's id too, and the answer points at one exchange — the one whose
/// logs explain it. The repeat's own id is logged beside it when the replay is sent.
#[derive(Debug, Clone)]
pub(crate) struct ReplayedAnswer;

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
        Ok(Begin::Replay(stored)) => replay(stored, operation),
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
                    .chain(correlation::current().map(|id| (CORRELATION_HEADER.to_owned(), id)))
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

/// A stored answer, sent again, with the correlation id of the request that produced it
/// (when it was stored with one).
fn replay(stored: StoredResponse, operation: &OperationInfo) -> Response {
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
    let original = stored
        .headers
        .iter()
        .find(|(name, _)| name == CORRELATION_HEADER)
        .map(|(_, id)| id.as_str());
    tracing::info!(
        operation = operation.id,
        correlation_id = correlation::current().as_deref().unwrap_or("-"),
        original_correlation_id = original.unwrap_or("-"),
        "replayed the stored answer of an earlier request with this Idempotency-Key"
    );
    response.extensions_mut().insert(ReplayedAnswer);
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
