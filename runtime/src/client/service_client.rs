//! One client per upstream, and what a call does: prepare once, attempt, decide, wait, repeat.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use reqwest::StatusCode;
use serde::{de::DeserializeOwned, Serialize};
use tokio::time::Instant;
use tracing::{field::Empty, Instrument, Span};
use url::Url;

use crate::contract::{Method, OperationInfo, RetryPolicy};
use crate::correlation;
use crate::validation::{parse_slice, Path, Validate, ValidationErrors};
use crate::{AppError, ErrorKind};

use super::body::{read_capped, Capped};
use super::breaker::{Admission, CircuitBreaker};
use super::budget::RetryBudget;
use super::telemetry::{self, Outcome};
use super::upstream_error::{self as errors, ErrorBody};
use super::{codes, retry_after, Call, CircuitState, ClientConfig, ConfigError};

const API_KEY: HeaderName = HeaderName::from_static("x-api-key");
const SERVICE_NAME: HeaderName = HeaderName::from_static("x-service-name");
const SERVICE_ID: HeaderName = HeaderName::from_static("x-service-id");
const CORRELATION_ID: HeaderName = HeaderName::from_static(correlation::CORRELATION_HEADER);
const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// The `accept` header every call sends: a success is JSON, an error may be a problem.
pub const ACCEPT_VALUE: &str = "application/json, application/problem+json";

/// The most of an error answer's body read (or `max_response_bytes`, if smaller): a problem
/// is small, and the status alone is enough to act on when the body is not.
pub const ERROR_BODY_CAP: usize = 64 * 1024;

/// The longest explicit `Idempotency-Key` sent.
const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

/// One client per upstream: one connection pool, one circuit breaker, one retry budget. Cheap to
/// clone (Arc inside); clones share all three.
#[derive(Clone)]
pub struct ServiceClient {
    inner: Arc<Inner>,
}

struct Inner {
    upstream: &'static str,
    config: ClientConfig,
    http: reqwest::Client,
    breaker: CircuitBreaker,
    budget: RetryBudget,
    /// Marked sensitive, so the HTTP stack never prints it either.
    api_key: HeaderValue,
    service_name: HeaderValue,
    /// The base URL's path without its trailing `/`; call paths are appended to it.
    base_path: String,
}

/// A call ready to send: everything computed once, shared by every attempt.
struct Prepared {
    operation: &'static OperationInfo,
    method: reqwest::Method,
    url: Url,
    body: Option<Bytes>,
    idempotency_key: Option<HeaderValue>,
    retry_allowed: bool,
    correlation_id: HeaderValue,
}

/// An attempt that did not produce a usable success body.
struct Failure {
    error: AppError,
    /// Whether it counts against the circuit breaker: the upstream failed (unreachable, 5xx,
    /// 429), rather than answering something we refuse (4xx, a bad success body).
    upstream_failed: bool,
}

impl ServiceClient {
    /// A client for `upstream` (the service called, e.g. `"subscription"`; it labels spans and
    /// metrics). Checks `config` first.
    pub fn new(upstream: &'static str, config: ClientConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        let header = |field: &'static str, value: &str| {
            HeaderValue::from_str(value).map_err(|_| ConfigError::InvalidSetting {
                field,
                reason: "is not a valid header value".to_owned(),
            })
        };
        let mut api_key = header("api_key", config.api_key.expose())?;
        api_key.set_sensitive(true);
        let service_name = header("service_name", &config.service_name)?;
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(format!(
                "solo60-runtime/{} ({})",
                env!("CARGO_PKG_VERSION"),
                config.service_name
            ))
            .build()
            .map_err(|error| ConfigError::Http(error.to_string()))?;
        let base_path = config.base_url.path().trim_end_matches('/').to_owned();
        Ok(Self {
            inner: Arc::new(Inner {
                upstream,
                breaker: CircuitBreaker::new(upstream, config.breaker.clone()),
                budget: RetryBudget::new(&config.retry.budget),
                config,
                http,
                api_key,
                service_name,
                base_path,
            }),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The upstream's name, as given to [`new`](Self::new).
    pub fn upstream(&self) -> &'static str {
        self.inner.upstream
    }

    /// Where the circuit breaker stands (for health endpoints and tests).
    pub fn circuit_state(&self) -> CircuitState {
        self.inner.breaker.state()
    }

    /// Sends `call` and reads a 2xx JSON answer as `T`, validated against its contract. A
    /// malformed or invalid answer is [`ErrorKind::InvalidResponse`] with the violations.
    pub async fn call<B, T>(&self, call: Call<'_, B>) -> Result<T, AppError>
    where
        B: Serialize + Validate,
        T: DeserializeOwned + Validate,
    {
        let upstream = self.inner.upstream;
        let operation = call.operation.id;
        self.run(call, move |body| {
            parse_slice::<T>(&body)
                .map_err(|violations| errors::invalid_response(upstream, operation, violations))
        })
        .await
    }

    /// Sends `call` and accepts any 2xx answer; its body is read (up to the cap) and ignored.
    pub async fn call_no_content<B>(&self, call: Call<'_, B>) -> Result<(), AppError>
    where
        B: Serialize + Validate,
    {
        self.run(call, |_| Ok(())).await
    }

    /// The call around its attempts: span, correlation id, metrics, and the answer's decoding.
    async fn run<B, T>(
        &self,
        call: Call<'_, B>,
        decode: impl FnOnce(Vec<u8>) -> Result<T, AppError>,
    ) -> Result<T, AppError>
    where
        B: Serialize + Validate,
    {
        let started = Instant::now();
        let upstream = self.inner.upstream;
        let operation = call.operation;
        let correlation_id = outgoing_correlation_id();
        let span = tracing::info_span!(
            "upstream_call",
            upstream,
            operation = operation.id,
            method = operation.method.as_str(),
            path = operation.path,
            correlation_id = %correlation_id,
            attempts = Empty,
            outcome = Empty,
        );
        let result = async {
            let prepared = self.prepare(call, &correlation_id)?;
            let body = self.exchange(&prepared, started).await?;
            decode(body)
        }
        .instrument(span.clone())
        .await
        .map_err(|error| error.with_correlation_id(correlation_id.as_str()));
        let outcome = Outcome::of(&result);
        span.record("outcome", outcome.as_str());
        telemetry::record_call(upstream, operation.id, outcome, started.elapsed());
        if let Err(error) = &result {
            tracing::debug!(parent: &span, code = %error.code, error = %error, "call failed");
        }
        result
    }

    /// Encodes (and validates) the body, builds the URL and the per-call headers, once.
    fn prepare<B>(&self, call: Call<'_, B>, correlation_id: &str) -> Result<Prepared, AppError>
    where
        B: Serialize + Validate,
    {
        let Call {
            operation,
            path,
            query,
            body,
            idempotency_key,
            refused,
        } = call;
        if let (Some(refused), true) = (refused, self.inner.config.validate_requests) {
            return Err(self.contract_broken(operation, refused.part, refused.violations));
        }
        let body = body
            .map(|body| self.encode_body(operation, body))
            .transpose()?;
        let url = self.url(&path, &query)?;
        let explicit_key = idempotency_key.is_some();
        let idempotency_key = match idempotency_key {
            Some(key) => Some(idempotency_header(&key)?),
            None if operation.retry == RetryPolicy::Keyed => Some(generated_header()),
            None => None,
        };
        let correlation_id = HeaderValue::from_str(correlation_id).map_err(|_| {
            AppError::new(
                ErrorKind::Internal,
                "the correlation id is not a header value",
            )
        })?;
        Ok(Prepared {
            operation,
            method: http_method(operation.method),
            url,
            body,
            idempotency_key,
            retry_allowed: explicit_key
                || matches!(operation.retry, RetryPolicy::Safe | RetryPolicy::Keyed),
            correlation_id,
        })
    }

    fn encode_body<B>(&self, operation: &OperationInfo, body: &B) -> Result<Bytes, AppError>
    where
        B: Serialize + Validate,
    {
        let not_encodable = |error: serde_json::Error| {
            AppError::new(
                ErrorKind::BadRequest,
                format!("the request body cannot be encoded as JSON: {error}"),
            )
            .with_code(codes::REQUEST_NOT_ENCODABLE)
        };
        if !self.inner.config.validate_requests {
            return serde_json::to_vec(body)
                .map(Bytes::from)
                .map_err(not_encodable);
        }
        let value = serde_json::to_value(body).map_err(not_encodable)?;
        let mut violations = ValidationErrors::new();
        B::validate_value(&value, &Path::Root, &mut violations);
        if !violations.is_empty() {
            return Err(self.contract_broken(operation, "body", violations));
        }
        serde_json::to_vec(&value)
            .map(Bytes::from)
            .map_err(not_encodable)
    }

    /// The error for a call refused before sending because its `part` (body, query, path
    /// parameters) breaks the contract: `Validation`, coded `REQUEST_INVALID`, every
    /// violation listed.
    fn contract_broken(
        &self,
        operation: &OperationInfo,
        part: &str,
        violations: ValidationErrors,
    ) -> AppError {
        let count = violations.len();
        AppError {
            message: format!(
                "the {part} of the request to upstream `{}` `{}` breaks its contract ({count} violation{}); nothing was sent",
                self.inner.upstream,
                operation.id,
                if count == 1 { "" } else { "s" },
            ),
            ..AppError::validation(violations).with_code(codes::REQUEST_INVALID)
        }
    }

    /// The base URL with `path` appended and `query` encoded. A path that URL parsing would
    /// change (a dot segment, an unencoded character) is refused rather than sent elsewhere.
    fn url(&self, path: &str, query: &[(String, String)]) -> Result<Url, AppError> {
        let path: Cow<'_, str> = if path.starts_with('/') {
            Cow::Borrowed(path)
        } else {
            Cow::Owned(format!("/{path}"))
        };
        let expected = format!("{}{path}", self.inner.base_path);
        let mut url = self.inner.config.base_url.clone();
        url.set_path(&expected);
        if url.path() != expected {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "the request path is not a canonical, percent-encoded path (a `.` or `..` \
                 segment or an unencoded character); nothing was sent",
            )
            .with_code(codes::INVALID_PATH));
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// Attempts until one succeeds or the failure, the policy, the budget, the breaker or the
    /// deadline says stop. Bounded by `max_attempts`.
    async fn exchange(&self, prepared: &Prepared, started: Instant) -> Result<Vec<u8>, AppError> {
        let inner = &*self.inner;
        let config = &inner.config;
        let upstream = inner.upstream;
        let deadline = started + config.deadline;
        let max_attempts = config.retry.max_attempts.max(1);
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            Span::current().record("attempts", attempt);
            let permit = match inner.breaker.admit() {
                Admission::Admitted(permit) => permit,
                Admission::Rejected { retry_after } => {
                    return Err(errors::circuit_open(upstream, retry_after));
                }
            };
            if attempt == 1 {
                inner.budget.deposit();
            }
            let limit = config
                .attempt_timeout
                .min(deadline.saturating_duration_since(Instant::now()));
            let span =
                tracing::debug_span!("attempt", attempt, status = Empty, duration_ms = Empty);
            let attempt_started = Instant::now();
            let result = tokio::time::timeout(limit, self.attempt(prepared))
                .instrument(span.clone())
                .await;
            span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
            let error = match result {
                Ok(Ok(body)) => {
                    permit.succeeded();
                    return Ok(body);
                }
                Ok(Err(failure)) => {
                    if failure.upstream_failed {
                        permit.failed();
                    } else {
                        permit.succeeded();
                    }
                    failure.error
                }
                Err(_elapsed) => {
                    permit.failed();
                    if Instant::now() >= deadline {
                        return Err(errors::deadline(upstream, config.deadline, attempt, None));
                    }
                    errors::attempt_timeout(upstream, limit)
                }
            };
            tracing::debug!(parent: &span, code = %error.code, error = %error, "attempt failed");

            if !prepared.retry_allowed || !error.is_retryable() || attempt >= max_attempts {
                return Err(error);
            }
            let wait = match error.retry_after {
                Some(wait) if wait > config.retry.max_retry_after => return Err(error),
                Some(wait) => wait,
                None => config.retry.backoff(attempt - 1),
            };
            if Instant::now() + wait >= deadline {
                return Err(errors::deadline(
                    upstream,
                    config.deadline,
                    attempt,
                    Some(&error),
                ));
            }
            if !inner.budget.try_withdraw() {
                tracing::warn!(
                    upstream,
                    operation = prepared.operation.id,
                    "retry budget exhausted: not retrying"
                );
                return Err(error);
            }
            telemetry::record_retry(upstream, prepared.operation.id);
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    /// One request and its answer, read up to the cap.
    async fn attempt(&self, prepared: &Prepared) -> Result<Vec<u8>, Failure> {
        let inner = &*self.inner;
        let upstream = inner.upstream;
        let cap = inner.config.max_response_bytes;
        let unreachable = |error: reqwest::Error| Failure {
            error: errors::transport(upstream, &error),
            upstream_failed: true,
        };
        let mut request = inner
            .http
            .request(prepared.method.clone(), prepared.url.clone())
            .headers(self.headers(prepared));
        if let Some(body) = &prepared.body {
            request = request.body(body.clone());
        }
        let mut response = request.send().await.map_err(unreachable)?;
        let status = response.status();
        Span::current().record("status", status.as_u16());

        if status.is_success() {
            return match read_capped(&mut response, cap).await.map_err(unreachable)? {
                Capped::Whole(body) => Ok(body),
                Capped::TooLarge => Err(Failure {
                    error: errors::too_large(upstream, cap),
                    upstream_failed: false,
                }),
            };
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|value: &HeaderValue| value.to_str().ok())
                .map(str::to_owned)
        };
        let retry_after =
            header(RETRY_AFTER).and_then(|value| retry_after::parse(&value, SystemTime::now()));
        let content_type = header(CONTENT_TYPE);
        let read = read_capped(&mut response, cap.min(ERROR_BODY_CAP)).await;
        let body = match &read {
            Ok(Capped::Whole(body)) => ErrorBody::Read(body),
            Ok(Capped::TooLarge) => ErrorBody::TooLarge,
            Err(_) => ErrorBody::Unreadable,
        };
        let mut error = errors::from_answer(upstream, status, content_type.as_deref(), body);
        error.retry_after = retry_after;
        Err(Failure {
            error,
            upstream_failed: status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS,
        })
    }

    fn headers(&self, prepared: &Prepared) -> HeaderMap {
        let inner = &*self.inner;
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(API_KEY, inner.api_key.clone());
        headers.insert(SERVICE_NAME, inner.service_name.clone());
        headers.insert(SERVICE_ID, generated_header());
        headers.insert(CORRELATION_ID, prepared.correlation_id.clone());
        headers.insert(ACCEPT, HeaderValue::from_static(ACCEPT_VALUE));
        if prepared.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        if let Some(key) = &prepared.idempotency_key {
            headers.insert(IDEMPOTENCY_KEY, key.clone());
        }
        headers
    }
}

impl fmt::Debug for ServiceClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("ServiceClient")
            .field("upstream", &inner.upstream)
            .field("base_url", &inner.config.base_url.as_str())
            .field("service_name", &inner.config.service_name)
            .field("circuit", &inner.breaker.state())
            .finish_non_exhaustive()
    }
}

/// The id to send: the current request's if it is fit to forward, a fresh one otherwise.
fn outgoing_correlation_id() -> String {
    match correlation::current() {
        Some(id) if correlation::is_valid(&id) => id,
        Some(_) => {
            tracing::debug!("the current correlation id is not valid; sending a fresh one");
            correlation::new_id()
        }
        None => correlation::new_id(),
    }
}

/// A fresh UUID v4 as a header value (`x-service-id`, generated idempotency keys).
fn generated_header() -> HeaderValue {
    let mut buffer = uuid::Uuid::encode_buffer();
    let text = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut buffer);
    // Hyphenated hex is always a valid header value; the fallback is never taken.
    HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static("invalid-uuid"))
}

fn idempotency_header(key: &str) -> Result<HeaderValue, AppError> {
    let fits = (1..=MAX_IDEMPOTENCY_KEY_LEN).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_graphic());
    fits.then(|| HeaderValue::from_str(key).ok())
        .flatten()
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::BadRequest,
                format!(
                    "the idempotency key must be 1 to {MAX_IDEMPOTENCY_KEY_LEN} visible ASCII characters; nothing was sent"
                ),
            )
            .with_code(codes::INVALID_IDEMPOTENCY_KEY)
        })
}

fn http_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    }
}
