//! The service manifest: which operations a service offers and which schemas they carry.
//!
//! Deserialized strictly (unknown keys are errors, so a typo never silently drops a setting);
//! its JSON Schema, derived from these types, is what `solo60-gen schema` prints.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A service's manifest (`schemas/<service>/service.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "solo60-gen service manifest")]
pub struct Manifest {
    /// The service's name: lowercase letters, digits and `-`, e.g. `subscription`.
    #[schemars(regex(pattern = r"^[a-z][a-z0-9-]*$"))]
    pub service: String,
    /// What the service is for; becomes the generated crate's documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Environment variable holding the service's base URL, e.g. `SUBSCRIPTION_API_URL`.
    #[schemars(regex(pattern = r"^[A-Z][A-Z0-9_]*$"))]
    pub base_url_env: String,
    /// The operations, keyed by lowerCamelCase operation id, in the order they are listed.
    pub operations: IndexMap<String, OperationSpec>,
}

/// One internal endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OperationSpec {
    /// One line saying what the operation does.
    pub summary: String,
    /// Longer documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub method: HttpMethod,
    /// The route, starting with `/internal/`; `{name}` marks a path parameter.
    pub path: String,
    /// One inline JSON Schema per path parameter (a string or integer schema).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub params: IndexMap<String, Value>,
    /// Reference to an object schema describing the query string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Reference to the request body's schema; no body when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// Reference to the success response body's schema; no body (204) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    /// Success status; 200 with a response body, 204 without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 200, max = 299))]
    pub status: Option<u16>,
    /// Whether a client may retry the call; by default GET, PUT and DELETE are safe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetryPolicy>,
    /// Services allowed to call this operation (their `x-service-name`); any authenticated
    /// service when absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callers: Vec<String>,
    /// For a bulk read: the request's array property whose items the generated client
    /// de-duplicates and splits into chunks of at most its `maxItems`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bulk: Option<String>,
    /// `false` marks a call its callers can do without (a gym's occupancy, plans to show): the
    /// generated client then offers `<op>_or(fallback)` and `<op>_or_else(|error| ...)`, which
    /// answer with the fallback when the service is unavailable, too slow or behind an open
    /// circuit (never on a 4xx). Critical (`true`) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical: Option<bool>,
    /// The error answers the operation documents besides the platform-wide ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorSpec>,
    /// The operation's version, 1 when absent. A later version is an operation of its own
    /// (its own id, path and types, e.g. `/internal/v2/...`) naming its predecessor in
    /// `versionOf`, so both can be served while callers migrate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub version: Option<u32>,
    /// For version 2 and later: the id of the operation this one is a new version of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_of: Option<String>,
    /// Marks the operation deprecated, with its timeline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<DeprecationDetails>,
}

/// A deprecation with its timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeprecationDetails {
    /// The day (`YYYY-MM-DD`, UTC) the operation became deprecated; the server sends it
    /// in the `Deprecation` header (RFC 9745).
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub since: String,
    /// The day (`YYYY-MM-DD`, UTC) after which the operation may be removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub sunset: Option<String>,
    /// The operation id callers should move to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// Why, or what else callers should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    /// GET, PUT and DELETE are idempotent by HTTP's definition.
    pub fn is_idempotent(self) -> bool {
        matches!(self, HttpMethod::Get | HttpMethod::Put | HttpMethod::Delete)
    }
}

/// When a client may send a call again after a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RetryPolicy {
    /// Repeating the call changes nothing (a read, even over POST).
    Safe,
    /// Never retried: a repeat could act twice.
    Unsafe,
    /// A write made safe to repeat by an `Idempotency-Key` header sent with every attempt.
    Keyed,
}

/// A documented error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ErrorSpec {
    #[schemars(range(min = 400, max = 599))]
    pub status: u16,
    /// Machine-readable code, SCREAMING_SNAKE_CASE.
    #[schemars(regex(pattern = r"^[A-Z][A-Z0-9_]*$"))]
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The manifest format's JSON Schema, as published by `solo60-gen schema`.
pub fn manifest_json_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(Manifest)).unwrap_or(Value::Null)
}
