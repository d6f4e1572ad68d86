//! Helpers for testing code built on generated crates (feature `testing`): a loopback
//! [`StubServer`] standing in for an upstream, and (with feature `server`) an
//! [`InternalApiTestHelper`] that calls a service's own router in process, authenticated.

#[cfg(feature = "server")]
mod internal_api;
mod stub_server;

#[cfg(feature = "server")]
pub use internal_api::{
    InternalApiTestHelper, TestRequest, TestRequestError, TestResponse, DEFAULT_TEST_CALLER,
    MAX_TEST_BODY_BYTES,
};
pub use stub_server::{ReceivedRequest, StubServer};
