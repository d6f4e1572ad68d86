//! Turning what went wrong on the wire into an [`AppError`].
//!
//! An upstream of the platform answers errors as problem+json, which reads back into the very
//! error it raised. Anything else — a proxy's HTML page, a foreign JSON shape, an empty body —
//! gets the kind its status stands for and a message that says so, quoting at most a short,
//! sanitized prefix of the body: a foreign body is untrusted text and may be huge.

use std::fmt::Write as _;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::error::PROBLEM_CONTENT_TYPE;
use crate::{AppError, ErrorKind, Problem, ValidationErrors};

use super::codes;

/// How much of a foreign body a message may quote.
const QUOTE_CHARS: usize = 64;
/// How long a transport error's text may get.
const TRANSPORT_CHARS: usize = 300;

/// What could be read of an error answer's body.
pub(crate) enum ErrorBody<'a> {
    Read(&'a [u8]),
    /// Over the error-body cap; not read further.
    TooLarge,
    /// The connection failed while reading it; the status still says what happened.
    Unreadable,
}

/// An error answer (`status` not 2xx).
pub(crate) fn from_answer(
    upstream: &str,
    status: StatusCode,
    content_type: Option<&str>,
    body: ErrorBody<'_>,
) -> AppError {
    if let ErrorBody::Read(body) = body {
        if let Some(problem) = as_problem(content_type, body) {
            return AppError::from_problem(status.as_u16(), problem);
        }
    }
    let what = match body {
        ErrorBody::TooLarge => "a body over the size limit".to_owned(),
        ErrorBody::Unreadable => "a body that could not be read".to_owned(),
        ErrorBody::Read([]) => "an empty body".to_owned(),
        ErrorBody::Read(body) if serde_json::from_slice::<Value>(body).is_ok() => {
            format!("a JSON body that is not a problem ({})", quote(body))
        }
        ErrorBody::Read(body) => format!("a non-JSON body ({})", quote(body)),
    };
    let reason = status.canonical_reason().unwrap_or("(unknown status)");
    AppError {
        status: status.as_u16(),
        ..AppError::new(
            ErrorKind::from_status(status.as_u16()),
            format!(
                "upstream `{upstream}` answered {} {reason} with {what}",
                status.as_u16()
            ),
        )
    }
}

/// A body is read as a problem when it says so by media type, or when it is a JSON object with
/// the members a problem has (some servers answer problems as plain `application/json`).
fn as_problem(content_type: Option<&str>, body: &[u8]) -> Option<Problem> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let object = value.as_object()?;
    let declared = content_type.is_some_and(|media| {
        media
            .split(';')
            .next()
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(PROBLEM_CONTENT_TYPE))
    });
    let shaped = ["code", "title", "type"]
        .iter()
        .any(|member| object.get(*member).is_some_and(Value::is_string));
    if !(declared || shaped) {
        return None;
    }
    serde_json::from_value(value).ok()
}

/// A short, printable, quoted prefix of untrusted text: control characters and anything
/// outside printable ASCII become `?`, runs of whitespace one space.
fn quote(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::from("starts with \"");
    let mut taken = 0;
    let mut last_space = false;
    for c in text.chars() {
        if taken == QUOTE_CHARS {
            out.push('…');
            break;
        }
        let c = match c {
            c if c.is_whitespace() => ' ',
            '"' | '\\' => '\'',
            c if c.is_ascii_graphic() => c,
            _ => '?',
        };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        out.push(c);
        taken += 1;
    }
    out.push('"');
    out
}

/// The request did not get an answer: connection refused or reset, TLS, a body cut off.
pub(crate) fn transport(upstream: &str, error: &reqwest::Error) -> AppError {
    let (kind, code, what) = if error.is_timeout() {
        (ErrorKind::Timeout, codes::UPSTREAM_TIMEOUT, "timed out")
    } else {
        (
            ErrorKind::Unavailable,
            codes::UPSTREAM_UNREACHABLE,
            "could not be reached",
        )
    };
    // The URL is left out: it can carry path and query parameters that are the caller's data.
    let mut text = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(cause) = source {
        if text.len() >= TRANSPORT_CHARS {
            break;
        }
        let cause_text = match cause.downcast_ref::<reqwest::Error>() {
            Some(reqwest_error) if reqwest_error.url().is_some() => {
                // Display of a reqwest error includes its URL; describe it by its kind instead.
                describe(reqwest_error).to_owned()
            }
            _ => cause.to_string(),
        };
        if !text.is_empty() {
            text.push_str(": ");
        }
        let _ = write!(text, "{cause_text}");
        source = cause.source();
    }
    text.truncate(floor_char_boundary(&text, TRANSPORT_CHARS));
    AppError::new(kind, format!("upstream `{upstream}` {what}: {text}")).with_code(code)
}

fn describe(error: &reqwest::Error) -> &'static str {
    if error.is_connect() {
        "connection failed"
    } else if error.is_timeout() {
        "timed out"
    } else if error.is_body() || error.is_decode() {
        "reading the answer failed"
    } else if error.is_request() {
        "sending the request failed"
    } else {
        "request failed"
    }
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    (0..=at.min(text.len()))
        .rev()
        .find(|&index| text.is_char_boundary(index))
        .unwrap_or(0)
}

/// One attempt ran past `attempt_timeout`.
pub(crate) fn attempt_timeout(upstream: &str, limit: Duration) -> AppError {
    AppError::new(
        ErrorKind::Timeout,
        format!(
            "upstream `{upstream}` did not answer within {} ms",
            limit.as_millis()
        ),
    )
    .with_code(codes::UPSTREAM_TIMEOUT)
}

/// The call ran out of its deadline; `last` is the error of the last attempt, if it got one.
pub(crate) fn deadline(
    upstream: &str,
    deadline: Duration,
    attempts: u32,
    last: Option<&AppError>,
) -> AppError {
    let mut message = format!(
        "call to upstream `{upstream}` did not finish within its {} ms deadline ({attempts} attempt{})",
        deadline.as_millis(),
        if attempts == 1 { "" } else { "s" },
    );
    if let Some(last) = last {
        let _ = write!(message, "; last error: {} {}", last.status, last.code);
    }
    AppError {
        retry_after: last.and_then(|last| last.retry_after),
        ..AppError::new(ErrorKind::Timeout, message).with_code(codes::DEADLINE_EXCEEDED)
    }
}

pub(crate) fn circuit_open(upstream: &str, retry_after: Option<Duration>) -> AppError {
    AppError {
        retry_after,
        ..AppError::new(
            ErrorKind::Unavailable,
            format!("circuit to upstream `{upstream}` is open: not calling it for now"),
        )
        .with_code(codes::CIRCUIT_OPEN)
    }
}

pub(crate) fn too_large(upstream: &str, cap: usize) -> AppError {
    AppError::new(
        ErrorKind::InvalidResponse,
        format!("upstream `{upstream}` answered with a body over {cap} bytes"),
    )
    .with_code(codes::RESPONSE_TOO_LARGE)
}

/// A success body that is malformed JSON or breaks the operation's response contract.
pub(crate) fn invalid_response(
    upstream: &str,
    operation: &str,
    violations: ValidationErrors,
) -> AppError {
    let count = violations.len();
    AppError {
        violations: violations.into_vec(),
        ..AppError::new(
            ErrorKind::InvalidResponse,
            format!(
                "upstream `{upstream}` answered `{operation}` with a body that breaks its contract ({count} violation{})",
                if count == 1 { "" } else { "s" }
            ),
        )
        .with_code(codes::INVALID_RESPONSE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_short_and_printable() {
        let body = format!("<html>\r\n\t<title>502\u{7}</title>\"{}", "x".repeat(500));
        let quoted = quote(body.as_bytes());
        assert!(quoted.starts_with("starts with \"<html> <title>502?</title>'xx"));
        assert!(quoted.ends_with("…\""));
        assert!(quoted.chars().count() < QUOTE_CHARS + 20);
        assert!(!quoted.chars().any(char::is_control));
    }

    #[test]
    fn problems_are_recognised_by_type_or_shape() {
        let body = br#"{"code":"PLAN_NOT_FOUND","title":"Not Found","status":404}"#;
        assert!(as_problem(None, body).is_some());
        assert!(as_problem(Some("application/problem+json; charset=utf-8"), b"{}").is_some());
        assert!(as_problem(Some("application/json"), br#"{"error":"nope"}"#).is_none());
        assert!(as_problem(Some("application/problem+json"), b"[1]").is_none());
    }

    #[test]
    fn foreign_bodies_get_the_status_kind() {
        let error = from_answer(
            "subscription",
            StatusCode::BAD_GATEWAY,
            Some("text/html"),
            ErrorBody::Read(b"<html><body>Bad Gateway</body></html>"),
        );
        assert_eq!(error.kind, ErrorKind::Unavailable);
        assert_eq!(error.status, 502);
        assert_eq!(error.code, "SERVICE_UNAVAILABLE");
        assert_eq!(
            error.message,
            "upstream `subscription` answered 502 Bad Gateway with a non-JSON body \
             (starts with \"<html><body>Bad Gateway</body></html>\")"
        );
        let error = from_answer("x", StatusCode::IM_A_TEAPOT, None, ErrorBody::TooLarge);
        assert_eq!((error.kind, error.status), (ErrorKind::BadRequest, 418));
        assert!(error.message.ends_with("with a body over the size limit"));
    }

    #[test]
    fn text_is_cut_on_a_char_boundary() {
        assert_eq!(floor_char_boundary("aé", 2), 1);
        assert_eq!(floor_char_boundary("ab", 9), 2);
    }
}
