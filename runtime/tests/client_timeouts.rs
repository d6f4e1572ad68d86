//! Timeouts: each attempt is cut at `attempt_timeout` (sending and reading the body both), and
//! the call as a whole, waits included, at `deadline`.

mod support;

use std::time::Duration;

use solo60_runtime::client::{codes, Call, NoBody};
use solo60_runtime::ErrorKind;
use support::*;
use tokio::time::Instant;

fn get() -> Call<'static, NoBody> {
    Call::new(&GET_PING, "/internal/pings/p1".into())
}

#[tokio::test(start_paused = true)]
async fn a_slow_answer_is_cut_at_the_attempt_timeout_and_retried() {
    let server =
        TestServer::start([Reply::ok().delay(Duration::from_secs(3600)), Reply::ok()]).await;
    let mut config = config(&server);
    config.attempt_timeout = Duration::from_secs(2);
    let bound = config.retry.backoff_bound(0);
    let client = client(config);
    let started = Instant::now();

    let _: Pong = client.call(get()).await.unwrap();

    assert_eq!(server.count(), 2);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(2) && elapsed <= Duration::from_secs(2) + bound,
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_body_that_stops_arriving_is_cut_at_the_attempt_timeout() {
    let server = TestServer::always(Reply::ok().body(ReplyBody::Stalled)).await;
    let mut config = config(&server);
    config.attempt_timeout = Duration::from_secs(2);
    config.retry.max_attempts = 1;
    let client = client(config);
    let started = Instant::now();

    let error = client.call::<_, Pong>(get()).await.unwrap_err();

    assert_eq!(
        (error.kind, error.code.as_str()),
        (ErrorKind::Timeout, codes::UPSTREAM_TIMEOUT)
    );
    assert_eq!(error.status, 504);
    assert_eq!(started.elapsed(), Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn the_deadline_bounds_the_whole_call() {
    let server = TestServer::always(Reply::ok().delay(Duration::from_secs(3600))).await;
    let mut config = config(&server);
    config.attempt_timeout = Duration::from_secs(1);
    config.deadline = Duration::from_millis(2500);
    config.retry.max_attempts = 10;
    let client = client(config);
    let started = Instant::now();

    let error = client.call::<_, Pong>(get()).await.unwrap_err();

    assert_eq!(error.kind, ErrorKind::Timeout);
    assert_eq!(error.code, codes::DEADLINE_EXCEEDED);
    assert!(
        started.elapsed() <= Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    // 1 s + ≤0.1 s + 1 s + ≤0.2 s leaves at most 0.5 s for a third, shortened attempt.
    assert_eq!(server.count(), 3);
}

#[tokio::test(start_paused = true)]
async fn the_last_attempt_is_shortened_to_the_deadline() {
    let server = TestServer::always(Reply::ok().delay(Duration::from_secs(3600))).await;
    let mut config = config(&server);
    config.attempt_timeout = Duration::from_secs(30);
    config.deadline = Duration::from_secs(5);
    let client = client(config);
    let started = Instant::now();

    let error = client.call::<_, Pong>(get()).await.unwrap_err();

    assert_eq!(error.code, codes::DEADLINE_EXCEEDED);
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    assert_eq!(server.count(), 1);
}
