//! Retries: only what the contract says may be repeated, only after transient failures, with
//! waits inside the policy's bounds and the same identity on every attempt.

mod support;

use std::collections::HashSet;
use std::time::Duration;

use solo60_runtime::client::{codes, Call, NoBody};
use solo60_runtime::{AppError, ErrorKind};
use support::*;

fn get(id: &str) -> Call<'static, NoBody> {
    Call::new(&GET_PING, format!("/internal/pings/{id}"))
}

#[tokio::test(start_paused = true)]
async fn a_safe_call_succeeds_after_two_503s_with_waits_inside_the_policy() {
    let server = TestServer::start([Reply::status(503), Reply::status(503), Reply::ok()]).await;
    let config = config(&server);
    let retry = config.retry.clone();
    let client = client(config);

    let pong: Pong = client.call(get("p1")).await.unwrap();

    assert_eq!(pong, support::pong());
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for (retry_index, pair) in requests.windows(2).enumerate() {
        let wait = pair[1].at - pair[0].at;
        let bound = retry.backoff_bound(retry_index as u32);
        assert!(wait <= bound, "wait {wait:?} over bound {bound:?}");
    }
    let correlation: HashSet<_> = requests
        .iter()
        .map(|r| r.header("x-correlation-id"))
        .collect();
    assert_eq!(correlation.len(), 1, "one correlation id for the call");
    let service_ids: HashSet<_> = requests.iter().map(|r| r.header("x-service-id")).collect();
    assert_eq!(service_ids.len(), 3, "a fresh x-service-id per attempt");
    for request in &requests {
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, "/internal/pings/p1");
        assert_eq!(request.header("x-api-key"), Some(KEY));
        assert_eq!(request.header("x-service-name"), Some("test-caller"));
        assert_eq!(
            request.header("accept"),
            Some("application/json, application/problem+json")
        );
        assert_eq!(
            request.header("content-type"),
            None,
            "no body, no content-type"
        );
        assert_eq!(
            request.header("idempotency-key"),
            None,
            "safe calls need no key"
        );
        assert!(request
            .header("x-service-id")
            .is_some_and(|id| id.len() == 36));
        assert!(request.body.is_empty());
    }
}

#[tokio::test(start_paused = true)]
async fn an_unsafe_write_is_sent_once_on_503() {
    let server = TestServer::start([Reply::status(503), Reply::ok()]).await;
    let client = client(config(&server));
    let ping = Ping { name: "a".into() };

    let error = client
        .call::<_, Pong>(Call::new(&SEND_PING, "/internal/pings".into()).body(&ping))
        .await
        .unwrap_err();

    assert_eq!((error.kind, error.status), (ErrorKind::Unavailable, 503));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    assert_eq!(requests[0].header("idempotency-key"), None);
    assert_eq!(requests[0].body, br#"{"name":"a"}"#);
}

#[tokio::test(start_paused = true)]
async fn an_unsafe_write_is_sent_once_on_timeout() {
    let server = TestServer::start([Reply::ok().delay(Duration::from_secs(60)), Reply::ok()]).await;
    let mut config = config(&server);
    config.attempt_timeout = Duration::from_secs(1);
    let client = client(config);
    let ping = Ping { name: "a".into() };
    let started = tokio::time::Instant::now();

    let error = client
        .call::<_, Pong>(Call::new(&SEND_PING, "/internal/pings".into()).body(&ping))
        .await
        .unwrap_err();

    assert_eq!(error.kind, ErrorKind::Timeout);
    assert_eq!(error.code, codes::UPSTREAM_TIMEOUT);
    assert_eq!(started.elapsed(), Duration::from_secs(1));
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_keyed_write_is_retried_with_the_same_idempotency_key() {
    let server = TestServer::start([
        Reply::status(503),
        Reply::drop_connection(),
        Reply::status(504),
        Reply::json(201, pong_json()),
    ])
    .await;
    let mut config = config(&server);
    config.retry.max_attempts = 4;
    let client = client(config);
    let ping = Ping { name: "a".into() };

    let pong: Pong = client
        .call(Call::new(&CREATE_PING, "/internal/pings/keyed".into()).body(&ping))
        .await
        .unwrap();

    assert_eq!(pong, support::pong());
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let keys: HashSet<_> = requests
        .iter()
        .map(|r| r.header("idempotency-key"))
        .collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    let key = requests[0].header("idempotency-key").unwrap();
    assert_eq!(key.len(), 36, "a UUID v4: {key}");
    assert!(requests.iter().all(|r| r.body == br#"{"name":"a"}"#));
}

#[tokio::test(start_paused = true)]
async fn two_keyed_calls_get_two_keys() {
    let server = TestServer::always(Reply::json(201, pong_json())).await;
    let client = client(config(&server));
    let ping = Ping { name: "a".into() };
    for _ in 0..2 {
        let _: Pong = client
            .call(Call::new(&CREATE_PING, "/internal/pings/keyed".into()).body(&ping))
            .await
            .unwrap();
    }
    let keys: HashSet<_> = server
        .requests()
        .iter()
        .map(|r| r.header("idempotency-key").map(str::to_owned))
        .collect();
    assert_eq!(keys.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn an_explicit_idempotency_key_is_sent_and_makes_a_write_retryable() {
    let server = TestServer::start([Reply::status(503), Reply::json(201, pong_json())]).await;
    let client = client(config(&server));
    let ping = Ping { name: "a".into() };

    let _: Pong = client
        .call(
            Call::new(&SEND_PING, "/internal/pings".into())
                .body(&ping)
                .idempotency_key("order-42"),
        )
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests
        .iter()
        .all(|r| r.header("idempotency-key") == Some("order-42")));
}

#[tokio::test(start_paused = true)]
async fn an_unsendable_idempotency_key_is_refused_before_sending() {
    let server = TestServer::always(Reply::ok()).await;
    let client = client(config(&server));
    let error = client
        .call::<_, Pong>(get("p1").idempotency_key("line\nbreak"))
        .await
        .unwrap_err();
    assert_eq!(error.code, codes::INVALID_IDEMPOTENCY_KEY);
    assert_eq!(server.count(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_dropped_connection_is_retried_on_a_safe_call_and_not_on_an_unsafe_one() {
    let server = TestServer::start([Reply::drop_connection(), Reply::ok()]).await;
    let client = client(config(&server));
    let _: Pong = client.call(get("p1")).await.unwrap();
    assert_eq!(server.count(), 2);

    let server = TestServer::start([Reply::drop_connection(), Reply::ok()]).await;
    let client = support::client(config(&server));
    let ping = Ping { name: "a".into() };
    let error = client
        .call::<_, Pong>(Call::new(&SEND_PING, "/internal/pings".into()).body(&ping))
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unavailable);
    assert_eq!(error.code, codes::UPSTREAM_UNREACHABLE);
    assert!(error
        .message
        .starts_with("upstream `pings` could not be reached"));
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_refused_connection_is_unreachable_after_max_attempts() {
    // A port that was just free: nothing listens there.
    let port = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let server = TestServer::start([]).await;
    let mut config = config(&server);
    config.base_url = url::Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let client = client(config);

    let error: AppError = client.call::<_, Pong>(get("p1")).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::Unavailable);
    assert_eq!(error.code, codes::UPSTREAM_UNREACHABLE);
    assert!(error.is_retryable());
    assert!(!error.message.contains("127.0.0.1"), "{}", error.message);
}

#[tokio::test(start_paused = true)]
async fn attempts_stop_at_max_attempts() {
    let server = TestServer::always(Reply::status(503)).await;
    let mut config = config(&server);
    config.retry.max_attempts = 4;
    let client = client(config);
    let error = client.call::<_, Pong>(get("p1")).await.unwrap_err();
    assert_eq!(error.status, 503);
    assert_eq!(server.count(), 4);
}

#[tokio::test(start_paused = true)]
async fn only_transient_failures_are_retried() {
    for (status, retried) in [
        (429, true),
        (502, true),
        (503, true),
        (504, true),
        (500, false),
        (501, false),
        (400, false),
        (404, false),
    ] {
        let server = TestServer::start([Reply::status(status), Reply::ok()]).await;
        let client = client(config(&server));
        let result = client.call::<_, Pong>(get("p1")).await;
        assert_eq!(result.is_ok(), retried, "{status}");
        assert_eq!(server.count(), if retried { 2 } else { 1 }, "{status}");
    }
}
