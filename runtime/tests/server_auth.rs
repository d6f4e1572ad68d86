//! Service authentication and caller identity: the key, compared in constant time against
//! every key of the ring; the caller's name, required; per-operation allow-lists. All of it
//! before routing and before the body is read, and the key never shows anywhere.

mod service;
mod support;

use serde_json::{json, Value};
use service::*;
use solo60_runtime::secret::ApiKey;
use solo60_runtime::server::axum::body::Body;
use solo60_runtime::server::axum::http::{HeaderValue, Request};
use solo60_runtime::server::{ServerConfig, ServiceAuth};

fn get_member_with(key: Option<&[u8]>) -> Request<Body> {
    let mut request = Request::builder()
        .method("GET")
        .uri(format!("/internal/members/{MEMBER_ID}"))
        .header("x-service-name", CALLER)
        .header("x-correlation-id", "fixed-id-1");
    if let Some(key) = key {
        request = request.header("x-api-key", HeaderValue::from_bytes(key).unwrap());
    }
    request.body(Body::empty()).unwrap()
}

/// Everything about an answer a caller can see, except what differs between any two
/// requests: the date and the correlation id.
fn observable(answer: &Answer) -> (u16, Vec<(String, String)>, Value) {
    let mut headers: Vec<(String, String)> = answer
        .headers
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "date" | "x-correlation-id"))
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("?").to_owned()))
        .collect();
    headers.sort();
    let mut body = answer.json();
    if let Some(object) = body.as_object_mut() {
        object.remove("correlationId");
    }
    (answer.status, headers, body)
}

#[tokio::test]
async fn a_missing_and_a_wrong_key_get_identical_401s() {
    let app = App::new();
    let missing = app.send(get_member_with(None)).await;
    let wrong = app.send(get_member_with(Some(WRONG_KEY.as_bytes()))).await;
    let problem = missing.assert_problem(401, "UNAUTHORIZED");
    assert_eq!(problem.title, "Unauthorized");
    wrong.assert_problem(401, "UNAUTHORIZED");
    assert_eq!(observable(&missing), observable(&wrong));
    assert_eq!(
        missing.body, wrong.body,
        "same id sent, so even the bytes match"
    );
    assert_eq!(
        missing.header("www-authenticate"),
        Some("ApiKey header=\"x-api-key\"")
    );
    assert_eq!(app.runs(), 0);
    app.still_serves().await;
}

#[tokio::test]
async fn keys_of_odd_length_or_bytes_are_401_without_a_panic() {
    let app = App::new();
    let ten_kib = vec![b'k'; 10 * 1024];
    let mut prefix_plus = KEY.as_bytes().to_vec();
    prefix_plus.push(b'x');
    let odd: [&[u8]; 7] = [
        b"",
        b"k",
        &ten_kib,
        &KEY.as_bytes()[..KEY.len() - 1],
        &prefix_plus,
        b"\xff\xfe\x80 obs-text",
        b"\tsk_server_test\t",
    ];
    let reference = observable(&app.send(get_member_with(None)).await);
    for key in odd {
        let answer = app.send(get_member_with(Some(key))).await;
        answer.assert_problem(401, "UNAUTHORIZED");
        assert_eq!(observable(&answer), reference, "key of {} bytes", key.len());
    }
    // The right key twice is still one key too many to guess between.
    let doubled = request("GET", &format!("/internal/members/{MEMBER_ID}"))
        .header("x-api-key", WRONG_KEY)
        .body(Body::empty())
        .unwrap();
    app.send(doubled).await.assert_problem(401, "UNAUTHORIZED");
    assert_eq!(app.runs(), 0);
    app.still_serves().await;
}

#[tokio::test]
async fn authentication_comes_before_routing_and_before_the_body() {
    let app = App::new();
    let reference = observable(&app.send(get_member_with(None)).await);
    let unauthenticated = |method: &str, path: &str| {
        Request::builder()
            .method(method)
            .uri(path)
            .header("x-service-name", CALLER)
            .header("x-correlation-id", "fixed-id-1")
    };
    let requests = [
        // Unknown path, unknown method: no hint that either exists.
        unauthenticated("GET", "/internal/secret-admin")
            .body(Body::empty())
            .unwrap(),
        unauthenticated("PATCH", "/internal/members")
            .body(Body::empty())
            .unwrap(),
        // A malformed body, a wrong media type, a body over the limit: never looked at.
        unauthenticated("POST", "/internal/members")
            .header("content-type", "application/json")
            .body(Body::from("{not json"))
            .unwrap(),
        unauthenticated("POST", "/internal/members")
            .header("content-type", "text/plain")
            .body(Body::from("hello"))
            .unwrap(),
        unauthenticated("POST", "/internal/members")
            .header("content-type", "application/json")
            .header("content-length", "104857600")
            .body(Body::empty())
            .unwrap(),
        // A malformed path parameter.
        unauthenticated("GET", "/internal/members/not-a-uuid")
            .body(Body::empty())
            .unwrap(),
    ];
    for request in requests {
        let what = format!("{} {}", request.method(), request.uri());
        let answer = app.send(request).await;
        assert_eq!(observable(&answer), reference, "{what}");
    }
    assert_eq!(app.runs(), 0);
}

#[tokio::test]
async fn during_a_rotation_both_keys_work_and_afterwards_the_old_one_is_refused() {
    let rotating = App::with(
        ServiceAuth::new(ApiKey::new(KEY)).with_previous_key(ApiKey::new(OLD_KEY)),
        ServerConfig::default(),
    );
    for key in [KEY, OLD_KEY] {
        let answer = rotating.send(get_member_with(Some(key.as_bytes()))).await;
        assert_eq!(answer.status, 200, "{}", answer.text());
    }
    rotating
        .send(get_member_with(Some(WRONG_KEY.as_bytes())))
        .await
        .assert_problem(401, "UNAUTHORIZED");

    let rotated = App::new();
    rotated
        .send(get_member_with(Some(OLD_KEY.as_bytes())))
        .await
        .assert_problem(401, "UNAUTHORIZED");
    assert_eq!(
        rotated
            .send(get_member_with(Some(KEY.as_bytes())))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn the_ring_is_read_from_the_environment() {
    // The only test in this binary that touches these variables.
    std::env::set_var("SERVICE_API_KEY", KEY);
    std::env::set_var("SERVICE_API_KEYS_PREVIOUS", format!("{OLD_KEY}, "));
    let auth = ServiceAuth::from_env().unwrap();
    std::env::remove_var("SERVICE_API_KEYS_PREVIOUS");
    std::env::remove_var("SERVICE_API_KEY");
    assert_eq!(auth.key_count(), 2);
    let app = App::with(auth, ServerConfig::default());
    for key in [KEY, OLD_KEY] {
        assert_eq!(
            app.send(get_member_with(Some(key.as_bytes()))).await.status,
            200
        );
    }
    assert!(
        ServiceAuth::from_env().is_err(),
        "the current key is required"
    );
}

#[tokio::test]
async fn the_caller_must_name_itself() {
    let app = App::new();
    let with_name = |name: Option<&str>, key: &str| {
        let mut request = Request::builder()
            .uri(format!("/internal/members/{MEMBER_ID}"))
            .header("x-api-key", key);
        if let Some(name) = name {
            request = request.header("x-service-name", name);
        }
        request.body(Body::empty()).unwrap()
    };
    let too_long = "a".repeat(65);
    for name in [
        None,
        Some(""),
        Some("two words"),
        Some("é"),
        Some(too_long.as_str()),
    ] {
        let answer = app.send(with_name(name, KEY)).await;
        let problem = answer.assert_problem(401, "SERVICE_NAME_REQUIRED");
        assert!(problem
            .detail
            .unwrap_or_default()
            .contains("x-service-name"));
    }
    // Without a valid key, the caller learns nothing about its name either.
    app.send(with_name(None, WRONG_KEY))
        .await
        .assert_problem(401, "UNAUTHORIZED");
    assert_eq!(app.runs(), 0);
    let answer = app.send(with_name(Some("billing.v2_x-1"), KEY)).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.echo().caller, "billing.v2_x-1");
}

#[tokio::test]
async fn a_caller_not_on_the_operations_allow_list_is_403_before_the_handler() {
    let app = App::new();
    let call = |method: &str, path: &str, caller: &str| {
        Request::builder()
            .method(method)
            .uri(path)
            .header("x-api-key", KEY)
            .header("x-service-name", caller)
            .body(Body::empty())
            .unwrap()
    };
    let member = format!("/internal/members/{MEMBER_ID}");
    let by_email = "/internal/members/by-email?email=a%40b.co";
    let cases = [
        // deleteMember allows admin and session.
        ("DELETE", member.as_str(), "billing", 403),
        ("DELETE", member.as_str(), "admin", 204),
        ("DELETE", member.as_str(), "session", 204),
        // purgeMembers, on the same path as createMember and listMembers, allows admin only.
        ("DELETE", "/internal/members", "session", 403),
        ("DELETE", "/internal/members", "admin", 204),
        ("GET", "/internal/members", "billing", 200),
        // getMember has no list: any authenticated caller.
        ("GET", member.as_str(), "billing", 200),
        // findByEmail allows session and admin; HEAD runs the GET handler, so it is checked too.
        ("GET", by_email, "billing", 403),
        ("HEAD", by_email, "billing", 403),
        ("HEAD", by_email, "session", 200),
        // The list is matched exactly.
        ("DELETE", member.as_str(), "Admin", 403),
        ("DELETE", member.as_str(), "admin2", 403),
    ];
    let mut allowed = 0;
    for (method, path, caller, status) in cases {
        let answer = app.send(call(method, path, caller)).await;
        assert_eq!(answer.status, status, "{method} {path} as {caller}");
        if status == 403 {
            if method != "HEAD" {
                let problem = answer.assert_problem(403, "CALLER_NOT_ALLOWED");
                assert_eq!(problem.title, "Forbidden");
                assert!(problem.detail.unwrap_or_default().contains(caller));
            }
        } else {
            allowed += 1;
        }
    }
    assert_eq!(app.runs(), allowed, "no refused caller reached a handler");
}

#[tokio::test]
async fn the_key_never_appears_in_traces_answers_or_debug_output() {
    let captured = support::capture::capture_all();
    let app = App::with(
        ServiceAuth::new(ApiKey::new(KEY)).with_previous_key(ApiKey::new(OLD_KEY)),
        ServerConfig::default(),
    );
    let mut answers = Vec::new();
    for key in [KEY, OLD_KEY, WRONG_KEY, ""] {
        answers.push(app.send(get_member_with(Some(key.as_bytes()))).await);
    }
    answers.push(app.send(get_member_with(None)).await);
    answers.push(
        app.send(json_request(
            "POST",
            "/internal/members",
            json!({ "name": KEY }).to_string(),
        ))
        .await,
    );
    answers.push(
        app.send(
            request("POST", "/internal/faults/panic")
                .body(Body::empty())
                .unwrap(),
        )
        .await,
    );
    answers.push(
        app.send(
            request("GET", "/internal/nowhere")
                .body(Body::empty())
                .unwrap(),
        )
        .await,
    );
    let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [200, 200, 401, 401, 401, 422, 500, 404]);

    let log = captured.text();
    assert!(log.contains("request served"), "the capture works: {log}");
    assert!(
        log.contains("caller=session") || log.contains("caller=\"session\""),
        "{log}"
    );
    assert!(log.contains("handler panicked"));
    for secret in [KEY, OLD_KEY, WRONG_KEY] {
        assert!(!log.contains(secret), "a key leaked into the trace output");
        for answer in &answers {
            assert!(!format!("{:?}", answer.headers).contains(secret));
            assert!(!answer.text().contains(secret), "{}", answer.text());
        }
    }
    let auth = ServiceAuth::new(ApiKey::new(KEY)).with_previous_key(ApiKey::new(OLD_KEY));
    let shown = format!("{auth:?} {auth:#?} {:?}", ApiKey::new(KEY));
    assert!(!shown.contains(KEY) && !shown.contains(OLD_KEY), "{shown}");
}
