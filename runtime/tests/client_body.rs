//! Answer bodies: capped (by `Content-Length` up front, or while streaming), and a success body
//! that is malformed or breaks its contract is a typed error that is never retried.

mod support;

use std::time::Duration;

use bytes::Bytes;
use solo60_runtime::client::{codes, Call, NoBody};
use solo60_runtime::ErrorKind;
use support::*;

const CAP: usize = 64 * 1024;

fn get() -> Call<'static, NoBody> {
    Call::new(&GET_PING, "/internal/pings/p1".into())
}

/// A valid `Pong` padded with spaces to exactly `len` bytes.
fn padded_pong(len: usize) -> Bytes {
    let mut body = pong_json().into_bytes();
    body.resize(len, b' ');
    Bytes::from(body)
}

fn capped_config(server: &TestServer) -> solo60_runtime::client::ClientConfig {
    let mut config = config(server);
    config.max_response_bytes = CAP;
    config
}

#[tokio::test(start_paused = true)]
async fn a_body_over_the_cap_by_content_length_is_refused_and_not_retried() {
    let server = TestServer::always(Reply::ok().body(ReplyBody::Whole(padded_pong(CAP + 1)))).await;
    let client = client(capped_config(&server));

    let error = client.call::<_, Pong>(get()).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::InvalidResponse);
    assert_eq!(error.code, codes::RESPONSE_TOO_LARGE);
    assert_eq!(error.status, 502);
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_endless_chunked_body_is_cut_at_the_cap() {
    let server = TestServer::always(Reply::ok().body(ReplyBody::Endless)).await;
    let client = client(capped_config(&server));

    let error = client.call::<_, Pong>(get()).await.unwrap_err();

    assert_eq!(error.code, codes::RESPONSE_TOO_LARGE);
    assert_eq!(server.count(), 1);
    // The connection was closed: the server stopped long before its 256 MiB (socket buffers
    // account for what it wrote after the cap).
    tokio::time::sleep(Duration::from_millis(10)).await;
    let streamed = server.streamed_bytes();
    assert!(streamed < ENDLESS_BYTES / 8, "{streamed} bytes streamed");
}

#[tokio::test(start_paused = true)]
async fn bodies_of_exactly_the_cap_are_accepted_with_or_without_length() {
    for body in [
        ReplyBody::Whole(padded_pong(CAP)),
        ReplyBody::Chunked(padded_pong(CAP)),
    ] {
        let server = TestServer::always(Reply::ok().body(body)).await;
        let pong: Pong = client(capped_config(&server)).call(get()).await.unwrap();
        assert_eq!(pong, support::pong());
    }
    let server =
        TestServer::always(Reply::ok().body(ReplyBody::Chunked(padded_pong(CAP + 1)))).await;
    let error = client(capped_config(&server))
        .call::<_, Pong>(get())
        .await
        .unwrap_err();
    assert_eq!(error.code, codes::RESPONSE_TOO_LARGE);
}

#[tokio::test(start_paused = true)]
async fn a_malformed_json_success_is_an_invalid_response_and_not_retried() {
    let server = TestServer::start([Reply::json(200, r#"{"greeting":"hel"#), Reply::ok()]).await;
    let client = client(config(&server));

    let error = client.call::<_, Pong>(get()).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::InvalidResponse);
    assert_eq!(error.code, codes::INVALID_RESPONSE);
    assert!(!error.is_retryable());
    assert_eq!(error.violations.len(), 1);
    assert_eq!(error.violations[0].keyword, "json");
    assert!(error.correlation_id.is_some());
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_success_breaking_its_contract_lists_every_violation() {
    let server = TestServer::always(Reply::json(200, r#"{"greeting":5,"count":-1}"#)).await;
    let client = client(config(&server));

    let error = client.call::<_, Pong>(get()).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::InvalidResponse);
    let found: Vec<_> = error
        .violations
        .iter()
        .map(|v| (v.pointer.as_str(), v.keyword.as_str()))
        .collect();
    assert_eq!(found, [("/greeting", "type"), ("/count", "minimum")]);
    assert!(
        error.message.contains("breaks its contract (2 violations)"),
        "{}",
        error.message
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn call_no_content_accepts_any_2xx_and_ignores_the_body() {
    let server = TestServer::start([
        Reply::status(204),
        Reply::json(202, "not even json"),
        Reply::ok().body(ReplyBody::Endless),
    ])
    .await;
    let client = client(capped_config(&server));
    let delete = || Call::new(&DELETE_PING, "/internal/pings/p1".into());

    client.call_no_content(delete()).await.unwrap();
    client.call_no_content(delete()).await.unwrap();
    let error = client.call_no_content(delete()).await.unwrap_err();
    assert_eq!(error.code, codes::RESPONSE_TOO_LARGE, "still capped");
    assert!(server.requests().iter().all(|r| r.method == "DELETE"));
}
