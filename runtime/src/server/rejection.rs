//! Refusals by the validating extractors: the request never reached the handler.

use axum::response::{IntoResponse, Response};

use crate::AppError;

/// An extractor's refusal, rendered like any [`AppError`], plus a marker on the response:
/// the handler did nothing, so the idempotency layer stores nothing for the key.
#[derive(Debug)]
pub struct Rejected(pub AppError);

/// On a response the handler never produced.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RejectedBeforeHandler;

impl IntoResponse for Rejected {
    fn into_response(self) -> Response {
        let mut response = self.0.into_response();
        response.extensions_mut().insert(RejectedBeforeHandler);
        response
    }
}

impl From<AppError> for Rejected {
    fn from(error: AppError) -> Self {
        Self(error)
    }
}
