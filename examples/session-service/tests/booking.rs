//! Booking, unit-tested: session's router called in process with `InternalApiTestHelper`,
//! its upstreams replaced by the generated mocks with canned answers and errors. No socket,
//! no upstream service.

use std::time::Duration;

use communication_api::client::MockCommunicationService;
use session_api::{CreateSessionRequest, Session};
use session_service::Sessions;
use solo60_runtime::client::ApiKey;
use solo60_runtime::server::ServiceAuth;
use solo60_runtime::testing::{InternalApiTestHelper, TestResponse};
use solo60_runtime::{parse, AppError, ErrorKind};
use subscription_api::client::MockSubscriptionService;
use subscription_api::CheckSubscriptionAccessResponse;

const KEY: &str = "session-test-key";
const MEMBER: &str = "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d";

fn booking() -> CreateSessionRequest {
    parse(&serde_json::json!({
        "userId": MEMBER,
        "gymId": "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6",
        "type": "personal_training",
        "startsAt": "2026-03-03T18:00:00Z",
        "durationMinutes": 60
    }))
    .expect("a valid booking")
}

fn access(granted: bool) -> CheckSubscriptionAccessResponse {
    let mut access = CheckSubscriptionAccessResponse::new(granted);
    access.reason = (!granted).then(|| "plan_too_low".to_owned());
    access
}

struct Harness {
    subscriptions: MockSubscriptionService,
    communication: MockCommunicationService,
    api: InternalApiTestHelper,
}

fn harness() -> Harness {
    let subscriptions = MockSubscriptionService::new();
    let communication = MockCommunicationService::new();
    // The mailer is down: a non-critical call, so bookings must not notice.
    communication.on_send_notification(|_| {
        Err(AppError::new(
            ErrorKind::Unavailable,
            "communication is down",
        ))
    });
    let sessions = Sessions::new(subscriptions.clone(), communication.clone());
    let router = session_api::server::router(sessions, ServiceAuth::new(ApiKey::new(KEY)));
    Harness {
        subscriptions,
        communication,
        api: InternalApiTestHelper::new(ApiKey::new(KEY), router).as_caller("gateway"),
    }
}

async fn book(harness: &Harness) -> TestResponse<Session> {
    harness
        .api
        .post("/internal/sessions", &booking())
        .await
        .expect("sent")
}

#[tokio::test]
async fn a_granted_booking_is_made_even_while_communication_is_down() {
    let harness = harness();
    harness.subscriptions.on_check_access(|_| Ok(access(true)));
    let answer = book(&harness).await;
    assert_eq!(answer.status, 201);
    let session = answer.body.expect("a session");
    assert_eq!(session.user_id.to_string(), MEMBER);
    assert_eq!(session.ends_at, "2026-03-03T19:00:00Z");

    let checks = harness.subscriptions.calls_to("checkAccess");
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].input["request"]["userId"], MEMBER);
    assert_eq!(
        checks[0].input["request"]["feature"], "personal_training",
        "the session type is the feature asked for"
    );
    // The notification is fired and forgotten: wait for it, boundedly.
    for _ in 0..200 {
        if !harness.communication.calls().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(
        harness.communication.calls_to("sendNotification").len(),
        1,
        "notified once, and its failure did not fail the booking"
    );
}

#[tokio::test]
async fn a_refused_check_is_a_403_and_nothing_is_sent() {
    let harness = harness();
    harness.subscriptions.on_check_access(|_| Ok(access(false)));
    let answer = book(&harness).await;
    assert_eq!(answer.status, 403);
    let error = answer.body.expect_err("refused");
    assert_eq!(error.code, "SUBSCRIPTION_REQUIRED");
    assert!(error.message.contains("plan_too_low"), "{}", error.message);
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(harness.communication.calls().is_empty());
}

#[tokio::test]
async fn without_an_answer_from_subscription_nothing_is_booked() {
    let harness = harness();
    harness.subscriptions.on_check_access(|_| {
        Err(AppError::new(
            ErrorKind::Unavailable,
            "subscription is down",
        ))
    });
    let answer = book(&harness).await;
    assert_eq!(
        answer.status, 503,
        "access checks are critical: no fallback"
    );
    assert_eq!(
        answer.body.expect_err("failed").kind,
        ErrorKind::Unavailable
    );
    assert!(harness.communication.calls().is_empty());
}
