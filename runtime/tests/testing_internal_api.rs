//! `InternalApiTestHelper`: requests reach the router in process with the key, the caller and
//! a correlation id set; answers come back typed, or as the problem+json error; requests it
//! cannot build are refused before anything is sent.

mod service;

use serde_json::json;
use service::contract::Echo;
use service::*;
use solo60_runtime::client::{ApiKey, NoBody};
use solo60_runtime::server::axum::http::Method;
use solo60_runtime::testing::{
    InternalApiTestHelper, TestRequestError, TestResponse, DEFAULT_TEST_CALLER,
};
use solo60_runtime::ErrorKind;

fn helper(app: &App) -> InternalApiTestHelper {
    InternalApiTestHelper::new(ApiKey::new(KEY), app.router.clone()).as_caller(CALLER)
}

#[tokio::test]
async fn a_typed_request_is_authenticated_and_answered_typed() {
    let app = App::new();
    let answer: TestResponse<Echo> = helper(&app)
        .post("/internal/members", &valid_member())
        .await
        .expect("sent");
    assert_eq!(answer.status, 201);
    let echo = answer.body.as_ref().expect("an Echo");
    assert_eq!(echo.operation, "createMember");
    assert_eq!(echo.caller, CALLER, "x-service-name was sent");
    assert_eq!(echo.input, valid_member());
    let id = answer.correlation_id().expect("echoed");
    assert_eq!(echo.correlation_id, id, "a fresh correlation id was sent");
    assert_eq!(
        echo.current_correlation_id.as_deref(),
        Some(id),
        "and is current inside the handler"
    );
    assert_eq!(app.runs(), 1);
}

#[tokio::test]
async fn the_default_caller_and_an_explicit_correlation_id() {
    let app = App::new();
    let api = InternalApiTestHelper::new(ApiKey::new(KEY), app.router.clone());
    let answer = api
        .request(Method::GET, format!("/internal/members/{MEMBER_ID}"))
        .correlation_id("helper-test-7")
        .send::<Echo>()
        .await
        .expect("sent");
    assert_eq!(answer.status, 200);
    let echo = answer.body.expect("an Echo");
    assert_eq!(echo.caller, DEFAULT_TEST_CALLER);
    assert_eq!(echo.correlation_id, "helper-test-7");
    assert_eq!(
        echo.ids,
        [MEMBER_ID.parse::<solo60_runtime::Uuid>().unwrap()]
    );
}

#[tokio::test]
async fn error_answers_come_back_as_the_problem_a_client_would_see() {
    let app = App::new();
    let api = helper(&app);

    let missing = api
        .get::<Echo>(&format!("/internal/members/{}", uuid_nil()))
        .await
        .expect("sent");
    assert_eq!(missing.status, 404);
    let error = missing.body.as_ref().expect_err("a problem");
    assert_eq!(
        (error.kind, error.code.as_str()),
        (ErrorKind::NotFound, "MEMBER_NOT_FOUND")
    );
    assert_eq!(error.correlation_id.as_deref(), missing.correlation_id());
    assert_eq!(missing.problem().expect("problem").status, 404);

    let invalid = api
        .post::<Echo>("/internal/members", &json!({"name": "A", "age": -1}))
        .await
        .expect("sent");
    assert_eq!(invalid.status, 422);
    let error = invalid.body.expect_err("a problem");
    assert_eq!(error.kind, ErrorKind::Validation);
    let pointers: Vec<&str> = error
        .violations
        .iter()
        .map(|v| v.pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/name", "/age"]);
    assert_eq!(app.runs(), 1, "only the 404's handler ran");
}

#[tokio::test]
async fn without_the_key_or_with_another_caller_it_is_refused() {
    let app = App::new();
    let unauthenticated = helper(&app)
        .request(Method::GET, format!("/internal/members/{MEMBER_ID}"))
        .without_api_key()
        .send::<Echo>()
        .await
        .expect("sent");
    assert_eq!(unauthenticated.status, 401);
    assert_eq!(
        unauthenticated.body.expect_err("refused").kind,
        ErrorKind::Unauthorized
    );

    let wrong_key = InternalApiTestHelper::new(ApiKey::new(WRONG_KEY), app.router.clone())
        .get::<Echo>(&format!("/internal/members/{MEMBER_ID}"))
        .await
        .expect("sent");
    assert_eq!(wrong_key.status, 401);

    // findByEmail allows `session` and `admin` only.
    let outsider = helper(&app)
        .as_caller("payment")
        .get::<Echo>("/internal/members/by-email?email=ada%40example.com")
        .await
        .expect("sent");
    assert_eq!(outsider.status, 403);
    assert_eq!(app.runs(), 0);
}

#[tokio::test]
async fn no_content_and_raw_bodies() {
    let app = App::new();
    let api = helper(&app);
    let deleted = api
        .delete::<NoBody>(&format!("/internal/members/{MEMBER_ID}"))
        .await
        .expect("sent");
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.body, Ok(NoBody));

    let malformed = api
        .request(Method::POST, "/internal/members")
        .raw_body(r#"{"name": "#, "application/json")
        .send::<Echo>()
        .await
        .expect("sent");
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.body.expect_err("refused").code, "MALFORMED_JSON");
}

#[tokio::test]
async fn a_success_body_that_breaks_the_expected_type_is_an_invalid_response() {
    let app = App::new();
    // `deleteMember` answers 204: no body is no `Echo`.
    let answer = helper(&app)
        .delete::<Echo>(&format!("/internal/members/{MEMBER_ID}"))
        .await
        .expect("sent");
    assert_eq!(answer.status, 204);
    let error = answer.body.expect_err("not an Echo");
    assert_eq!(error.kind, ErrorKind::InvalidResponse);
    assert_eq!(error.status, 204);
    assert!(!error.violations.is_empty());
}

#[tokio::test]
async fn requests_that_cannot_be_built_are_refused_before_sending() {
    let app = App::new();
    let api = helper(&app);
    let bad_path = api.get::<Echo>("/internal/members/a b").await;
    assert_eq!(
        bad_path.err(),
        Some(TestRequestError::Path("/internal/members/a b".into()))
    );
    let bad_header = api
        .request(Method::GET, format!("/internal/members/{MEMBER_ID}"))
        .header("x-note", "line\nbreak")
        .send::<Echo>()
        .await;
    assert_eq!(
        bad_header.err(),
        Some(TestRequestError::Header("x-note".into()))
    );
    let bad_caller = api
        .clone()
        .as_caller("new\nline")
        .get::<Echo>("/internal/members")
        .await;
    assert_eq!(
        bad_caller.err(),
        Some(TestRequestError::Header("x-service-name".into()))
    );
    assert_eq!(app.runs(), 0);
}

fn uuid_nil() -> solo60_runtime::Uuid {
    solo60_runtime::Uuid::nil()
}
