//! The platform's headers, shared by every operation: request parameters and answer headers
//! in `components`, with the rules the runtime applies to them.

use serde_json::{json, Map, Value};

/// `x-service-name`: who is calling (runtime/src/service_name.rs).
pub(super) const SERVICE_NAME: &str = "ServiceName";
/// `x-correlation-id`: kept when valid, else replaced; echoed on every answer but a replay,
/// which names the request it repeats (runtime/src/correlation.rs).
pub(super) const CORRELATION_ID: &str = "CorrelationId";
/// `Idempotency-Key` of keyed writes (runtime/src/idempotency).
pub(super) const IDEMPOTENCY_KEY: &str = "IdempotencyKey";
/// `Idempotent-Replayed: true` on a stored answer sent again.
pub(super) const IDEMPOTENT_REPLAYED: &str = "IdempotentReplayed";
/// `Deprecation` (RFC 9745) on every answer of a deprecated operation.
pub(super) const DEPRECATION: &str = "Deprecation";
/// `Sunset` (RFC 8594) when a deprecated operation has a removal date.
pub(super) const SUNSET: &str = "Sunset";
/// The challenge on a 401.
pub(super) const WWW_AUTHENTICATE: &str = "WWWAuthenticate";

/// The name of the security scheme: the `x-api-key` header.
pub(super) const API_KEY_SCHEME: &str = "serviceApiKey";

fn correlation_id_schema() -> Value {
    json!({ "type": "string", "pattern": "^[A-Za-z0-9._:-]{1,128}$" })
}

/// `components/parameters`.
pub(super) fn parameters() -> Map<String, Value> {
    let mut parameters = Map::new();
    parameters.insert(
        SERVICE_NAME.into(),
        json!({
            "name": "x-service-name",
            "in": "header",
            "description": "The calling service; operations with callers admit only those.",
            "required": true,
            "schema": { "type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$" }
        }),
    );
    parameters.insert(
        CORRELATION_ID.into(),
        json!({
            "name": "x-correlation-id",
            "in": "header",
            "description": "The id tying the calls of one piece of work together: kept when it is 1 to 128 of `A-Z a-z 0-9 . _ : -`, replaced by a new one when absent or not, never refused.",
            "required": false,
            "schema": { "type": "string" }
        }),
    );
    parameters.insert(
        IDEMPOTENCY_KEY.into(),
        json!({
            "name": "Idempotency-Key",
            "in": "header",
            "description": "One key per logical request, the same on every retry: a repeat gets the first answer again.",
            "required": true,
            "schema": { "type": "string", "pattern": "^[\\x21-\\x7E]{1,255}$" }
        }),
    );
    parameters
}

/// `components/headers`.
pub(super) fn headers() -> Map<String, Value> {
    let mut headers = Map::new();
    headers.insert(
        CORRELATION_ID.into(),
        json!({
            "description": "The request's correlation id: the one sent when valid, else a new one. A replayed answer (`Idempotent-Replayed: true`) carries the id of the request that produced it, as its body does.",
            "required": true,
            "schema": correlation_id_schema()
        }),
    );
    headers.insert(
        DEPRECATION.into(),
        json!({
            "description": "When the operation became deprecated (RFC 9745), e.g. `@1794700800`.",
            "required": true,
            "schema": { "type": "string", "pattern": "^@-?[0-9]+$" }
        }),
    );
    headers.insert(
        SUNSET.into(),
        json!({
            "description": "When the operation may be removed (RFC 8594), an HTTP date.",
            "required": true,
            "schema": { "type": "string" }
        }),
    );
    headers.insert(
        IDEMPOTENT_REPLAYED.into(),
        json!({
            "description": "`true` when this is the stored answer to an earlier request with the same key.",
            "required": false,
            "schema": { "type": "string", "enum": ["true"] }
        }),
    );
    headers.insert(
        WWW_AUTHENTICATE.into(),
        json!({
            "description": "The challenge: `ApiKey header=\"x-api-key\"`.",
            "required": true,
            "schema": { "type": "string" }
        }),
    );
    headers
}

/// `components/securitySchemes`.
pub(super) fn security_schemes() -> Map<String, Value> {
    let mut schemes = Map::new();
    schemes.insert(
        API_KEY_SCHEME.into(),
        json!({
            "type": "apiKey",
            "in": "header",
            "name": "x-api-key",
            "description": "The service API key every internal call carries."
        }),
    );
    schemes
}

pub(super) fn parameter_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/parameters/{name}") })
}

pub(super) fn header_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/headers/{name}") })
}
