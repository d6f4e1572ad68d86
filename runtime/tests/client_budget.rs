//! The retry budget: many concurrent calls against an upstream that always fails add only a
//! bounded number of retries.

mod support;

use std::time::Duration;

use solo60_runtime::client::{BudgetConfig, Call};
use support::*;
use tokio::task::JoinSet;

#[tokio::test(start_paused = true)]
async fn concurrent_calls_against_a_failing_upstream_stay_within_the_budget() {
    const CALLS: u32 = 50;
    let server = TestServer::always(Reply::status(503)).await;
    let mut config = config(&server);
    config.retry.max_attempts = 5;
    config.retry.budget = BudgetConfig {
        retry_ratio: 0.2,
        min_retries_per_second: 1,
        window: Duration::from_secs(10),
    };
    // Keep the breaker out of it: this test is about the budget alone.
    config.breaker.failure_threshold = u32::MAX;
    let client = client(config);
    let started = tokio::time::Instant::now();

    let mut calls = JoinSet::new();
    for n in 0..CALLS {
        let client = client.clone();
        calls.spawn(async move {
            client
                .call::<_, Pong>(Call::new(&GET_PING, format!("/internal/pings/{n}")))
                .await
        });
    }
    let mut failed = 0;
    while let Some(result) = calls.join_next().await {
        assert_eq!(result.unwrap().unwrap_err().status, 503);
        failed += 1;
    }

    assert_eq!(failed, CALLS);
    // The burst is far shorter than 0.9 × window, so the documented bound applies:
    // attempts ≤ calls + ⌊retry_ratio × calls + min_retries_per_second × window_secs⌋.
    let bound = CALLS as usize + (0.2 * CALLS as f64 + 1.0 * 10.0) as usize;
    assert!(started.elapsed() < Duration::from_secs(9));
    let attempts = server.count();
    assert!(attempts <= bound, "{attempts} attempts > {bound}");
    // Every call deposits before the first answer comes back, so the whole allowance is
    // spent: the budget is exactly as generous as documented, not more, not less.
    assert_eq!(attempts, bound);
    // Without the budget every call would have made all five attempts.
    assert!(attempts < (CALLS * 5) as usize);
}

#[tokio::test(start_paused = true)]
async fn the_default_budget_does_not_limit_a_lone_caller() {
    let server = TestServer::always(Reply::status(503)).await;
    let mut config = config(&server);
    config.breaker.failure_threshold = u32::MAX;
    let client = client(config);
    for n in 0..5 {
        let _ = client
            .call::<_, Pong>(Call::new(&GET_PING, format!("/internal/pings/{n}")))
            .await;
    }
    assert_eq!(
        server.count(),
        15,
        "3 attempts each: the 100-retry reserve covers them"
    );
}
