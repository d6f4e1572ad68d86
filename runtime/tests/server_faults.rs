//! Faults: a panicking handler, a slow handler, a body that trickles in or runs past the
//! limit. Each gets its problem, none takes the server down, and the next request succeeds —
//! in-process and over a real socket.

mod service;

use std::time::Duration;

use serde_json::json;
use service::wire::{chunked, exchange, head, read_answer, spawn};
use service::*;
use solo60_runtime::server::axum::body::Body;
use solo60_runtime::server::ServerConfig;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::time::Instant;

fn panic_request() -> solo60_runtime::server::axum::http::Request<Body> {
    request("POST", "/internal/faults/panic")
        .body(Body::empty())
        .unwrap()
}

fn slow_request() -> solo60_runtime::server::axum::http::Request<Body> {
    request("GET", "/internal/faults/slow")
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_without_the_panic_text() {
    let app = App::new();
    let answer = app.send(panic_request()).await;
    let problem = answer.assert_problem(500, "INTERNAL_ERROR");
    assert_eq!(problem.title, "Internal Server Error");
    let text = answer.text();
    assert!(
        !text.contains("PANIC-TEXT") && !text.contains("boom"),
        "{text}"
    );
    assert!(
        !text.contains(".rs") && !text.contains("explode"),
        "no location: {text}"
    );
    assert_eq!(app.runs(), 1, "the handler ran, once");
    app.still_serves().await;
    assert_eq!(
        app.send(panic_request()).await.status,
        500,
        "and panics again"
    );
    app.still_serves().await;
}

#[tokio::test(start_paused = true)]
async fn a_slow_handler_is_a_504_at_the_timeout() {
    let app = App::new();
    let started = Instant::now();
    let answer = app.send(slow_request()).await;
    let waited = started.elapsed();
    let problem = answer.assert_problem(504, "REQUEST_TIMEOUT");
    assert_eq!(problem.title, "Timeout");
    assert!(
        waited >= Duration::from_secs(30) && waited < Duration::from_secs(31),
        "answered at the 30 s default, not later: {waited:?}"
    );
    let started = Instant::now();
    app.still_serves().await;
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn the_timeout_is_configurable() {
    let app = App::with_config(ServerConfig {
        request_timeout: Duration::from_millis(250),
        ..ServerConfig::default()
    });
    let started = Instant::now();
    app.send(slow_request())
        .await
        .assert_problem(504, "REQUEST_TIMEOUT");
    assert_eq!(started.elapsed(), Duration::from_millis(250));
}

#[tokio::test]
async fn over_a_socket_the_server_survives_a_panic() {
    let app = App::new();
    let address = spawn(app.router.clone()).await;
    let answer = exchange(
        address,
        head("POST", "/internal/faults/panic", &[]).as_bytes(),
    )
    .await;
    assert_eq!(answer.status, 500);
    let body = String::from_utf8_lossy(&answer.body).into_owned();
    assert!(!body.contains("PANIC-TEXT"), "{body}");
    assert_eq!(answer.json()["code"], "INTERNAL_ERROR");
    assert!(answer.header("x-correlation-id").is_some());
    for _ in 0..3 {
        let path = format!("/internal/members/{MEMBER_ID}");
        let answer = exchange(address, head("GET", &path, &[]).as_bytes()).await;
        assert_eq!(answer.status, 200, "the server still serves");
    }
}

#[tokio::test(start_paused = true)]
async fn a_body_that_trickles_in_is_cut_off_at_the_timeout() {
    let app = App::with_config(ServerConfig {
        request_timeout: Duration::from_secs(2),
        ..ServerConfig::default()
    });
    let address = spawn(app.router.clone()).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    let headers = head(
        "POST",
        "/internal/members",
        &[
            ("content-type", "application/json"),
            ("content-length", "200"),
        ],
    );
    stream.write_all(headers.as_bytes()).await.unwrap();
    let started = Instant::now();
    let (mut reader, mut writer) = stream.into_split();
    // One byte a second: the whole body would take 200 s.
    let trickle = tokio::spawn(async move {
        for _ in 0..200 {
            if writer.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
    let answer = read_answer(&mut reader).await;
    let waited = started.elapsed();
    trickle.abort();
    assert_eq!(answer.status, 504, "{answer:?}");
    assert_eq!(answer.json()["code"], "REQUEST_TIMEOUT");
    assert!(
        waited < Duration::from_secs(4),
        "cut off at the timeout: {waited:?}"
    );
    assert_eq!(app.runs(), 0, "the handler never ran");
    let path = format!("/internal/members/{MEMBER_ID}");
    assert_eq!(
        exchange(address, head("GET", &path, &[]).as_bytes())
            .await
            .status,
        200
    );
}

/// `{"name":"Ada","age":36}` padded with spaces to `size` bytes.
fn member_of_size(size: usize) -> Vec<u8> {
    let mut body = valid_member().to_string();
    body.push_str(&" ".repeat(size - body.len()));
    body.into_bytes()
}

fn small_limit() -> App {
    App::with_config(ServerConfig {
        body_limit: 1024,
        ..ServerConfig::default()
    })
}

#[tokio::test]
async fn over_a_socket_a_chunked_body_past_the_limit_is_a_413() {
    let app = small_limit();
    let address = spawn(app.router.clone()).await;
    let chunked_head = head(
        "POST",
        "/internal/members",
        &[
            ("content-type", "application/json"),
            ("transfer-encoding", "chunked"),
        ],
    );
    let send = |size: usize| {
        let mut bytes = chunked_head.clone().into_bytes();
        bytes.extend(chunked(&member_of_size(size), 100));
        bytes
    };
    let answer = exchange(address, &send(4096)).await;
    assert_eq!(answer.status, 413, "{answer:?}");
    assert_eq!(answer.json()["code"], "PAYLOAD_TOO_LARGE");
    assert_eq!(
        answer.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    assert_eq!(exchange(address, &send(1025)).await.status, 413);
    assert_eq!(app.runs(), 0, "the handler never ran");
    let answer = exchange(address, &send(1024)).await;
    assert_eq!(
        answer.status, 201,
        "exactly the limit is accepted: {answer:?}"
    );
    assert_eq!(app.runs(), 1);
}

#[tokio::test]
async fn over_a_socket_a_declared_length_past_the_limit_is_refused_before_the_body_is_sent() {
    let app = small_limit();
    let address = spawn(app.router.clone()).await;
    // Only the head is sent: the answer cannot be waiting for a body of 10 MB.
    let declared = head(
        "POST",
        "/internal/members",
        &[
            ("content-type", "application/json"),
            ("content-length", "10485760"),
        ],
    );
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(declared.as_bytes()).await.unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(10), read_answer(&mut stream))
        .await
        .expect("answered without the body");
    assert_eq!(answer.status, 413);
    assert_eq!(answer.json()["code"], "PAYLOAD_TOO_LARGE");
    assert_eq!(app.runs(), 0);
    let mut exact = head(
        "POST",
        "/internal/members",
        &[
            ("content-type", "application/json"),
            ("content-length", "1024"),
        ],
    )
    .into_bytes();
    exact.extend(member_of_size(1024));
    assert_eq!(exchange(address, &exact).await.status, 201);
}

#[tokio::test]
async fn over_a_socket_a_body_longer_than_declared_is_not_read_past_its_length() {
    let app = App::new();
    let address = spawn(app.router.clone()).await;
    let body = json!({ "name": "Ada", "age": 36 }).to_string();
    let mut bytes = head(
        "POST",
        "/internal/members",
        &[
            ("content-type", "application/json"),
            ("content-length", "10"),
        ],
    )
    .into_bytes();
    bytes.extend(body.as_bytes());
    // The first 10 bytes are the body (malformed on its own); the rest is not a request.
    let answer = exchange(address, &bytes).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.json()["code"], "MALFORMED_JSON");
    assert_eq!(app.runs(), 0);
}
