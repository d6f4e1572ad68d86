//! How much a server accepts and how long it waits.

use std::time::Duration;

use crate::idempotency::Idempotency;

/// The limits [`serve_layers`](super::serve_layers) puts on every request.
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
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            idempotency: Idempotency::default(),
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
