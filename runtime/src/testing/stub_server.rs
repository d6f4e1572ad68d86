use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::client::{ApiKey, ClientConfig};
use crate::contract::OperationInfo;

/// A real HTTP server on 127.0.0.1 that answers each operation with a canned response and
/// records every request, so a generated client can be exercised end to end without the
/// service behind it. It stops when dropped.
pub struct StubServer {
    base_url: url::Url,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

#[derive(Default)]
struct State {
    answers: Vec<Answer>,
    requests: Vec<ReceivedRequest>,
}

struct Answer {
    method: &'static str,
    path: &'static str,
    status: u16,
    body: String,
}

/// One request the stub received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRequest {
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    pub query: Option<String>,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ReceivedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(header, _)| *header == name)
            .map(|(_, value)| value.as_str())
    }
}

impl StubServer {
    /// Binds an ephemeral port on 127.0.0.1 and starts serving.
    pub async fn start() -> std::io::Result<StubServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let address: SocketAddr = listener.local_addr()?;
        let base_url =
            url::Url::parse(&format!("http://{address}/")).map_err(std::io::Error::other)?;
        let state = Arc::new(Mutex::new(State::default()));
        let served = Arc::clone(&state);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = Arc::clone(&served);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        answer(Arc::clone(&state), request)
                    });
                    // A client hanging up mid-request is not the stub's concern.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(StubServer {
            base_url,
            state,
            task,
        })
    }

    /// Answers requests to `operation`'s method and route with `status` and the JSON `body`
    /// (no body for 204). A later answer for the same operation replaces an earlier one.
    pub fn answer(&self, operation: &OperationInfo, status: u16, body: &str) {
        if let Ok(mut state) = self.state.lock() {
            state.answers.retain(|answer| {
                !(answer.method == operation.method.as_str() && answer.path == operation.path)
            });
            state.answers.push(Answer {
                method: operation.method.as_str(),
                path: operation.path,
                status,
                body: body.to_owned(),
            });
        }
    }

    /// The server's base URL, e.g. `http://127.0.0.1:40123/`.
    pub fn base_url(&self) -> url::Url {
        self.base_url.clone()
    }

    /// A client configuration pointing at this server, with a test key and caller name.
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig::new(self.base_url(), ApiKey::new("stub-test-key"), "stub-caller")
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.state
            .lock()
            .map(|state| state.requests.clone())
            .unwrap_or_default()
    }
}

impl Drop for StubServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer(
    state: Arc<Mutex<State>>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|collected| collected.to_bytes().to_vec())
        .unwrap_or_default();
    let received = ReceivedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    let canned = match state.lock() {
        Ok(mut state) => {
            let found = state
                .answers
                .iter()
                .find(|answer| {
                    answer.method == received.method && route_matches(answer.path, &received.path)
                })
                .map(|answer| (answer.status, answer.body.clone()));
            state.requests.push(received);
            found
        }
        Err(_) => None,
    };
    let (status, body, content_type) = match canned {
        Some((status, body)) => (status, body, "application/json"),
        None => (
            404,
            r#"{"type":"about:blank","title":"Not Found","status":404,"code":"NOT_FOUND","detail":"the stub has no answer for this route"}"#.to_owned(),
            "application/problem+json",
        ),
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    if status != StatusCode::NO_CONTENT {
        response.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static(content_type),
        );
    } else {
        *response.body_mut() = Full::new(Bytes::new());
    }
    Ok(response)
}

/// Whether `path` fits the route `template`, where `{name}` stands for one segment.
fn route_matches(template: &str, path: &str) -> bool {
    let mut expected = template.split('/');
    let mut actual = path.split('/');
    loop {
        match (expected.next(), actual.next()) {
            (None, None) => return true,
            (Some(want), Some(got)) => {
                let is_param = want.starts_with('{') && want.ends_with('}');
                if (is_param && got.is_empty()) || (!is_param && want != got) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::route_matches;

    #[test]
    fn routes_match_segment_by_segment() {
        assert!(route_matches(
            "/internal/users/{userId}",
            "/internal/users/42"
        ));
        assert!(!route_matches(
            "/internal/users/{userId}",
            "/internal/users/"
        ));
        assert!(!route_matches(
            "/internal/users/{userId}",
            "/internal/users/42/x"
        ));
        assert!(route_matches(
            "/internal/users/bulk",
            "/internal/users/bulk"
        ));
    }
}
