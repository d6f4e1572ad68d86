//! The answers for a path no route serves and a method a route does not serve.

use axum::http::header::ALLOW;
use axum::http::StatusCode;
use axum::response::Response;

use super::codes;
use crate::{AppError, ErrorKind};

/// No route at this path: 404 `NOT_FOUND`.
pub(crate) async fn not_found() -> AppError {
    AppError::new(ErrorKind::NotFound, "no operation is served at this path")
        .with_code(codes::NOT_FOUND)
}

/// The path exists, the method does not: 405 `METHOD_NOT_ALLOWED`; axum adds the `Allow`
/// header listing the methods the path has.
pub(crate) async fn method_not_allowed() -> AppError {
    AppError::new(
        ErrorKind::MethodNotAllowed,
        "this path does not serve this method; the Allow header lists those it does",
    )
    .with_code(codes::METHOD_NOT_ALLOWED)
}

/// Removes `Allow` from every answer but a 405.
///
/// axum's method router adds `Allow` to whatever its fallback answers, and the fallback is
/// inside the service-auth layer: without this, a 401 to an unauthenticated caller would
/// list the methods of every path it guessed right.
pub(crate) async fn allow_only_on_405(mut response: Response) -> Response {
    if response.status() != StatusCode::METHOD_NOT_ALLOWED {
        response.headers_mut().remove(ALLOW);
    }
    response
}
