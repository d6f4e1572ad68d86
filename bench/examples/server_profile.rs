//! The server bench's two routers called in process, without sockets, so a profiler sees only
//! the router's own work: the layers, extraction, validation, the handler and the answer.
//! Instruction counts under callgrind are repeatable on a busy machine, unlike wall time:
//!
//! ```text
//! cargo build --release -p solo60-bench --example server_profile
//! valgrind --tool=callgrind target/release/examples/server_profile generated 5000
//! valgrind --tool=callgrind target/release/examples/server_profile generated 10000
//! ```
//!
//! The difference between the two totals, divided by 5,000, is the cost of one request with
//! start-up taken out. Without arguments both routers run 200,000 requests and print the
//! time per request.

use std::time::Instant;

use http_body_util::BodyExt as _;
use solo60_bench::loopback::{
    router, ServerKind, API_KEY, CALLER, CHECK_ACCESS_BODY, CHECK_ACCESS_PATH,
};
use solo60_runtime::server::axum::body::Body;
use solo60_runtime::server::axum::http::Request;
use tower::ServiceExt as _;

async fn serve(kind: ServerKind, requests: u32) -> Result<(), String> {
    let app = router(kind);
    let started = Instant::now();
    for _ in 0..requests {
        let request = Request::post(CHECK_ACCESS_PATH)
            .header("content-type", "application/json")
            .header("x-api-key", API_KEY)
            .header("x-service-name", CALLER)
            .body(Body::from(CHECK_ACCESS_BODY))
            .map_err(|error| error.to_string())?;
        let response = app
            .clone()
            .oneshot(request)
            .await
            .map_err(|error| error.to_string())?;
        if response.status() != 200 {
            return Err(format!("{} answered {}", kind.name(), response.status()));
        }
        response
            .into_body()
            .collect()
            .await
            .map_err(|error| error.to_string())?;
    }
    let per_request = started.elapsed().as_secs_f64() * 1e6 / f64::from(requests);
    println!("{}: {per_request:.2} µs per request", kind.name());
    Ok(())
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let only = args.next().map(|name| {
        ServerKind::parse(&name).ok_or(format!("`{name}`: expected generated or hand-written"))
    });
    let only = only.transpose()?;
    let requests = match args.next() {
        Some(count) => count
            .parse()
            .map_err(|_| format!("`{count}`: expected a number of requests"))?,
        None => 200_000,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    for kind in [ServerKind::Generated, ServerKind::HandWritten] {
        if only.is_none_or(|only| only == kind) {
            runtime.block_on(serve(kind, requests))?;
        }
    }
    Ok(())
}
