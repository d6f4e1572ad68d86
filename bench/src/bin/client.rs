//! A generated client call (`SubscriptionServiceClient::check_access`) against a bare reqwest
//! call carrying the same headers and body and decoding the same typed answer, both sent one
//! after another to the same loopback server. The difference in latency is what the
//! generated client adds: correlation and service ids, the breaker, the retry budget, the
//! spans and metrics, and validating the answer against the contract.
//!
//! ```text
//! cargo run --release -p solo60-bench --bin client                # 5 rounds of 2 × 4,000 calls
//! cargo run --release -p solo60-bench --bin client -- --smoke     # CI: 1 round of 2 × 200 calls
//! ```
//!
//! The server is the hand-written route of the server bench (the cheapest answer, so the
//! client's share of the latency is as large as it gets) in a child process on one thread.
//! Calls alternate in batches between the two clients so drift falls on both.

use std::fmt::Write as _;
use std::time::Instant;

use solo60_bench::load::percentile;
use solo60_bench::loopback::{
    run_bench_or_serve, ServerKind, ServerProcess, API_KEY, CALLER, CHECK_ACCESS_BODY,
    CHECK_ACCESS_PATH,
};
use solo60_bench::median;
use solo60_runtime::client::{ApiKey, ClientConfig, Url};
use subscription_api::client::SubscriptionServiceClient;
use subscription_api::{CheckSubscriptionAccessRequest, CheckSubscriptionAccessResponse};

struct Options {
    rounds: usize,
    batches: usize,
    batch: usize,
}

fn options(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        rounds: 5,
        batches: 20,
        batch: 200,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--smoke" => {
                options = Options {
                    rounds: 1,
                    batches: 1,
                    batch: 200,
                }
            }
            "--rounds" => {
                options.rounds = args
                    .next()
                    .and_then(|value| value.parse().ok())
                    .filter(|value| *value > 0)
                    .ok_or("--rounds needs a positive number")?;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

/// The two ways of making the call.
struct Callers {
    generated: SubscriptionServiceClient,
    bare: reqwest::Client,
    url: String,
    request: CheckSubscriptionAccessRequest,
}

impl Callers {
    async fn generated(&self) -> Result<CheckSubscriptionAccessResponse, String> {
        self.generated
            .check_access(&self.request)
            .await
            .map_err(|error| format!("generated client: {error}"))
    }

    async fn bare(&self) -> Result<CheckSubscriptionAccessResponse, String> {
        let body = serde_json::to_vec(&self.request).map_err(|error| error.to_string())?;
        let response = self
            .bare
            .post(&self.url)
            .header("content-type", "application/json")
            .header("x-api-key", API_KEY)
            .header("x-service-name", CALLER)
            .body(body)
            .send()
            .await
            .map_err(|error| format!("bare reqwest: {error}"))?;
        if response.status() != 200 {
            return Err(format!("bare reqwest: status {}", response.status()));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|error| format!("bare reqwest: {error}"))?;
        serde_json::from_slice(&bytes).map_err(|error| format!("bare reqwest: {error}"))
    }
}

/// Latencies in microseconds, one list per client.
#[derive(Default)]
struct Samples {
    generated: Vec<u32>,
    bare: Vec<u32>,
}

fn micros(started: Instant) -> u32 {
    u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX)
}

async fn round(callers: &Callers, options: &Options) -> Result<Samples, String> {
    let mut samples = Samples::default();
    for _ in 0..options.batches {
        for _ in 0..options.batch {
            let started = Instant::now();
            let answer = callers.generated().await?;
            samples.generated.push(micros(started));
            if !answer.has_access {
                return Err("the generated client decoded a different answer".to_owned());
            }
        }
        for _ in 0..options.batch {
            let started = Instant::now();
            let answer = callers.bare().await?;
            samples.bare.push(micros(started));
            if !answer.has_access {
                return Err("the bare client decoded a different answer".to_owned());
            }
        }
    }
    Ok(samples)
}

fn mean(values: &[u32]) -> f64 {
    values.iter().map(|value| f64::from(*value)).sum::<f64>() / values.len() as f64
}

fn bench(options: &Options) -> Result<String, String> {
    let program = std::env::current_exe().map_err(|error| format!("own path: {error}"))?;
    let server = ServerProcess::start(&program, ServerKind::HandWritten)?;
    let base = Url::parse(&format!("http://{}", server.address))
        .map_err(|error| format!("server address: {error}"))?;
    let config = ClientConfig::new(base, ApiKey::new(API_KEY), CALLER);
    let generated = SubscriptionServiceClient::new(config)
        .map_err(|error| format!("generated client: {error}"))?;
    let bare = reqwest::Client::builder()
        .build()
        .map_err(|error| format!("reqwest: {error}"))?;
    let request: CheckSubscriptionAccessRequest = serde_json::from_str(CHECK_ACCESS_BODY)
        .map_err(|error| format!("benchmark body: {error}"))?;
    let callers = Callers {
        generated,
        bare,
        url: format!("http://{}{CHECK_ACCESS_PATH}", server.address),
        request,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start a runtime: {error}"))?;
    // One warm-up round opens both connections and fills caches; it is not recorded.
    runtime.block_on(round(
        &callers,
        &Options {
            rounds: 1,
            batches: 1,
            batch: options.batch,
        },
    ))?;
    let mut medians = (Vec::new(), Vec::new());
    let mut means = (Vec::new(), Vec::new());
    let mut p99s = (Vec::new(), Vec::new());
    for number in 1..=options.rounds {
        let mut samples = runtime.block_on(round(&callers, options))?;
        samples.generated.sort_unstable();
        samples.bare.sort_unstable();
        let (generated_p50, bare_p50) = (
            percentile(&samples.generated, 0.5),
            percentile(&samples.bare, 0.5),
        );
        eprintln!(
            "round {number}/{}: generated p50 {generated_p50:.0} µs, bare p50 {bare_p50:.0} µs",
            options.rounds
        );
        medians.0.push(generated_p50);
        medians.1.push(bare_p50);
        means.0.push(mean(&samples.generated));
        means.1.push(mean(&samples.bare));
        p99s.0.push(percentile(&samples.generated, 0.99));
        p99s.1.push(percentile(&samples.bare, 0.99));
    }
    let rows = [
        ("p50", median(&mut medians.0), median(&mut medians.1)),
        ("mean", median(&mut means.0), median(&mut means.1)),
        ("p99", median(&mut p99s.0), median(&mut p99s.1)),
    ];
    let mut report = String::new();
    let _ = writeln!(
        report,
        "{} rounds of {} × {} calls per client, one at a time, POST {CHECK_ACCESS_PATH}\n",
        options.rounds, options.batches, options.batch
    );
    let _ = writeln!(
        report,
        "| latency | generated client | bare reqwest | added |"
    );
    let _ = writeln!(report, "|---|---:|---:|---:|");
    for (name, generated, bare) in rows {
        let _ = writeln!(
            report,
            "| {name} | {generated:.1} µs | {bare:.1} µs | {:+.1} % |",
            (generated / bare - 1.0) * 100.0
        );
    }
    let _ = writeln!(report, "\nTarget: added latency under 10 %.");
    Ok(report)
}

fn main() -> std::process::ExitCode {
    run_bench_or_serve("client", |args| {
        options(args).and_then(|options| bench(&options))
    })
}
