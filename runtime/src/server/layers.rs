//! [`serve_layers`]: the stack every generated router is wrapped in.

use std::sync::Arc;

use axum::error_handling::HandleErrorLayer;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::{middleware, BoxError, Router};
use tower::timeout::TimeoutLayer;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;

use super::authenticate::{authenticate, AuthState};
use super::body_limit::problem_for_declared_length;
use super::correlate::correlate;
use super::deprecation::announce_deprecation;
use super::fallback::{allow_only_on_405, method_not_allowed, not_found};
use super::faults::{panic_response, timeout_response};
use super::operation::identify;
use super::shed::InFlight;
use super::telemetry::observe;
use super::{ServerConfig, ServiceAuth};
use crate::contract::OperationInfo;
use crate::idempotency::{idempotency, KeyedOperations};

/// Wraps a router holding a service's operation routes with everything the platform asks of
/// an internal endpoint.
///
/// Every request, matched or not, passes these layers, outermost first (see the
/// [module documentation](super) for the answers and their codes):
///
/// 1. correlation: the id is settled, made current, and echoed on every answer (an
///    idempotent replay keeps the id of the request it repeats);
/// 2. telemetry: the `request` span and the metrics; then load shedding: past
///    `config.max_in_flight` requests at once, 503 `OVERLOADED` at once;
/// 3. panic catching: a panic anywhere below is a 500 without its text;
/// 4. the timeout, `config.request_timeout`, over everything below, body reading included;
/// 5. service auth: key, caller name, allow-list (401, 401, 403);
/// 6. the body limit: a declared `Content-Length` over `config.body_limit` is a 413 here, a
///    longer body is cut off when an extractor reads past the limit;
/// 7. routing answers: 404 for an unknown path, 405 (with `Allow`) for a known path and an
///    unknown method;
/// 8. the handler's extractors (path 400, query 422, body 415/413/400/422), then the handler.
///
/// Around it all, `Allow` is removed from every answer but a 405, so a 401 never lists the
/// methods of a path.
///
/// `operations` is the contract's list (the generated `operations::ALL`): it names each
/// request's operation for spans and metrics and carries the allow-lists. Routes not in it
/// still need a valid key and caller name. Operations are found by their contract path, so
/// mount the returned router as it is rather than nested under a prefix (a prefix would hide
/// every operation, and with it its allow-list). The router's own fallbacks are replaced; merge
/// public routes (health checks) into the *returned* router so they skip these layers.
pub fn serve_layers(
    routes: Router,
    operations: &'static [OperationInfo],
    auth: ServiceAuth,
    config: ServerConfig,
) -> Router {
    let admission = Arc::new(Admission {
        in_flight: InFlight::new(config.max_in_flight),
        operations,
        auth: AuthState { auth },
        keyed: KeyedOperations {
            idempotency: config.idempotency.clone(),
            body_limit: config.body_limit,
        },
    });
    let limit = config.request_timeout;
    let layers = ServiceBuilder::new()
        .layer(middleware::from_fn_with_state(admission.clone(), receive))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(HandleErrorLayer::new(move |error: BoxError| async move {
            timeout_response(error, limit)
        }))
        .layer(TimeoutLayer::new(limit))
        .layer(middleware::from_fn_with_state(admission, guard))
        .layer(RequestBodyLimitLayer::new(config.body_limit));
    let served = routes
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(layers);
    // axum's method router sits outside layers added with `Router::layer` and adds `Allow`
    // to every answer of its fallback; only a router around it can take that back.
    Router::new()
        .fallback_service(served)
        .layer(middleware::map_response(allow_only_on_405))
}

/// What the two platform layers need to know about the service.
struct Admission {
    in_flight: InFlight,
    operations: &'static [OperationInfo],
    auth: AuthState,
    keyed: KeyedOperations,
}

/// Steps 1 and 2, and the deprecation headers: correlation, the request's operation, the
/// span and metrics. One middleware runs the four steps in order: each `from_fn` layer
/// clones and boxes the service below it on every request, which made the stack cost
/// more than the handler's own work.
async fn receive(
    State(admission): State<Arc<Admission>>,
    request: Request,
    next: Next,
) -> Response {
    let operations = admission.operations;
    correlate(request, |request| {
        identify(operations, request, |request| {
            observe(request, |request| {
                admission.in_flight.admit(request, |request| {
                    announce_deprecation(request, |request| next.run(request))
                })
            })
        })
    })
    .await
}

/// Steps 5 and 6 and the idempotency guard, inside the timeout and panic catching: service
/// auth, then the 413 for a declared length over the limit as problem+json, then the
/// `Idempotency-Key` of keyed operations.
async fn guard(State(admission): State<Arc<Admission>>, request: Request, next: Next) -> Response {
    let response = authenticate(&admission.auth, request, |request| {
        idempotency(&admission.keyed, request, |request| next.run(request))
    })
    .await;
    problem_for_declared_length(response).await
}
