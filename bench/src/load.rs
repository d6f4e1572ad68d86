//! A closed-loop HTTP/1.1 load generator for loopback: a fixed number of keep-alive
//! connections, each sending the next request as soon as the previous answer is read, for a
//! fixed time. Every answer's status is checked, so a server that fails fast never turns into
//! a fast figure. It runs on one thread, leaving the other core to the server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::client::conn::http1;
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::task::JoinSet;

/// How hard and how long to push.
#[derive(Debug, Clone, Copy)]
pub struct LoadPlan {
    pub connections: usize,
    /// Requests sent before this are not recorded (connections, caches and branch
    /// predictors settle).
    pub warm_up: Duration,
    pub measure: Duration,
}

/// What one load run saw.
#[derive(Debug, Clone)]
pub struct LoadReport {
    pub requests: u64,
    pub elapsed: Duration,
    /// Latency of every recorded request, in microseconds, sorted.
    pub latencies_us: Vec<u32>,
}

impl LoadReport {
    pub fn throughput(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    /// The latency below which `quantile` of the requests finished, in microseconds.
    pub fn percentile_us(&self, quantile: f64) -> f64 {
        percentile(&self.latencies_us, quantile)
    }
}

/// The nearest-rank percentile of sorted `values`.
pub fn percentile(values: &[u32], quantile: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let rank = (quantile * values.len() as f64).ceil() as usize;
    f64::from(values[rank.clamp(1, values.len()) - 1])
}

/// One request the load generator repeats.
#[derive(Debug, Clone)]
pub struct Call {
    pub path: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
    pub expected_status: u16,
}

/// Runs `plan` against `address`, failing on the first unexpected status or broken connection.
pub async fn run(address: SocketAddr, call: Call, plan: LoadPlan) -> Result<LoadReport, String> {
    let call = Arc::new(call);
    let record_from = Instant::now() + plan.warm_up;
    let stop_at = record_from + plan.measure;
    let mut connections = JoinSet::new();
    for _ in 0..plan.connections {
        connections.spawn(connection(address, Arc::clone(&call), record_from, stop_at));
    }
    let mut latencies_us = Vec::new();
    while let Some(joined) = connections.join_next().await {
        let recorded = joined.map_err(|error| format!("a connection task failed: {error}"))?;
        latencies_us.extend(recorded?);
    }
    latencies_us.sort_unstable();
    Ok(LoadReport {
        requests: latencies_us.len() as u64,
        elapsed: plan.measure,
        latencies_us,
    })
}

/// One keep-alive connection sending `call` back to back until `stop_at`; returns the
/// latencies of the requests that started at or after `record_from`.
async fn connection(
    address: SocketAddr,
    call: Arc<Call>,
    record_from: Instant,
    stop_at: Instant,
) -> Result<Vec<u32>, String> {
    let stream = TcpStream::connect(address)
        .await
        .map_err(|error| format!("cannot connect to {address}: {error}"))?;
    stream
        .set_nodelay(true)
        .map_err(|error| format!("TCP_NODELAY: {error}"))?;
    let (mut sender, driver) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| format!("HTTP/1.1 handshake with {address}: {error}"))?;
    tokio::spawn(driver);
    let authority = address.to_string();
    let mut latencies_us = Vec::new();
    loop {
        let started = Instant::now();
        if started >= stop_at {
            break;
        }
        let mut request = Request::post(call.path)
            .header("host", authority.as_str())
            .header("content-type", "application/json");
        for (name, value) in &call.headers {
            request = request.header(*name, value.as_str());
        }
        let request = request
            .body(Full::new(call.body.clone()))
            .map_err(|error| format!("building the request: {error}"))?;
        sender
            .ready()
            .await
            .map_err(|error| format!("connection to {address} closed: {error}"))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|error| format!("request to {address} failed: {error}"))?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|error| format!("reading the answer from {address}: {error}"))?
            .to_bytes();
        if status != call.expected_status {
            return Err(format!(
                "expected {} from {}, got {status}: {}",
                call.expected_status,
                call.path,
                String::from_utf8_lossy(&body)
            ));
        }
        if started >= record_from {
            let micros = started.elapsed().as_micros();
            latencies_us.push(u32::try_from(micros).unwrap_or(u32::MAX));
        }
    }
    Ok(latencies_us)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&values, 0.5), 50.0);
        assert_eq!(percentile(&values, 0.99), 99.0);
        assert_eq!(percentile(&values, 1.0), 100.0);
        assert_eq!(percentile(&[7], 0.99), 7.0);
        assert!(percentile(&[], 0.5).is_nan());
    }
}
