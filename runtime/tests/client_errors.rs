//! Error answers: one attempt, the matching kind, and the upstream's problem read back whole.

mod support;

use serde_json::json;
use solo60_runtime::client::{codes, encode_path_segment, Call, NoBody};
use solo60_runtime::ErrorKind;
use support::*;

fn get() -> Call<'static, NoBody> {
    Call::new(&GET_PING, "/internal/pings/p1".into())
}

#[tokio::test(start_paused = true)]
async fn client_errors_take_one_attempt_and_map_to_their_kinds() {
    let cases = [
        (400, ErrorKind::BadRequest, "PING_MALFORMED"),
        (401, ErrorKind::Unauthorized, "UNAUTHORIZED"),
        (403, ErrorKind::Forbidden, "CALLER_NOT_ALLOWED"),
        (404, ErrorKind::NotFound, "PING_NOT_FOUND"),
        (409, ErrorKind::Conflict, "PING_EXISTS"),
        (422, ErrorKind::Validation, "VALIDATION_FAILED"),
    ];
    for (status, kind, code) in cases {
        let server = TestServer::always(Reply::problem(
            status,
            json!({
                "type": format!("https://errors.solo60.dev/{}", code.to_lowercase()),
                "title": "Some Title",
                "status": status,
                "detail": format!("detail for {status}"),
                "code": code,
                "correlationId": "someone-elses",
                "details": { "pingId": "p1" },
            }),
        ))
        .await;
        let client = client(config(&server));

        let error = client.call::<_, Pong>(get()).await.unwrap_err();

        assert_eq!(server.count(), 1, "{status}: not retried");
        assert_eq!(error.kind, kind, "{status}");
        assert_eq!(error.status, status);
        assert_eq!(error.code, code);
        assert_eq!(error.message, format!("detail for {status}"));
        assert_eq!(error.details.as_deref(), Some(&json!({ "pingId": "p1" })));
        assert!(!error.is_retryable());
        let sent = server.requests()[0]
            .header("x-correlation-id")
            .map(str::to_owned);
        assert_eq!(
            error.correlation_id.as_deref(),
            sent.as_deref(),
            "the call's own id"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_422_problem_keeps_its_violations() {
    let server = TestServer::always(Reply::problem(
        422,
        json!({
            "title": "Validation Failed",
            "status": 422,
            "code": "VALIDATION_FAILED",
            "errors": [
                { "pointer": "/name", "keyword": "minLength", "message": "too short" },
                { "pointer": "/count", "keyword": "type", "message": "expected integer" },
            ],
        }),
    ))
    .await;
    let client = client(config(&server));
    let ping = Ping { name: "a".into() };

    let error = client
        .call::<_, Pong>(Call::new(&SEND_PING, "/internal/pings".into()).body(&ping))
        .await
        .unwrap_err();

    assert_eq!(error.kind, ErrorKind::Validation);
    assert_eq!(error.message, "Validation Failed", "no detail: the title");
    let pointers: Vec<_> = error
        .violations
        .iter()
        .map(|v| v.pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/name", "/count"]);
    assert_eq!(error.violations[0].keyword, "minLength");
}

#[tokio::test(start_paused = true)]
async fn a_proxys_html_502_is_unavailable_with_a_short_message() {
    let page = format!(
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>{}</body></html>",
        "<p>nginx</p>".repeat(2000)
    );
    let server = TestServer::always(Reply::html(502, page)).await;
    let mut config = config(&server);
    config.retry.max_attempts = 1;
    let client = client(config);

    let error = client.call::<_, Pong>(get()).await.unwrap_err();

    assert_eq!((error.kind, error.status), (ErrorKind::Unavailable, 502));
    assert_eq!(error.code, "SERVICE_UNAVAILABLE");
    assert!(
        error.message.starts_with(
            "upstream `pings` answered 502 Bad Gateway with a non-JSON body \
             (starts with \"<html> <head><title>502 Bad Gateway</title></head> <body><p>"
        ),
        "{}",
        error.message
    );
    assert!(error.message.len() < 200, "{}", error.message.len());
}

#[tokio::test(start_paused = true)]
async fn foreign_error_bodies_get_the_kind_of_their_status() {
    let cases = [
        (
            Reply::json(404, r#"{"error":"nope"}"#),
            ErrorKind::NotFound,
            "a JSON body that is not a problem",
        ),
        (Reply::status(500), ErrorKind::Internal, "an empty body"),
        (Reply::status(418), ErrorKind::BadRequest, "an empty body"),
        (
            Reply::status(302).header("location", "http://elsewhere/"),
            ErrorKind::InvalidResponse,
            "an empty body",
        ),
    ];
    for (reply, kind, what) in cases {
        let server = TestServer::always(reply).await;
        let client = client(config(&server));
        let error = client.call::<_, Pong>(get()).await.unwrap_err();
        assert_eq!(error.kind, kind);
        assert_eq!(error.code, kind.default_code());
        assert!(error.message.contains(what), "{}", error.message);
        assert_eq!(server.count(), 1, "redirects are not followed either");
    }
}

#[tokio::test(start_paused = true)]
async fn an_oversized_error_body_still_maps_by_status() {
    let server = TestServer::always(Reply::html(503, "x".repeat(1 << 20))).await;
    let mut config = config(&server);
    config.retry.max_attempts = 1;
    let client = client(config);
    let error = client.call::<_, Pong>(get()).await.unwrap_err();
    assert_eq!((error.kind, error.status), (ErrorKind::Unavailable, 503));
    assert!(error.message.ends_with("with a body over the size limit"));
}

#[tokio::test(start_paused = true)]
async fn an_invalid_request_body_is_refused_before_sending() {
    let server = TestServer::always(Reply::ok()).await;
    let client = client(config(&server));
    let ping = Ping {
        name: String::new(),
    };

    let error = client
        .call::<_, Pong>(Call::new(&SEND_PING, "/internal/pings".into()).body(&ping))
        .await
        .unwrap_err();

    assert_eq!((error.kind, error.status), (ErrorKind::Validation, 422));
    assert_eq!(error.code, codes::REQUEST_INVALID);
    assert_eq!(error.violations.len(), 1);
    assert_eq!(error.violations[0].pointer, "/name");
    assert!(error.correlation_id.is_some());
    assert_eq!(server.count(), 0, "nothing was sent");

    // With validation off, the body goes out and the upstream judges it.
    let mut config = config(&server);
    config.validate_requests = false;
    let _: Pong = support::client(config)
        .call(Call::new(&SEND_PING, "/internal/pings".into()).body(&ping))
        .await
        .unwrap();
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn path_parameters_arrive_as_one_segment_and_dot_segments_are_refused() {
    let server = TestServer::always(Reply::ok()).await;
    let client = client(config(&server));
    let id = encode_path_segment("a/b c?d");
    let _: Pong = client
        .call(Call::new(&GET_PING, format!("/internal/pings/{id}")).query("tag", "x y&z"))
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/internal/pings/a%2Fb%20c%3Fd?tag=x+y%26z"
    );

    for id in ["..", "."] {
        let id = encode_path_segment(id);
        let error = client
            .call::<_, Pong>(Call::new(&GET_PING, format!("/internal/pings/{id}")))
            .await
            .unwrap_err();
        assert_eq!(
            (error.kind, error.code.as_str()),
            (ErrorKind::BadRequest, codes::INVALID_PATH)
        );
    }
    assert_eq!(server.count(), 1, "refused paths were not sent");
}

#[tokio::test(start_paused = true)]
async fn a_base_url_path_prefix_is_kept() {
    let server = TestServer::always(Reply::ok()).await;
    let mut config = config(&server);
    config.base_url = server.url().join("api/v1/").unwrap();
    let _: Pong = client(config).call(get()).await.unwrap();
    assert_eq!(server.requests()[0].target, "/api/v1/internal/pings/p1");
}
