//! The machine codes the server layers give their rejections, for callers that branch on
//! them and for the documentation. (Errors a handler returns keep the handler's code.)

/// Missing or wrong `x-api-key`; the two cases answer identically (`Unauthorized`, 401).
pub const UNAUTHORIZED: &str = "UNAUTHORIZED";
/// The key is right but `x-service-name` is missing or not 1 to 64 of `A-Z a-z 0-9 . _ -`
/// (`Unauthorized`, 401). Only a caller holding a valid key ever sees this code.
pub const SERVICE_NAME_REQUIRED: &str = "SERVICE_NAME_REQUIRED";
/// The caller is not on the operation's allow-list (`Forbidden`, 403).
pub const CALLER_NOT_ALLOWED: &str = "CALLER_NOT_ALLOWED";
/// No route at this path (`NotFound`, 404).
pub const NOT_FOUND: &str = "NOT_FOUND";
/// The path exists but not for this method; the `Allow` header lists those it has
/// (`MethodNotAllowed`, 405).
pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
/// The body is over the configured limit (`PayloadTooLarge`, 413).
pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
/// A JSON body was expected but `Content-Type` is missing or not JSON
/// (`UnsupportedMediaType`, 415).
pub const UNSUPPORTED_MEDIA_TYPE: &str = "UNSUPPORTED_MEDIA_TYPE";
/// The body is not well-formed JSON (or nests deeper than 128 levels) (`BadRequest`, 400).
pub const MALFORMED_JSON: &str = "MALFORMED_JSON";
/// The body could not be read to its end: the connection failed mid-body (`BadRequest`, 400).
pub const BODY_UNREADABLE: &str = "BODY_UNREADABLE";
/// A path parameter does not parse as its type, e.g. not a UUID (`BadRequest`, 400).
pub const INVALID_PATH_PARAMETER: &str = "INVALID_PATH_PARAMETER";
/// The body or query breaks its contract; `errors` lists every violation (`Validation`, 422).
pub const VALIDATION_FAILED: &str = "VALIDATION_FAILED";
/// The request was not served within `request_timeout` (`Timeout`, 504).
pub const REQUEST_TIMEOUT: &str = "REQUEST_TIMEOUT";
/// The handler panicked or the server is wired wrongly; no detail is given (`Internal`, 500).
pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";
/// More requests in flight than the service admits: shed at once, with `Retry-After`
/// (`Unavailable`, 503).
pub const OVERLOADED: &str = "OVERLOADED";
