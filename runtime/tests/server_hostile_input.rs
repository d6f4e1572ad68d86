//! Hostile and broken input: every refusal is problem+json with the right status, code and
//! correlation id, the handler never ran, and the next request still succeeds.

mod service;

use serde_json::{json, Value};
use service::*;
use solo60_runtime::server::axum::body::Body;
use solo60_runtime::server::ServerConfig;

fn create(body: impl Into<Body>) -> solo60_runtime::server::axum::http::Request<Body> {
    json_request("POST", "/internal/members", body)
}

fn violations(problem: &solo60_runtime::Problem) -> Vec<(String, String)> {
    problem
        .errors
        .iter()
        .map(|e| (e.pointer.clone(), e.keyword.clone()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(p, k)| (p.to_string(), k.to_string()))
        .collect()
}

#[tokio::test]
async fn malformed_json_is_a_400_that_does_not_echo_the_input() {
    let app = App::new();
    let cases: [&[u8]; 6] = [
        br#"{"name": "SECRET-INPUT", "age": 3"#,
        br#"{"name": "SECRET-INPUT", "age": 3,}"#,
        b"{\"name\": \"SECRET-\xff-INPUT\", \"age\": 3}",
        b"SECRET-INPUT",
        b"{\"name\": \"SECRET-INPUT\"} trailing",
        b"",
    ];
    for body in cases {
        let answer = app.send(create(body.to_vec())).await;
        let problem = answer.assert_problem(400, "MALFORMED_JSON");
        assert_eq!(problem.title, "Bad Request");
        assert!(
            !answer.text().contains("SECRET"),
            "echoed: {}",
            answer.text()
        );
        assert!(problem.errors.is_empty());
    }
    assert_eq!(app.runs(), 0, "the handler never ran");
    app.still_serves().await;
}

#[tokio::test]
async fn ten_thousand_nested_brackets_are_a_400_and_the_server_keeps_serving() {
    let app = App::new();
    for opener in ["[", "{\"a\":"] {
        let answer = app.send(create(opener.repeat(10_000))).await;
        let problem = answer.assert_problem(400, "MALFORMED_JSON");
        assert!(
            problem
                .detail
                .unwrap_or_default()
                .contains("recursion limit"),
            "the reason is the depth"
        );
    }
    // Deep but within the limit, and well-formed: a contract violation, not a crash.
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    app.send(create(deep))
        .await
        .assert_problem(422, "VALIDATION_FAILED");
    assert_eq!(app.runs(), 0);
    app.still_serves().await;
}

#[tokio::test]
async fn a_body_breaking_its_contract_is_a_422_listing_every_violation() {
    let app = App::new();
    let answer = app
        .send(create(
            json!({ "name": 5, "tags": ["ok", "NOT", "ok"], "extra": true }).to_string(),
        ))
        .await;
    let problem = answer.assert_problem(422, "VALIDATION_FAILED");
    assert_eq!(problem.title, "Validation Failed");
    assert_eq!(
        violations(&problem),
        pairs(&[
            ("/age", "required"),
            ("/name", "type"),
            ("/tags", "uniqueItems"),
            ("/tags/1", "pattern"),
            ("/extra", "additionalProperties"),
        ])
    );
    assert!(problem.errors.iter().all(|e| !e.message.is_empty()));
    // Not an object at all.
    let answer = app.send(create("[1, 2]")).await;
    assert_eq!(
        violations(&answer.assert_problem(422, "VALIDATION_FAILED")),
        pairs(&[("", "type")])
    );
    assert_eq!(app.runs(), 0);
    app.still_serves().await;
}

#[tokio::test]
async fn unknown_properties_are_refused_only_where_the_schema_says_so() {
    let app = App::new();
    let mut member = valid_member();
    member["nickname"] = json!("ada");
    let answer = app.send(create(member.to_string())).await;
    assert_eq!(
        violations(&answer.assert_problem(422, "VALIDATION_FAILED")),
        pairs(&[("/nickname", "additionalProperties")])
    );
    assert_eq!(app.runs(), 0);

    // `Note` is open: the unknown property is accepted and never bound.
    let uri = format!("/internal/gyms/{GYM_ID}/check-ins/{MEMBER_ID}");
    let body = json!({ "text": "late", "smuggled": { "admin": true } }).to_string();
    let answer = app.send(json_request("PUT", &uri, body)).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let echo = answer.echo();
    assert_eq!(echo.input, json!({ "text": "late" }));
    assert_eq!(app.runs(), 1);
}

#[tokio::test]
async fn every_constraint_is_enforced_at_its_boundary() {
    let app = App::new();
    let cases: Vec<(Value, Option<(&str, &str)>)> = vec![
        // minLength / maxLength count code points, not bytes.
        (json!({ "name": "éé", "age": 1 }), None),
        (
            json!({ "name": "é", "age": 1 }),
            Some(("/name", "minLength")),
        ),
        (json!({ "name": "日本語日本", "age": 1 }), None),
        (
            json!({ "name": "日本語日本語", "age": 1 }),
            Some(("/name", "maxLength")),
        ),
        (json!({ "name": "👍🏽👍", "age": 1 }), None),
        // minimum (inclusive) and exclusiveMaximum.
        (json!({ "name": "Ada", "age": 0 }), None),
        (
            json!({ "name": "Ada", "age": -1 }),
            Some(("/age", "minimum")),
        ),
        (json!({ "name": "Ada", "age": 149 }), None),
        (
            json!({ "name": "Ada", "age": 150 }),
            Some(("/age", "exclusiveMaximum")),
        ),
        (json!({ "name": "Ada", "age": 1.5 }), Some(("/age", "type"))),
        (json!({ "name": "Ada", "age": 2.0 }), None),
        // exclusiveMinimum, maximum (inclusive), multipleOf.
        (
            json!({ "name": "Ada", "age": 1, "score": 0 }),
            Some(("/score", "exclusiveMinimum")),
        ),
        (json!({ "name": "Ada", "age": 1, "score": 0.5 }), None),
        (json!({ "name": "Ada", "age": 1, "score": 10 }), None),
        (
            json!({ "name": "Ada", "age": 1, "score": 10.5 }),
            Some(("/score", "maximum")),
        ),
        (
            json!({ "name": "Ada", "age": 1, "score": 0.3 }),
            Some(("/score", "multipleOf")),
        ),
        // maxItems, uniqueItems, pattern.
        (
            json!({ "name": "Ada", "age": 1, "tags": ["a", "b", "c"] }),
            None,
        ),
        (
            json!({ "name": "Ada", "age": 1, "tags": ["a", "b", "c", "d"] }),
            Some(("/tags", "maxItems")),
        ),
        (
            json!({ "name": "Ada", "age": 1, "tags": ["a", "a"] }),
            Some(("/tags", "uniqueItems")),
        ),
        (
            json!({ "name": "Ada", "age": 1, "tags": ["a1"] }),
            Some(("/tags/0", "pattern")),
        ),
        // format.
        (
            json!({ "name": "Ada", "age": 1, "email": "ada@example.com" }),
            None,
        ),
        (
            json!({ "name": "Ada", "age": 1, "email": "ada@" }),
            Some(("/email", "format")),
        ),
    ];
    let mut accepted = 0;
    for (body, expected) in cases {
        let answer = app.send(create(body.to_string())).await;
        match expected {
            None => {
                assert_eq!(answer.status, 201, "{body} → {}", answer.text());
                accepted += 1;
            }
            Some(violation) => {
                let problem = answer.assert_problem(422, "VALIDATION_FAILED");
                assert_eq!(violations(&problem), pairs(&[violation]), "{body}");
            }
        }
    }
    assert_eq!(
        app.runs(),
        accepted,
        "only conforming bodies reached the handler"
    );
}

#[tokio::test]
async fn a_json_body_needs_a_json_content_type() {
    let app = App::new();
    let body = valid_member().to_string();
    let refused = [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("text/json"),
        Some("application/jsonp"),
    ];
    for content_type in refused {
        let mut request = request("POST", "/internal/members");
        if let Some(value) = content_type {
            request = request.header("content-type", value);
        }
        let answer = app
            .send(request.body(Body::from(body.clone())).unwrap())
            .await;
        let problem = answer.assert_problem(415, "UNSUPPORTED_MEDIA_TYPE");
        assert_eq!(problem.title, "Unsupported Media Type");
    }
    assert_eq!(app.runs(), 0);
    for accepted in [
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON;charset=UTF-8",
        "application/merge-patch+json",
    ] {
        let request = request("POST", "/internal/members")
            .header("content-type", accepted)
            .body(Body::from(body.clone()))
            .unwrap();
        assert_eq!(app.send(request).await.status, 201, "{accepted}");
    }
    assert_eq!(app.runs(), 4);
}

/// `{"name":"Ada","age":36}` padded with spaces to `size` bytes.
fn member_of_size(size: usize) -> String {
    let mut body = valid_member().to_string();
    body.push_str(&" ".repeat(size - body.len()));
    body
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_and_exactly_the_limit_is_accepted() {
    let app = App::with_config(ServerConfig {
        body_limit: 256,
        ..ServerConfig::default()
    });
    let declared = |body: String| {
        request("POST", "/internal/members")
            .header("content-type", "application/json")
            .header("content-length", body.len())
            .body(Body::from(body))
            .unwrap()
    };
    // Declared with Content-Length.
    assert_eq!(app.send(declared(member_of_size(256))).await.status, 201);
    let answer = app.send(declared(member_of_size(257))).await;
    let problem = answer.assert_problem(413, "PAYLOAD_TOO_LARGE");
    assert_eq!(problem.title, "Content Too Large");
    // Without Content-Length (as a chunked upload): cut off while read.
    assert_eq!(app.send(create(member_of_size(256))).await.status, 201);
    app.send(create(member_of_size(257)))
        .await
        .assert_problem(413, "PAYLOAD_TOO_LARGE");
    app.send(create(member_of_size(64 * 1024)))
        .await
        .assert_problem(413, "PAYLOAD_TOO_LARGE");
    assert_eq!(
        app.runs(),
        2,
        "only the bodies within the limit reached the handler"
    );
    app.still_serves().await;
}

#[tokio::test]
async fn unknown_routes_and_methods_are_404_and_405_problems() {
    let app = App::new();
    for path in [
        "/internal/nothing",
        "/",
        "/internal/members/a/b/c",
        "/internal",
    ] {
        let answer = app
            .send(request("GET", path).body(Body::empty()).unwrap())
            .await;
        let problem = answer.assert_problem(404, "NOT_FOUND");
        assert_eq!(problem.title, "Not Found");
    }
    let cases = [
        ("PATCH", "/internal/members", "GET,HEAD,POST,DELETE"),
        (
            "POST",
            &format!("/internal/members/{MEMBER_ID}") as &str,
            "GET,HEAD,DELETE",
        ),
        ("GET", "/internal/faults/panic", "POST"),
    ];
    for (method, path, allow) in cases {
        let answer = app
            .send(request(method, path).body(Body::empty()).unwrap())
            .await;
        let problem = answer.assert_problem(405, "METHOD_NOT_ALLOWED");
        assert_eq!(problem.title, "Method Not Allowed");
        let mut listed: Vec<&str> = answer
            .header("allow")
            .unwrap_or_default()
            .split(',')
            .collect();
        let mut expected: Vec<&str> = allow.split(',').collect();
        listed.sort_unstable();
        expected.sort_unstable();
        assert_eq!(listed, expected, "{method} {path}");
    }
    assert_eq!(app.runs(), 0);
    app.still_serves().await;
}

#[tokio::test]
async fn static_segments_and_parameters_side_by_side_reach_their_own_handlers() {
    let app = App::new();
    let by_email = app
        .send(
            request("GET", "/internal/members/by-email?email=ada%40example.com")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(by_email.status, 200, "{}", by_email.text());
    assert_eq!(by_email.echo().operation, "findByEmail");
    assert_eq!(by_email.echo().input, json!({ "email": "ada@example.com" }));

    let by_id = app.send(get_member_request()).await;
    assert_eq!(by_id.echo().operation, "getMember");
    assert_eq!(by_id.echo().ids[0].to_string(), MEMBER_ID);

    let uri = format!("/internal/gyms/{GYM_ID}/check-ins/{MEMBER_ID}");
    let answer = app
        .send(json_request(
            "PUT",
            &uri,
            json!({ "text": "bye" }).to_string(),
        ))
        .await;
    let ids: Vec<String> = answer.echo().ids.iter().map(ToString::to_string).collect();
    assert_eq!(ids, [GYM_ID, MEMBER_ID], "tuple parameters in route order");
}

#[tokio::test]
async fn a_malformed_path_parameter_is_a_400_naming_it() {
    let app = App::new();
    let cases = [
        (
            "GET",
            "/internal/members/not-a-uuid".to_owned(),
            "/memberId",
        ),
        ("DELETE", "/internal/members/123".to_owned(), "/memberId"),
        ("GET", "/internal/members/%FF%FE".to_owned(), "/memberId"),
        (
            "PUT",
            format!("/internal/gyms/{GYM_ID}/check-ins/nope"),
            "/checkInId",
        ),
        (
            "PUT",
            format!("/internal/gyms/nope/check-ins/{MEMBER_ID}"),
            "/gymId",
        ),
    ];
    for (method, path, pointer) in cases {
        let answer = app
            .send(json_request(
                method,
                &path,
                json!({ "text": "x" }).to_string(),
            ))
            .await;
        let problem = answer.assert_problem(400, "INVALID_PATH_PARAMETER");
        assert_eq!(problem.errors.len(), 1, "{path}: {problem:?}");
        assert_eq!(problem.errors[0].pointer, pointer, "{path}");
        let name = pointer.trim_start_matches('/');
        assert!(
            problem.detail.unwrap_or_default().contains(name),
            "the message names `{name}`"
        );
        assert!(!answer.text().contains("nope"), "the value is not echoed");
    }
    assert_eq!(app.runs(), 0);
    app.still_serves().await;
}

#[tokio::test]
async fn query_values_take_the_types_of_the_contract() {
    let app = App::new();
    let list = |query: &str| {
        request("GET", &format!("/internal/members?{query}"))
            .body(Body::empty())
            .unwrap()
    };
    let answer = app
        .send(list(
            "limit=10&active=false&status=active&status=paused&ratio=0.25&unknown=x",
        ))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(
        answer.echo().input,
        json!({ "limit": 10, "active": false, "status": ["active", "paused"], "ratio": 0.25 })
    );
    let answer = app.send(list("status=paused&ratio=2")).await;
    assert_eq!(
        answer.echo().input,
        json!({ "status": ["paused"], "ratio": 2.0 })
    );
    let answer = app.send(list("")).await;
    assert_eq!(answer.echo().input, json!({}));
    assert_eq!(app.runs(), 3);
}

#[tokio::test]
async fn a_query_breaking_its_contract_is_a_422_listing_every_violation() {
    let app = App::new();
    let get = |path: &str| request("GET", path).body(Body::empty()).unwrap();
    let answer = app
        .send(get(
            "/internal/members?limit=0&active=maybe&status=gone&ratio=NaN",
        ))
        .await;
    assert_eq!(
        violations(&answer.assert_problem(422, "VALIDATION_FAILED")),
        pairs(&[
            ("/limit", "minimum"),
            ("/active", "type"),
            ("/ratio", "type"),
            ("/status/0", "enum"),
        ])
    );
    let answer = app.send(get("/internal/members?limit=1&limit=2")).await;
    assert_eq!(
        violations(&answer.assert_problem(422, "VALIDATION_FAILED")),
        pairs(&[("/limit", "type")]),
        "a repeated scalar is a list, which the contract refuses"
    );
    // Unknown keys are refused where the schema forbids them, and required keys required.
    let answer = app
        .send(get("/internal/members/by-email?email=a%40b.co&admin=true"))
        .await;
    assert_eq!(
        violations(&answer.assert_problem(422, "VALIDATION_FAILED")),
        pairs(&[("/admin", "additionalProperties")])
    );
    let answer = app.send(get("/internal/members/by-email")).await;
    assert_eq!(
        violations(&answer.assert_problem(422, "VALIDATION_FAILED")),
        pairs(&[("/email", "required")])
    );
    assert_eq!(app.runs(), 0);
    app.still_serves().await;
}

#[tokio::test]
async fn a_handlers_own_error_keeps_its_code_and_gains_the_correlation_id() {
    let app = App::new();
    let answer = app
        .send(
            request(
                "GET",
                &format!("/internal/members/{}", solo60_runtime::Uuid::nil()),
            )
            .header("x-correlation-id", "trace-me-1")
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    let problem = answer.assert_problem(404, "MEMBER_NOT_FOUND");
    assert_eq!(problem.detail.as_deref(), Some("no such member"));
    assert_eq!(problem.correlation_id.as_deref(), Some("trace-me-1"));
    assert_eq!(app.runs(), 1);
}

/// A megabyte of unknown keys under `additionalProperties: false` gets a 422 that lists the
/// first 100 violations and counts the rest: the answer stays a small fraction of the
/// request, however many violations the request holds.
#[tokio::test]
async fn a_body_of_many_violations_gets_a_capped_answer() {
    let app = App::new();
    let mut body = serde_json::Map::new();
    body.insert("name".into(), json!("Ada"));
    body.insert("age".into(), json!(36));
    for index in 0..40_000 {
        body.insert(format!("unknown{index:05}"), json!(1));
    }
    let request_body = serde_json::to_vec(&body).expect("json");
    assert!(request_body.len() > 500_000, "{}", request_body.len());
    let answer = app
        .send(json_request(
            "POST",
            "/internal/members",
            request_body.clone(),
        ))
        .await;
    let problem = answer.assert_problem(422, "VALIDATION_FAILED");
    assert_eq!(problem.errors.len(), 100, "the first 100 listed");
    assert_eq!(problem.errors_omitted, Some(39_900), "and the rest counted");
    assert_eq!(problem.errors[0].pointer, "/unknown00000");
    let answer_size = answer.text().len();
    assert!(
        answer_size * 20 < request_body.len(),
        "a {answer_size}-byte answer to a {}-byte request",
        request_body.len()
    );
    assert_eq!(app.runs(), 0, "the handler never ran");
}
