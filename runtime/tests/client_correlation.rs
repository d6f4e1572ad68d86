//! Correlation: the id of the request being served goes out on every attempt of every call;
//! an invalid one is replaced; background calls keep it in their log lines.

mod support;

use std::collections::HashSet;

use solo60_runtime::client::{fire_and_forget, Call, NoBody};
use solo60_runtime::correlation::{self, CORRELATION_HEADER};
use solo60_runtime::{AppError, ErrorKind};
use support::capture::{subscriber, Captured};
use support::*;

fn get() -> Call<'static, NoBody> {
    Call::new(&GET_PING, "/internal/pings/p1".into())
}

fn sent_ids(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.header(CORRELATION_HEADER).unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn the_current_id_goes_out_on_every_attempt_and_comes_back_on_errors() {
    let server = TestServer::start([
        Reply::status(503),
        Reply::status(503),
        Reply::ok(),
        Reply::status(404),
    ])
    .await;
    let client = client(config(&server));

    let error = correlation::scope("abc-123".to_owned(), async {
        let _: Pong = client.call(get()).await.unwrap();
        client.call::<_, Pong>(get()).await.unwrap_err()
    })
    .await;

    assert_eq!(sent_ids(&server), ["abc-123"; 4]);
    assert_eq!(error.kind, ErrorKind::NotFound);
    assert_eq!(error.correlation_id.as_deref(), Some("abc-123"));
}

#[tokio::test(start_paused = true)]
async fn an_invalid_current_id_is_replaced_once_per_call() {
    let too_long = "a".repeat(129);
    for bad in [
        "abc\r\nx-api-key: stolen",
        "with space",
        "",
        too_long.as_str(),
    ] {
        let server = TestServer::start([Reply::status(503), Reply::status(404)]).await;
        let client = client(config(&server));

        let error = correlation::scope(bad.to_owned(), client.call::<_, Pong>(get()))
            .await
            .unwrap_err();

        let ids = sent_ids(&server);
        assert_eq!(ids.len(), 2);
        assert_ne!(ids[0], bad);
        assert!(correlation::is_valid(&ids[0]), "{:?}", ids[0]);
        assert_eq!(ids[0], ids[1], "the replacement is kept across retries");
        assert_eq!(error.correlation_id.as_deref(), Some(ids[0].as_str()));
    }
}

#[tokio::test(start_paused = true)]
async fn without_a_current_id_each_call_gets_its_own() {
    let server = TestServer::start([Reply::status(503), Reply::ok(), Reply::ok()]).await;
    let client = client(config(&server));
    let _: Pong = client.call(get()).await.unwrap();
    let _: Pong = client.call(get()).await.unwrap();
    let ids = sent_ids(&server);
    assert_eq!(ids[0], ids[1], "one id per call, across its retries");
    assert_ne!(ids[1], ids[2], "a new id for the next call");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn fire_and_forget_logs_a_failure_with_the_correlation_id_and_never_panics() {
    let server = TestServer::always(Reply::status(500)).await;
    let client = client(config(&server));
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(subscriber(&captured));

    let handles = correlation::scope("corr-777".to_owned(), async {
        let failing_call = {
            let client = client.clone();
            async move { client.call::<_, Pong>(get()).await }
        };
        let plain_failure = async { Err::<(), _>(AppError::new(ErrorKind::Conflict, "boom")) };
        let success = async { Ok::<_, AppError>(42) };
        [
            fire_and_forget("notify subscribers", failing_call),
            fire_and_forget("audit", plain_failure),
            fire_and_forget("count", success),
        ]
    })
    .await;
    for handle in handles {
        assert!(handle.await.is_ok(), "the task itself never fails");
    }

    let log = captured.text();
    let failures: Vec<_> = log
        .lines()
        .filter(|line| line.contains("background call failed"))
        .collect();
    assert_eq!(failures.len(), 2, "{log}");
    assert!(failures.iter().all(|line| line.contains("WARN")));
    assert!(
        failures
            .iter()
            .all(|line| line.contains("correlation_id=\"corr-777\"")
                || line.contains("correlation_id=corr-777")),
        "{failures:#?}"
    );
    assert!(failures
        .iter()
        .any(|line| line.contains("notify subscribers") && line.contains("INTERNAL_ERROR")));
    assert!(failures
        .iter()
        .any(|line| line.contains("audit") && line.contains("boom")));
    assert_eq!(
        sent_ids(&server),
        ["corr-777"],
        "the background call forwarded the id"
    );
}
