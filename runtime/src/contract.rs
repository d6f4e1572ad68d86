//! What a generated crate says about its operations: enough for clients, servers and
//! tools to agree on method, route and retry rules without repeating the contract.

/// HTTP methods the contracts use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// When a client may send a call again after a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryPolicy {
    /// Repeating the call changes nothing.
    Safe,
    /// Never retried: a repeat could act twice.
    Unsafe,
    /// Retried only with the same `Idempotency-Key` on every attempt.
    Keyed,
}

/// One operation of a service contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The manifest's operation id, e.g. `checkAccess`.
    pub id: &'static str,
    pub method: Method,
    /// The route with `{param}` placeholders, e.g. `/internal/subscriptions/{subscriptionId}`.
    pub path: &'static str,
    /// Status of a successful answer.
    pub success_status: u16,
    pub retry: RetryPolicy,
    pub summary: &'static str,
    /// Services allowed to call the operation (by `x-service-name`); empty means any
    /// authenticated service.
    pub callers: &'static [&'static str],
    /// Set when the contract deprecates the operation.
    pub deprecation: Option<Deprecation>,
}

/// A deprecated operation's timeline, in the header forms the server announces it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deprecation {
    /// The `Deprecation` header (RFC 9745): `@` and the Unix time it was deprecated.
    pub deprecated_at: &'static str,
    /// The `Sunset` header (RFC 8594): the HTTP-date after which it may be removed.
    pub sunset: Option<&'static str>,
    /// The operation id callers should move to.
    pub replacement: Option<&'static str>,
}

impl OperationInfo {
    /// Whether `caller` may call this operation.
    pub fn allows(&self, caller: &str) -> bool {
        self.callers.is_empty() || self.callers.contains(&caller)
    }
}
