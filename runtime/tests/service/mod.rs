//! A small service written by hand exactly the way generated code is written: handlers that
//! take `State`, `RequestContext`, `ValidPath`, `ValidQuery` and `ValidJson`, routes mounted
//! from the operation constants, and `router_with_config` ending in `serve_layers`. Every
//! handler counts its runs, so tests can show a refused request never reached one.
#![allow(dead_code)]

pub mod contract;
pub mod wire;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use solo60_runtime::correlation;
use solo60_runtime::secret::ApiKey;
use solo60_runtime::server::axum::body::{to_bytes, Body};
use solo60_runtime::server::axum::extract::State;
use solo60_runtime::server::axum::http::{HeaderMap, Request, StatusCode};
use solo60_runtime::server::axum::routing::{get, post, put};
use solo60_runtime::server::axum::{Json, Router};
use solo60_runtime::server::{
    serve_layers, RequestContext, ServerConfig, ServiceAuth, ValidJson, ValidPath, ValidQuery,
};
use solo60_runtime::{AppError, ErrorKind, Problem, Uuid};
use tower::ServiceExt;

use contract::*;

/// The key callers present; tests search every output for it.
pub const KEY: &str = "sk_server_test_7c1e-DO-NOT-LEAK-9a2b";
/// A key from before the rotation.
pub const OLD_KEY: &str = "sk_server_old_41d0-ALSO-SECRET-88f3";
/// A key nobody holds.
pub const WRONG_KEY: &str = "sk_server_wrong_5e5e-NOT-A-KEY-0000";
/// The caller name tests send.
pub const CALLER: &str = "session";
pub const MEMBER_ID: &str = "6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7";
pub const GYM_ID: &str = "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3";

/// The service's state: how many times any handler ran.
#[derive(Clone, Default)]
pub struct Members {
    pub runs: Arc<AtomicUsize>,
}

impl Members {
    fn ran(&self, operation: &str, context: RequestContext, ids: Vec<Uuid>, input: Value) -> Echo {
        self.runs.fetch_add(1, Ordering::SeqCst);
        Echo {
            operation: operation.to_owned(),
            caller: context.caller,
            correlation_id: context.correlation_id,
            current_correlation_id: correlation::current(),
            ids,
            input,
        }
    }
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

async fn create_member(
    State(service): State<Arc<Members>>,
    context: RequestContext,
    ValidJson(request): ValidJson<CreateMember>,
) -> Result<(StatusCode, Json<Echo>), AppError> {
    let echo = service.ran("createMember", context, vec![], to_value(&request));
    Ok((StatusCode::CREATED, Json(echo)))
}

async fn list_members(
    State(service): State<Arc<Members>>,
    context: RequestContext,
    ValidQuery(query): ValidQuery<ListMembersQuery>,
) -> Result<Json<Echo>, AppError> {
    Ok(Json(service.ran(
        "listMembers",
        context,
        vec![],
        to_value(&query),
    )))
}

async fn get_member(
    State(service): State<Arc<Members>>,
    context: RequestContext,
    ValidPath(member_id): ValidPath<Uuid>,
) -> Result<Json<Echo>, AppError> {
    if member_id.is_nil() {
        service.runs.fetch_add(1, Ordering::SeqCst);
        return Err(
            AppError::new(ErrorKind::NotFound, "no such member").with_code("MEMBER_NOT_FOUND")
        );
    }
    Ok(Json(service.ran(
        "getMember",
        context,
        vec![member_id],
        Value::Null,
    )))
}

async fn find_by_email(
    State(service): State<Arc<Members>>,
    context: RequestContext,
    ValidQuery(query): ValidQuery<ByEmailQuery>,
) -> Result<Json<Echo>, AppError> {
    Ok(Json(service.ran(
        "findByEmail",
        context,
        vec![],
        to_value(&query),
    )))
}

async fn delete_member(
    State(service): State<Arc<Members>>,
    context: RequestContext,
    ValidPath(member_id): ValidPath<Uuid>,
) -> Result<StatusCode, AppError> {
    service.ran("deleteMember", context, vec![member_id], Value::Null);
    Ok(StatusCode::NO_CONTENT)
}

async fn purge_members(
    State(service): State<Arc<Members>>,
    context: RequestContext,
) -> Result<StatusCode, AppError> {
    service.ran("purgeMembers", context, vec![], Value::Null);
    Ok(StatusCode::NO_CONTENT)
}

async fn check_out(
    State(service): State<Arc<Members>>,
    context: RequestContext,
    ValidPath((gym_id, check_in_id)): ValidPath<(Uuid, Uuid)>,
    ValidJson(request): ValidJson<Note>,
) -> Result<Json<Echo>, AppError> {
    let echo = service.ran(
        "checkOut",
        context,
        vec![gym_id, check_in_id],
        to_value(&request),
    );
    Ok(Json(echo))
}

async fn explode(
    State(service): State<Arc<Members>>,
    _context: RequestContext,
) -> Result<Json<Echo>, AppError> {
    service.runs.fetch_add(1, Ordering::SeqCst);
    panic!("boom: internal detail {}", "PANIC-TEXT-MUST-NOT-LEAK");
}

async fn stall(
    State(service): State<Arc<Members>>,
    context: RequestContext,
) -> Result<Json<Echo>, AppError> {
    service.runs.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    Ok(Json(service.ran("stall", context, vec![], Value::Null)))
}

/// What the generator emits as `router_with_config`.
pub fn router_with_config(service: Members, auth: ServiceAuth, config: ServerConfig) -> Router {
    let routes = Router::new()
        .route(
            CREATE_MEMBER.path,
            post(create_member).get(list_members).delete(purge_members),
        )
        .route(GET_MEMBER.path, get(get_member).delete(delete_member))
        .route(FIND_BY_EMAIL.path, get(find_by_email))
        .route(CHECK_OUT.path, put(check_out))
        .route(EXPLODE.path, post(explode))
        .route(STALL.path, get(stall))
        .with_state(Arc::new(service));
    serve_layers(routes, ALL, auth, config)
}

/// The service under test, with how many handler runs it has seen.
#[derive(Clone)]
pub struct App {
    pub router: Router,
    pub runs: Arc<AtomicUsize>,
}

impl App {
    /// Accepts [`KEY`] only, with the default limits.
    pub fn new() -> App {
        App::with(auth(), ServerConfig::default())
    }

    pub fn with_config(config: ServerConfig) -> App {
        App::with(auth(), config)
    }

    pub fn with(auth: ServiceAuth, config: ServerConfig) -> App {
        let service = Members::default();
        let runs = Arc::clone(&service.runs);
        App {
            router: router_with_config(service, auth, config),
            runs,
        }
    }

    pub fn runs(&self) -> usize {
        self.runs.load(Ordering::SeqCst)
    }

    /// Drives the router in-process with `tower::ServiceExt::oneshot`.
    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = match self.router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let (parts, body) = response.into_parts();
        let body = to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default()
            .to_vec();
        Answer {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body,
        }
    }

    /// A request every layer lets through (to a route that exists), as a health probe.
    pub async fn still_serves(&self) {
        let answer = self.send(get_member_request()).await;
        assert_eq!(
            answer.status, 200,
            "the next request still succeeds: {answer:?}"
        );
    }
}

pub fn auth() -> ServiceAuth {
    ServiceAuth::new(ApiKey::new(KEY))
}

/// A request with the right key and caller.
pub fn request(method: &str, uri: &str) -> solo60_runtime::server::axum::http::request::Builder {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("x-api-key", KEY)
        .header("x-service-name", CALLER)
}

/// An authenticated JSON request.
pub fn json_request(method: &str, uri: &str, body: impl Into<Body>) -> Request<Body> {
    request(method, uri)
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap()
}

pub fn get_member_request() -> Request<Body> {
    request("GET", &format!("/internal/members/{MEMBER_ID}"))
        .body(Body::empty())
        .unwrap()
}

pub fn valid_member() -> Value {
    json!({ "name": "Ada", "age": 36 })
}

/// One answer, read in full.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    pub fn echo(&self) -> Echo {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not an echo ({e}): {}", self.text()))
    }

    /// The problem body, after checking it is one: the media type, and `type`, `title`,
    /// `status`, `code` and `correlationId` all present and consistent with the answer.
    pub fn problem(&self) -> Problem {
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{self:?}"
        );
        let raw = self.json();
        for member in ["type", "title", "status", "code", "correlationId"] {
            assert!(raw.get(member).is_some(), "`{member}` missing from {raw}");
        }
        let problem: Problem = serde_json::from_value(raw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(problem.status, self.status);
        assert!(
            problem.type_.starts_with("https://errors.solo60.dev/"),
            "{}",
            problem.type_
        );
        assert_eq!(
            problem.correlation_id.as_deref(),
            self.header("x-correlation-id"),
            "the body names the id the header echoes"
        );
        problem
    }

    /// The status, the problem's code, and that the id is echoed.
    pub fn assert_problem(&self, status: u16, code: &str) -> Problem {
        assert_eq!(self.status, status, "{}", self.text());
        let problem = self.problem();
        assert_eq!(problem.code, code, "{problem:?}");
        problem
    }
}
