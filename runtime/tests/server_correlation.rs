//! Correlation: every request has one id — the caller's if it is fit, a fresh one otherwise —
//! echoed on every answer, named in every problem, current inside the handler, recorded on
//! the request's span, and forwarded by every client call made while serving.

mod service;
mod support;

use std::sync::Arc;

use serde_json::json;
use service::*;
use solo60_runtime::client::{Call, NoBody, ServiceClient};
use solo60_runtime::contract::{Method, OperationInfo, RetryPolicy};
use solo60_runtime::correlation::{self, CORRELATION_HEADER};
use solo60_runtime::server::axum::body::Body;
use solo60_runtime::server::axum::extract::State;
use solo60_runtime::server::axum::http::{HeaderValue, Request};
use solo60_runtime::server::axum::routing::get;
use solo60_runtime::server::axum::{Json, Router};
use solo60_runtime::server::{serve_layers, RequestContext, ServerConfig};
use solo60_runtime::AppError;
use support::{Pong, Reply, TestServer, GET_PING};

fn get_member_with_id(id: Option<&[u8]>) -> Request<Body> {
    let mut request = request("GET", &format!("/internal/members/{MEMBER_ID}"));
    if let Some(id) = id {
        request = request.header(CORRELATION_HEADER, HeaderValue::from_bytes(id).unwrap());
    }
    request.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn without_an_incoming_id_one_is_generated_echoed_current_and_on_the_span() {
    let captured = support::capture::capture_all();
    let app = App::new();
    let answer = app.send(get_member_with_id(None)).await;
    assert_eq!(answer.status, 200);
    let id = answer
        .header(CORRELATION_HEADER)
        .expect("echoed")
        .to_owned();
    assert!(correlation::is_valid(&id), "{id}");
    let echo = answer.echo();
    assert_eq!(echo.correlation_id, id, "RequestContext carries it");
    assert_eq!(
        echo.current_correlation_id.as_deref(),
        Some(id.as_str()),
        "current() inside"
    );
    assert_eq!(echo.caller, CALLER, "RequestContext carries the caller");
    let log = captured.text();
    assert!(
        log.contains(&format!("correlation_id=\"{id}\"")),
        "on the span: {log}"
    );

    let second = app.send(get_member_with_id(None)).await;
    assert_ne!(
        second.header(CORRELATION_HEADER),
        Some(id.as_str()),
        "one per request"
    );
}

#[tokio::test]
async fn a_valid_incoming_id_is_kept() {
    let app = App::new();
    let longest = "a".repeat(128);
    for id in ["req-42", "trace:1.2_3-x", longest.as_str()] {
        let answer = app.send(get_member_with_id(Some(id.as_bytes()))).await;
        assert_eq!(answer.header(CORRELATION_HEADER), Some(id));
        let echo = answer.echo();
        assert_eq!(echo.correlation_id, id);
        assert_eq!(echo.current_correlation_id.as_deref(), Some(id));
    }
}

#[tokio::test]
async fn an_invalid_incoming_id_is_replaced() {
    let app = App::new();
    let too_long = "a".repeat(129);
    let invalid: [&[u8]; 6] = [
        too_long.as_bytes(),
        b"",
        b"tab\there",
        b"with space",
        b"caf\xc3\xa9",
        b"<script>alert(1)</script>",
    ];
    for id in invalid {
        let answer = app.send(get_member_with_id(Some(id))).await;
        let echoed = answer
            .header(CORRELATION_HEADER)
            .expect("echoed")
            .to_owned();
        assert_ne!(echoed.as_bytes(), id);
        assert!(correlation::is_valid(&echoed));
        assert_eq!(answer.echo().correlation_id, echoed);
    }
}

#[tokio::test(start_paused = true)]
async fn every_answer_echoes_the_id_and_every_problem_names_it() {
    let app = App::with_config(ServerConfig {
        body_limit: 64,
        ..ServerConfig::default()
    });
    let id = "every-answer-7";
    let with_id = |builder: solo60_runtime::server::axum::http::request::Builder| {
        builder.header(CORRELATION_HEADER, id)
    };
    let member = format!("/internal/members/{MEMBER_ID}");
    let cases: Vec<(Request<Body>, u16)> = vec![
        (
            with_id(request("GET", &member))
                .body(Body::empty())
                .unwrap(),
            200,
        ),
        (
            with_id(request("DELETE", &member))
                .body(Body::empty())
                .unwrap(),
            204,
        ),
        (
            with_id(Request::builder().uri(&member))
                .body(Body::empty())
                .unwrap(),
            401,
        ),
        (
            with_id(request("DELETE", "/internal/members"))
                .body(Body::empty())
                .unwrap(),
            403,
        ),
        (
            with_id(request("GET", "/internal/none"))
                .body(Body::empty())
                .unwrap(),
            404,
        ),
        (
            with_id(request("PATCH", &member))
                .body(Body::empty())
                .unwrap(),
            405,
        ),
        (
            with_id(
                request("POST", "/internal/members").header("content-type", "application/json"),
            )
            .body(Body::from("[".repeat(100)))
            .unwrap(),
            413,
        ),
        (
            with_id(
                request("POST", "/internal/members")
                    .header("content-type", "application/json")
                    .header("content-length", "65"),
            )
            .body(Body::from(" ".repeat(65)))
            .unwrap(),
            413,
        ),
        (
            with_id(request("POST", "/internal/members"))
                .body(Body::from("{}"))
                .unwrap(),
            415,
        ),
        (
            with_id(
                request("POST", "/internal/members").header("content-type", "application/json"),
            )
            .body(Body::from("{"))
            .unwrap(),
            400,
        ),
        (
            with_id(
                request("POST", "/internal/members").header("content-type", "application/json"),
            )
            .body(Body::from("{}"))
            .unwrap(),
            422,
        ),
        (
            with_id(request("POST", "/internal/faults/panic"))
                .body(Body::empty())
                .unwrap(),
            500,
        ),
        (
            with_id(request("GET", "/internal/faults/slow"))
                .body(Body::empty())
                .unwrap(),
            504,
        ),
    ];
    for (request, status) in cases {
        let answer = app.send(request).await;
        assert_eq!(answer.status, status, "{}", answer.text());
        assert_eq!(
            answer.header(CORRELATION_HEADER),
            Some(id),
            "on the {status}"
        );
        if status >= 400 {
            let problem = answer.problem();
            assert_eq!(
                problem.correlation_id.as_deref(),
                Some(id),
                "in the {status} body"
            );
        }
    }
}

/// An operation whose handler calls another service.
const RELAY: OperationInfo = OperationInfo {
    id: "relay",
    method: Method::Get,
    path: "/internal/relay",
    success_status: 200,
    retry: RetryPolicy::Safe,
    summary: "Asks the ping service.",
    callers: &[],
    deprecation: None,
};

async fn relay(
    State(pings): State<Arc<ServiceClient>>,
    _context: RequestContext,
) -> Result<Json<Pong>, AppError> {
    let call: Call<'_, NoBody> = Call::new(&GET_PING, "/internal/pings/p1".into());
    Ok(Json(pings.call(call).await?))
}

#[tokio::test(start_paused = true)]
async fn client_calls_made_while_serving_forward_the_id_on_every_retry() {
    let upstream = TestServer::start([
        Reply::status(503),
        Reply::status(503),
        Reply::ok(),
        Reply::status(503),
        Reply::ok(),
    ])
    .await;
    let client = support::client(support::config(&upstream));
    let routes = Router::new()
        .route(RELAY.path, get(relay))
        .with_state(Arc::new(client));
    let app = App {
        router: serve_layers(routes, &[RELAY], auth(), ServerConfig::default()),
        runs: Default::default(),
    };

    let answer = app
        .send(
            request("GET", "/internal/relay")
                .header(CORRELATION_HEADER, "incoming-1")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json(), json!({ "greeting": "hello", "count": 1 }));
    let answer = app
        .send(
            request("GET", "/internal/relay")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(answer.status, 200);
    let generated = answer
        .header(CORRELATION_HEADER)
        .unwrap_or_default()
        .to_owned();

    let sent: Vec<String> = upstream
        .requests()
        .iter()
        .map(|r| r.header(CORRELATION_HEADER).unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        sent,
        [
            "incoming-1",
            "incoming-1",
            "incoming-1",
            &generated,
            &generated
        ],
        "every attempt of every call carries the id of the request being served"
    );
}
