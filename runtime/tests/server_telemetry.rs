//! Telemetry: one span per request with its method, route, operation, caller, correlation
//! id, status and duration; one duration and one count per request, labelled by operation
//! and status; no label or field ever holds the key.

mod service;
mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use serde_json::json;
use service::*;
use solo60_runtime::server::axum::body::Body;
use solo60_runtime::server::axum::http::Request;
use solo60_runtime::server::telemetry::{REQUESTS_TOTAL, REQUEST_DURATION_SECONDS, UNMATCHED};

#[tokio::test(start_paused = true)]
async fn requests_report_a_span_a_duration_and_a_count_by_operation_and_status() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    recorder.install().unwrap();
    let captured = support::capture::capture_all();

    let app = App::new();
    let member = format!("/internal/members/{MEMBER_ID}");
    let get = |path: &str| request("GET", path).body(Body::empty()).unwrap();
    app.send(get(&member)).await;
    app.send(get(&member)).await;
    app.send(json_request(
        "POST",
        "/internal/members",
        valid_member().to_string(),
    ))
    .await;
    app.send(json_request(
        "POST",
        "/internal/members",
        json!({}).to_string(),
    ))
    .await;
    app.send(get("/internal/nowhere")).await;
    app.send(
        Request::builder()
            .uri(&member)
            .header("x-api-key", WRONG_KEY)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    app.send(get("/internal/faults/slow")).await;

    let mut counts = BTreeMap::new();
    let mut durations = BTreeMap::new();
    for (key, _, _, value) in snapshotter.snapshot().into_vec() {
        let key = key.key();
        let labels: BTreeMap<_, _> = key.labels().map(|l| (l.key(), l.value())).collect();
        assert_eq!(
            labels.keys().copied().collect::<Vec<_>>(),
            ["operation", "status"]
        );
        assert!(labels
            .values()
            .all(|value| !value.contains(KEY) && !value.contains(WRONG_KEY)));
        let label = format!("{} {}", labels["operation"], labels["status"]);
        match (key.name(), value) {
            (REQUESTS_TOTAL, DebugValue::Counter(count)) => {
                counts.insert(label, count);
            }
            (REQUEST_DURATION_SECONDS, DebugValue::Histogram(values)) => {
                let seconds: Vec<f64> = values.iter().map(|v| v.into_inner()).collect();
                durations.insert(label, seconds);
            }
            (name, value) => panic!("unexpected metric {name}: {value:?}"),
        }
    }
    let expected: BTreeMap<String, u64> = [
        ("getMember 200", 2),
        ("createMember 201", 1),
        ("createMember 422", 1),
        (&format!("{UNMATCHED} 404") as &str, 1),
        ("getMember 401", 1),
        ("stall 504", 1),
    ]
    .into_iter()
    .map(|(label, count)| (label.to_owned(), count))
    .collect();
    assert_eq!(counts, expected);
    assert_eq!(
        durations.len(),
        expected.len(),
        "a duration for every count"
    );
    assert_eq!(
        durations["stall 504"],
        [Duration::from_secs(30).as_secs_f64()],
        "the duration is the time to the answer"
    );

    let log = captured.text();
    for field in [
        "method=GET",
        "route=\"/internal/members/{memberId}\"",
        "operation=\"getMember\"",
        "caller=\"session\"",
        "status=200",
        "status=504",
        "duration_ms=30000",
        "operation=\"unmatched\"",
        "request served",
        "request failed",
        "request timed out",
    ] {
        assert!(log.contains(field), "`{field}` missing from: {log}");
    }
    assert!(!log.contains(KEY) && !log.contains(WRONG_KEY));
}
