//! A keyed write — the payment service's `createPayment` — over the real server layers, and
//! the stores to run it against: the in-memory one always, Redis when `REDIS_URL` names a
//! server (`.ci/run` starts one; without it the Redis runs are ignored with the reason, and
//! fail under `CI`). `store_tests!(name)` makes `name::memory` and `name::redis` of one
//! test function.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use solo60_runtime::client::ApiKey;
use solo60_runtime::contract::{Method, OperationInfo, RetryPolicy};
use solo60_runtime::idempotency::{Idempotency, REPLAYED_HEADER};
use solo60_runtime::server::axum::body::{to_bytes, Body};
use solo60_runtime::server::axum::extract::State;
use solo60_runtime::server::axum::http::{Request, StatusCode};
use solo60_runtime::server::axum::routing::post;
use solo60_runtime::server::axum::{Json, Router};
use solo60_runtime::server::{serve_layers, RequestContext, ServerConfig, ServiceAuth, ValidJson};
use solo60_runtime::validation::{Path, Validate, ValidationErrors};
use solo60_runtime::{AppError, ErrorKind, Uuid};
use tower::ServiceExt;

pub const KEY: &str = "sk_idempotency_test_3d5f";
pub const PAYMENTS: &str = "/internal/payments";
/// Charges of this amount or more are declined by the handler: a 409 it answers itself,
/// so it is stored and replayed like a success.
pub const DECLINED_FROM: i64 = 1_000_000;

pub static CREATE_PAYMENT: OperationInfo = OperationInfo {
    id: "createPayment",
    method: Method::Post,
    path: PAYMENTS,
    success_status: 201,
    retry: RetryPolicy::Keyed,
    summary: "Charge a card once.",
    callers: &[],
    deprecation: None,
};
pub static OPERATIONS: &[OperationInfo] = &[CREATE_PAYMENT];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaymentRequest {
    pub amount: i64,
}

impl Validate for PaymentRequest {
    fn validate_value(value: &Value, at: &Path<'_>, errors: &mut ValidationErrors) {
        if value["amount"].as_i64().is_none_or(|amount| amount <= 0) {
            errors.push(&at.key("amount"), "minimum", "must be a positive integer");
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    pub id: Uuid,
    pub amount: i64,
    /// Which charge of the test this was: 1 for the first.
    pub charge: usize,
}

impl Validate for Payment {
    fn validate_value(value: &Value, at: &Path<'_>, errors: &mut ValidationErrors) {
        if !value["charge"].is_u64() {
            errors.push(&at.key("charge"), "type", "must be a count");
        }
    }
}

/// The payment service: counts charges; the first charge can be made slow.
#[derive(Clone, Default)]
pub struct Payments {
    pub charges: Arc<AtomicUsize>,
    pub first_charge_takes: Duration,
}

async fn create_payment(
    State(payments): State<Payments>,
    _context: RequestContext,
    ValidJson(request): ValidJson<PaymentRequest>,
) -> Result<(StatusCode, Json<Payment>), AppError> {
    let charge = payments.charges.fetch_add(1, Ordering::SeqCst) + 1;
    if charge == 1 {
        tokio::time::sleep(payments.first_charge_takes).await;
    }
    if request.amount >= DECLINED_FROM {
        return Err(AppError::new(ErrorKind::Conflict, "the card was declined"));
    }
    let payment = Payment {
        id: Uuid::new_v4(),
        amount: request.amount,
        charge,
    };
    Ok((StatusCode::CREATED, Json(payment)))
}

pub fn router(payments: Payments, idempotency: Idempotency) -> Router {
    let routes = Router::new()
        .route(PAYMENTS, post(create_payment))
        .with_state(payments);
    let config = ServerConfig {
        idempotency,
        ..ServerConfig::default()
    };
    serve_layers(
        routes,
        OPERATIONS,
        ServiceAuth::new(ApiKey::new(KEY)),
        config,
    )
}

/// A store and a name for messages.
pub struct Backend {
    pub name: &'static str,
    pub idempotency: Idempotency,
}

impl Backend {
    pub fn memory() -> Self {
        Backend {
            name: "memory",
            idempotency: Idempotency::default(),
        }
    }

    /// The Redis store at `REDIS_URL`, with a fresh key prefix, so runs never see each
    /// other's keys.
    #[cfg(feature = "redis")]
    pub async fn redis() -> Self {
        let url = redis_url();
        let store = solo60_runtime::idempotency::RedisStore::connect(&url)
            .await
            .unwrap_or_else(|error| panic!("REDIS_URL is set but unusable: {error}"))
            .with_prefix(format!("test:{}:", Uuid::new_v4()));
        Backend {
            name: "redis",
            idempotency: Idempotency::with_store(store),
        }
    }

    #[cfg(not(feature = "redis"))]
    pub async fn redis() -> Self {
        panic!("the Redis store is tested with the `redis` feature")
    }
}

/// The server Redis runs use. Only tests marked `#[needs(redis)]` call it: they are ignored
/// without `REDIS_URL`, except under CI.
pub fn redis_url() -> String {
    std::env::var("REDIS_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
        .expect("REDIS_URL must name a Redis server for this test (.ci/run starts one)")
}

/// Two tests of the function `$name(backend)`: `$name::memory` with the in-memory store, and
/// `$name::redis` with the Redis store.
#[macro_export]
macro_rules! store_tests {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn memory() {
                super::$name(super::Backend::memory()).await;
            }

            #[preconditions::needs(redis)]
            #[tokio::test]
            async fn redis() {
                super::$name(super::Backend::redis().await).await;
            }
        }
    };
}

/// An answer as a caller sees it.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub replayed: bool,
    /// The answer's `x-correlation-id`.
    pub correlation_id: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }
}

pub fn payment(key: Option<&str>, caller: &str, body: Value) -> Request<Body> {
    payment_text(key, caller, &body.to_string())
}

/// A payment request whose body is `body` exactly as written.
pub fn payment_text(key: Option<&str>, caller: &str, body: &str) -> Request<Body> {
    let mut request = Request::post(PAYMENTS)
        .header("x-api-key", KEY)
        .header("x-service-name", caller)
        .header("content-type", "application/json");
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    request
        .body(Body::from(body.to_owned()))
        .expect("a request")
}

pub async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = match router.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let replayed = response
        .headers()
        .get(REPLAYED_HEADER)
        .is_some_and(|value| value == "true");
    let correlation_id = response
        .headers()
        .get("x-correlation-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let status = response.status().as_u16();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default()
        .to_vec();
    Answer {
        status,
        replayed,
        correlation_id,
        body,
    }
}
