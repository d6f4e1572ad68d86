//! The scaffold serves: every operation answers a problem+json "not implemented" through
//! the generated router, behind the same authentication as a finished service.

use gym_scaffold::GymServiceImpl;
use solo60_runtime::client::ApiKey;
use solo60_runtime::server::axum::body::{to_bytes, Body};
use solo60_runtime::server::axum::http::{Request, StatusCode};
use solo60_runtime::server::ServiceAuth;
use tower::ServiceExt;

const KEY: &str = "scaffold-test-key";

async fn get(path: &str, key: Option<&str>) -> (StatusCode, serde_json::Value) {
    let app = gym_api::server::router(GymServiceImpl, ServiceAuth::new(ApiKey::new(KEY)));
    let mut request = Request::get(path).header("x-service-name", "session");
    if let Some(key) = key {
        request = request.header("x-api-key", key);
    }
    let response = app
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let status = response.status();
    let body = to_bytes(response.into_body(), 1 << 20).await.expect("body");
    (status, serde_json::from_slice(&body).unwrap_or_default())
}

#[tokio::test]
async fn scaffolded_operations_answer_not_implemented() {
    let (status, problem) = get(
        "/internal/gyms/3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        Some(KEY),
    )
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(problem["code"], "NOT_IMPLEMENTED");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("getGym"),
        "{problem}"
    );
    assert!(problem["correlationId"].is_string());
}

#[tokio::test]
async fn the_scaffold_is_behind_service_auth() {
    let (status, problem) = get("/internal/gyms/3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["status"], 401);
    let (status, _) = get("/internal/gyms/not-a-uuid", Some(KEY)).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a malformed path parameter is a 400"
    );
}
