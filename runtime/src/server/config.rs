//! How much a server accepts and how long it waits.

use std::time::Duration;

use crate::idempotency::Idempotency;

/// The limits [`serve_layers`](super::serve_layers) puts on every request, and
/// [`serve`](super::serve) on every connection.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Largest request body read, in bytes (default 1 MiB). A larger body is refused with 413
    /// before the handler runs: at once when its `Content-Length` says so, or as soon as a
    /// chunked body passes the limit. A body of exactly this size is accepted.
    pub body_limit: usize,
    /// Longest a request may take, from the first layer to the last byte of the handler's
    /// answer, reading the body included (default 30 s, the clients' per-attempt timeout).
    /// Past it the caller gets 504 `REQUEST_TIMEOUT`, so a slow handler or a body trickling
    /// in cannot hold a connection forever.
    pub request_timeout: Duration,
    /// Where `Idempotency-Key`s of keyed operations are kept (default: in memory).
    pub idempotency: Idempotency,
    /// Longest a client may take to send a request's headers, from the moment the
    /// connection could send one: its start, or the end of the previous answer (default
    /// 10 s). Enforced by [`serve`](super::serve); the connection is closed past it.
    pub header_read_timeout: Duration,
    /// Longest a connection may stay open with no byte moving either way (default 60 s);
    /// must exceed [`request_timeout`](Self::request_timeout), since a handler may take
    /// that long before its first byte of answer.
    pub idle_timeout: Duration,
    /// Longest a write of the answer may wait for the client to read (default 10 s): a
    /// client that stops reading is dropped, and the answer it held is freed.
    pub write_timeout: Duration,
    /// Most connections open at once (default 1,000). Past it, [`serve`](super::serve)
    /// accepts nothing more until one closes: new clients wait in the listen backlog while
    /// open connections keep being served. Keep it under the process's file-descriptor
    /// limit, with room for the service's own outgoing connections.
    pub max_connections: usize,
    /// Most requests in flight at once on one HTTP/2 connection (default 100).
    pub max_http2_streams: u32,
    /// On shutdown, how long in-flight requests may take to finish before every
    /// connection is closed (default 30 s, the request timeout).
    pub drain_timeout: Duration,
    /// Most requests the router handles at once (default 256 per core). Past it a request
    /// is answered 503 `OVERLOADED` with `Retry-After: 1` at once, without queueing, so the
    /// admitted ones keep their latency and the caller backs off.
    pub max_in_flight: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            idempotency: Idempotency::default(),
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            write_timeout: Duration::from_secs(10),
            max_connections: 1_000,
            max_http2_streams: 100,
            drain_timeout: Duration::from_secs(30),
            max_in_flight: super::shed::default_max_in_flight(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_one_mebibyte_and_thirty_seconds() {
        let config = ServerConfig::default();
        assert_eq!(config.body_limit, 1_048_576);
        assert_eq!(config.request_timeout, Duration::from_secs(30));
    }
}
