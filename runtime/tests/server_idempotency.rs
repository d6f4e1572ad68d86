//! `Idempotency-Key` on a keyed write, over the real server layers, against every store:
//! each test `name` runs as `name::memory`, always, and as `name::redis` against the server
//! `REDIS_URL` names (`.ci/run` starts one). Without `REDIS_URL` the Redis runs are ignored,
//! with the reason, except under `CI`, where they run and fail.

#[macro_use]
mod keyed_writes;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use keyed_writes::*;
use serde_json::json;
use solo60_runtime::client::{ApiKey, Call, ClientConfig, ServiceClient};
use solo60_runtime::idempotency::{
    Begin, Idempotency, IdempotencyStore, Lock, StoreError, StoreFuture, StoredResponse,
};
use solo60_runtime::server::axum::body::Body;
use solo60_runtime::server::axum::http::Request;
use solo60_runtime::server::axum::{self, Router};
use solo60_runtime::Uuid;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

store_tests!(a_repeat_gets_the_first_answer_byte_for_byte_and_the_handler_runs_once);

async fn a_repeat_gets_the_first_answer_byte_for_byte_and_the_handler_runs_once(backend: Backend) {
    let payments = Payments::default();
    let app = router(payments.clone(), backend.idempotency);
    let first = send(
        &app,
        payment(Some("pay-1"), "session", json!({"amount": 500})),
    )
    .await;
    let second = send(
        &app,
        payment(Some("pay-1"), "session", json!({"amount": 500})),
    )
    .await;
    assert_eq!(first.status, 201, "{}: {first:?}", backend.name);
    assert!(!first.replayed, "{}", backend.name);
    assert_eq!(second.status, 201, "{}", backend.name);
    assert!(second.replayed, "{}: marked as a replay", backend.name);
    assert_eq!(first.body, second.body, "{}: byte-identical", backend.name);
    assert_eq!(
        payments.charges.load(Ordering::SeqCst),
        1,
        "{}",
        backend.name
    );
}

store_tests!(the_same_key_with_another_body_is_refused_with_422);

async fn the_same_key_with_another_body_is_refused_with_422(backend: Backend) {
    let payments = Payments::default();
    let app = router(payments.clone(), backend.idempotency);
    send(
        &app,
        payment(Some("pay-2"), "session", json!({"amount": 500})),
    )
    .await;
    let reused = send(
        &app,
        payment(Some("pay-2"), "session", json!({"amount": 900})),
    )
    .await;
    assert_eq!(reused.status, 422, "{}: {reused:?}", backend.name);
    assert_eq!(reused.code(), "IDEMPOTENCY_KEY_REUSED", "{}", backend.name);
    assert_eq!(
        payments.charges.load(Ordering::SeqCst),
        1,
        "{}",
        backend.name
    );
}

store_tests!(a_repeat_while_the_first_runs_gets_409_and_afterwards_the_replay);

async fn a_repeat_while_the_first_runs_gets_409_and_afterwards_the_replay(backend: Backend) {
    let payments = Payments {
        first_charge_takes: Duration::from_millis(400),
        ..Payments::default()
    };
    let app = router(payments.clone(), backend.idempotency);
    let first = tokio::spawn({
        let app = app.clone();
        async move {
            send(
                &app,
                payment(Some("pay-3"), "session", json!({"amount": 5})),
            )
            .await
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let during = send(
        &app,
        payment(Some("pay-3"), "session", json!({"amount": 5})),
    )
    .await;
    assert_eq!(during.status, 409, "{}: {during:?}", backend.name);
    assert_eq!(during.code(), "IDEMPOTENCY_KEY_IN_USE", "{}", backend.name);
    let first = first.await.expect("the first request");
    let after = send(
        &app,
        payment(Some("pay-3"), "session", json!({"amount": 5})),
    )
    .await;
    assert!(after.replayed, "{}: {after:?}", backend.name);
    assert_eq!(after.body, first.body, "{}", backend.name);
    assert_eq!(
        payments.charges.load(Ordering::SeqCst),
        1,
        "{}",
        backend.name
    );
}

store_tests!(after_the_retention_period_the_key_runs_again);

async fn after_the_retention_period_the_key_runs_again(backend: Backend) {
    let payments = Payments::default();
    let idempotency = Idempotency {
        retention: Duration::from_millis(300),
        ..backend.idempotency
    };
    let app = router(payments.clone(), idempotency);
    send(
        &app,
        payment(Some("pay-4"), "session", json!({"amount": 5})),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(450)).await;
    let again = send(
        &app,
        payment(Some("pay-4"), "session", json!({"amount": 5})),
    )
    .await;
    assert_eq!(again.status, 201, "{}", backend.name);
    assert!(!again.replayed, "{}: ran again", backend.name);
    assert_eq!(
        payments.charges.load(Ordering::SeqCst),
        2,
        "{}",
        backend.name
    );
}

store_tests!(requests_refused_before_the_handler_store_nothing);

async fn requests_refused_before_the_handler_store_nothing(backend: Backend) {
    let payments = Payments::default();
    let app = router(payments.clone(), backend.idempotency);
    let unauthorized = Request::post(PAYMENTS)
        .header("x-api-key", "wrong")
        .header("x-service-name", "session")
        .header("idempotency-key", "pay-5")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"amount": 5}"#))
        .expect("a request");
    assert_eq!(
        send(&app, unauthorized).await.status,
        401,
        "{}",
        backend.name
    );
    let invalid = send(
        &app,
        payment(Some("pay-5"), "session", json!({"amount": -5})),
    )
    .await;
    assert_eq!(invalid.status, 422, "{}: {invalid:?}", backend.name);
    assert_eq!(invalid.code(), "VALIDATION_FAILED", "{}", backend.name);
    // Neither refusal claimed the key: a corrected request with it runs, not 422/replay.
    let corrected = send(
        &app,
        payment(Some("pay-5"), "session", json!({"amount": 5})),
    )
    .await;
    assert_eq!(corrected.status, 201, "{}: {corrected:?}", backend.name);
    assert!(!corrected.replayed, "{}", backend.name);
    assert_eq!(
        payments.charges.load(Ordering::SeqCst),
        1,
        "{}",
        backend.name
    );
}

store_tests!(a_keyed_operation_without_a_usable_key_is_a_400);

async fn a_keyed_operation_without_a_usable_key_is_a_400(backend: Backend) {
    let payments = Payments::default();
    let app = router(payments.clone(), backend.idempotency);
    let missing = send(&app, payment(None, "session", json!({"amount": 5}))).await;
    assert_eq!(missing.status, 400, "{}", backend.name);
    assert_eq!(
        missing.code(),
        "IDEMPOTENCY_KEY_REQUIRED",
        "{}",
        backend.name
    );
    let long = "k".repeat(256);
    let too_long = send(&app, payment(Some(&long), "session", json!({"amount": 5}))).await;
    assert_eq!(
        too_long.code(),
        "IDEMPOTENCY_KEY_INVALID",
        "{}",
        backend.name
    );
    assert_eq!(
        payments.charges.load(Ordering::SeqCst),
        0,
        "{}",
        backend.name
    );
}

store_tests!(keys_are_scoped_per_calling_service);

async fn keys_are_scoped_per_calling_service(backend: Backend) {
    let payments = Payments::default();
    let app = router(payments.clone(), backend.idempotency);
    let session = send(
        &app,
        payment(Some("pay-6"), "session", json!({"amount": 5})),
    )
    .await;
    let gym = send(&app, payment(Some("pay-6"), "gym", json!({"amount": 5}))).await;
    assert!(!session.replayed && !gym.replayed, "{}", backend.name);
    assert_ne!(session.body, gym.body, "{}", backend.name);
    assert_eq!(
        payments.charges.load(Ordering::SeqCst),
        2,
        "{}",
        backend.name
    );
}

store_tests!(a_run_past_its_lock_frees_the_key_and_its_late_answer_is_not_stored);

async fn a_run_past_its_lock_frees_the_key_and_its_late_answer_is_not_stored(backend: Backend) {
    let payments = Payments {
        first_charge_takes: Duration::from_millis(700),
        ..Payments::default()
    };
    let idempotency = Idempotency {
        lock_timeout: Duration::from_millis(200),
        ..backend.idempotency
    };
    let app = router(payments.clone(), idempotency);
    let stuck = tokio::spawn({
        let app = app.clone();
        async move {
            send(
                &app,
                payment(Some("pay-7"), "session", json!({"amount": 5})),
            )
            .await
        }
    });
    tokio::time::sleep(Duration::from_millis(350)).await;
    let newer = send(
        &app,
        payment(Some("pay-7"), "session", json!({"amount": 5})),
    )
    .await;
    assert_eq!(newer.status, 201, "{}: the key was freed", backend.name);
    assert!(!newer.replayed, "{}", backend.name);
    let late = stuck.await.expect("the stuck request");
    assert_eq!(
        late.status, 201,
        "{}: its caller still gets its answer",
        backend.name
    );
    let replay = send(
        &app,
        payment(Some("pay-7"), "session", json!({"amount": 5})),
    )
    .await;
    assert!(replay.replayed, "{}", backend.name);
    assert_eq!(
        replay.body, newer.body,
        "{}: the newer result stands",
        backend.name
    );
}

/// A store that cannot be reached.
struct Unreachable;

impl IdempotencyStore for Unreachable {
    fn begin<'a>(
        &'a self,
        _key: &'a str,
        _fingerprint: &'a str,
        _lock: &'a Lock,
        _lock_timeout: Duration,
    ) -> StoreFuture<'a, Begin> {
        Box::pin(async { Err(StoreError("connection refused".into())) })
    }

    fn complete<'a>(
        &'a self,
        _key: &'a str,
        _lock: &'a Lock,
        _response: &'a StoredResponse,
        _retention: Duration,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async { Err(StoreError("connection refused".into())) })
    }

    fn release<'a>(&'a self, _key: &'a str, _lock: &'a Lock) -> StoreFuture<'a, ()> {
        Box::pin(async { Err(StoreError("connection refused".into())) })
    }
}

#[tokio::test]
async fn an_unreachable_store_fails_closed_with_503() {
    let payments = Payments::default();
    let app = router(payments.clone(), Idempotency::with_store(Unreachable));
    let answer = send(
        &app,
        payment(Some("pay-8"), "session", json!({"amount": 5})),
    )
    .await;
    assert_eq!(answer.status, 503, "{answer:?}");
    assert_eq!(answer.code(), "IDEMPOTENCY_STORE_UNAVAILABLE");
    assert_eq!(
        payments.charges.load(Ordering::SeqCst),
        0,
        "the handler did not run"
    );
}

#[cfg(feature = "redis")]
#[preconditions::needs(redis)]
#[tokio::test]
async fn a_redis_that_goes_away_fails_closed_with_503() {
    let url = redis_url();
    let target = url::Url::parse(&url).expect("REDIS_URL is a URL");
    let upstream = format!(
        "{}:{}",
        target.host_str().unwrap_or("127.0.0.1"),
        target.port().unwrap_or(6379)
    );
    let proxy = Proxy::start(vec![upstream]).await;
    let mut through_proxy = target.clone();
    through_proxy.set_port(Some(proxy.port)).expect("a port");
    let store = solo60_runtime::idempotency::RedisStore::connect(through_proxy.as_str())
        .await
        .expect("Redis through the proxy")
        // A fresh prefix: the server outlives this run, and a key left by an earlier run
        // would be replayed instead of run.
        .with_prefix(format!("test:{}:", Uuid::new_v4()));
    let payments = Payments::default();
    let app = router(payments.clone(), Idempotency::with_store(store));
    let up = send(
        &app,
        payment(Some("pay-9"), "session", json!({"amount": 5})),
    )
    .await;
    assert_eq!(up.status, 201, "{up:?}");
    proxy.cut();
    let down = send(
        &app,
        payment(Some("pay-10"), "session", json!({"amount": 5})),
    )
    .await;
    assert_eq!(down.status, 503, "{down:?}");
    assert_eq!(down.code(), "IDEMPOTENCY_STORE_UNAVAILABLE");
    assert_eq!(
        payments.charges.load(Ordering::SeqCst),
        1,
        "the handler did not run"
    );
}

store_tests!(two_replicas_sharing_a_store_charge_once_through_a_lost_answer);

/// Two replicas of the payment service behind one address, sharing a store; the first
/// connection loses the answer after the payment was taken, so the client retries — on
/// the other replica. The card is charged once.
async fn two_replicas_sharing_a_store_charge_once_through_a_lost_answer(backend: Backend) {
    let payments = Payments::default();
    let first = serve(router(payments.clone(), backend.idempotency.clone())).await;
    let second = serve(router(payments.clone(), backend.idempotency)).await;
    let balancer = Proxy::start(vec![first, second]).await;
    balancer.drop_first_answer();

    let mut config = ClientConfig::new(
        format!("http://127.0.0.1:{}", balancer.port)
            .parse()
            .expect("a URL"),
        ApiKey::new(KEY),
        "session",
    );
    config.retry.initial_backoff = Duration::from_millis(10);
    let client = ServiceClient::new("payment", config).expect("a client");
    let answer: Payment = client
        .call(Call::new(&CREATE_PAYMENT, PAYMENTS.into()).body(&PaymentRequest { amount: 7 }))
        .await
        .unwrap_or_else(|error| panic!("{}: {error}", backend.name));

    assert_eq!(answer.charge, 1, "{}", backend.name);
    assert_eq!(
        payments.charges.load(Ordering::SeqCst),
        1,
        "{}: charged once",
        backend.name
    );
    assert_eq!(
        balancer.connections(),
        2,
        "{}: the retry reached the other replica",
        backend.name
    );
}

async fn serve(router: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("an address").to_string();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    address
}

/// A TCP forwarder: connection N goes to upstream N modulo their number. It can swallow
/// the first answer (the upstream did the work, the caller never hears of it) and can be
/// cut (every connection, open or new, is dropped).
struct Proxy {
    port: u16,
    state: Arc<ProxyState>,
}

#[derive(Default)]
struct ProxyState {
    connections: AtomicUsize,
    drop_first_answer: std::sync::atomic::AtomicBool,
    cut: tokio::sync::watch::Sender<bool>,
}

impl Proxy {
    async fn start(upstreams: Vec<String>) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("an address").port();
        let state = Arc::new(ProxyState::default());
        let accepting = Arc::clone(&state);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let index = accepting.connections.fetch_add(1, Ordering::SeqCst);
                let upstream = upstreams[index % upstreams.len()].clone();
                let swallow = index == 0 && accepting.drop_first_answer.load(Ordering::SeqCst);
                let cut = accepting.cut.subscribe();
                tokio::spawn(forward(client, upstream, swallow, cut));
            }
        });
        Proxy { port, state }
    }

    fn drop_first_answer(&self) {
        self.state.drop_first_answer.store(true, Ordering::SeqCst);
    }

    fn cut(&self) {
        self.state.cut.send_replace(true);
    }

    fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }
}

async fn forward(
    mut client: TcpStream,
    upstream: String,
    swallow_answer: bool,
    mut cut: tokio::sync::watch::Receiver<bool>,
) {
    if *cut.borrow() {
        return;
    }
    let Ok(mut server) = TcpStream::connect(&upstream).await else {
        return;
    };
    if swallow_answer {
        // Pass the request on, wait until the upstream has answered, then hang up on the
        // client without a byte of the answer.
        let Some(request) = read_request(&mut client).await else {
            return;
        };
        if server.write_all(&request).await.is_err() {
            return;
        }
        let mut answer = vec![0u8; 64 * 1024];
        let _ = server.read(&mut answer).await;
        return;
    }
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = cut.wait_for(|cut| *cut) => {}
    }
}

/// One HTTP/1.1 request with a `Content-Length` body, read whole.
async fn read_request(client: &mut TcpStream) -> Option<Vec<u8>> {
    let mut request = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let read = client
            .read(&mut chunk)
            .await
            .ok()
            .filter(|read| *read > 0)?;
        request.extend_from_slice(&chunk[..read]);
        let Some(end) = request.windows(4).position(|window| window == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0);
        if request.len() >= end + 4 + length {
            return Some(request);
        }
    }
}
