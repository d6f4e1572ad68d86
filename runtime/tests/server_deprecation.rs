//! A deprecated operation announces its timeline on every answer — success or refusal —
//! with RFC 9745's `Deprecation` and RFC 8594's `Sunset`; other operations say nothing.

mod service;

use service::*;
use solo60_runtime::server::axum::body::Body;
use solo60_runtime::server::axum::http::Request;
use solo60_runtime::server::{DEPRECATION_HEADER, SUNSET_HEADER};

const BY_EMAIL: &str = "/internal/members/by-email?email=ada%40example.com";

#[tokio::test]
async fn a_deprecated_operation_sends_deprecation_and_sunset() {
    let app = App::new();
    let answer = app
        .send(request("GET", BY_EMAIL).body(Body::empty()).unwrap())
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.header(DEPRECATION_HEADER), Some("@1794700800"));
    assert_eq!(
        answer.header(SUNSET_HEADER),
        Some("Mon, 31 May 2027 00:00:00 GMT")
    );
}

#[tokio::test]
async fn refusals_of_a_deprecated_operation_carry_the_timeline_too() {
    let app = App::new();
    let refused = app
        .send(
            Request::get(BY_EMAIL)
                .header("x-api-key", KEY)
                .header("x-service-name", "payment")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(refused.status, 403, "{refused:?}");
    assert_eq!(refused.header(DEPRECATION_HEADER), Some("@1794700800"));
}

#[tokio::test]
async fn other_operations_announce_nothing() {
    let app = App::new();
    let answer = app.send(get_member_request()).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header(DEPRECATION_HEADER), None);
    assert_eq!(answer.header(SUNSET_HEADER), None);
}
