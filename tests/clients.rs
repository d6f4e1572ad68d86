//! Generated clients as a service uses them: construction from the environment, keyed
//! writes, chunked bulk reads, fallbacks for non-critical operations, and the mock that
//! stands in for a client in unit tests.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

use payment_api::client::PaymentServiceClient;
use serde_json::json;
use solo60_runtime::client::{codes, ApiKey, ClientConfig, ConfigError};
use solo60_runtime::testing::StubServer;
use solo60_runtime::{parse, AppError, ErrorKind, Uuid};
use subscription_api::client::{
    MockSubscriptionService, SubscriptionServiceApi, SubscriptionServiceClient,
};
use subscription_api::{
    CheckSubscriptionAccessRequest, CheckSubscriptionAccessResponse, ListPlansQuery, PlanList,
};
use user_api::client::UserServiceClient;

#[test]
fn construction_from_the_environment_names_the_missing_variable() {
    // The seed environment of this test process has none of the variables set.
    std::env::remove_var("USER_API_URL");
    match UserServiceClient::from_env() {
        Err(ConfigError::MissingVar(name)) => assert_eq!(name, "USER_API_URL"),
        other => panic!("expected a missing variable, got {other:?}"),
    }
}

#[tokio::test]
async fn keyed_writes_send_an_idempotency_key_per_logical_call() {
    let server = StubServer::start().await.expect("stub server");
    let payment = include_str!("fixtures/payment.json");
    server.answer(
        &payment_api::operations::CREATE_PAYMENT_INTENT,
        201,
        payment,
    );
    let client = PaymentServiceClient::new(server.client_config()).expect("client");
    let request = parse(&json!({
        "userId": "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d",
        "amount": {"amountMinor": 4999, "currency": "EUR"},
        "paymentMethod": {"type": "card", "brand": "visa", "last4": "4242", "expMonth": 9,
                          "expYear": 2028, "cardholderName": "ANA LOPEZ",
                          "providerToken": "pm_1QxY2zAbCdEf"},
        "purpose": "subscription"
    }))
    .expect("valid request");
    client
        .create_payment_intent(&request)
        .await
        .expect("first call");
    client
        .create_payment_intent(&request)
        .await
        .expect("second call");
    let keys: Vec<String> = server
        .requests()
        .iter()
        .map(|request| {
            request
                .header("idempotency-key")
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|key| !key.is_empty()));
    assert_ne!(keys[0], keys[1], "a fresh key per logical call");
}

#[tokio::test]
async fn bulk_reads_are_deduplicated_and_chunked() {
    let server = StubServer::start().await.expect("stub server");
    server.answer(
        &user_api::operations::GET_BULK_USERS,
        200,
        r#"{"users": [], "notFound": []}"#,
    );
    let client = UserServiceClient::new(server.client_config()).expect("client");
    let ids: Vec<Uuid> = (0..250u128).map(Uuid::from_u128).collect();
    let with_duplicates = ids.iter().chain(ids.iter().take(30)).copied();
    let answers = client
        .get_bulk_users_chunked(with_duplicates)
        .await
        .expect("answers");
    assert_eq!(
        answers.len(),
        3,
        "250 distinct ids in chunks of at most 100"
    );
    let mut sent = BTreeSet::new();
    for request in server.requests() {
        let body: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON");
        let chunk = body["userIds"].as_array().expect("ids").len();
        assert!(chunk <= 100, "chunk of {chunk}");
        for id in body["userIds"].as_array().expect("ids") {
            assert!(
                sent.insert(id.as_str().expect("id").to_owned()),
                "{id} sent twice"
            );
        }
    }
    assert_eq!(sent.len(), 250);
}

/// Code under test that depends on the subscription service only through its trait.
async fn may_book(
    subscriptions: &impl SubscriptionServiceApi,
    user_id: Uuid,
) -> Result<bool, AppError> {
    let request =
        CheckSubscriptionAccessRequest::new(user_id).with_feature("group_classes".to_owned());
    Ok(subscriptions.check_access(&request).await?.has_access)
}

#[tokio::test]
async fn the_mock_answers_records_and_reports_unanswered_operations() {
    let mock = MockSubscriptionService::new();
    let user = Uuid::from_u128(7);
    let error = may_book(&mock, user).await.expect_err("no answer set yet");
    assert_eq!(error.kind, ErrorKind::Internal);
    assert!(error.message.contains("checkAccess"), "{}", error.message);

    mock.on_check_access(|request| {
        Ok(CheckSubscriptionAccessResponse::new(
            request.feature.as_deref() == Some("group_classes"),
        ))
    });
    assert!(may_book(&mock, user).await.expect("answered"));
    let calls = mock.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].operation, "checkAccess");
    assert_eq!(calls[1].input["request"]["userId"], json!(user.to_string()));

    mock.on_check_access(|_| Err(AppError::new(ErrorKind::Unavailable, "down")));
    let error = may_book(&mock, user).await.expect_err("canned error");
    assert_eq!(error.kind, ErrorKind::Unavailable);
}

fn on_sale() -> ListPlansQuery {
    ListPlansQuery::new()
}

/// Code under test that can show a page without the plan list: an empty one stands in.
async fn plans_to_show(subscriptions: &impl SubscriptionServiceApi) -> Result<PlanList, AppError> {
    subscriptions
        .list_plans_or(&on_sale(), PlanList::new(Vec::new()))
        .await
}

#[tokio::test]
async fn the_mock_drives_a_fallback_with_canned_errors_and_records_the_calls() {
    let mock = MockSubscriptionService::new();
    mock.on_list_plans(|_| Err(AppError::new(ErrorKind::Unavailable, "down")));
    let plans = plans_to_show(&mock).await.expect("the fallback");
    assert!(plans.plans.is_empty());

    mock.on_list_plans(|_| {
        Err(AppError::new(ErrorKind::NotFound, "no plans here").with_code("PLANS_NOT_FOUND"))
    });
    let error = plans_to_show(&mock)
        .await
        .expect_err("a 404 is not degraded");
    assert_eq!(error.code, "PLANS_NOT_FOUND");

    assert_eq!(mock.calls_to("listPlans").len(), 2);
    assert!(mock.calls_to("checkAccess").is_empty());
}

const PLANS: &str = r#"{"plans":[]}"#;

fn problem(status: u16, code: &str) -> String {
    json!({"type": "about:blank", "title": "-", "status": status, "code": code}).to_string()
}

/// A subscription client against `server` making one attempt per call, whose circuit opens
/// after two consecutive failures.
fn one_attempt_client(config: ClientConfig) -> SubscriptionServiceClient {
    let mut config = config;
    config.retry.max_attempts = 1;
    config.breaker.failure_threshold = 2;
    config.attempt_timeout = Duration::from_secs(1);
    SubscriptionServiceClient::new(config).expect("client")
}

/// Calls `listPlans` with a fallback; says whether the fallback ran, and with which error.
async fn list_plans_or_default(
    client: &SubscriptionServiceClient,
) -> (Result<PlanList, AppError>, Option<AppError>) {
    let seen = Mutex::new(None);
    let result = client
        .list_plans_or_else(&on_sale(), |error| {
            if let Ok(mut seen) = seen.lock() {
                *seen = Some(error.clone());
            }
            PlanList::new(Vec::new())
        })
        .await;
    (result, seen.into_inner().unwrap_or(None))
}

#[tokio::test]
async fn a_non_critical_call_falls_back_on_503_and_an_open_circuit_never_on_404_or_422() {
    let server = StubServer::start().await.expect("stub server");
    let client = one_attempt_client(server.client_config());
    let operation = &subscription_api::operations::LIST_PLANS;

    server.answer(operation, 404, &problem(404, "PLANS_NOT_FOUND"));
    let (result, fallback) = list_plans_or_default(&client).await;
    assert_eq!(result.expect_err("the 404").kind, ErrorKind::NotFound);
    assert!(fallback.is_none(), "no fallback for a 404");

    server.answer(operation, 422, &problem(422, "VALIDATION_FAILED"));
    let (result, fallback) = list_plans_or_default(&client).await;
    assert_eq!(result.expect_err("the 422").kind, ErrorKind::Validation);
    assert!(fallback.is_none(), "no fallback for a 422");

    server.answer(operation, 503, &problem(503, "SERVICE_UNAVAILABLE"));
    for _ in 0..2 {
        let (result, fallback) = list_plans_or_default(&client).await;
        assert!(result.expect("the fallback").plans.is_empty());
        assert_eq!(fallback.expect("the fallback ran").status, 503);
    }

    // Two failures opened the circuit: the answer is there again, but nothing is sent.
    server.answer(operation, 200, PLANS);
    let (result, fallback) = list_plans_or_default(&client).await;
    assert!(result.expect("the fallback").plans.is_empty());
    assert_eq!(
        fallback.expect("the fallback ran").code,
        codes::CIRCUIT_OPEN
    );
    assert_eq!(server.requests().len(), 4, "the open circuit sent nothing");
}

#[tokio::test(start_paused = true)]
async fn a_non_critical_call_falls_back_when_the_service_does_not_answer_in_time() {
    // A listener that never accepts: the connection is made, no answer ever comes.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let url = format!("http://{}/", silent.local_addr().expect("address"));
    let config = ClientConfig::new(url.parse().expect("URL"), ApiKey::new("k"), "gym");
    let client = one_attempt_client(config);
    let (result, fallback) = list_plans_or_default(&client).await;
    assert!(result.expect("the fallback").plans.is_empty());
    let error = fallback.expect("the fallback ran");
    assert_eq!(
        (error.kind, error.code.as_str()),
        (ErrorKind::Timeout, codes::UPSTREAM_TIMEOUT)
    );
}
