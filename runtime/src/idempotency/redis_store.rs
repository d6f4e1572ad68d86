//! The Redis store: for a service running as several replicas, which must share their keys.
//!
//! Each key is one hash, `{state: running|done, fp, token, response}`, living as long as
//! its state does: the lock timeout while a run holds it, the retention once its answer
//! is stored. Redis expires it, so a crashed run frees its key and old answers go without
//! a sweeper. Every operation is one Lua script, and Redis runs a script without
//! interleaving any other command: that is what makes `begin`, `complete` and `release`
//! atomic per key across replicas, where a read followed by a write would race.

use std::fmt;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::Script;

use super::store::{Begin, IdempotencyStore, Lock, StoreError, StoreFuture, StoredResponse};

/// The prefix of every key the store writes, unless [`RedisStore::with_prefix`] says another.
const DEFAULT_PREFIX: &str = "solo60:idempotency:";

/// Claims a free (or expired) key, or reports what holds it.
///
/// KEYS[1] the key; ARGV the fingerprint, the lock token, the lock timeout in ms. The
/// fingerprint is compared first, as the in-memory store does: a different request with a
/// used key is a mismatch whether or not its first run has finished.
const BEGIN_LUA: &str = r"
local entry = redis.call('HMGET', KEYS[1], 'state', 'fp', 'response')
if entry[1] then
  if entry[2] ~= ARGV[1] then return {'mismatch'} end
  if entry[1] == 'running' then return {'in_flight'} end
  return {'replay', entry[3]}
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'state', 'running', 'fp', ARGV[1], 'token', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {'run'}
";

/// Stores the answer, only while the caller's lock still holds the key.
///
/// KEYS[1] the key; ARGV the lock token, the answer as JSON, the retention in ms.
const COMPLETE_LUA: &str = r"
local entry = redis.call('HMGET', KEYS[1], 'state', 'token')
if entry[1] ~= 'running' or entry[2] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'done', 'response', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
";

/// Frees the key, only while the caller's lock still holds it.
///
/// KEYS[1] the key; ARGV the lock token.
const RELEASE_LUA: &str = r"
local entry = redis.call('HMGET', KEYS[1], 'state', 'token')
if entry[1] ~= 'running' or entry[2] ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
";

/// How long one connection attempt may take. A store that cannot be reached must turn
/// into a quick 503, not a request stuck until its own timeout.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(1);
/// How long one script may take to answer. Each is a handful of O(1) commands, so a
/// second means the server or the network is in trouble.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(1);
/// Connection attempts after the first, 100 ms apart and doubling (with jitter, at most a
/// second apart): rides out a failover without holding requests for long.
const CONNECTION_RETRIES: usize = 3;
const RETRY_MIN_DELAY: Duration = Duration::from_millis(100);
const RETRY_MAX_DELAY: Duration = Duration::from_secs(1);

/// The longest expiry sent, 100 years: Redis rejects one that overflows its clock, and a
/// longer retention means "forever" all the same.
const MAX_EXPIRY_MS: u64 = 100 * 365 * 24 * 60 * 60 * 1000;

/// Keys in Redis, shared by every replica connected to the same server.
///
/// Built on a [`ConnectionManager`]: one multiplexed connection, cheap to clone, that
/// reconnects by itself after the server restarts or fails over. While it cannot reach the
/// server, every operation fails with a [`StoreError`] (the request gets a 503, the handler
/// does not run) rather than run unguarded.
///
/// A script that times out may still have run on the server: a `begin` that did then
/// holds its key until the lock timeout, so repeats get 409 meanwhile, never a second run.
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    /// The URL without its password, for `Debug`.
    target: String,
    begin: Script,
    complete: Script,
    release: Script,
}

impl RedisStore {
    /// Connects to the Redis server at `url` (`redis://[user:password@]host[:port][/db]`,
    /// or `unix:///path?pass=…`) and loads the store's scripts, so a server that refuses
    /// scripts fails at start-up rather than on every request.
    ///
    /// The error never contains the URL's password: it ends up in logs.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let target = redacted(url);
        let secrets = secrets(url);
        let fail = |what: &str, error: redis::RedisError| {
            StoreError(scrub(
                &format!("cannot {what} Redis at {target}: {error}"),
                &secrets,
            ))
        };
        let client = redis::Client::open(url).map_err(|error| fail("use", error))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CONNECTION_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_number_of_retries(CONNECTION_RETRIES)
            .set_min_delay(RETRY_MIN_DELAY)
            .set_max_delay(RETRY_MAX_DELAY);
        let mut connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|error| fail("connect to", error))?;
        let store = Self {
            connection: connection.clone(),
            prefix: DEFAULT_PREFIX.to_owned(),
            target: target.clone(),
            begin: Script::new(BEGIN_LUA),
            complete: Script::new(COMPLETE_LUA),
            release: Script::new(RELEASE_LUA),
        };
        // Later calls send only the scripts' digests (EVALSHA); should the server lose them
        // (a restart, SCRIPT FLUSH), the crate loads them again and retries.
        for script in [&store.begin, &store.complete, &store.release] {
            script
                .prepare_invoke()
                .load_async(&mut connection)
                .await
                .map_err(|error| fail("load the idempotency scripts into", error))?;
        }
        Ok(store)
    }

    /// Writes keys under `prefix` instead of `solo60:idempotency:`: for services sharing one
    /// Redis that must not share keys, or a deployment with its own naming.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("target", &self.target)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl IdempotencyStore for RedisStore {
    fn begin<'a>(
        &'a self,
        key: &'a str,
        fingerprint: &'a str,
        lock: &'a Lock,
        lock_timeout: Duration,
    ) -> StoreFuture<'a, Begin> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let mut invocation = self.begin.key(self.key(key));
            invocation
                .arg(fingerprint)
                .arg(lock.token())
                .arg(expiry_ms(lock_timeout));
            let reply: Vec<String> = invocation
                .invoke_async(&mut connection)
                .await
                .map_err(|error| failed("begin", &error))?;
            parse_begin(&reply)
        })
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        lock: &'a Lock,
        response: &'a StoredResponse,
        retention: Duration,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let response = serde_json::to_string(response)
                .map_err(|error| StoreError(format!("cannot encode the answer: {error}")))?;
            let mut connection = self.connection.clone();
            let mut invocation = self.complete.key(self.key(key));
            invocation
                .arg(lock.token())
                .arg(response)
                .arg(expiry_ms(retention));
            let stored: i64 = invocation
                .invoke_async(&mut connection)
                .await
                .map_err(|error| failed("complete", &error))?;
            Ok(stored == 1)
        })
    }

    fn release<'a>(&'a self, key: &'a str, lock: &'a Lock) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let mut invocation = self.release.key(self.key(key));
            invocation.arg(lock.token());
            let _released: i64 = invocation
                .invoke_async(&mut connection)
                .await
                .map_err(|error| failed("release", &error))?;
            Ok(())
        })
    }
}

fn failed(operation: &str, error: &redis::RedisError) -> StoreError {
    StoreError(format!("Redis {operation} failed: {error}"))
}

/// What the begin script answered, as [`Begin`]. Anything else (a key written by something
/// other than this store, say) is an error, never a guess.
fn parse_begin(reply: &[String]) -> Result<Begin, StoreError> {
    match reply {
        [state] if state == "run" => Ok(Begin::Run),
        [state] if state == "in_flight" => Ok(Begin::InFlight),
        [state] if state == "mismatch" => Ok(Begin::Mismatch),
        [state, response] if state == "replay" => serde_json::from_str(response)
            .map(Begin::Replay)
            .map_err(|error| StoreError(format!("the stored answer is not readable: {error}"))),
        _ => Err(StoreError(format!(
            "unexpected reply from the begin script ({} values)",
            reply.len()
        ))),
    }
}

/// `duration` in whole milliseconds for PEXPIRE: rounded up, so a short lock never turns
/// into "expire now", and capped at [`MAX_EXPIRY_MS`]. Zero stays zero: the key expires at
/// once, as in the in-memory store.
fn expiry_ms(duration: Duration) -> u64 {
    let ms = duration.as_nanos().div_ceil(1_000_000);
    u64::try_from(ms).unwrap_or(u64::MAX).min(MAX_EXPIRY_MS)
}

/// Query parameters that carry a password in Redis URLs (`unix:///path?pass=…`).
const PASSWORD_PARAMS: [&str; 2] = ["pass", "password"];

/// `url` as it may be shown: its password, in the user info or a query parameter, is
/// `***`. A URL that does not parse is not shown at all, since where its password sits
/// cannot be told.
fn redacted(url: &str) -> String {
    let Some(mut parsed) = redis::parse_redis_url(url) else {
        return "<a URL that is not a redis://, rediss:// or unix:// URL>".to_owned();
    };
    if parsed.password().is_some() {
        // Fails only for URLs that cannot have a password, which then have none.
        let _ = parsed.set_password(Some("***"));
    }
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(name, value)| {
            let value = if PASSWORD_PARAMS.contains(&name.as_ref()) {
                "***".to_owned()
            } else {
                value.into_owned()
            };
            (name.into_owned(), value)
        })
        .collect();
    if !pairs.is_empty() {
        parsed.set_query(None);
        parsed.query_pairs_mut().extend_pairs(pairs);
    }
    parsed.to_string()
}

/// The password of `url`, as written and decoded, wherever it sits.
fn secrets(url: &str) -> Vec<String> {
    let Some(parsed) = redis::parse_redis_url(url) else {
        return Vec::new();
    };
    let mut secrets = Vec::new();
    if let Some(password) = parsed.password() {
        secrets.push(percent_decoded(password));
        secrets.push(password.to_owned());
    }
    for (name, value) in parsed.query_pairs() {
        if PASSWORD_PARAMS.contains(&name.as_ref()) {
            secrets.push(value.into_owned());
        }
    }
    secrets.retain(|secret| !secret.is_empty());
    // Longest first, so a secret containing another is replaced whole.
    secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    secrets
}

/// `message` with every secret replaced by `***`: the crate's errors are not known to
/// echo the URL, and this does not rely on it.
fn scrub(message: &str, secrets: &[String]) -> String {
    secrets.iter().fold(message.to_owned(), |message, secret| {
        message.replace(secret.as_str(), "***")
    })
}

fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_in_the_user_info_is_redacted() {
        assert_eq!(
            redacted("redis://user:hunter2@cache.internal:6380/2"),
            "redis://user:***@cache.internal:6380/2"
        );
        assert_eq!(
            redacted("redis://:hunter2@cache.internal"),
            "redis://:***@cache.internal"
        );
        assert_eq!(
            redacted("redis://cache.internal:6379/"),
            "redis://cache.internal:6379/"
        );
    }

    #[test]
    fn a_password_in_the_query_is_redacted() {
        let shown = redacted("unix:///run/redis.sock?db=1&pass=hunter2");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("db=1"), "{shown}");
    }

    #[test]
    fn a_url_that_does_not_parse_is_not_shown() {
        let shown = redacted("http://user:hunter2@cache.internal");
        assert!(!shown.contains("hunter2"), "{shown}");
        let shown = redacted("redis://user:hunter2@[bad");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn secrets_are_scrubbed_as_written_and_decoded() {
        let url = "redis://user:p%40ss%3Aword@cache.internal/";
        let secrets = secrets(url);
        let message = scrub("failed with p@ss:word and p%40ss%3Aword", &secrets);
        assert_eq!(message, "failed with *** and ***");
    }

    #[tokio::test]
    async fn a_bad_url_fails_without_its_password() {
        for url in [
            "http://:hunter2@cache.internal/",
            "redis://:hunter2@/",
            "redis://:hunter2@cache.internal/notadb",
        ] {
            let error = RedisStore::connect(url)
                .await
                .expect_err("a bad URL must not connect");
            assert!(!error.0.contains("hunter2"), "{url}: {error}");
        }
    }

    #[test]
    fn expiries_round_up_and_are_capped() {
        assert_eq!(expiry_ms(Duration::ZERO), 0);
        assert_eq!(expiry_ms(Duration::from_micros(1)), 1);
        assert_eq!(expiry_ms(Duration::from_millis(200)), 200);
        assert_eq!(expiry_ms(Duration::from_micros(200_001)), 201);
        assert_eq!(expiry_ms(Duration::MAX), MAX_EXPIRY_MS);
    }

    #[test]
    fn begin_replies_are_read_strictly() {
        let reply = |values: &[&str]| values.iter().map(|v| v.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_begin(&reply(&["run"])), Ok(Begin::Run));
        assert_eq!(parse_begin(&reply(&["in_flight"])), Ok(Begin::InFlight));
        assert_eq!(parse_begin(&reply(&["mismatch"])), Ok(Begin::Mismatch));
        let answer = StoredResponse {
            status: 201,
            headers: vec![("content-type".into(), "application/json".into())],
            body: "{\"id\":1}".into(),
        };
        let json = serde_json::to_string(&answer).expect("encodes");
        assert_eq!(
            parse_begin(&reply(&["replay", &json])),
            Ok(Begin::Replay(answer))
        );
        assert!(parse_begin(&reply(&["replay", "not json"])).is_err());
        assert!(parse_begin(&reply(&["replay"])).is_err());
        assert!(parse_begin(&reply(&[])).is_err());
        assert!(parse_begin(&reply(&["run", "extra"])).is_err());
    }
}
