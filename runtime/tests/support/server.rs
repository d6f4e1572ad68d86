//! The scripted server.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::time::Instant;

/// Connections one server accepts before it stops (every loop is bounded).
const MAX_CONNECTIONS: usize = 10_000;
/// What "endless" means: far more than any client cap under test.
pub const ENDLESS_BYTES: u64 = 256 * 1024 * 1024;

/// One scripted answer.
#[derive(Clone, Debug)]
pub enum Reply {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: ReplyBody,
        delay: Duration,
    },
    /// Read the request, wait `delay`, close the connection without answering.
    Drop { delay: Duration },
}

#[derive(Clone, Debug)]
pub enum ReplyBody {
    /// Sent with its `Content-Length`.
    Whole(Bytes),
    /// Sent chunked, without `Content-Length`, in pieces of 8 KiB.
    Chunked(Bytes),
    /// Chunked, 16 KiB at a time, up to [`ENDLESS_BYTES`].
    Endless,
    /// Chunked: one piece, then nothing ever again.
    Stalled,
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply::Respond {
            status,
            headers: Vec::new(),
            body: ReplyBody::Whole(Bytes::new()),
            delay: Duration::ZERO,
        }
    }

    pub fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply::status(status)
            .header("content-type", "application/json")
            .body(ReplyBody::Whole(Bytes::from(body.into())))
    }

    pub fn problem(status: u16, body: serde_json::Value) -> Reply {
        Reply::status(status)
            .header("content-type", "application/problem+json")
            .body(ReplyBody::Whole(Bytes::from(body.to_string())))
    }

    pub fn html(status: u16, body: impl Into<String>) -> Reply {
        Reply::status(status)
            .header("content-type", "text/html")
            .body(ReplyBody::Whole(Bytes::from(body.into())))
    }

    pub fn ok() -> Reply {
        Reply::json(200, super::pong_json())
    }

    pub fn drop_connection() -> Reply {
        Reply::Drop {
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.into()));
        }
        self
    }

    pub fn body(mut self, new_body: ReplyBody) -> Reply {
        if let Reply::Respond { body, .. } = &mut self {
            *body = new_body;
        }
        self
    }

    pub fn delay(mut self, wait: Duration) -> Reply {
        match &mut self {
            Reply::Respond { delay, .. } | Reply::Drop { delay } => *delay = wait,
        }
        self
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

struct State {
    script: VecDeque<Reply>,
    fallback: Reply,
    requests: Vec<Recorded>,
}

pub struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    /// Bytes of streamed bodies handed to the connection so far.
    streamed: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// A server answering `script` in order, then `500` for every further request.
    pub async fn start(script: impl IntoIterator<Item = Reply>) -> TestServer {
        Self::with_fallback(script, Reply::status(500)).await
    }

    /// A server answering `reply` to every request.
    pub async fn always(reply: Reply) -> TestServer {
        Self::with_fallback([], reply).await
    }

    pub async fn with_fallback(
        script: impl IntoIterator<Item = Reply>,
        fallback: Reply,
    ) -> TestServer {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(error) => panic!("bind: {error}"),
        };
        let addr = match listener.local_addr() {
            Ok(addr) => addr,
            Err(error) => panic!("local_addr: {error}"),
        };
        let state = Arc::new(Mutex::new(State {
            script: script.into_iter().collect(),
            fallback,
            requests: Vec::new(),
        }));
        let streamed = Arc::new(AtomicU64::new(0));
        let task = tokio::spawn(serve(listener, Arc::clone(&state), Arc::clone(&streamed)));
        TestServer {
            addr,
            state,
            streamed,
            task,
        }
    }

    pub fn url(&self) -> url::Url {
        match url::Url::parse(&format!("http://{}/", self.addr)) {
            Ok(url) => url,
            Err(error) => panic!("url: {error}"),
        }
    }

    pub fn push(&self, reply: Reply) {
        self.lock().script.push_back(reply);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    pub fn count(&self) -> usize {
        self.lock().requests.len()
    }

    pub fn streamed_bytes(&self) -> u64 {
        self.streamed.load(Ordering::SeqCst)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(listener: TcpListener, state: Arc<Mutex<State>>, streamed: Arc<AtomicU64>) {
    for _ in 0..MAX_CONNECTIONS {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let state = Arc::clone(&state);
        let streamed = Arc::clone(&streamed);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                answer(Arc::clone(&state), Arc::clone(&streamed), request)
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    state: Arc<Mutex<State>>,
    streamed: Arc<AtomicU64>,
    request: Request<Incoming>,
) -> Result<Response<OutBody>, std::io::Error> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|collected| collected.to_bytes().to_vec())
        .unwrap_or_default();
    let reply = {
        let mut state = state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.requests.push(Recorded {
            method: parts.method.as_str().to_owned(),
            target: parts
                .uri
                .path_and_query()
                .map(|target| target.as_str().to_owned())
                .unwrap_or_default(),
            headers: parts.headers,
            body,
            at: Instant::now(),
        });
        let fallback = state.fallback.clone();
        state.script.pop_front().unwrap_or(fallback)
    };
    match reply {
        Reply::Drop { delay } => {
            tokio::time::sleep(delay).await;
            Err(std::io::Error::other("scripted: drop the connection"))
        }
        Reply::Respond {
            status,
            headers,
            body,
            delay,
        } => {
            tokio::time::sleep(delay).await;
            let mut response = Response::new(OutBody::new(body, streamed));
            *response.status_mut() =
                StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT);
            for (name, value) in headers {
                if let (Ok(name), Ok(value)) = (
                    HeaderName::from_bytes(name.as_bytes()),
                    HeaderValue::from_str(&value),
                ) {
                    response.headers_mut().append(name, value);
                }
            }
            Ok(response)
        }
    }
}

/// A response body that is whole (with a length), chunked, endless or stalled.
pub struct OutBody {
    kind: OutKind,
    streamed: Arc<AtomicU64>,
}

enum OutKind {
    Whole(Option<Bytes>),
    Pieces { rest: Bytes, piece: usize },
    Endless { left: u64, chunk: Bytes },
    Stalled { sent: bool },
}

impl OutBody {
    fn new(body: ReplyBody, streamed: Arc<AtomicU64>) -> OutBody {
        let kind = match body {
            ReplyBody::Whole(bytes) => OutKind::Whole(Some(bytes)),
            ReplyBody::Chunked(bytes) => OutKind::Pieces {
                rest: bytes,
                piece: 8 * 1024,
            },
            ReplyBody::Endless => OutKind::Endless {
                left: ENDLESS_BYTES,
                chunk: Bytes::from(vec![b' '; 16 * 1024]),
            },
            ReplyBody::Stalled => OutKind::Stalled { sent: false },
        };
        OutBody { kind, streamed }
    }
}

impl Body for OutBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        let frame = match &mut this.kind {
            OutKind::Whole(bytes) => bytes.take().filter(|bytes| !bytes.is_empty()),
            OutKind::Pieces { rest, piece } => {
                let take = (*piece).min(rest.len());
                (take > 0).then(|| rest.split_to(take))
            }
            OutKind::Endless { left, chunk } => {
                let take = (chunk.len() as u64).min(*left);
                *left -= take;
                (take > 0).then(|| chunk.slice(..take as usize))
            }
            // One piece, then pending forever: nothing will wake it, and the client's timeout
            // is what ends the exchange.
            OutKind::Stalled { sent } if !*sent => {
                *sent = true;
                Some(Bytes::from_static(b"{\"greeting\":"))
            }
            OutKind::Stalled { .. } => return Poll::Pending,
        };
        if let Some(bytes) = &frame {
            this.streamed
                .fetch_add(bytes.len() as u64, Ordering::SeqCst);
        }
        Poll::Ready(frame.map(|bytes| Ok(Frame::data(bytes))))
    }

    fn is_end_stream(&self) -> bool {
        matches!(&self.kind, OutKind::Whole(None))
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            OutKind::Whole(Some(bytes)) => SizeHint::with_exact(bytes.len() as u64),
            OutKind::Whole(None) => SizeHint::with_exact(0),
            _ => SizeHint::default(),
        }
    }
}
