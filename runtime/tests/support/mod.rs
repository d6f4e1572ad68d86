//! A scripted HTTP server on 127.0.0.1 for the client tests, and the tiny contract they call.
//!
//! Each request takes the next reply from the script (or the fallback once it is empty):
//! a status with headers and a body (whole, chunked, stalled or endless), after an optional
//! delay, or a dropped connection. Every request is recorded with its headers, body and the
//! (Tokio, so possibly paused) time it arrived. The server runs on the test's own runtime, so
//! with `start_paused` the clock only moves when both sides are idle.
#![allow(dead_code)]

pub mod capture;
mod contract;
mod server;

pub use contract::*;
pub use server::*;

use solo60_runtime::client::{ApiKey, ClientConfig, ServiceClient};

/// The key every test client sends; tests search their output for it.
pub const KEY: &str = "sk_test_9f8e7d6c-DO-NOT-LEAK-5b4a";

/// A configuration against `server` with request validation on and the defaults otherwise.
pub fn config(server: &TestServer) -> ClientConfig {
    let mut config = ClientConfig::new(server.url(), ApiKey::new(KEY), "test-caller");
    config.validate_requests = true;
    config
}

pub fn client(config: ClientConfig) -> ServiceClient {
    match ServiceClient::new("pings", config) {
        Ok(client) => client,
        Err(error) => panic!("client: {error}"),
    }
}
