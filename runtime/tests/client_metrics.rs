//! Metrics: one duration and one count per call, labelled by upstream, operation and outcome,
//! plus a count of retries; no label ever holds the key.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use solo60_runtime::client::telemetry::{
    CIRCUIT_STATE, REQUESTS_TOTAL, REQUEST_DURATION_SECONDS, RETRIES_TOTAL,
};
use solo60_runtime::client::{Call, NoBody};
use support::*;

fn get() -> Call<'static, NoBody> {
    Call::new(&GET_PING, "/internal/pings/p1".into())
}

#[tokio::test(start_paused = true)]
async fn calls_report_duration_outcome_and_retries() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    recorder.install().unwrap();

    let server = TestServer::start([
        Reply::status(503),
        Reply::ok(),
        Reply::status(404),
        Reply::status(500),
        Reply::ok().delay(Duration::from_secs(3600)),
        Reply::json(200, "[]"),
        Reply::status(503),
        Reply::status(503),
        Reply::status(503),
    ])
    .await;
    let mut config = config(&server);
    config.attempt_timeout = Duration::from_secs(1);
    config.retry.max_attempts = 2;
    config.breaker.failure_threshold = 3;
    let client = client(config);
    let ping = Ping { name: "a".into() };
    let send = || Call::new(&SEND_PING, "/internal/pings".into()).body(&ping);
    let _ = client.call::<_, Pong>(get()).await; // 503, retried, 200: success
    let _ = client.call::<_, Pong>(get()).await; // 404: client_error
    let _ = client.call::<_, Pong>(get()).await; // 500: server_error
    let _ = client.call::<_, Pong>(send()).await; // too slow: timeout
    let _ = client.call::<_, Pong>(get()).await; // `[]`: invalid_response
    for _ in 0..3 {
        let _ = client.call::<_, Pong>(send()).await; // 503: unavailable; the third opens
    }
    let _ = client.call::<_, Pong>(get()).await; // circuit_open

    let mut calls = BTreeMap::new();
    let mut retries = 0;
    let mut durations = 0;
    let mut circuit = None;
    for (key, _, _, value) in snapshotter.snapshot().into_vec() {
        let key = key.key();
        let labels: BTreeMap<_, _> = key.labels().map(|l| (l.key(), l.value())).collect();
        assert!(labels.values().all(|value| !value.contains(KEY)));
        assert_eq!(labels.get("upstream"), Some(&"pings"));
        match (key.name(), value) {
            (CIRCUIT_STATE, DebugValue::Gauge(level)) => circuit = Some(level.into_inner()),
            (_, _) if !["getPing", "sendPing"].contains(&labels["operation"]) => {
                panic!("{labels:?}")
            }
            (REQUESTS_TOTAL, DebugValue::Counter(count)) => {
                *calls.entry(labels["outcome"].to_owned()).or_insert(0) += count;
            }
            (REQUEST_DURATION_SECONDS, DebugValue::Histogram(values)) => {
                durations += values.len() as u64;
            }
            (RETRIES_TOTAL, DebugValue::Counter(count)) => retries += count,
            _ => {}
        }
    }
    let expected: BTreeMap<String, u64> = [
        ("success", 1),
        ("client_error", 1),
        ("server_error", 1),
        ("timeout", 1),
        ("invalid_response", 1),
        ("unavailable", 3),
        ("circuit_open", 1),
    ]
    .into_iter()
    .map(|(outcome, count)| (outcome.to_owned(), count))
    .collect();
    assert_eq!(calls, expected);
    assert_eq!(durations, 9, "one duration per call");
    assert_eq!(retries, 1);
    assert_eq!(server.count(), 9);
    assert_eq!(circuit, Some(2.0), "the gauge shows the circuit open");
}
