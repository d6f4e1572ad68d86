//! Helpers for testing code built on generated crates (feature `testing`).

mod stub_server;

pub use stub_server::{ReceivedRequest, StubServer};
