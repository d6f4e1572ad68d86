//! The query string, as the contract's query type.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::coerce::{coerce, query_object};
use super::rejection::Rejected;
use crate::{parse, AppError, Validate};

/// The query string, parsed and validated against its contract's schema.
///
/// Pairs become a JSON object of strings (a repeated key an array); values are then read as
/// the integers, numbers, booleans, nulls or lists the contract wants, found by asking the
/// contract's own validation where it sees a wrong `type` (see `coerce.rs`). What still
/// breaks the contract is a 422 `VALIDATION_FAILED` listing every violation, with pointers
/// into that object (`/limit`, `/status/0`). Unknown keys are ignored unless the schema says
/// `additionalProperties: false`.
pub struct ValidQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ValidQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Validate,
{
    type Rejection = Rejected;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Rejected> {
        let pairs = query_object(parts.uri.query().unwrap_or_default());
        let value = coerce::<T>(pairs);
        parse::<T>(&value)
            .map(ValidQuery)
            .map_err(|errors| Rejected(AppError::validation(errors)))
    }
}
