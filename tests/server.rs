//! A generated router's answers to callers the contract does not expect, over its real
//! layers: caller allow-lists, body checks and validation, all as problem+json. Requests go
//! through `InternalApiTestHelper`, in process, with the service key set.

use solo60_runtime::client::ApiKey;
use solo60_runtime::server::axum::http::Method;
use solo60_runtime::server::ServiceAuth;
use solo60_runtime::testing::{InternalApiTestHelper, TestResponse};
use solo60_runtime::{ErrorKind, Uuid};
use subscription_api::{CheckSubscriptionAccessRequest, CheckSubscriptionAccessResponse};
use subscription_service::Subscriptions;

const KEY: &str = "server-test-key";
const CHECK_ACCESS: &str = "/internal/subscriptions/check-access";
const MEMBER: Uuid = Uuid::from_u128(0x5f0c7a52_8d3e_4b1a_9c2f_3e4d5a6b7c8d);

fn api(caller: &str) -> InternalApiTestHelper {
    let router = subscription_api::server::router(
        Subscriptions::default(),
        ServiceAuth::new(ApiKey::new(KEY)),
    );
    InternalApiTestHelper::new(ApiKey::new(KEY), router).as_caller(caller)
}

/// Posts `body` as it is, with `content_type`, to check-access.
async fn post_raw(
    caller: &str,
    content_type: &'static str,
    body: &str,
) -> TestResponse<CheckSubscriptionAccessResponse> {
    let answer = api(caller)
        .request(Method::POST, CHECK_ACCESS)
        .raw_body(body.to_owned(), content_type)
        .correlation_id("server-test-1")
        .send()
        .await
        .expect("a request that can be sent");
    assert_eq!(
        answer.correlation_id(),
        Some("server-test-1"),
        "the correlation id is echoed"
    );
    answer
}

fn member_check() -> CheckSubscriptionAccessRequest {
    CheckSubscriptionAccessRequest::new(MEMBER)
}

#[tokio::test]
async fn an_allowed_caller_is_answered() {
    let answer: TestResponse<CheckSubscriptionAccessResponse> = api("session")
        .post(CHECK_ACCESS, &member_check())
        .await
        .expect("sent");
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.body,
        Ok(CheckSubscriptionAccessResponse::new(false).with_reason("no_subscription".to_owned()))
    );
}

#[tokio::test]
async fn a_caller_outside_the_allow_list_gets_403() {
    let answer: TestResponse<CheckSubscriptionAccessResponse> = api("payment")
        .post(CHECK_ACCESS, &member_check())
        .await
        .expect("sent");
    assert_eq!(answer.status, 403);
    let problem = answer.problem().expect("a problem");
    assert_eq!(problem.status, 403);
    assert_eq!(problem.code, "CALLER_NOT_ALLOWED");
    assert_eq!(problem.correlation_id.as_deref(), answer.correlation_id());
}

#[tokio::test]
async fn bodies_are_checked_before_the_service_sees_them() {
    let valid = r#"{"userId": "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d"}"#;
    let answer = post_raw("session", "text/plain", valid).await;
    assert_eq!(answer.status, 415, "{:?}", answer.body);
    let answer = post_raw("session", "application/json", r#"{"userId": "#).await;
    assert_eq!(answer.status, 400, "{:?}", answer.body);
    let answer = post_raw(
        "session",
        "application/json",
        r#"{"feature": 1, "requiredPlan": []}"#,
    )
    .await;
    assert_eq!(answer.status, 422);
    let error = answer.body.expect_err("refused");
    assert_eq!(error.kind, ErrorKind::Validation);
    let pointers: Vec<&str> = error
        .violations
        .iter()
        .map(|violation| violation.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        ["/userId", "/feature", "/requiredPlan"],
        "every violation, with its pointer"
    );
}
