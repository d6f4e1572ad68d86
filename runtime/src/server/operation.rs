//! Which contract operation a request is for, from its method and the route it matched.

use std::future::Future;

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::response::Response;

use crate::contract::OperationInfo;

/// The contract operation a request matched, put on it once by [`identify`] so that every
/// later layer reads it instead of searching the list again.
#[derive(Debug, Clone, Copy)]
struct Matched(&'static OperationInfo);

/// The outermost layer that knows the route: names the request's operation, if any.
pub(crate) async fn identify<F, Fut>(
    operations: &'static [OperationInfo],
    mut request: Request,
    next: F,
) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let route = request.extensions().get::<MatchedPath>();
    if let Some(operation) = find_operation(operations, request.method(), route) {
        request.extensions_mut().insert(Matched(operation));
    }
    next(request).await
}

/// The operation [`identify`] found for `request`.
pub(crate) fn matched(request: &Request) -> Option<&'static OperationInfo> {
    request
        .extensions()
        .get::<Matched>()
        .map(|Matched(operation)| *operation)
}

/// The operation served at `route` for `method`, if the contract has one.
///
/// `HEAD` is answered by the `GET` handler (axum does so), so it is the `GET` operation:
/// otherwise a `HEAD` request would run a handler without its allow-list check.
fn find_operation(
    operations: &'static [OperationInfo],
    method: &Method,
    route: Option<&MatchedPath>,
) -> Option<&'static OperationInfo> {
    let route = route?.as_str();
    let method = if method == Method::HEAD {
        Method::GET.as_str()
    } else {
        method.as_str()
    };
    operations
        .iter()
        .find(|operation| operation.path == route && operation.method.as_str() == method)
}
