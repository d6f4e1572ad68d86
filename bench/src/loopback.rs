//! The two servers the server and client benches compare, each run as a child process on its
//! own single-threaded runtime so the load generator and the server never share a scheduler:
//!
//! - **generated**: the generated subscription router — service auth, correlation id, span and
//!   metrics, panic catching, timeout, body limit, content-type check, validation against the
//!   contract — around a `check_access` handler that answers at once;
//! - **hand-written**: the minimal axum route a team would write without the generator, which
//!   only deserializes the same body into the same type and answers the same value.
//!
//! Both answer byte-identical bodies, so the difference between them is what the generated
//! layers cost.

use std::fs;
use std::io::{BufRead as _, BufReader, Read as _};
use std::net::SocketAddr;
use std::process::{Child, ChildStdout, Command, ExitCode, Stdio};

use solo60_runtime::secret::ApiKey;
use solo60_runtime::server::axum::routing::post;
use solo60_runtime::server::axum::{Json, Router};
use solo60_runtime::server::{RequestContext, ServiceAuth};
use solo60_runtime::{AppError, ErrorKind, Uuid};
use subscription_api::server::SubscriptionService;
use subscription_api::{
    CancelSubscriptionRequest, CheckSubscriptionAccessRequest, CheckSubscriptionAccessResponse,
    CreateSubscriptionRequest, ListPlansQuery, PlanList, Subscription,
};

/// The service key both servers are called with (the hand-written one ignores it).
pub const API_KEY: &str = "bench-service-key-0123456789abcdef";
/// The calling service, one `checkAccess` allows.
pub const CALLER: &str = "session";
/// The route both servers answer.
pub const CHECK_ACCESS_PATH: &str = "/internal/subscriptions/check-access";
/// A valid `CheckSubscriptionAccessRequest`, the body of every benchmarked call.
pub const CHECK_ACCESS_BODY: &str = r#"{"userId":"5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d","feature":"personal_training","requiredPlan":"premium"}"#;

/// Which server a child process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerKind {
    Generated,
    HandWritten,
}

impl ServerKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Generated => "generated",
            Self::HandWritten => "hand-written",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "generated" => Some(Self::Generated),
            "hand-written" => Some(Self::HandWritten),
            _ => None,
        }
    }
}

/// The answer both servers give: the work a real handler does is the same on both sides,
/// so it is left out of the comparison.
fn answer() -> CheckSubscriptionAccessResponse {
    CheckSubscriptionAccessResponse::new(true).with_reason("plan_grants_feature".to_owned())
}

/// A subscription service that only answers access checks.
struct AccessChecks;

fn not_benchmarked() -> AppError {
    AppError::new(ErrorKind::NotFound, "not part of the benchmark")
}

impl SubscriptionService for AccessChecks {
    async fn check_access(
        &self,
        _context: RequestContext,
        _request: CheckSubscriptionAccessRequest,
    ) -> Result<CheckSubscriptionAccessResponse, AppError> {
        Ok(answer())
    }

    async fn get_subscription(
        &self,
        _context: RequestContext,
        _subscription_id: Uuid,
    ) -> Result<Subscription, AppError> {
        Err(not_benchmarked())
    }

    async fn get_subscription_for_user(
        &self,
        _context: RequestContext,
        _user_id: Uuid,
    ) -> Result<Subscription, AppError> {
        Err(not_benchmarked())
    }

    async fn create_subscription(
        &self,
        _context: RequestContext,
        _request: CreateSubscriptionRequest,
    ) -> Result<Subscription, AppError> {
        Err(not_benchmarked())
    }

    async fn cancel_subscription(
        &self,
        _context: RequestContext,
        _subscription_id: Uuid,
        _request: CancelSubscriptionRequest,
    ) -> Result<Subscription, AppError> {
        Err(not_benchmarked())
    }

    async fn list_plans(
        &self,
        _context: RequestContext,
        _query: ListPlansQuery,
    ) -> Result<PlanList, AppError> {
        Err(not_benchmarked())
    }
}

async fn hand_written_check_access(
    Json(_request): Json<CheckSubscriptionAccessRequest>,
) -> Json<CheckSubscriptionAccessResponse> {
    Json(answer())
}

/// The router of `kind`.
pub fn router(kind: ServerKind) -> Router {
    match kind {
        ServerKind::Generated => {
            subscription_api::server::router(AccessChecks, ServiceAuth::new(ApiKey::new(API_KEY)))
        }
        ServerKind::HandWritten => {
            Router::new().route(CHECK_ACCESS_PATH, post(hand_written_check_access))
        }
    }
}

/// The child side: serves `kind` on 127.0.0.1 (a free port), prints `listening ADDRESS` on
/// stdout, and exits when its stdin closes, so a parent that dies takes its servers along.
pub fn serve_until_stdin_closes(kind: ServerKind) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start a runtime: {error}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|error| format!("cannot bind 127.0.0.1:0: {error}"))?;
        let address = listener
            .local_addr()
            .map_err(|error| format!("no local address: {error}"))?;
        println!("listening {address}");
        let stdin_closed = async {
            // Reading stdin blocks, so it runs off the server's only thread.
            let _ = tokio::task::spawn_blocking(|| {
                let mut sink = Vec::new();
                let _ = std::io::stdin().read_to_end(&mut sink);
            })
            .await;
        };
        solo60_runtime::server::axum::serve(listener, router(kind))
            .with_graceful_shutdown(stdin_closed)
            .await
            .map_err(|error| format!("server failed: {error}"))
    })
}

/// A server child process; dropping it closes its stdin and waits for it to exit.
pub struct ServerProcess {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    pub address: SocketAddr,
}

impl ServerProcess {
    /// Starts `program --serve KIND` and waits for the address it listens on.
    pub fn start(program: &std::path::Path, kind: ServerKind) -> Result<Self, String> {
        let mut child = Command::new(program)
            .arg("--serve")
            .arg(kind.name())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot start {}: {error}", program.display()))?;
        let stdout = child
            .stdout
            .take()
            .ok_or("the server's stdout is not piped")?;
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .map_err(|error| format!("reading the server's address: {error}"))?;
        let address = line
            .trim()
            .strip_prefix("listening ")
            .and_then(|address| address.parse().ok())
            .ok_or_else(|| format!("the {} server said `{}`", kind.name(), line.trim()))?;
        Ok(Self {
            child,
            _stdout: stdout,
            address,
        })
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// The `main` of a loopback bench: `--serve KIND` makes this process a server child (see
/// [`ServerProcess::start`]); otherwise `bench` runs with the arguments, its Markdown report
/// is printed and kept in `target/bench/NAME/report.md`.
pub fn run_bench_or_serve(
    name: &str,
    bench: impl FnOnce(std::iter::Skip<std::env::Args>) -> Result<String, String>,
) -> ExitCode {
    let mut args = std::env::args().skip(1);
    if std::env::args().nth(1).as_deref() == Some("--serve") {
        let kind = args.nth(1).and_then(|name| ServerKind::parse(&name));
        return exit_code(match kind {
            Some(kind) => serve_until_stdin_closes(kind),
            None => Err("--serve needs `generated` or `hand-written`".to_owned()),
        });
    }
    let result = bench(args).map(|report| {
        let dir = crate::repo_root().join("target/bench").join(name);
        let written =
            fs::create_dir_all(&dir).and_then(|()| fs::write(dir.join("report.md"), &report));
        if let Err(error) = written {
            eprintln!("cannot write target/bench/{name}/report.md: {error}");
        }
        print!("{report}");
    });
    exit_code(result)
}

fn exit_code(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
