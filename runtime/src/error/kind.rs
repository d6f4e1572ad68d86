use serde::{Deserialize, Serialize};

/// What went wrong, in the few categories callers act on; each has one HTTP status.
///
/// The kinds are the platform's shared vocabulary: a caller decides whether to retry, to show
/// "not found" or to give up from the kind alone, and the machine `code` of an [`AppError`]
/// carries the finer reason.
///
/// [`AppError`]: super::AppError
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    /// The request (or, on the client side, a value) breaks its contract; carries violations.
    Validation,
    RateLimited,
    Internal,
    /// An upstream answered, but with something our client cannot use: a success body that is
    /// malformed, breaks its contract or is too large, or a status that is neither a success
    /// nor an error (a redirect, which the client does not follow).
    InvalidResponse,
    /// The upstream could not be reached or said it cannot serve now (503, or 502 from a proxy
    /// in front of it), or our circuit breaker is open.
    Unavailable,
    Timeout,
}

impl ErrorKind {
    /// The HTTP status a server answers with for this kind.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::BadRequest => 400,
            ErrorKind::Unauthorized => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::MethodNotAllowed => 405,
            ErrorKind::Conflict => 409,
            ErrorKind::PayloadTooLarge => 413,
            ErrorKind::UnsupportedMediaType => 415,
            ErrorKind::Validation => 422,
            ErrorKind::RateLimited => 429,
            ErrorKind::Internal => 500,
            ErrorKind::InvalidResponse => 502,
            ErrorKind::Unavailable => 503,
            ErrorKind::Timeout => 504,
        }
    }

    /// The kind an upstream's error status stands for.
    ///
    /// Statuses without a kind of their own map by meaning: 408 (the server gave up waiting
    /// for the request) is a [`Timeout`](ErrorKind::Timeout); 410 Gone is
    /// [`NotFound`](ErrorKind::NotFound); 412 (a precondition on the current state failed) is a
    /// [`Conflict`](ErrorKind::Conflict); any other 4xx is a
    /// [`BadRequest`](ErrorKind::BadRequest). 502 is [`Unavailable`](ErrorKind::Unavailable):
    /// it comes from a proxy that could not reach the service, which is an outage, not a bad
    /// answer — [`InvalidResponse`](ErrorKind::InvalidResponse) is kept for bodies our client
    /// decoded and rejected. Any other 5xx is [`Internal`](ErrorKind::Internal). A status that
    /// is not an error at all (1xx, 3xx, out of range) reaching error mapping means the
    /// upstream answered something the client cannot use: `InvalidResponse`.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 | 410 => ErrorKind::NotFound,
            405 => ErrorKind::MethodNotAllowed,
            408 => ErrorKind::Timeout,
            409 | 412 => ErrorKind::Conflict,
            413 => ErrorKind::PayloadTooLarge,
            415 => ErrorKind::UnsupportedMediaType,
            422 => ErrorKind::Validation,
            429 => ErrorKind::RateLimited,
            502 | 503 => ErrorKind::Unavailable,
            504 => ErrorKind::Timeout,
            // 400 itself, and every 4xx without a kind of its own.
            400..=499 => ErrorKind::BadRequest,
            500..=599 => ErrorKind::Internal,
            _ => ErrorKind::InvalidResponse,
        }
    }

    /// The machine code an error of this kind carries when nothing more precise is known.
    pub fn default_code(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "BAD_REQUEST",
            ErrorKind::Unauthorized => "UNAUTHORIZED",
            ErrorKind::Forbidden => "FORBIDDEN",
            ErrorKind::NotFound => "NOT_FOUND",
            ErrorKind::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            ErrorKind::Conflict => "CONFLICT",
            ErrorKind::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            ErrorKind::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            ErrorKind::Validation => "VALIDATION_FAILED",
            ErrorKind::RateLimited => "RATE_LIMITED",
            ErrorKind::Internal => "INTERNAL_ERROR",
            ErrorKind::InvalidResponse => "INVALID_RESPONSE",
            ErrorKind::Unavailable => "SERVICE_UNAVAILABLE",
            ErrorKind::Timeout => "TIMEOUT",
        }
    }

    /// A short human summary, used as the problem's `title` (RFC 9110 reason phrases where one
    /// fits).
    pub fn title(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "Bad Request",
            ErrorKind::Unauthorized => "Unauthorized",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::NotFound => "Not Found",
            ErrorKind::MethodNotAllowed => "Method Not Allowed",
            ErrorKind::Conflict => "Conflict",
            ErrorKind::PayloadTooLarge => "Content Too Large",
            ErrorKind::UnsupportedMediaType => "Unsupported Media Type",
            ErrorKind::Validation => "Validation Failed",
            ErrorKind::RateLimited => "Too Many Requests",
            ErrorKind::Internal => "Internal Server Error",
            ErrorKind::InvalidResponse => "Invalid Upstream Response",
            ErrorKind::Unavailable => "Service Unavailable",
            ErrorKind::Timeout => "Timeout",
        }
    }

    /// Whether a repeat of the same request may succeed: the failure was about load or
    /// reachability, not about the request.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorKind::RateLimited | ErrorKind::Unavailable | ErrorKind::Timeout
        )
    }

    /// Every kind, for exhaustive tests and documentation tables.
    pub const ALL: [ErrorKind; 14] = [
        ErrorKind::BadRequest,
        ErrorKind::Unauthorized,
        ErrorKind::Forbidden,
        ErrorKind::NotFound,
        ErrorKind::MethodNotAllowed,
        ErrorKind::Conflict,
        ErrorKind::PayloadTooLarge,
        ErrorKind::UnsupportedMediaType,
        ErrorKind::Validation,
        ErrorKind::RateLimited,
        ErrorKind::Internal,
        ErrorKind::InvalidResponse,
        ErrorKind::Unavailable,
        ErrorKind::Timeout,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_survives_its_own_status() {
        for kind in ErrorKind::ALL {
            let back = ErrorKind::from_status(kind.status());
            // 502 is the one status two kinds could claim; it reads as an outage.
            if kind == ErrorKind::InvalidResponse {
                assert_eq!(back, ErrorKind::Unavailable);
            } else {
                assert_eq!(back, kind, "{kind:?}");
            }
        }
    }

    #[test]
    fn unlisted_statuses_map_by_class() {
        assert_eq!(ErrorKind::from_status(418), ErrorKind::BadRequest);
        assert_eq!(ErrorKind::from_status(410), ErrorKind::NotFound);
        assert_eq!(ErrorKind::from_status(408), ErrorKind::Timeout);
        assert_eq!(ErrorKind::from_status(501), ErrorKind::Internal);
        assert_eq!(ErrorKind::from_status(507), ErrorKind::Internal);
        assert_eq!(ErrorKind::from_status(302), ErrorKind::InvalidResponse);
        assert_eq!(ErrorKind::from_status(200), ErrorKind::InvalidResponse);
        assert_eq!(ErrorKind::from_status(999), ErrorKind::InvalidResponse);
    }

    #[test]
    fn codes_are_screaming_snake_case() {
        for kind in ErrorKind::ALL {
            let code = kind.default_code();
            assert!(
                code.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
                "{code}"
            );
        }
    }

    #[test]
    fn only_load_and_reachability_are_retryable() {
        let retryable: Vec<_> = ErrorKind::ALL
            .into_iter()
            .filter(|kind| kind.is_retryable())
            .collect();
        assert_eq!(
            retryable,
            [
                ErrorKind::RateLimited,
                ErrorKind::Unavailable,
                ErrorKind::Timeout
            ]
        );
    }
}
