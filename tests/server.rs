//! A generated router's answers to callers the contract does not expect, over its real
//! layers: caller allow-lists, body checks and validation, all as problem+json.

use serde_json::{json, Value};
use solo60_runtime::client::ApiKey;
use solo60_runtime::server::axum::body::{to_bytes, Body};
use solo60_runtime::server::axum::http::{Request, StatusCode};
use solo60_runtime::server::ServiceAuth;
use subscription_service::Subscriptions;
use tower::ServiceExt;

const KEY: &str = "server-test-key";
const CHECK_ACCESS: &str = "/internal/subscriptions/check-access";

async fn post(caller: &str, content_type: &str, body: &str) -> (StatusCode, Value) {
    let app = subscription_api::server::router(
        Subscriptions::default(),
        ServiceAuth::new(ApiKey::new(KEY)),
    );
    let request = Request::post(CHECK_ACCESS)
        .header("x-api-key", KEY)
        .header("x-service-name", caller)
        .header("content-type", content_type)
        .header("x-correlation-id", "server-test-1")
        .body(Body::from(body.to_owned()))
        .expect("request");
    let response = app.oneshot(request).await.expect("infallible");
    let status = response.status();
    assert_eq!(
        response
            .headers()
            .get("x-correlation-id")
            .and_then(|v| v.to_str().ok()),
        Some("server-test-1"),
        "the correlation id is echoed"
    );
    let body = to_bytes(response.into_body(), 1 << 20).await.expect("body");
    (status, serde_json::from_slice(&body).unwrap_or_default())
}

const VALID: &str = r#"{"userId": "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d"}"#;

#[tokio::test]
async fn an_allowed_caller_is_answered() {
    let (status, body) = post("session", "application/json", VALID).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"hasAccess": false, "reason": "no_subscription"})
    );
}

#[tokio::test]
async fn a_caller_outside_the_allow_list_gets_403() {
    let (status, problem) = post("payment", "application/json", VALID).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(problem["status"], 403);
    assert_eq!(problem["correlationId"], "server-test-1");
}

#[tokio::test]
async fn bodies_are_checked_before_the_service_sees_them() {
    let (status, problem) = post("session", "text/plain", VALID).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{problem}");
    let (status, problem) = post("session", "application/json", r#"{"userId": "#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    let (status, problem) = post(
        "session",
        "application/json",
        r#"{"feature": 1, "requiredPlan": []}"#,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .expect("violations")
        .iter()
        .filter_map(|error| error["pointer"].as_str())
        .collect();
    assert_eq!(
        pointers,
        ["", "/feature", "/requiredPlan"],
        "every violation, with its pointer"
    );
}
