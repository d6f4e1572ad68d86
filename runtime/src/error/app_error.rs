use std::time::Duration;

use super::{ErrorKind, Problem};
use crate::{ValidationError, ValidationErrors};

/// An error that crosses service boundaries intact: a kind (and its HTTP status), a machine
/// code, a human message, and what a caller needs to act on it.
///
/// Servers answer with [`to_problem`](AppError::to_problem); clients read answers back with
/// [`from_problem`](AppError::from_problem), so the kind, code, violations and correlation id
/// survive every hop.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind:?} ({status}) {code}: {message}")]
pub struct AppError {
    pub kind: ErrorKind,
    /// The HTTP status: the kind's own, or the status an upstream actually answered with.
    pub status: u16,
    /// SCREAMING_SNAKE_CASE machine code, e.g. `SUBSCRIPTION_NOT_FOUND`.
    pub code: String,
    pub message: String,
    /// Boxed, like `correlation_id`, to keep `AppError` small: it is the error type of
    /// every generated client and server method, and clippy's `result_large_err` asks
    /// errors to stay under 128 bytes.
    pub details: Option<Box<serde_json::Value>>,
    /// Every contract violation, for [`ErrorKind::Validation`] (and for
    /// [`ErrorKind::InvalidResponse`] when an upstream's answer broke its contract).
    pub violations: Vec<ValidationError>,
    /// How many more violations there were past the limit of those listed (a `u32` sits in
    /// the padding beside `kind` and `status`, so the error stays as small).
    pub violations_omitted: u32,
    pub correlation_id: Option<Box<str>>,
    /// How long the upstream asked us to wait (`Retry-After` of a 429 or 503 answer), or how
    /// long an open circuit stays open.
    pub retry_after: Option<Duration>,
}

impl AppError {
    /// An error of `kind` with its own status and default code.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            status: kind.status(),
            code: kind.default_code().to_owned(),
            message: message.into(),
            details: None,
            violations: Vec::new(),
            violations_omitted: 0,
            correlation_id: None,
            retry_after: None,
        }
    }

    /// Replaces the default machine code with a precise one.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = code.into();
        self
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    pub fn with_correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into().into_boxed_str());
        self
    }

    /// Sets how long the caller should wait before trying again.
    pub fn with_retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    /// A 422 listing every violation of a contract.
    pub fn validation(errors: ValidationErrors) -> Self {
        let omitted = errors.omitted();
        let total = errors.total();
        let violations = errors.into_vec();
        let message = match (total, omitted) {
            (1, _) => "the value breaks its contract: 1 violation".to_owned(),
            (n, 0) => format!("the value breaks its contract: {n} violations"),
            (n, _) => format!(
                "the value breaks its contract: {n} violations, the first {} listed",
                violations.len()
            ),
        };
        Self {
            violations,
            violations_omitted: u32::try_from(omitted).unwrap_or(u32::MAX),
            ..Self::new(ErrorKind::Validation, message)
        }
    }

    /// The RFC 9457 body a server answers with.
    pub fn to_problem(&self) -> Problem {
        Problem {
            type_: Problem::type_for_code(&self.code),
            title: self.kind.title().to_owned(),
            status: self.status,
            detail: (!self.message.is_empty()).then(|| self.message.clone()),
            instance: None,
            code: self.code.clone(),
            correlation_id: self.correlation_id.as_deref().map(str::to_owned),
            errors: self.violations.clone(),
            errors_omitted: (self.violations_omitted > 0).then_some(self.violations_omitted),
            details: self.details.as_deref().cloned(),
        }
    }

    /// Reads back an upstream's problem answer. The HTTP `status` of the answer decides the
    /// kind (a body cannot claim a different one); a missing code or title falls back to the
    /// kind's own.
    pub fn from_problem(status: u16, problem: Problem) -> Self {
        let kind = ErrorKind::from_status(status);
        let code = if problem.code.is_empty() {
            kind.default_code().to_owned()
        } else {
            problem.code
        };
        let message = match problem.detail {
            Some(detail) if !detail.is_empty() => detail,
            _ if !problem.title.is_empty() => problem.title,
            _ => kind.title().to_owned(),
        };
        Self {
            kind,
            status,
            code,
            message,
            details: problem.details.map(Box::new),
            violations: problem.errors,
            violations_omitted: problem.errors_omitted.unwrap_or(0),
            correlation_id: problem.correlation_id.map(String::into_boxed_str),
            retry_after: None,
        }
    }

    /// Whether repeating the same request may succeed: rate limiting, unavailability and
    /// timeouts (transport failures are mapped to the last two).
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Path;
    use serde_json::json;

    #[test]
    fn new_takes_the_kinds_status_and_code() {
        let error = AppError::new(ErrorKind::NotFound, "no such plan");
        assert_eq!(error.status, 404);
        assert_eq!(error.code, "NOT_FOUND");
        assert_eq!(error.to_string(), "NotFound (404) NOT_FOUND: no such plan");
    }

    #[test]
    fn a_problem_round_trip_keeps_everything() {
        let mut errors = ValidationErrors::new();
        errors.push(&Path::Root.key("userId"), "format", "must be a valid uuid");
        let error = AppError::validation(errors)
            .with_code("BAD_USER")
            .with_details(json!({ "hint": "x" }))
            .with_correlation_id("abc-123");
        let problem = error.to_problem();
        assert_eq!(problem.type_, "https://errors.solo60.dev/bad-user");
        assert_eq!(problem.status, 422);
        let wire = serde_json::to_string(&problem).unwrap();
        let back = AppError::from_problem(422, serde_json::from_str(&wire).unwrap());
        assert_eq!(back, error);
    }

    #[test]
    fn from_problem_falls_back_to_title_then_kind() {
        let problem: Problem = serde_json::from_value(json!({ "title": "Gone fishing" })).unwrap();
        let error = AppError::from_problem(503, problem);
        assert_eq!(error.kind, ErrorKind::Unavailable);
        assert_eq!(error.code, "SERVICE_UNAVAILABLE");
        assert_eq!(error.message, "Gone fishing");
        let error = AppError::from_problem(404, serde_json::from_value(json!({})).unwrap());
        assert_eq!(error.message, "Not Found");
    }

    #[test]
    fn the_status_of_the_answer_wins_over_the_body() {
        let problem: Problem =
            serde_json::from_value(json!({ "status": 200, "code": "ODD" })).unwrap();
        let error = AppError::from_problem(409, problem);
        assert_eq!((error.kind, error.status), (ErrorKind::Conflict, 409));
        assert_eq!(error.code, "ODD");
    }
}
