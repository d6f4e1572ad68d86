//! The Redis idempotency store against a real server: the store contract, key by key.
//!
//! Runs against `REDIS_URL` (`.ci/run` starts a server and sets it). Without it the tests
//! that need a server are ignored, with the reason, except under CI, where they run and fail:
//! a missing server must not pass unnoticed. Every test writes under its own random
//! prefix, so the tests can share one server, run in parallel and leave nothing behind
//! that matters (every key expires).
#![cfg(feature = "redis")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use preconditions::needs;
use solo60_runtime::idempotency::{Begin, IdempotencyStore, Lock, RedisStore, StoredResponse};
use solo60_runtime::Uuid;

const MINUTE: Duration = Duration::from_secs(60);
/// Short enough to wait out in a test, long enough not to expire between two calls.
const SHORT: Duration = Duration::from_millis(200);
/// Past [`SHORT`], with room for a slow machine.
const PAST_SHORT: Duration = Duration::from_millis(400);

/// A connected store with a prefix of its own, and that prefix. Only tests marked
/// `#[needs(redis)]` call it: they are ignored without `REDIS_URL`, except under CI.
async fn store() -> (RedisStore, String) {
    let url = std::env::var("REDIS_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
        .expect("REDIS_URL must name a Redis server for this test (.ci/run starts one)");
    let prefix = format!("solo60-test:{}:", Uuid::new_v4());
    let store = RedisStore::connect(&url)
        .await
        .unwrap_or_else(|error| panic!("REDIS_URL is set but Redis cannot be used: {error}"))
        .with_prefix(prefix.clone());
    (store, prefix)
}

/// A plain connection, to look at and tamper with the keys behind the store's back.
async fn raw() -> redis::aio::MultiplexedConnection {
    let url = std::env::var("REDIS_URL").expect("checked by store()");
    redis::Client::open(url)
        .expect("a valid URL")
        .get_multiplexed_async_connection()
        .await
        .expect("Redis answers")
}

/// A body with what could go wrong in transit: non-ASCII, escapes, a NUL, newlines.
fn answer(id: &str) -> StoredResponse {
    StoredResponse {
        status: 201,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("location".into(), format!("/subscriptions/{id}")),
        ],
        body: format!(
            "{{\"id\":\"{id}\",\"name\":\"Zoë 🙂\",\"note\":\"a\\nb\\u0000\\\"c\\\"\"}}\n"
        ),
    }
}

#[needs(redis)]
#[tokio::test]
async fn a_claimed_key_is_in_flight_then_a_mismatch_then_replays() {
    let (store, _) = store().await;
    let lock = Lock::new();
    assert_eq!(store.begin("k", "f", &lock, MINUTE).await, Ok(Begin::Run));
    assert_eq!(
        store.begin("k", "f", &Lock::new(), MINUTE).await,
        Ok(Begin::InFlight)
    );
    assert_eq!(
        store.begin("k", "other", &Lock::new(), MINUTE).await,
        Ok(Begin::Mismatch)
    );
    let sent = answer("1");
    assert_eq!(store.complete("k", &lock, &sent, MINUTE).await, Ok(true));
    for _ in 0..2 {
        match store.begin("k", "f", &Lock::new(), MINUTE).await {
            Ok(Begin::Replay(replayed)) => {
                assert_eq!(replayed, sent);
                assert_eq!(replayed.body.as_bytes(), sent.body.as_bytes());
            }
            other => panic!("expected the stored answer, got {other:?}"),
        }
    }
    assert_eq!(
        store.begin("k", "other", &Lock::new(), MINUTE).await,
        Ok(Begin::Mismatch)
    );
    // A second completion of a finished run changes nothing.
    assert_eq!(
        store.complete("k", &lock, &answer("2"), MINUTE).await,
        Ok(false)
    );
    assert_eq!(
        store.begin("k", "f", &Lock::new(), MINUTE).await,
        Ok(Begin::Replay(sent))
    );
}

#[needs(redis)]
#[tokio::test]
async fn an_expired_lock_frees_the_key_and_its_late_answer_is_not_stored() {
    let (store, _) = store().await;
    let first = Lock::new();
    assert_eq!(store.begin("k", "f", &first, SHORT).await, Ok(Begin::Run));
    tokio::time::sleep(PAST_SHORT).await;
    let second = Lock::new();
    assert_eq!(store.begin("k", "f", &second, MINUTE).await, Ok(Begin::Run));
    assert_eq!(
        store.complete("k", &first, &answer("late"), MINUTE).await,
        Ok(false)
    );
    assert_eq!(store.release("k", &first).await, Ok(()));
    assert_eq!(
        store.begin("k", "f", &Lock::new(), MINUTE).await,
        Ok(Begin::InFlight)
    );
    assert_eq!(
        store.complete("k", &second, &answer("new"), MINUTE).await,
        Ok(true)
    );
    assert_eq!(
        store.begin("k", "f", &Lock::new(), MINUTE).await,
        Ok(Begin::Replay(answer("new")))
    );

    // With no newer run, a late answer is not stored either: the key stays free.
    let lost = Lock::new();
    assert_eq!(store.begin("gone", "f", &lost, SHORT).await, Ok(Begin::Run));
    tokio::time::sleep(PAST_SHORT).await;
    assert_eq!(
        store.complete("gone", &lost, &answer("late"), MINUTE).await,
        Ok(false)
    );
    assert_eq!(
        store.begin("gone", "f", &Lock::new(), MINUTE).await,
        Ok(Begin::Run)
    );
}

#[needs(redis)]
#[tokio::test]
async fn only_the_holding_lock_releases_a_running_key() {
    let (store, _) = store().await;
    let lock = Lock::new();
    assert_eq!(store.begin("k", "f", &lock, MINUTE).await, Ok(Begin::Run));
    assert_eq!(store.release("k", &Lock::new()).await, Ok(()));
    assert_eq!(
        store.begin("k", "f", &Lock::new(), MINUTE).await,
        Ok(Begin::InFlight)
    );
    assert_eq!(store.release("k", &lock).await, Ok(()));
    assert_eq!(
        store.begin("k", "f", &Lock::new(), MINUTE).await,
        Ok(Begin::Run)
    );

    // A finished run's answer is not released, even by the lock that stored it.
    let done = Lock::new();
    assert_eq!(
        store.begin("done", "f", &done, MINUTE).await,
        Ok(Begin::Run)
    );
    assert_eq!(
        store.complete("done", &done, &answer("1"), MINUTE).await,
        Ok(true)
    );
    assert_eq!(store.release("done", &done).await, Ok(()));
    assert_eq!(
        store.begin("done", "f", &Lock::new(), MINUTE).await,
        Ok(Begin::Replay(answer("1")))
    );
    // Releasing a key nobody holds is no error.
    assert_eq!(store.release("never", &Lock::new()).await, Ok(()));
}

#[needs(redis)]
#[tokio::test]
async fn an_answer_is_replayed_until_its_retention_ends() {
    let (store, _) = store().await;
    let lock = Lock::new();
    assert_eq!(store.begin("k", "f", &lock, MINUTE).await, Ok(Begin::Run));
    assert_eq!(
        store.complete("k", &lock, &answer("1"), SHORT).await,
        Ok(true)
    );
    assert_eq!(
        store.begin("k", "f", &Lock::new(), MINUTE).await,
        Ok(Begin::Replay(answer("1")))
    );
    tokio::time::sleep(PAST_SHORT).await;
    // Gone, fingerprint and all: even a different request may use the key now.
    assert_eq!(
        store.begin("k", "other", &Lock::new(), MINUTE).await,
        Ok(Begin::Run)
    );
}

#[needs(redis)]
#[tokio::test]
async fn keys_live_as_long_as_their_state_under_the_prefix() {
    let (store, prefix) = store().await;
    let mut raw = raw().await;
    let key = format!("{prefix}k");
    let lock = Lock::new();
    assert_eq!(store.begin("k", "f", &lock, MINUTE).await, Ok(Begin::Run));
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&key)
        .query_async(&mut raw)
        .await
        .unwrap();
    assert!(
        (55_000..=60_000).contains(&ttl),
        "lock timeout as TTL: {ttl}"
    );
    let state: Option<String> = redis::cmd("HGET")
        .arg(&key)
        .arg("state")
        .query_async(&mut raw)
        .await
        .unwrap();
    assert_eq!(state.as_deref(), Some("running"));

    let day = Duration::from_secs(24 * 60 * 60);
    assert_eq!(
        store.complete("k", &lock, &answer("1"), day).await,
        Ok(true)
    );
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&key)
        .query_async(&mut raw)
        .await
        .unwrap();
    assert!(ttl > 60_000 && ttl <= 86_400_000, "retention as TTL: {ttl}");
    let state: Option<String> = redis::cmd("HGET")
        .arg(&key)
        .arg("state")
        .query_async(&mut raw)
        .await
        .unwrap();
    assert_eq!(state.as_deref(), Some("done"));

    // Another prefix is another set of keys.
    let other = store.clone().with_prefix(format!("{prefix}other:"));
    assert_eq!(
        other.begin("k", "f", &Lock::new(), MINUTE).await,
        Ok(Begin::Run)
    );
    // Not left for a day on a developer's server.
    let _: i64 = redis::cmd("DEL")
        .arg(&key)
        .query_async(&mut raw)
        .await
        .unwrap();
}

#[needs(redis)]
#[tokio::test]
async fn a_key_the_store_did_not_write_is_an_error_not_a_panic() {
    let (store, prefix) = store().await;
    let mut raw = raw().await;
    let () = redis::cmd("SET")
        .arg(format!("{prefix}k"))
        .arg("not a hash")
        .arg("PX")
        .arg(60_000)
        .query_async(&mut raw)
        .await
        .unwrap();
    let lock = Lock::new();
    assert!(store.begin("k", "f", &lock, MINUTE).await.is_err());
    assert!(store
        .complete("k", &lock, &answer("1"), MINUTE)
        .await
        .is_err());
    assert!(store.release("k", &lock).await.is_err());

    // A hash claiming to be done with an unreadable answer.
    let () = redis::cmd("HSET")
        .arg(format!("{prefix}bad"))
        .arg("state")
        .arg("done")
        .arg("fp")
        .arg("f")
        .arg("response")
        .arg("{not json")
        .query_async(&mut raw)
        .await
        .unwrap();
    let error = store
        .begin("bad", "f", &lock, MINUTE)
        .await
        .expect_err("an unreadable answer is not replayed");
    assert!(error.0.contains("not readable"), "{error}");
    let _: i64 = redis::cmd("DEL")
        .arg(format!("{prefix}bad"))
        .query_async(&mut raw)
        .await
        .unwrap();
}

#[needs(redis)]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_begins_on_one_key_make_exactly_one_run() {
    let (store, _) = store().await;
    let store = Arc::new(store);
    let start = Arc::new(tokio::sync::Barrier::new(20));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let store = Arc::clone(&store);
            let start = Arc::clone(&start);
            tokio::spawn(async move {
                let lock = Lock::new();
                start.wait().await;
                store.begin("k", "f", &lock, MINUTE).await
            })
        })
        .collect();
    let mut runs = 0;
    for task in tasks {
        match task.await.expect("the task finished") {
            Ok(Begin::Run) => runs += 1,
            Ok(Begin::InFlight) => {}
            other => panic!("expected Run or InFlight, got {other:?}"),
        }
    }
    assert_eq!(runs, 1);
}

/// Needs no server: nothing listens on port 1.
#[tokio::test]
async fn an_unreachable_redis_fails_quickly_and_without_its_password() {
    let started = Instant::now();
    let outcome = tokio::time::timeout(Duration::from_secs(10), async {
        match RedisStore::connect("redis://:hunter2@127.0.0.1:1/").await {
            Err(error) => error,
            Ok(store) => store
                .begin("k", "f", &Lock::new(), MINUTE)
                .await
                .expect_err("nothing answers on port 1"),
        }
    })
    .await;
    let error = outcome.expect("an unreachable Redis must fail within 10 s, not hang");
    eprintln!("unreachable Redis: {error} after {:?}", started.elapsed());
    assert!(!error.0.contains("hunter2"), "{error}");
    assert!(error.0.contains("127.0.0.1"), "{error}");
}
