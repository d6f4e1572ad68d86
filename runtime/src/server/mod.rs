//! The server side of every generated service: what the platform asks of an internal
//! endpoint, wrapped around the service's routes by [`serve_layers`], and the extractors
//! generated handlers take ([`RequestContext`], [`ValidPath`], [`ValidQuery`],
//! [`ValidJson`]).
//!
//! Generated code names axum only through [`axum`] re-exported here, so a service crate and
//! the runtime always agree on its version.
//!
//! # What a request goes through
//!
//! Checks run in this order; the first that fails answers, as RFC 9457
//! `application/problem+json` rendered from an [`AppError`](crate::AppError) that carries the
//! request's correlation id, and the handler does not run. Codes are in [`codes`].
//!
//! | step | refusal |
//! | --- | --- |
//! | correlation: `x-correlation-id` kept if valid, else replaced; echoed on every answer (an idempotent replay keeps the first request's) | — |
//! | more requests in flight than [`ServerConfig::max_in_flight`] (shed before anything else runs) | 503 `OVERLOADED`, `Retry-After: 1` |
//! | `x-api-key` missing or wrong (one identical answer for both) | 401 `UNAUTHORIZED` |
//! | `x-service-name` missing or malformed (only a caller with a valid key sees this) | 401 `SERVICE_NAME_REQUIRED` |
//! | the caller is not on the operation's `callers` allow-list | 403 `CALLER_NOT_ALLOWED` |
//! | `Content-Length` over [`ServerConfig::body_limit`] | 413 `PAYLOAD_TOO_LARGE` |
//! | no route at the path / the path has no such method (`Allow` lists those it has) | 404 `NOT_FOUND` / 405 `METHOD_NOT_ALLOWED` |
//! | a path parameter does not parse (e.g. not a UUID) | 400 `INVALID_PATH_PARAMETER` |
//! | the query breaks its contract | 422 `VALIDATION_FAILED` |
//! | a path parameter breaks the rest of its schema (`pattern`, length, bounds), checked after the query and body parsed | 422 `VALIDATION_FAILED` |
//! | a JSON body without a JSON `Content-Type` | 415 `UNSUPPORTED_MEDIA_TYPE` |
//! | the body passes the limit while read (chunked) | 413 `PAYLOAD_TOO_LARGE` |
//! | the body is not well-formed JSON | 400 `MALFORMED_JSON` |
//! | the body breaks its contract | 422 `VALIDATION_FAILED` |
//! | the handler panics | 500 `INTERNAL_ERROR`, no panic text |
//! | the request outlives [`ServerConfig::request_timeout`] (body reading included) | 504 `REQUEST_TIMEOUT` |
//!
//! Authentication comes before routing, so a caller without a valid key gets 401 for every
//! path and method and learns nothing about which routes exist; it also comes before the
//! body is read. Keys are compared in constant time ([`ServiceAuth`]); the key never
//! appears in a log line, span, metric, `Debug` output or answer.
//!
//! Every request is served inside a `request` span (method, route, operation, caller,
//! correlation_id, status, duration_ms) and reported in the metrics
//! [`telemetry::REQUEST_DURATION_SECONDS`] and [`telemetry::REQUESTS_TOTAL`], labelled by
//! operation and status.

mod auth;
mod authenticate;
pub(crate) mod body_limit;
pub mod codes;
mod coerce;
mod config;
pub(crate) mod context;
mod correlate;
mod deprecation;
mod fallback;
mod faults;
mod guarded_io;
mod json;
mod layers;
pub(crate) mod operation;
mod path;
mod query;
pub(crate) mod rejection;
mod response;
mod serve;
mod shed;
pub mod telemetry;

pub use auth::{ServiceAuth, PREVIOUS_API_KEYS_ENV};
pub use authenticate::API_KEY_HEADER;
pub use axum;
pub use config::ServerConfig;
pub use context::RequestContext;
pub use deprecation::{DEPRECATION_HEADER, SUNSET_HEADER};
pub use json::ValidJson;
pub use layers::serve_layers;
pub use path::ValidPath;
pub use query::ValidQuery;
pub use rejection::Rejected;
pub use serve::{serve, shutdown_signal};
