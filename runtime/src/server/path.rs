//! Path parameters, parsed as their contract types.

use axum::extract::path::ErrorKind as PathErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path, RawPathParams};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::codes;
use super::rejection::Rejected;
use super::response::internal_error;
use crate::{AppError, ErrorKind, ValidationError};

/// Path parameters; a malformed one (e.g. not a UUID) is a 400 problem naming it, never a
/// 500. `T` is a single value or a tuple in route order, as with axum's `Path`.
///
/// The 400 (`INVALID_PATH_PARAMETER`) names the parameter in its message and in `errors`
/// (pointer `/<name>`, keyword `type` or `format`), without repeating the value sent. Only
/// a route whose parameters cannot fit `T` at all (a wiring mistake, not a request's) is a
/// 500.
pub struct ValidPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ValidPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = Rejected;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Rejected> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ValidPath(value)),
            Err(rejection) => {
                let names: Vec<String> = match RawPathParams::from_request_parts(parts, state).await
                {
                    Ok(params) => params.iter().map(|(name, _)| name.to_owned()).collect(),
                    Err(_) => Vec::new(),
                };
                Err(Rejected(rejected(rejection, &names)))
            }
        }
    }
}

/// The problem for a rejection, naming the parameter from the error or, when the error
/// only has an index or nothing, from the route's parameter `names`.
fn rejected(rejection: PathRejection, names: &[String]) -> AppError {
    let PathRejection::FailedToDeserializePathParams(error) = rejection else {
        // No parameters at all on this route: the handler was mounted on the wrong path.
        tracing::error!("ValidPath used on a route without parameters");
        return internal_error();
    };
    let only = || match names {
        [single] => Some(single.clone()),
        _ => None,
    };
    let (name, keyword, expected) = match error.into_kind() {
        PathErrorKind::ParseErrorAtKey {
            key, expected_type, ..
        } => (Some(key), "type", Some(expected_type)),
        PathErrorKind::ParseErrorAtIndex {
            index,
            expected_type,
            ..
        } => (names.get(index).cloned(), "type", Some(expected_type)),
        PathErrorKind::ParseError { expected_type, .. } => (only(), "type", Some(expected_type)),
        PathErrorKind::DeserializeError { key, .. } => (Some(key), "format", None),
        PathErrorKind::InvalidUtf8InPathParam { key } => (Some(key), "format", None),
        PathErrorKind::Message(_) => (only(), "format", None),
        kind @ (PathErrorKind::WrongNumberOfParameters { .. }
        | PathErrorKind::UnsupportedType { .. }) => {
            tracing::error!(error = %kind, "ValidPath type does not fit the route");
            return internal_error();
        }
        // A kind added by a later axum: still the request's fault, still a 400.
        _ => (only(), "format", None),
    };
    let subject = name.as_deref().map_or_else(
        || "a path parameter".to_owned(),
        |n| format!("path parameter `{n}`"),
    );
    let message = match expected {
        Some(expected) => format!("{subject} is malformed: expected {}", friendly(expected)),
        None => format!("{subject} is malformed"),
    };
    let mut error = AppError::new(ErrorKind::BadRequest, message.clone())
        .with_code(codes::INVALID_PATH_PARAMETER);
    if let Some(name) = name {
        let root = crate::Path::Root;
        error.violations = vec![ValidationError::new(&root.key(&name), keyword, message)];
    }
    error
}

/// A Rust type name as a caller would say it.
fn friendly(type_name: &str) -> &str {
    match type_name.rsplit("::").next().unwrap_or(type_name) {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "an integer",
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a non-negative integer",
        "f32" | "f64" => "a number",
        "bool" => "true or false",
        "Uuid" => "a UUID",
        other => other,
    }
}
