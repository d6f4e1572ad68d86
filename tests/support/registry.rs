//! Package registries the tests install their tools from (npm, PyPI): whether one can be
//! reached, and how a test reports that it skipped because it cannot.
//!
//! A test binary installs once (the caller keeps the outcome in a `OnceLock`); when the
//! registry is unreachable and nothing is cached, tests outside `CI` print an uncaptured
//! "skipped" line, which a plain `cargo test` shows, and pass; under `CI` they fail.

use std::io::Write as _;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Longest a connection to a registry (or the proxy in front of it) may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// `Ok` when a TCP connection to the registry at `url` (or to the HTTPS proxy the
/// environment names) opens within [`CONNECT_TIMEOUT`]; otherwise why not.
pub fn reachable(url: &str) -> Result<(), String> {
    let proxy = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()));
    let target = proxy.as_deref().unwrap_or(url);
    let parsed = url::Url::parse(target).map_err(|error| format!("`{target}`: {error}"))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| format!("`{target}` names no host"))?;
    let port = parsed
        .port_or_known_default()
        .ok_or_else(|| format!("`{target}` names no port"))?;
    let addresses = (host, port)
        .to_socket_addrs()
        .map_err(|error| format!("{host}:{port}: {error}"))?;
    let mut last = format!("{host}:{port}: no address");
    for address in addresses {
        match TcpStream::connect_timeout(&address, CONNECT_TIMEOUT) {
            Ok(_) => return Ok(()),
            Err(error) => last = format!("{host}:{port} ({address}): {error}"),
        }
    }
    Err(last)
}

/// Reports that the running test skipped because `reason`; under `CI` fails it instead.
/// Written to the process's stderr directly, past the test harness's capture, so the line
/// shows in a plain `cargo test` even though the test passes.
pub fn skip(reason: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{reason}; under CI the registry must be reachable"
    );
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let _ = writeln!(std::io::stderr(), "skipped {test}: {reason}");
}
