//! A JSON request body, checked against its contract before the handler sees it.

use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderMap;
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use serde_json::Value;

use super::body_limit::{is_over_limit, payload_too_large};
use super::codes;
use super::rejection::Rejected;
use crate::{parse, AppError, ErrorKind, Validate};

/// A JSON body checked against its contract before the handler runs.
///
/// Extraction refuses, in this order and always as problem+json:
/// - 415 `UNSUPPORTED_MEDIA_TYPE`: `Content-Type` missing or not JSON (`application/json`,
///   with any parameters such as `charset`, or any `application/*+json`);
/// - 413 `PAYLOAD_TOO_LARGE`: the body passed the limit of
///   [`ServerConfig::body_limit`](super::ServerConfig) while being read;
/// - 400 `MALFORMED_JSON`: not well-formed JSON — truncated, a trailing comma, invalid
///   UTF-8, or nested deeper than serde_json's limit of 128 (so 10,000 `[` cannot exhaust
///   the stack). The message gives the syntax error and its line and column, never the text;
/// - 422 `VALIDATION_FAILED`: the value breaks the contract; `errors` lists every
///   violation with its JSON pointer, keyword and message. Unknown properties are ignored
///   unless the schema says `additionalProperties: false`.
pub struct ValidJson<T>(pub T);

impl<S, T> FromRequest<S> for ValidJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Validate,
{
    type Rejection = Rejected;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Rejected> {
        read_json(request).await.map_err(Rejected)
    }
}

/// The body, checked: JSON by content type and syntax, then valid against `T`.
async fn read_json<T: DeserializeOwned + Validate>(
    request: Request,
) -> Result<ValidJson<T>, AppError> {
    if !has_json_content_type(request.headers()) {
        return Err(AppError::new(
            ErrorKind::UnsupportedMediaType,
            "the body must be JSON: send Content-Type: application/json",
        )
        .with_code(codes::UNSUPPORTED_MEDIA_TYPE));
    }
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if is_over_limit(&error) => return Err(payload_too_large()),
        Err(_) => {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "the request body could not be read to its end",
            )
            .with_code(codes::BODY_UNREADABLE))
        }
    };
    let value: Value = serde_json::from_slice(&body).map_err(malformed)?;
    parse::<T>(&value)
        .map(ValidJson)
        .map_err(AppError::validation)
}

/// `application/json` or `application/<anything>+json`, parameters allowed, any case.
pub(crate) fn has_json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    // Compared without lowering a copy: this runs on every request with a body.
    let Some(subtype) = essence
        .get(..PREFIX.len())
        .filter(|prefix| prefix.eq_ignore_ascii_case(PREFIX))
        .and_then(|_| essence.get(PREFIX.len()..))
    else {
        return false;
    };
    subtype.eq_ignore_ascii_case("json")
        || (subtype.len() > SUFFIX.len()
            && subtype
                .get(subtype.len() - SUFFIX.len()..)
                .is_some_and(|suffix| suffix.eq_ignore_ascii_case(SUFFIX)))
}

const PREFIX: &str = "application/";
const SUFFIX: &str = "+json";

/// A 400 that says what is wrong with the JSON and where. For a syntax error serde_json's
/// message is a fixed phrase plus line and column, never a piece of the input; any other
/// kind of error (none is expected when parsing into a `Value`) gets a fixed message.
fn malformed(error: serde_json::Error) -> AppError {
    let message = match error.classify() {
        Category::Syntax | Category::Eof => format!("the body is not well-formed JSON: {error}"),
        Category::Data | Category::Io => "the body is not well-formed JSON".to_owned(),
    };
    AppError::new(ErrorKind::BadRequest, message).with_code(codes::MALFORMED_JSON)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_type(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn json_and_suffixed_json_with_parameters_are_json() {
        for accepted in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=UTF-8",
            "application/problem+json",
            "application/merge-patch+json ; x=y",
        ] {
            assert!(has_json_content_type(&with_type(accepted)), "{accepted}");
        }
        for refused in [
            "text/plain",
            "application/jsonx",
            "application/x-www-form-urlencoded",
            "text/json",
            "application/+json",
            "multipart/form-data; boundary=json",
            "",
        ] {
            assert!(!has_json_content_type(&with_type(refused)), "{refused}");
        }
        assert!(!has_json_content_type(&HeaderMap::new()));
    }

    #[test]
    fn malformed_messages_never_quote_the_input() {
        for input in [
            &b"{\"name\": \"secret-value\""[..],
            b"{\"name\": \"secret-value\",}",
            b"{\"name\": \"secret-\xff-value\"}",
            b"secret-value",
        ] {
            let error = serde_json::from_slice::<Value>(input).unwrap_err();
            let message = malformed(error).message;
            assert!(!message.contains("secret"), "{message}");
            assert!(message.contains("line 1"), "{message}");
        }
    }
}
