//! `serve` over real sockets on 127.0.0.1: what a client without a key can make a server
//! hold — slow headers, idle connections, an answer never read, more connections than the
//! cap — is let go at its limit while a normal client is still answered; shutdown drains
//! in-flight requests and refuses new ones; HTTP/2 (h2c) is served on the same port.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use solo60_runtime::server::axum::body::Body;
use solo60_runtime::server::axum::routing::get;
use solo60_runtime::server::axum::Router;
use solo60_runtime::server::{serve, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::time::{sleep, timeout, Instant};

/// Set when the body of a `/big` answer is dropped: the server let go of it.
#[derive(Clone, Default)]
struct Dropped(Arc<AtomicBool>);

struct Guard(Dropped);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0 .0.store(true, Ordering::SeqCst);
    }
}

fn app(dropped: Dropped) -> Router {
    Router::new()
        .route("/ok", get(|| async { "ok" }))
        .route(
            "/slow",
            get(|| async {
                sleep(Duration::from_millis(400)).await;
                "done"
            }),
        )
        .route(
            "/big",
            get(move || {
                let body = BigBody {
                    chunks_left: 64,
                    _guard: Guard(dropped.clone()),
                };
                async move { Body::new(body) }
            }),
        )
}

/// 64 chunks of 1 MiB: far more than the socket buffers take, so the server must hold the
/// rest until the client reads — or until it is dropped, which the guard records.
struct BigBody {
    chunks_left: usize,
    _guard: Guard,
}

impl hyper::body::Body for BigBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        if self.chunks_left == 0 {
            return std::task::Poll::Ready(None);
        }
        self.chunks_left -= 1;
        let chunk = Bytes::from(vec![b'x'; 1 << 20]);
        std::task::Poll::Ready(Some(Ok(hyper::body::Frame::data(chunk))))
    }
}

fn limits() -> ServerConfig {
    ServerConfig {
        header_read_timeout: Duration::from_millis(500),
        request_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(3),
        write_timeout: Duration::from_millis(500),
        drain_timeout: Duration::from_secs(2),
        ..ServerConfig::default()
    }
}

struct Running {
    address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(config: ServerConfig, dropped: Dropped) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(async move {
        serve(listener, app(dropped), &config, async {
            let _ = stopped.await;
        })
        .await
    });
    Running {
        address,
        stop: Some(stop),
        done,
    }
}

/// One `GET path` on a fresh connection; the status line's code, or `None` if the
/// connection gave no answer within `wait`.
async fn get_status(address: SocketAddr, path: &str, wait: Duration) -> Option<u16> {
    let attempt = async {
        let mut stream = TcpStream::connect(address).await.ok()?;
        let request = format!("GET {path} HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.ok()?;
        let text = String::from_utf8_lossy(&answer);
        text.split(' ').nth(1)?.parse().ok()
    };
    timeout(wait, attempt).await.ok().flatten()
}

/// Waits until the server closes `stream` (EOF or reset), up to `wait`; how long it took.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 4096];
    timeout(wait, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
    .map(|()| started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_sent_a_byte_at_a_time_are_cut_off_at_the_header_timeout() {
    let server = start(limits(), Dropped::default()).await;
    let mut trickles = Vec::new();
    for opening in ["GET /ok HTTP/1.1\r\nhost: a", "PRI * HTTP/2.0"] {
        let address = server.address;
        trickles.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(address).await.expect("connect");
            let started = Instant::now();
            for byte in opening.bytes().chain(std::iter::repeat(b'x')) {
                if stream.write_all(&[byte]).await.is_err() {
                    break;
                }
                let mut probe = [0u8; 1];
                match timeout(Duration::from_millis(100), stream.read(&mut probe)).await {
                    Ok(Ok(0)) | Ok(Err(_)) => break,
                    _ => {}
                }
                if started.elapsed() > Duration::from_secs(5) {
                    break;
                }
            }
            started.elapsed()
        }));
    }
    // A normal client is answered while the trickles go on.
    assert_eq!(
        get_status(server.address, "/ok", Duration::from_secs(1)).await,
        Some(200)
    );
    for trickle in trickles {
        let held = trickle.await.expect("trickle task");
        assert!(
            held < Duration::from_millis(1_500),
            "a trickling client was held {held:?} with a 500 ms header timeout"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_keep_alive_connections_are_closed_and_new_clients_still_answered() {
    let server = start(limits(), Dropped::default()).await;
    let mut idle = Vec::new();
    for _ in 0..200 {
        let mut stream = TcpStream::connect(server.address).await.expect("connect");
        stream
            .write_all(b"GET /ok HTTP/1.1\r\nhost: idle\r\n\r\n")
            .await
            .expect("write");
        let mut answer = [0u8; 512];
        let read = stream.read(&mut answer).await.expect("answer");
        assert!(String::from_utf8_lossy(&answer[..read]).starts_with("HTTP/1.1 200"));
        idle.push(stream);
    }
    for stream in &mut idle {
        let closed = closed_within(stream, Duration::from_secs(3)).await;
        assert!(
            closed.is_some(),
            "an idle keep-alive connection outlived the header timeout"
        );
    }
    assert_eq!(
        get_status(server.address, "/ok", Duration::from_secs(1)).await,
        Some(200)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_cap_holds_and_a_waiting_client_is_served_when_a_slot_frees() {
    let config = ServerConfig {
        max_connections: 4,
        ..limits()
    };
    let server = start(config, Dropped::default()).await;
    let mut holders = Vec::new();
    for _ in 0..4 {
        let mut stream = TcpStream::connect(server.address).await.expect("connect");
        stream
            .write_all(b"GET /ok HTTP/1.1\r\n")
            .await
            .expect("write");
        holders.push(stream);
    }
    sleep(Duration::from_millis(100)).await;
    // The fifth waits in the backlog: no answer while the four hold their slots...
    let waiting = tokio::spawn(get_status(server.address, "/ok", Duration::from_secs(5)));
    sleep(Duration::from_millis(250)).await;
    assert!(
        !waiting.is_finished(),
        "a fifth connection was served past the cap of 4"
    );
    // ...and is answered once the header timeout frees them.
    let started = Instant::now();
    assert_eq!(waiting.await.expect("task"), Some(200));
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(holders);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_reads_is_dropped_at_the_write_timeout_and_its_answer_freed() {
    let dropped = Dropped::default();
    let server = start(limits(), dropped.clone()).await;
    let mut stream = TcpStream::connect(server.address).await.expect("connect");
    stream
        .write_all(b"GET /big HTTP/1.1\r\nhost: reader\r\n\r\n")
        .await
        .expect("write");
    let started = Instant::now();
    while !dropped.0.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(5) {
        sleep(Duration::from_millis(50)).await;
    }
    assert!(
        dropped.0.load(Ordering::SeqCst),
        "the 64 MiB answer was still held after 5 s by a client that reads nothing"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        get_status(server.address, "/ok", Duration::from_secs(1)).await,
        Some(200)
    );
    drop(stream);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_the_request_in_flight_and_accepts_no_more() {
    let mut server = start(limits(), Dropped::default()).await;
    let in_flight = tokio::spawn(get_status(server.address, "/slow", Duration::from_secs(3)));
    sleep(Duration::from_millis(100)).await;
    server.stop.take().expect("once").send(()).expect("serving");
    sleep(Duration::from_millis(50)).await;
    assert_eq!(
        get_status(server.address, "/ok", Duration::from_millis(500)).await,
        None,
        "a connection after shutdown began was answered"
    );
    assert_eq!(
        in_flight.await.expect("task"),
        Some(200),
        "the in-flight request finished"
    );
    let finished = timeout(Duration::from_secs(3), server.done)
        .await
        .expect("serve returned within the drain deadline")
        .expect("task");
    assert!(finished.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_with_prior_knowledge_is_served_on_the_same_port() {
    let server = start(limits(), Dropped::default()).await;
    let stream = TcpStream::connect(server.address).await.expect("connect");
    let (mut sender, connection) = hyper::client::conn::http2::handshake(
        hyper_util::rt::TokioExecutor::new(),
        hyper_util::rt::TokioIo::new(stream),
    )
    .await
    .expect("h2 handshake");
    tokio::spawn(connection);
    let request = hyper::Request::get(format!("http://{}/ok", server.address))
        .body(Full::new(Bytes::new()))
        .expect("request");
    let answer = sender.send_request(request).await.expect("answer");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.version(), hyper::Version::HTTP_2);
    let body = answer.into_body().collect().await.expect("body").to_bytes();
    assert_eq!(&body[..], b"ok");
}

#[tokio::test]
async fn an_idle_timeout_within_the_request_timeout_is_refused() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let config = ServerConfig {
        idle_timeout: Duration::from_secs(30),
        ..ServerConfig::default()
    };
    let error = serve(listener, app(Dropped::default()), &config, async {})
        .await
        .expect_err("refused");
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("idle_timeout"), "{error}");
}
