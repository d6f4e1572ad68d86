//! The machine codes the client itself gives its errors, for callers that branch on them.
//! (Errors an upstream answered with keep the upstream's code.)

/// The upstream could not be reached: connection refused or reset, DNS, TLS (`Unavailable`).
pub const UPSTREAM_UNREACHABLE: &str = "UPSTREAM_UNREACHABLE";
/// One attempt took longer than `attempt_timeout` (`Timeout`).
pub const UPSTREAM_TIMEOUT: &str = "UPSTREAM_TIMEOUT";
/// The call as a whole ran out of its `deadline`, waits included (`Timeout`).
pub const DEADLINE_EXCEEDED: &str = "DEADLINE_EXCEEDED";
/// The circuit breaker is open: nothing was sent (`Unavailable`).
pub const CIRCUIT_OPEN: &str = "CIRCUIT_OPEN";
/// A success answer whose body is malformed or breaks its contract (`InvalidResponse`).
pub const INVALID_RESPONSE: &str = "INVALID_RESPONSE";
/// An answer body over `max_response_bytes` (`InvalidResponse`).
pub const RESPONSE_TOO_LARGE: &str = "RESPONSE_TOO_LARGE";
/// The request's body, query or path parameters break the contract; nothing was sent
/// (`Validation`).
pub const REQUEST_INVALID: &str = "REQUEST_INVALID";
/// The request body or query could not be turned into JSON or query pairs (`BadRequest`).
pub const REQUEST_NOT_ENCODABLE: &str = "REQUEST_NOT_ENCODABLE";
/// The path would not reach the route it names (a `..` segment, a bad character) (`BadRequest`).
pub const INVALID_PATH: &str = "INVALID_PATH";
/// An explicit `Idempotency-Key` that cannot be sent as a header (`BadRequest`).
pub const INVALID_IDEMPOTENCY_KEY: &str = "INVALID_IDEMPOTENCY_KEY";
