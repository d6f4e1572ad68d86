//! What a repeat of a keyed write gets back, against every store (the in-memory one always,
//! Redis when `REDIS_URL` names a server): the same JSON reformatted is the same request,
//! and a replay names one exchange — the first — in its body and its header alike.

#[macro_use]
mod keyed_writes;

use std::sync::atomic::Ordering;

use keyed_writes::*;
use serde_json::json;
use solo60_runtime::server::axum::http::Request;

store_tests!(the_same_json_reformatted_under_the_same_key_is_replayed);

async fn the_same_json_reformatted_under_the_same_key_is_replayed(backend: Backend) {
    let payments = Payments::default();
    let app = router(payments.clone(), backend.idempotency);
    let first = send(
        &app,
        payment_text(
            Some("pay-json"),
            "session",
            r#"{"amount":500,"note":"rent"}"#,
        ),
    )
    .await;
    // Other key order, other spacing: the same JSON value.
    let reformatted = send(
        &app,
        payment_text(
            Some("pay-json"),
            "session",
            "{\n  \"note\" : \"rent\",\n  \"amount\" : 500\n}\n",
        ),
    )
    .await;
    assert_eq!(first.status, 201, "{}: {first:?}", backend.name);
    assert_eq!(reformatted.status, 201, "{}: {reformatted:?}", backend.name);
    assert!(reformatted.replayed, "{}: {reformatted:?}", backend.name);
    assert_eq!(
        first.body, reformatted.body,
        "{}: byte-identical",
        backend.name
    );
    // A really different value under the key is still refused.
    let different = send(
        &app,
        payment_text(
            Some("pay-json"),
            "session",
            r#"{"note":"rent","amount":501}"#,
        ),
    )
    .await;
    assert_eq!(different.status, 422, "{}: {different:?}", backend.name);
    assert_eq!(
        different.code(),
        "IDEMPOTENCY_KEY_REUSED",
        "{}",
        backend.name
    );
    assert_eq!(
        payments.charges.load(Ordering::SeqCst),
        1,
        "{}: the handler ran once",
        backend.name
    );
}

/// The request, sent with its own `x-correlation-id`.
fn correlated(
    mut request: Request<solo60_runtime::server::axum::body::Body>,
    id: &str,
) -> Request<solo60_runtime::server::axum::body::Body> {
    request
        .headers_mut()
        .insert("x-correlation-id", id.parse().expect("a header value"));
    request
}

store_tests!(a_replayed_error_names_the_first_request_in_body_and_header);

async fn a_replayed_error_names_the_first_request_in_body_and_header(backend: Backend) {
    let payments = Payments::default();
    let app = router(payments.clone(), backend.idempotency);
    let declined = json!({"amount": DECLINED_FROM});
    let first = send(
        &app,
        correlated(
            payment(Some("pay-declined"), "session", declined.clone()),
            "first-attempt",
        ),
    )
    .await;
    let repeat = send(
        &app,
        correlated(
            payment(Some("pay-declined"), "session", declined),
            "second-attempt",
        ),
    )
    .await;
    assert_eq!(first.status, 409, "{}: {first:?}", backend.name);
    assert_eq!(
        first.json()["correlationId"],
        "first-attempt",
        "{}",
        backend.name
    );
    assert_eq!(
        first.correlation_id.as_deref(),
        Some("first-attempt"),
        "{}",
        backend.name
    );
    assert!(repeat.replayed, "{}: {repeat:?}", backend.name);
    assert_eq!(repeat.body, first.body, "{}: byte-identical", backend.name);
    assert_eq!(
        repeat.correlation_id.as_deref(),
        Some("first-attempt"),
        "{}: the header names the exchange the body comes from",
        backend.name
    );
    assert_eq!(
        payments.charges.load(Ordering::SeqCst),
        1,
        "{}",
        backend.name
    );
    // A request that is not a replay still gets its own id echoed.
    let fresh = send(
        &app,
        correlated(
            payment(Some("pay-other"), "session", json!({"amount": 5})),
            "third-attempt",
        ),
    )
    .await;
    assert!(!fresh.replayed, "{}", backend.name);
    assert_eq!(
        fresh.correlation_id.as_deref(),
        Some("third-attempt"),
        "{}",
        backend.name
    );
}
