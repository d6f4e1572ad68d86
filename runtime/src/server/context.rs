//! Who is calling and under which correlation id, as the layers established them.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::codes;
use crate::{AppError, ErrorKind};

/// The authenticated caller's service name, set by the service-auth layer.
#[derive(Debug, Clone)]
pub(crate) struct Caller(pub(crate) String);

/// The request's correlation id, set by the correlation layer.
#[derive(Debug, Clone)]
pub(crate) struct CorrelationId(pub(crate) String);

/// Who is calling and under which correlation id: extracted in every generated handler and
/// handed to the service's method, so it can log, authorise by caller, or pass the id on.
///
/// Both values were checked by the layers of [`serve_layers`](super::serve_layers): the
/// caller presented a valid key and a well-formed `x-service-name`, and the id is the
/// incoming `x-correlation-id` if it was valid, a fresh one otherwise. Outside those layers
/// extraction fails with a 500 (`INTERNAL_ERROR`): a handler must never run unauthenticated
/// because a router was wired by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    /// The calling service's `x-service-name`.
    pub caller: String,
    /// The id echoed as `x-correlation-id` and forwarded by client calls made while serving.
    pub correlation_id: String,
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        let caller = parts.extensions.get::<Caller>();
        let correlation_id = parts.extensions.get::<CorrelationId>();
        match (caller, correlation_id) {
            (Some(Caller(caller)), Some(CorrelationId(id))) => Ok(RequestContext {
                caller: caller.clone(),
                correlation_id: id.clone(),
            }),
            _ => {
                tracing::error!(
                    "RequestContext extracted outside the service-auth layers: wrap the router \
                     with solo60_runtime::server::serve_layers"
                );
                Err(AppError::new(
                    ErrorKind::Internal,
                    "the server is not configured correctly",
                )
                .with_code(codes::INTERNAL_ERROR))
            }
        }
    }
}
