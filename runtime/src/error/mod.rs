//! One error type for both sides of a service call.
//!
//! A server turns an [`AppError`] into an RFC 9457 `application/problem+json` body
//! ([`Problem`]); a client turns that body back into the same [`AppError`], so a "not found"
//! deep in one service reaches the caller of the next as a "not found", with its machine code,
//! violations and correlation id intact.
//!
//! This module depends only on serde, serde_json and thiserror, so contract crates that take
//! just the types can name the error without pulling in the network stack.

mod app_error;
mod kind;
mod problem;

pub use app_error::AppError;
pub use kind::ErrorKind;
pub use problem::{Problem, PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE};
