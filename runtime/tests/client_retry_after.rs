//! `Retry-After`: honoured as the wait, in seconds or as an HTTP-date; past the cap, or past
//! the deadline, the call ends at once with a typed error instead of a long wait.

mod support;

use std::time::{Duration, SystemTime};

use solo60_runtime::client::{codes, Call, NoBody};
use solo60_runtime::ErrorKind;
use support::*;
use tokio::time::Instant;

fn get() -> Call<'static, NoBody> {
    Call::new(&GET_PING, "/internal/pings/p1".into())
}

fn gap(server: &TestServer) -> Duration {
    let requests = server.requests();
    requests[1].at - requests[0].at
}

#[tokio::test(start_paused = true)]
async fn retry_after_in_seconds_is_the_wait() {
    let server =
        TestServer::start([Reply::status(503).header("retry-after", "7"), Reply::ok()]).await;
    let _: Pong = client(config(&server)).call(get()).await.unwrap();
    assert_eq!(server.count(), 2);
    // Longer than any backoff bound of the policy (2 s): the header decided.
    assert_eq!(gap(&server), Duration::from_secs(7));
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_an_http_date_is_honoured() {
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(6));
    let server =
        TestServer::start([Reply::status(429).header("retry-after", at), Reply::ok()]).await;
    let _: Pong = client(config(&server)).call(get()).await.unwrap();
    // The date has whole seconds, so the wait is 5 to 6 s: well past any backoff bound.
    let wait = gap(&server);
    assert!(
        (Duration::from_secs(4)..=Duration::from_secs(6)).contains(&wait),
        "{wait:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_past_the_cap_ends_the_call_at_once() {
    for (status, kind) in [(503, ErrorKind::Unavailable), (429, ErrorKind::RateLimited)] {
        let server = TestServer::start([
            Reply::status(status).header("retry-after", "3600"),
            Reply::ok(),
        ])
        .await;
        let client = client(config(&server));
        let started = Instant::now();

        let error = client.call::<_, Pong>(get()).await.unwrap_err();

        assert_eq!((error.kind, error.status), (kind, status));
        assert_eq!(error.retry_after, Some(Duration::from_secs(3600)));
        assert!(error.is_retryable(), "the caller may come back later");
        assert_eq!(server.count(), 1);
        assert_eq!(started.elapsed(), Duration::ZERO, "no wait at all");
    }
}

#[tokio::test(start_paused = true)]
async fn a_wait_that_would_cross_the_deadline_ends_the_call_now() {
    let server =
        TestServer::start([Reply::status(503).header("retry-after", "8"), Reply::ok()]).await;
    let mut config = config(&server);
    config.deadline = Duration::from_secs(5);
    let client = client(config);
    let started = Instant::now();

    let error = client.call::<_, Pong>(get()).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::Timeout);
    assert_eq!(error.code, codes::DEADLINE_EXCEEDED);
    assert_eq!(error.retry_after, Some(Duration::from_secs(8)));
    assert!(
        error
            .message
            .contains("last error: 503 SERVICE_UNAVAILABLE"),
        "{}",
        error.message
    );
    assert_eq!(server.count(), 1);
    assert_eq!(started.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn an_unreadable_retry_after_falls_back_to_backoff() {
    let server = TestServer::start([
        Reply::status(503).header("retry-after", "soon"),
        Reply::ok(),
    ])
    .await;
    let config = config(&server);
    let bound = config.retry.backoff_bound(0);
    let _: Pong = client(config).call(get()).await.unwrap();
    assert!(gap(&server) <= bound);
}
