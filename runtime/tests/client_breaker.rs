//! The circuit breaker: opens after the threshold (later calls never reach the server),
//! half-opens after `open_for` with a bounded number of probes, closes on a probe's success and
//! reopens on its failure.

mod support;

use std::time::Duration;

use solo60_runtime::client::{codes, BreakerConfig, Call, CircuitState, NoBody, ServiceClient};
use solo60_runtime::{AppError, ErrorKind};
use support::*;

fn get() -> Call<'static, NoBody> {
    Call::new(&GET_PING, "/internal/pings/p1".into())
}

/// Threshold 3, 30 s open, `probes` probes; one attempt per call so calls and attempts match.
fn breaker_client(server: &TestServer, probes: u32) -> ServiceClient {
    let mut config = config(server);
    config.retry.max_attempts = 1;
    config.breaker = BreakerConfig {
        failure_threshold: 3,
        open_for: Duration::from_secs(30),
        half_open_probes: probes,
    };
    client(config)
}

async fn call(client: &ServiceClient) -> Result<Pong, AppError> {
    client.call(get()).await
}

fn assert_circuit_open(error: &AppError) {
    assert_eq!(error.kind, ErrorKind::Unavailable);
    assert_eq!(error.code, codes::CIRCUIT_OPEN);
    assert!(error.correlation_id.is_some());
}

/// Waits (bounded) until the server has seen `count` requests.
async fn until_server_saw(server: &TestServer, count: usize) {
    for _ in 0..1000 {
        if server.count() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    panic!("the server saw {} requests, not {count}", server.count());
}

async fn open(server: &TestServer, client: &ServiceClient) {
    for _ in 0..3 {
        server.push(Reply::status(500));
    }
    for _ in 0..3 {
        assert_eq!(call(client).await.unwrap_err().kind, ErrorKind::Internal);
    }
    assert_eq!(client.circuit_state(), CircuitState::Open);
}

#[tokio::test(start_paused = true)]
async fn it_opens_after_the_threshold_and_then_fails_fast_without_the_network() {
    let server = TestServer::start([]).await;
    let client = breaker_client(&server, 1);
    open(&server, &client).await;
    server.push(Reply::ok());

    for _ in 0..10 {
        let error = call(&client).await.unwrap_err();
        assert_circuit_open(&error);
        assert_eq!(error.retry_after, Some(Duration::from_secs(30)));
    }
    assert_eq!(
        server.count(),
        3,
        "no request reached the server while open"
    );
}

#[tokio::test(start_paused = true)]
async fn it_half_opens_after_the_wait_with_bounded_probes_and_closes_on_success() {
    let server = TestServer::start([]).await;
    let client = breaker_client(&server, 2);
    open(&server, &client).await;

    tokio::time::sleep(Duration::from_secs(29)).await;
    assert_circuit_open(&call(&client).await.unwrap_err());
    tokio::time::sleep(Duration::from_secs(1)).await;

    // Two slow probes hold both slots; a third call is turned away without reaching the server.
    server.push(Reply::ok().delay(Duration::from_secs(5)));
    server.push(Reply::ok().delay(Duration::from_secs(5)));
    let first = tokio::spawn({
        let client = client.clone();
        async move { call(&client).await }
    });
    let second = tokio::spawn({
        let client = client.clone();
        async move { call(&client).await }
    });
    until_server_saw(&server, 5).await;
    assert_eq!(client.circuit_state(), CircuitState::HalfOpen);
    let turned_away = call(&client).await.unwrap_err();
    assert_circuit_open(&turned_away);
    assert_eq!(turned_away.retry_after, None);
    assert_eq!(server.count(), 5);

    assert!(first.await.unwrap().is_ok());
    assert!(second.await.unwrap().is_ok());
    assert_eq!(client.circuit_state(), CircuitState::Closed);
    server.push(Reply::ok());
    assert!(call(&client).await.is_ok());
    assert_eq!(server.count(), 6);
}

#[tokio::test(start_paused = true)]
async fn a_failed_probe_reopens_it_for_another_period() {
    let server = TestServer::start([]).await;
    let client = breaker_client(&server, 1);
    open(&server, &client).await;
    tokio::time::sleep(Duration::from_secs(30)).await;

    server.push(Reply::status(503));
    assert_eq!(call(&client).await.unwrap_err().status, 503);

    assert_eq!(client.circuit_state(), CircuitState::Open);
    let error = call(&client).await.unwrap_err();
    assert_circuit_open(&error);
    assert_eq!(
        error.retry_after,
        Some(Duration::from_secs(30)),
        "the timer restarted"
    );
    assert_eq!(server.count(), 4);
}

#[tokio::test(start_paused = true)]
async fn client_errors_do_not_open_it() {
    let server = TestServer::always(Reply::status(404)).await;
    let client = breaker_client(&server, 1);
    for _ in 0..10 {
        assert_eq!(call(&client).await.unwrap_err().kind, ErrorKind::NotFound);
    }
    assert_eq!(client.circuit_state(), CircuitState::Closed);
    assert_eq!(server.count(), 10);
}

#[tokio::test(start_paused = true)]
async fn a_success_resets_the_count_of_failures() {
    let server = TestServer::start([
        Reply::status(503),
        Reply::status(503),
        Reply::ok(),
        Reply::status(503),
        Reply::status(503),
    ])
    .await;
    let client = breaker_client(&server, 1);
    for _ in 0..5 {
        let _ = call(&client).await;
    }
    assert_eq!(client.circuit_state(), CircuitState::Closed);
}

#[tokio::test(start_paused = true)]
async fn timeouts_and_unreachable_upstreams_count_as_failures() {
    let server = TestServer::start([
        Reply::ok().delay(Duration::from_secs(3600)),
        Reply::drop_connection(),
        Reply::status(429),
    ])
    .await;
    let mut config = config(&server);
    config.retry.max_attempts = 1;
    config.attempt_timeout = Duration::from_secs(1);
    config.breaker.failure_threshold = 3;
    let client = client(config);
    for _ in 0..3 {
        let _ = call(&client).await;
    }
    assert_eq!(client.circuit_state(), CircuitState::Open);
}

#[tokio::test(start_paused = true)]
async fn a_call_stops_retrying_once_the_circuit_opens() {
    let server = TestServer::always(Reply::status(503)).await;
    let mut config = config(&server);
    config.retry.max_attempts = 5;
    config.breaker.failure_threshold = 2;
    let client = client(config);

    let error = call(&client).await.unwrap_err();

    assert_circuit_open(&error);
    assert_eq!(
        server.count(),
        2,
        "the third attempt was refused by the open circuit"
    );
}
