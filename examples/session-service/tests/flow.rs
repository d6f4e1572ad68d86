//! The platform's booking flow over real sockets: a caller books through session, session
//! asks subscription (critical) and notifies communication (fire-and-forget), and one
//! correlation id travels the whole way.

use std::time::Duration;

use communication_api::client::CommunicationServiceClient;
use session_api::client::SessionServiceClient;
use session_api::CreateSessionRequest;
use session_service::Sessions;
use solo60_runtime::client::{ApiKey, ClientConfig, Url};
use solo60_runtime::server::{axum, ServiceAuth};
use solo60_runtime::testing::StubServer;
use solo60_runtime::{correlation, parse, ErrorKind, Uuid};
use subscription_api::client::SubscriptionServiceClient;
use subscription_api::{PlanTier, SubscriptionDetails, SubscriptionStatus};
use subscription_service::Subscriptions;

const KEY: &str = "platform-test-key";
const MEMBER: &str = "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d";

async fn serve(app: axum::Router) -> Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url: Url = format!("http://{}/", listener.local_addr().expect("address"))
        .parse()
        .expect("URL");
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

fn config(url: &Url, caller: &str) -> ClientConfig {
    ClientConfig::new(url.clone(), ApiKey::new(KEY), caller)
}

fn booking(user: &str) -> CreateSessionRequest {
    parse(&serde_json::json!({
        "userId": user,
        "gymId": "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6",
        "type": "personal_training",
        "startsAt": "2026-03-03T18:00:00Z",
        "durationMinutes": 60
    }))
    .expect("a valid booking")
}

struct Platform {
    subscriptions: Subscriptions,
    communication: StubServer,
    session: SessionServiceClient,
}

async fn platform() -> Platform {
    let subscriptions = Subscriptions::default();
    subscriptions.insert(SubscriptionDetails::new(
        Uuid::from_u128(1),
        MEMBER.parse().expect("uuid"),
        PlanTier::Premium,
        SubscriptionStatus::Active,
        "2026-03-01T00:00:00Z".to_owned(),
        "2026-04-01T00:00:00Z".to_owned(),
        false,
        vec!["personal_training".to_owned()],
    ));
    let auth = || ServiceAuth::new(ApiKey::new(KEY));
    let subscription_url = serve(subscription_api::server::router(
        subscriptions.clone(),
        auth(),
    ))
    .await;
    let communication = StubServer::start().await.expect("stub");
    communication.answer(
        &communication_api::operations::SEND_NOTIFICATION,
        201,
        r#"{"id":"f0e1d2c3-b4a5-4968-8778-695a4b3c2d1e","userId":"5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d","category":"booking","payload":{"channel":"push","title":"Session booked","body":"Booked."},"status":"queued","createdAt":"2026-03-01T09:30:10Z","readAt":null}"#,
    );
    let sessions = Sessions::new(
        SubscriptionServiceClient::new(config(&subscription_url, "session")).expect("client"),
        CommunicationServiceClient::new(config(&communication.base_url(), "session"))
            .expect("client"),
    );
    let session_url = serve(session_api::server::router(sessions, auth())).await;
    let session = SessionServiceClient::new(config(&session_url, "gateway")).expect("client");
    Platform {
        subscriptions,
        communication,
        session,
    }
}

#[tokio::test]
async fn a_booking_carries_one_correlation_id_through_every_service() {
    let platform = platform().await;
    let booked = correlation::scope(
        "booking-flow-1".to_owned(),
        platform.session.create_session(&booking(MEMBER)),
    )
    .await
    .expect("booked");
    assert_eq!(booked.user_id.to_string(), MEMBER);
    assert_eq!(booked.ends_at, "2026-03-03T19:00:00Z");

    let checks = platform.subscriptions.checks();
    assert_eq!(checks.len(), 1);
    assert_eq!(
        checks[0].caller, "session",
        "session called subscription as itself"
    );
    assert_eq!(checks[0].correlation_id, "booking-flow-1");

    // The notification is fired and forgotten: wait for it, boundedly.
    let mut notified = None;
    for _ in 0..200 {
        if let Some(request) = platform.communication.requests().into_iter().next() {
            notified = Some(request);
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let notified = notified.expect("communication was notified");
    assert_eq!(notified.header("x-correlation-id"), Some("booking-flow-1"));
    assert_eq!(notified.header("x-service-name"), Some("session"));
    assert!(
        notified.header("idempotency-key").is_some(),
        "a keyed write"
    );
}

#[tokio::test]
async fn a_member_without_access_is_refused_with_403() {
    let platform = platform().await;
    let stranger = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    let error = platform
        .session
        .create_session(&booking(stranger))
        .await
        .expect_err("refused");
    assert_eq!(error.kind, ErrorKind::Forbidden);
    assert_eq!(error.status, 403);
    assert_eq!(error.code, "SUBSCRIPTION_REQUIRED");
    assert!(
        error.message.contains("no_subscription"),
        "{}",
        error.message
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        platform.communication.requests().is_empty(),
        "no notification for a refusal"
    );
}
