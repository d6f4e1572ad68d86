//! Load shedding: past `max_in_flight` requests at once, the next is answered 503
//! `OVERLOADED` with `Retry-After` at once, without reaching its handler; a freed slot
//! admits again.

mod service;

use std::time::Duration;

use service::*;
use solo60_runtime::server::axum::body::Body;
use solo60_runtime::server::ServerConfig;
use tokio::time::Instant;

fn stall_request() -> solo60_runtime::server::axum::http::Request<Body> {
    request("GET", "/internal/faults/slow")
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn requests_past_the_in_flight_limit_are_shed_at_once_and_a_freed_slot_admits_again() {
    let app = App::with_config(ServerConfig {
        max_in_flight: 2,
        ..ServerConfig::default()
    });
    let holders: Vec<_> = (0..2)
        .map(|_| {
            let router = app.clone();
            tokio::spawn(async move { router.send(stall_request()).await })
        })
        .collect();
    while app.runs() < 2 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    let started = Instant::now();
    let answer = app.send(get_member_request()).await;
    let waited = started.elapsed();
    answer.assert_problem(503, "OVERLOADED");
    assert_eq!(answer.header("retry-after"), Some("1"));
    assert!(
        answer.header("x-correlation-id").is_some(),
        "shed answers carry the id"
    );
    assert!(
        waited < Duration::from_millis(500),
        "shed at once, not queued: {waited:?}"
    );
    assert_eq!(app.runs(), 2, "the shed request never reached its handler");

    // A caller giving up frees its slot.
    for holder in &holders {
        holder.abort();
    }
    for holder in holders {
        let _ = holder.await;
    }
    app.still_serves().await;
}
