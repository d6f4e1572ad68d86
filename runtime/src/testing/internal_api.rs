//! Testing a service's internal endpoints in process, with service authentication in place.

use std::fmt;

use axum::body::{to_bytes, Body};
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Uri};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tower::ServiceExt;

use crate::client::codes;
use crate::client::ApiKey;
use crate::correlation::{self, CORRELATION_HEADER};
use crate::error::PROBLEM_CONTENT_TYPE;
use crate::server::API_KEY_HEADER;
use crate::service_name::SERVICE_NAME_HEADER;
use crate::validation::{parse_slice, Validate};
use crate::{AppError, ErrorKind, Problem};

/// The caller a helper announces unless told otherwise ([`InternalApiTestHelper::as_caller`]).
pub const DEFAULT_TEST_CALLER: &str = "test-caller";

/// The most of an answer's body read; a test answer larger than this is reported as an
/// [`ErrorKind::InvalidResponse`] rather than buffered without end.
pub const MAX_TEST_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Sends requests to a service's router in process — no socket, no port — the way another
/// service would: with `x-api-key`, `x-service-name` and a `x-correlation-id` already set,
/// through every layer the router has (authentication, allow-lists, validation, limits).
///
/// Build it with the key the router was given and any generated router; each answer comes
/// back as a [`TestResponse`] with the status, the headers, and the body decoded as the
/// typed response (validated against its contract) or as the problem+json error.
///
/// ```
/// # use solo60_runtime::client::ApiKey;
/// # use solo60_runtime::server::{axum::Router, ServiceAuth};
/// # use solo60_runtime::testing::InternalApiTestHelper;
/// # let router = Router::new();
/// let api = InternalApiTestHelper::new(ApiKey::new("test-key"), router).as_caller("session");
/// ```
#[derive(Clone)]
pub struct InternalApiTestHelper {
    router: Router,
    api_key: ApiKey,
    caller: String,
}

impl InternalApiTestHelper {
    /// A helper sending `api_key` (the key `router`'s `ServiceAuth` accepts) as
    /// [`DEFAULT_TEST_CALLER`].
    pub fn new(api_key: ApiKey, router: Router) -> Self {
        Self {
            router,
            api_key,
            caller: DEFAULT_TEST_CALLER.to_owned(),
        }
    }

    /// Announces `caller` as `x-service-name`, e.g. to pass an operation's `callers` list.
    pub fn as_caller(mut self, caller: impl Into<String>) -> Self {
        self.caller = caller.into();
        self
    }

    /// A request to build further: headers, a body, a correlation id, or no key at all.
    pub fn request(&self, method: Method, path: impl Into<String>) -> TestRequest<'_> {
        TestRequest {
            helper: self,
            method,
            path: path.into(),
            body: None,
            headers: Vec::new(),
            correlation_id: None,
            send_api_key: true,
        }
    }

    /// `GET path`, answered as `T`.
    pub async fn get<T>(&self, path: &str) -> Result<TestResponse<T>, TestRequestError>
    where
        T: Validate + DeserializeOwned,
    {
        self.request(Method::GET, path).send().await
    }

    /// `DELETE path`, answered as `T` (use [`NoBody`](crate::client::NoBody) for 204).
    pub async fn delete<T>(&self, path: &str) -> Result<TestResponse<T>, TestRequestError>
    where
        T: Validate + DeserializeOwned,
    {
        self.request(Method::DELETE, path).send().await
    }

    /// `POST path` with `body` as JSON, answered as `T`.
    pub async fn post<T>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<TestResponse<T>, TestRequestError>
    where
        T: Validate + DeserializeOwned,
    {
        self.request(Method::POST, path).json(body)?.send().await
    }

    /// `PUT path` with `body` as JSON, answered as `T`.
    pub async fn put<T>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<TestResponse<T>, TestRequestError>
    where
        T: Validate + DeserializeOwned,
    {
        self.request(Method::PUT, path).json(body)?.send().await
    }

    /// `PATCH path` with `body` as JSON, answered as `T`.
    pub async fn patch<T>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<TestResponse<T>, TestRequestError>
    where
        T: Validate + DeserializeOwned,
    {
        self.request(Method::PATCH, path).json(body)?.send().await
    }
}

impl fmt::Debug for InternalApiTestHelper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InternalApiTestHelper")
            .field("caller", &self.caller)
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

/// One request being built by [`InternalApiTestHelper::request`].
pub struct TestRequest<'a> {
    helper: &'a InternalApiTestHelper,
    method: Method,
    path: String,
    body: Option<(Vec<u8>, &'static str)>,
    headers: Vec<(String, String)>,
    correlation_id: Option<String>,
    send_api_key: bool,
}

impl TestRequest<'_> {
    /// Sends `body` serialized as JSON, with `content-type: application/json`.
    pub fn json(self, body: &impl Serialize) -> Result<Self, TestRequestError> {
        let bytes =
            serde_json::to_vec(body).map_err(|error| TestRequestError::Body(error.to_string()))?;
        Ok(self.raw_body(bytes, "application/json"))
    }

    /// Sends `bytes` as they are with `content_type`, e.g. malformed JSON.
    pub fn raw_body(mut self, bytes: impl Into<Vec<u8>>, content_type: &'static str) -> Self {
        self.body = Some((bytes.into(), content_type));
        self
    }

    /// Adds a header (a later one with the same name is sent as well).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends `id` as `x-correlation-id` instead of a fresh one.
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }

    /// Sends no `x-api-key`, as an unauthenticated caller would.
    pub fn without_api_key(mut self) -> Self {
        self.send_api_key = false;
        self
    }

    /// Sends the request through the router and reads its answer as `T`.
    pub async fn send<T>(self) -> Result<TestResponse<T>, TestRequestError>
    where
        T: Validate + DeserializeOwned,
    {
        let request = self.build()?;
        let response = match self.helper.router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = match to_bytes(response.into_body(), MAX_TEST_BODY_BYTES).await {
            Ok(bytes) => decode(status, &headers, &bytes),
            Err(error) => Err(AppError::new(
                ErrorKind::InvalidResponse,
                format!("the answer's body could not be read whole: {error}"),
            )),
        };
        Ok(TestResponse {
            status,
            headers,
            body,
        })
    }

    fn build(&self) -> Result<Request<Body>, TestRequestError> {
        let uri: Uri = self
            .path
            .parse()
            .map_err(|_| TestRequestError::Path(self.path.clone()))?;
        let correlation_id = self
            .correlation_id
            .clone()
            .unwrap_or_else(correlation::new_id);
        let mut headers = vec![
            (SERVICE_NAME_HEADER.to_owned(), self.helper.caller.clone()),
            (CORRELATION_HEADER.to_owned(), correlation_id),
            (
                ACCEPT.as_str().to_owned(),
                format!("application/json, {PROBLEM_CONTENT_TYPE}"),
            ),
        ];
        if self.send_api_key {
            headers.push((
                API_KEY_HEADER.to_owned(),
                self.helper.api_key.expose().to_owned(),
            ));
        }
        if let Some((_, content_type)) = &self.body {
            headers.push((CONTENT_TYPE.as_str().to_owned(), (*content_type).to_owned()));
        }
        headers.extend(self.headers.iter().cloned());
        let mut request = Request::new(match &self.body {
            Some((bytes, _)) => Body::from(bytes.clone()),
            None => Body::empty(),
        });
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = uri;
        for (name, value) in headers {
            let header = HeaderName::try_from(name.as_str())
                .map_err(|_| TestRequestError::Header(name.clone()))?;
            let value = HeaderValue::try_from(value.as_str())
                .map_err(|_| TestRequestError::Header(name.clone()))?;
            request.headers_mut().append(header, value);
        }
        Ok(request)
    }
}

/// A request the helper could not build; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TestRequestError {
    #[error("`{0}` is not a request path")]
    Path(String),
    /// The header's name, or its value, cannot be sent (the value is not repeated here: it
    /// may be a key).
    #[error("header `{0}` has a name or value that cannot be sent")]
    Header(String),
    #[error("the body could not be serialized as JSON: {0}")]
    Body(String),
}

/// What the router answered.
#[derive(Debug)]
pub struct TestResponse<T> {
    pub status: u16,
    pub headers: HeaderMap,
    /// A success body decoded and validated as `T` (an empty body is read as `null`), or the
    /// error: the problem+json answer as the [`AppError`] a client would see, or an
    /// [`ErrorKind::InvalidResponse`] when a success body breaks `T`'s contract.
    pub body: Result<T, AppError>,
}

impl<T> TestResponse<T> {
    /// The first value of header `name`, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The `x-correlation-id` the router answered with.
    pub fn correlation_id(&self) -> Option<&str> {
        self.header(CORRELATION_HEADER)
    }

    /// The error answer as a problem+json body, if the call failed: rebuilt from the decoded
    /// error, so status, code, detail, violations and correlation id are the ones answered.
    pub fn problem(&self) -> Option<Problem> {
        self.body.as_ref().err().map(AppError::to_problem)
    }
}

fn decode<T>(status: u16, headers: &HeaderMap, bytes: &[u8]) -> Result<T, AppError>
where
    T: Validate + DeserializeOwned,
{
    if (200..300).contains(&status) {
        let bytes = if bytes.is_empty() { b"null" } else { bytes };
        return parse_slice(bytes).map_err(|violations| {
            let breach = AppError::validation(violations);
            AppError {
                kind: ErrorKind::InvalidResponse,
                status,
                code: codes::INVALID_RESPONSE.to_owned(),
                message: format!("the {status} answer's body: {}", breach.message),
                ..breach
            }
        });
    }
    let is_problem = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with(PROBLEM_CONTENT_TYPE));
    match serde_json::from_slice::<Problem>(bytes) {
        Ok(problem) if is_problem => Err(AppError::from_problem(status, problem)),
        _ => Err(AppError {
            status,
            ..AppError::new(
                ErrorKind::from_status(status),
                format!("answered {status} without a problem+json body"),
            )
        }),
    }
}
