//! Which contract operation a request is for, from its method and the route it matched.

use axum::extract::MatchedPath;
use axum::http::Method;

use crate::contract::OperationInfo;

/// The operation served at `route` for `method`, if the contract has one.
///
/// `HEAD` is answered by the `GET` handler (axum does so), so it is the `GET` operation:
/// otherwise a `HEAD` request would run a handler without its allow-list check.
pub(crate) fn find_operation(
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
