//! The error answers every generated server can give, and the `Problem` body they carry.
//!
//! Mirrors the runtime: `Problem` is `solo60_runtime::Problem` as the server writes it
//! (runtime/src/error/problem.rs: `type`, `title`, `status` and `code` always present, the
//! other members only when set), and the codes are those of the server layers
//! (runtime/src/server/codes.rs) and the idempotency layer (runtime/src/idempotency).

use serde_json::{json, Value};

use crate::ir::Operation;
use crate::load::RetryPolicy;

/// The component name of the problem body.
pub(super) const PROBLEM_COMPONENT: &str = "Problem";

/// The media type of every error answer (RFC 9457).
pub(super) const PROBLEM_MEDIA_TYPE: &str = "application/problem+json";

/// One way an operation can fail: status, machine code and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ErrorAnswer {
    pub status: u16,
    pub code: String,
    pub description: String,
}

impl ErrorAnswer {
    fn platform(status: u16, code: &str, description: &str) -> Self {
        Self {
            status,
            code: code.to_owned(),
            description: description.to_owned(),
        }
    }
}

/// The `Problem` schema: RFC 9457 members plus the platform's extensions, with the
/// requiredness of what the server writes.
pub(super) fn problem_schema() -> Value {
    json!({
        "description": "RFC 9457 problem details, with the platform's machine code and correlation id.",
        "type": "object",
        "properties": {
            "type": {
                "description": "A URI naming the problem type: `https://errors.solo60.dev/` and the code in kebab case, or `about:blank`.",
                "type": "string",
                "format": "uri"
            },
            "title": { "description": "A short summary of the problem type.", "type": "string" },
            "status": {
                "description": "The HTTP status of the answer.",
                "type": "integer",
                "minimum": 100,
                "maximum": 599
            },
            "detail": { "description": "What went wrong with this request.", "type": "string" },
            "instance": { "description": "A URI naming this occurrence.", "type": "string" },
            "code": {
                "description": "The platform's machine code, SCREAMING_SNAKE_CASE.",
                "type": "string"
            },
            "correlationId": {
                "description": "The request's correlation id, as echoed in `x-correlation-id`.",
                "type": "string"
            },
            "errors": {
                "description": "Every contract violation, for 422 answers, up to the cap (see `errorsOmitted`).",
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "pointer": {
                            "description": "JSON pointer (RFC 6901) to the offending value; empty for the whole document.",
                            "type": "string"
                        },
                        "keyword": {
                            "description": "The JSON Schema keyword that failed, e.g. `minLength`.",
                            "type": "string"
                        },
                        "message": { "description": "A sentence for a human.", "type": "string" }
                    },
                    "required": ["pointer", "keyword", "message"]
                }
            },
            "errorsOmitted": {
                "description": "How many more violations there were than `errors` lists: the list is capped (100 by default), the rest only counted.",
                "type": "integer",
                "minimum": 1
            },
            "details": { "description": "Further machine-readable details." }
        },
        "required": ["type", "title", "status", "code"]
    })
}

/// Every error answer `operation` can give: those its contract documents and those the
/// generated router and the runtime's layers give, by status then code.
pub(super) fn error_answers(operation: &Operation) -> Vec<ErrorAnswer> {
    let has_body = operation.request.is_some();
    let mut answers: Vec<ErrorAnswer> = operation
        .errors
        .iter()
        .map(|error| ErrorAnswer {
            status: error.status,
            code: error.code.clone(),
            description: error.description.clone().unwrap_or_default(),
        })
        .collect();
    let mut platform = |status, code, description| {
        answers.push(ErrorAnswer::platform(status, code, description));
    };
    platform(
        401,
        "UNAUTHORIZED",
        "`x-api-key` is missing or not a key this service accepts.",
    );
    platform(
        401,
        "SERVICE_NAME_REQUIRED",
        "`x-service-name` is missing or not 1 to 64 of `A-Z a-z 0-9 . _ -`.",
    );
    if !operation.callers.is_empty() {
        platform(
            403,
            "CALLER_NOT_ALLOWED",
            "The calling service is not one of the operation's callers.",
        );
    }
    if !operation.path_params.is_empty() {
        platform(
            400,
            "INVALID_PATH_PARAMETER",
            "A path parameter does not parse as its type.",
        );
    }
    let checks_path = operation
        .path_params
        .iter()
        .any(|param| param.needs_check());
    if operation.query.is_some() || has_body || checks_path {
        platform(
            422,
            "VALIDATION_FAILED",
            "A path parameter, the query or the body breaks its contract; `errors` lists every \
             violation.",
        );
    }
    if has_body {
        platform(400, "MALFORMED_JSON", "The body is not well-formed JSON.");
        platform(
            400,
            "BODY_UNREADABLE",
            "The body could not be read to its end.",
        );
        platform(
            413,
            "PAYLOAD_TOO_LARGE",
            "The body is over the server's limit.",
        );
        platform(
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "The body's `Content-Type` is missing or not JSON.",
        );
    }
    if operation.retry == RetryPolicy::Keyed {
        platform(
            400,
            "IDEMPOTENCY_KEY_REQUIRED",
            "The `Idempotency-Key` header is missing.",
        );
        platform(
            400,
            "IDEMPOTENCY_KEY_INVALID",
            "The `Idempotency-Key` is not 1 to 255 visible ASCII characters.",
        );
        platform(
            409,
            "IDEMPOTENCY_KEY_IN_USE",
            "The first request with this key is still running; retry later.",
        );
        platform(
            422,
            "IDEMPOTENCY_KEY_REUSED",
            "The key was used for a different request.",
        );
        platform(
            503,
            "IDEMPOTENCY_STORE_UNAVAILABLE",
            "The idempotency store cannot be reached; the request was not run.",
        );
    }
    platform(
        500,
        "INTERNAL_ERROR",
        "The server failed; no detail is given.",
    );
    platform(
        503,
        "OVERLOADED",
        "More requests are in flight than the service admits; retry after `Retry-After`.",
    );
    platform(
        503,
        "SERVICE_UNAVAILABLE",
        "The service or one it depends on is unavailable; retry later.",
    );
    platform(
        504,
        "REQUEST_TIMEOUT",
        "The request was not served within the server's time limit.",
    );
    answers.sort_by_key(|answer| answer.status);
    answers
}
