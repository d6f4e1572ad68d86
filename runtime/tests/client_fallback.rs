//! Fallbacks: a non-critical call that fails with 503, a timeout or an open circuit returns
//! the fallback, logged with its correlation id and counted; a 404 or 422 answer, or a 500,
//! is returned as the error and the fallback never runs.

mod support;

use std::cell::Cell;
use std::time::Duration;

use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use serde_json::json;
use solo60_runtime::client::telemetry::FALLBACKS_TOTAL;
use solo60_runtime::client::{codes, with_fallback, Call, NoBody, ServiceClient};
use solo60_runtime::{correlation, AppError, ErrorKind};
use support::*;

fn get() -> Call<'static, NoBody> {
    Call::new(&GET_PING, "/internal/pings/p1".into())
}

fn default_pong() -> Pong {
    Pong {
        greeting: "fallback".into(),
        count: 0,
    }
}

/// One attempt per call, a 1 s attempt timeout, a breaker that opens after 2 failures.
fn fallback_client(server: &TestServer) -> ServiceClient {
    let mut config = config(server);
    config.retry.max_attempts = 1;
    config.attempt_timeout = Duration::from_secs(1);
    config.breaker.failure_threshold = 2;
    client(config)
}

/// What one call with a fallback returned, and whether the fallback ran and with which error.
struct Outcome {
    result: Result<Pong, AppError>,
    fallback_saw: Option<AppError>,
}

/// Calls `getPing` with a fallback, under correlation id `id`.
async fn call_with_fallback(client: &ServiceClient, id: &str) -> Outcome {
    let seen = Cell::new(None);
    let result = correlation::scope(
        id.to_owned(),
        with_fallback("pings", &GET_PING, client.call::<_, Pong>(get()), |error| {
            seen.set(Some(error.clone()));
            default_pong()
        }),
    )
    .await;
    Outcome {
        result,
        fallback_saw: seen.into_inner(),
    }
}

/// `solo60_client_fallbacks_total` by `reason`, for operation `getPing`.
fn fallbacks_by_reason(snapshotter: &Snapshotter) -> Vec<(String, u64)> {
    let mut counts = Vec::new();
    for (key, _, _, value) in snapshotter.snapshot().into_vec() {
        let key = key.key();
        if key.name() != FALLBACKS_TOTAL {
            continue;
        }
        let label = |name: &str| {
            key.labels()
                .find(|label| label.key() == name)
                .map(|label| label.value().to_owned())
        };
        assert_eq!(label("upstream").as_deref(), Some("pings"));
        assert_eq!(label("operation").as_deref(), Some("getPing"));
        if let (Some(reason), DebugValue::Counter(count)) = (label("reason"), value) {
            counts.push((reason, count));
        }
    }
    counts.sort();
    counts
}

/// The log lines mentioning correlation id `id`.
fn logged_with(captured: &support::capture::Captured, id: &str) -> Vec<String> {
    captured
        .text()
        .lines()
        .filter(|line| line.contains(id) && line.contains("using its fallback"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_503_a_timeout_and_an_open_circuit_each_use_the_fallback_logged_and_counted() {
    let captured = support::capture::capture_all();
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let _local = metrics::set_default_local_recorder(&recorder);

    let server = TestServer::start([
        Reply::status(503),
        Reply::ok().delay(Duration::from_secs(3600)),
    ])
    .await;
    let client = fallback_client(&server);

    let unavailable = call_with_fallback(&client, "fallback-503").await;
    assert_eq!(unavailable.result.expect("the fallback"), default_pong());
    let error = unavailable.fallback_saw.expect("the fallback ran");
    assert_eq!((error.kind, error.status), (ErrorKind::Unavailable, 503));

    let timed_out = call_with_fallback(&client, "fallback-timeout").await;
    assert_eq!(timed_out.result.expect("the fallback"), default_pong());
    let error = timed_out.fallback_saw.expect("the fallback ran");
    assert_eq!(
        (error.kind, error.code.as_str()),
        (ErrorKind::Timeout, codes::UPSTREAM_TIMEOUT)
    );

    // Two failures in a row opened the circuit: the next call never reaches the server.
    let open = call_with_fallback(&client, "fallback-open").await;
    assert_eq!(open.result.expect("the fallback"), default_pong());
    let error = open.fallback_saw.expect("the fallback ran");
    assert_eq!(error.code, codes::CIRCUIT_OPEN);
    assert_eq!(server.count(), 2, "the open circuit sent nothing");

    assert_eq!(
        fallbacks_by_reason(&snapshotter),
        [
            ("circuit_open".to_owned(), 1),
            ("timeout".to_owned(), 1),
            ("unavailable".to_owned(), 1)
        ]
    );
    for (id, reason) in [
        ("fallback-503", "unavailable"),
        ("fallback-timeout", "timeout"),
        ("fallback-open", "circuit_open"),
    ] {
        let lines = logged_with(&captured, id);
        assert_eq!(lines.len(), 1, "one warning for {id}: {lines:?}");
        assert!(lines[0].contains("WARN"), "{}", lines[0]);
        for field in [
            format!("reason=\"{reason}\""),
            "operation=\"getPing\"".to_owned(),
        ] {
            assert!(lines[0].contains(&field), "{field} in {}", lines[0]);
        }
        assert!(!lines[0].contains(KEY), "the key is never logged");
    }
}

#[tokio::test(start_paused = true)]
async fn a_404_a_422_and_a_500_are_returned_and_the_fallback_is_not_called() {
    let captured = support::capture::capture_all();
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let _local = metrics::set_default_local_recorder(&recorder);

    let server = TestServer::start([
        Reply::problem(
            404,
            json!({"status": 404, "code": "PING_NOT_FOUND", "title": "Not Found"}),
        ),
        Reply::problem(
            422,
            json!({"status": 422, "code": "VALIDATION_FAILED", "title": "Validation Failed",
                   "errors": [{"pointer": "/name", "keyword": "minLength", "message": "too short"}]}),
        ),
        Reply::status(500),
    ])
    .await;
    let client = fallback_client(&server);

    let not_found = call_with_fallback(&client, "no-fallback-404").await;
    let error = not_found.result.expect_err("the 404 itself");
    assert_eq!(
        (error.kind, error.code.as_str()),
        (ErrorKind::NotFound, "PING_NOT_FOUND")
    );
    assert!(not_found.fallback_saw.is_none(), "the fallback did not run");

    let invalid = call_with_fallback(&client, "no-fallback-422").await;
    let error = invalid.result.expect_err("the 422 itself");
    assert_eq!(error.kind, ErrorKind::Validation);
    assert_eq!(error.violations.len(), 1);
    assert!(invalid.fallback_saw.is_none(), "the fallback did not run");

    let broken = call_with_fallback(&client, "no-fallback-500").await;
    assert_eq!(
        broken.result.expect_err("the 500 itself").kind,
        ErrorKind::Internal
    );
    assert!(broken.fallback_saw.is_none(), "the fallback did not run");

    assert_eq!(server.count(), 3);
    assert!(
        fallbacks_by_reason(&snapshotter).is_empty(),
        "nothing counted"
    );
    for id in ["no-fallback-404", "no-fallback-422", "no-fallback-500"] {
        assert!(
            logged_with(&captured, id).is_empty(),
            "no fallback logged for {id}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_success_is_returned_without_the_fallback() {
    let server = TestServer::start([Reply::ok()]).await;
    let client = fallback_client(&server);
    let answered = call_with_fallback(&client, "fallback-success").await;
    assert_eq!(answered.result.expect("the answer"), pong());
    assert!(answered.fallback_saw.is_none());
}
