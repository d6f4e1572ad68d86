//! Serving a router on a socket, with every resource a client can hold bounded.
//!
//! `axum::serve` sets no timer: a client could send its headers one byte a second, keep
//! thousands of idle connections, or never read its answer, and the server would hold each
//! for as long as the client liked. [`serve`] runs the same router on hyper-util's server
//! (HTTP/1.1 and h2c on one port) with the limits of [`ServerConfig`]:
//!
//! | resource | bound |
//! | --- | --- |
//! | a request's headers (HTTP/1.1) | [`ServerConfig::header_read_timeout`], from the first byte a connection could send a request (hyper's timer) |
//! | telling HTTP/1.1 from HTTP/2 | the same timeout, for the first bytes of a connection |
//! | a connection on which nothing moves | [`ServerConfig::idle_timeout`] |
//! | an answer the client does not read | [`ServerConfig::write_timeout`] without progress |
//! | open connections | [`ServerConfig::max_connections`]; past it new connections wait in the listen backlog, open ones keep being served |
//! | shutting down | [`ServerConfig::drain_timeout`] for in-flight requests, then every connection is closed |

use std::future::Future;
use std::io;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::guarded_io::GuardedIo;
use super::ServerConfig;

/// The first bytes of every HTTP/2 connection with prior knowledge (RFC 9113, 3.4).
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting, lets
/// in-flight requests finish within [`ServerConfig::drain_timeout`] and closes every
/// connection. Use [`shutdown_signal`] for SIGTERM and Ctrl-C.
///
/// ```no_run
/// # use solo60_runtime::server::{serve, shutdown_signal, ServerConfig};
/// # async fn run(app: solo60_runtime::server::axum::Router) -> std::io::Result<()> {
/// let config = ServerConfig::default();
/// let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
/// serve(listener, app, &config, shutdown_signal()).await
/// # }
/// ```
///
/// A configuration whose idle timeout does not exceed its request timeout is refused
/// (`InvalidInput`): a handler may run that long without a byte moving on its connection.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    config: &ServerConfig,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    check(config)?;
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout)
        .keep_alive(true);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(config.max_http2_streams);
    let connections = std::sync::Arc::new(Semaphore::new(config.max_connections));
    let graceful = GracefulShutdown::new();
    let mut tasks = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        while tasks.try_join_next().is_some() {}
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    accept_failed(&error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let builder = builder.clone();
        let watcher = graceful.watcher();
        let service = TowerToHyperService::new(router.clone());
        let limits = Limits::from(config);
        tasks.spawn(async move {
            let _permit = permit;
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(%error, "TCP_NODELAY not set");
            }
            if !starts_in_time(&stream, limits.header_read_timeout).await {
                tracing::debug!("connection closed: no request within the header-read timeout");
                return;
            }
            let io = TokioIo::new(GuardedIo::new(
                stream,
                limits.write_timeout,
                limits.idle_timeout,
            ));
            let connection = builder.serve_connection(io, service);
            if let Err(error) = watcher.watch(connection.into_owned()).await {
                tracing::debug!(error = %error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tracing::info!(
        connections = graceful.count(),
        "shutting down: no new connections, draining in-flight requests"
    );
    if tokio::time::timeout(config.drain_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            remaining = tasks.len(),
            "drain deadline passed: closing the connections still open"
        );
    }
    tasks.shutdown().await;
    Ok(())
}

/// Resolves on SIGTERM (what orchestrators send) or Ctrl-C, for [`serve`]'s `shutdown`.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// The per-connection limits, copied into each connection's task.
#[derive(Clone, Copy)]
struct Limits {
    header_read_timeout: Duration,
    write_timeout: Duration,
    idle_timeout: Duration,
}

impl From<&ServerConfig> for Limits {
    fn from(config: &ServerConfig) -> Self {
        Self {
            header_read_timeout: config.header_read_timeout,
            write_timeout: config.write_timeout,
            idle_timeout: config.idle_timeout,
        }
    }
}

fn check(config: &ServerConfig) -> io::Result<()> {
    let invalid = |message: String| Err(io::Error::new(io::ErrorKind::InvalidInput, message));
    if config.idle_timeout <= config.request_timeout {
        return invalid(format!(
            "ServerConfig::idle_timeout ({:?}) must exceed request_timeout ({:?})",
            config.idle_timeout, config.request_timeout
        ));
    }
    if config.max_connections == 0 {
        return invalid("ServerConfig::max_connections must be at least 1".to_owned());
    }
    Ok(())
}

/// Whether the connection sent enough, within `timeout`, to tell HTTP/1.1 from HTTP/2: a
/// byte that is not the HTTP/2 preface's, or the whole preface. hyper's header timer only
/// starts once the protocol is known, so a client trickling the preface would otherwise
/// never meet it.
async fn starts_in_time(stream: &TcpStream, timeout: Duration) -> bool {
    let mut buffer = [0u8; H2_PREFACE.len()];
    let deadline = tokio::time::Instant::now() + timeout;
    let mut seen = 0;
    loop {
        let peeked = tokio::time::timeout_at(deadline, stream.peek(&mut buffer)).await;
        let Ok(Ok(count)) = peeked else {
            return false;
        };
        if count == 0 {
            return false;
        }
        if count == H2_PREFACE.len() || buffer[..count] != H2_PREFACE[..count] {
            return true;
        }
        if count == seen {
            // Peeking again would return the same bytes at once: give the next ones time.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        seen = count;
    }
}

/// An accept error: the per-connection ones are the client's problem; running out of file
/// descriptors is the server's, and retrying at once would spin.
async fn accept_failed(error: &io::Error) {
    match error.kind() {
        io::ErrorKind::ConnectionAborted
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionRefused => {}
        _ => {
            tracing::error!(%error, "accept failed; retrying in 100 ms");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
