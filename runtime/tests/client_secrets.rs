//! The API key reaches the upstream and nothing else: not a span, a log line (ours or the HTTP
//! stack's), an error or a `Debug` output.

mod support;

use std::time::Duration;

use solo60_runtime::client::{ApiKey, Call, NoBody};
use support::capture::{subscriber, Captured};
use support::*;

fn get() -> Call<'static, NoBody> {
    Call::new(&GET_PING, "/internal/pings/p1".into())
}

#[tokio::test(start_paused = true)]
async fn the_key_never_appears_in_traces_logs_errors_or_debug_output() {
    // The HTTP stack logs through `log`; bridge it so its lines are searched too.
    let _ = tracing_log::LogTracer::init();
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(subscriber(&captured));

    let server = TestServer::start([
        Reply::status(503),
        Reply::ok(),
        Reply::problem(
            404,
            serde_json::json!({ "code": "PING_NOT_FOUND", "title": "Not Found" }),
        ),
        Reply::ok().delay(Duration::from_secs(3600)),
        Reply::drop_connection(),
        Reply::json(200, "{"),
        Reply::status(500),
        Reply::status(500),
    ])
    .await;
    let mut config = config(&server);
    config.attempt_timeout = Duration::from_secs(1);
    config.retry.max_attempts = 2;
    config.breaker.failure_threshold = 3;
    let client = client(config.clone());

    let mut errors = Vec::new();
    for _ in 0..8 {
        if let Err(error) = client.call::<_, Pong>(get()).await {
            errors.push(error);
        }
    }
    let ping = Ping {
        name: String::new(),
    };
    errors.push(
        client
            .call::<_, Pong>(Call::new(&SEND_PING, "/internal/pings".into()).body(&ping))
            .await
            .unwrap_err(),
    );

    let log = captured.text();
    assert!(log.contains("upstream_call"), "the capture works: {log}");
    assert!(log.contains("correlation_id"));
    assert!(log.contains("circuit opened"));
    assert!(!log.contains(KEY), "the key leaked into the trace output");
    for error in &errors {
        assert!(!format!("{error} {error:?}").contains(KEY));
    }
    assert!(
        errors.len() >= 5,
        "failures of several kinds were exercised"
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("x-api-key") == Some(KEY)),
        "…while every request did carry it"
    );

    for shown in [
        format!("{client:?}"),
        format!("{config:?}"),
        format!("{config:#?}"),
        format!("{:?}", ApiKey::new(KEY)),
        format!("{}", ApiKey::new(KEY)),
    ] {
        assert!(!shown.contains(KEY), "{shown}");
    }
    assert!(format!("{client:?}").starts_with("ServiceClient { upstream: \"pings\""));
}
