//! The generated `checkAccess` endpoint (service auth, correlation, validation, handler)
//! against a hand-written axum route that only deserializes the same body, under the same
//! closed-loop load on loopback. Runs alternate between the two servers so drift in the
//! machine's state falls on both; the report gives medians of throughput and p50/p99 latency.
//!
//! ```text
//! cargo run --release -p solo60-bench --bin server                # 5 runs of 10 s, 32 connections
//! cargo run --release -p solo60-bench --bin server -- --smoke     # CI: once, 1 s, 4 connections
//! ```
//!
//! Each server is a child process on one thread; the load generator is this process, on one
//! thread: the two cores are split evenly.

use std::fmt::Write as _;
use std::time::Duration;

use bytes::Bytes;
use solo60_bench::load::{self, Call, LoadPlan, LoadReport};
use solo60_bench::loopback::{
    run_bench_or_serve, ServerKind, ServerProcess, API_KEY, CALLER, CHECK_ACCESS_BODY,
    CHECK_ACCESS_PATH,
};
use solo60_bench::median;

struct Options {
    runs: usize,
    plan: LoadPlan,
}

fn options(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        runs: 5,
        plan: LoadPlan {
            connections: 32,
            warm_up: Duration::from_secs(1),
            measure: Duration::from_secs(10),
        },
    };
    while let Some(arg) = args.next() {
        let mut number = |name: &str| {
            args.next()
                .and_then(|value| value.parse::<u64>().ok())
                .filter(|value| *value > 0)
                .ok_or_else(|| format!("{name} needs a positive number"))
        };
        match arg.as_str() {
            "--smoke" => {
                options.runs = 1;
                options.plan = LoadPlan {
                    connections: 4,
                    warm_up: Duration::from_millis(200),
                    measure: Duration::from_secs(1),
                };
            }
            "--runs" => options.runs = number("--runs")? as usize,
            "--seconds" => options.plan.measure = Duration::from_secs(number("--seconds")?),
            "--connections" => options.plan.connections = number("--connections")? as usize,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

fn check_access_call() -> Call {
    Call {
        path: CHECK_ACCESS_PATH,
        headers: vec![
            ("x-api-key", API_KEY.to_owned()),
            ("x-service-name", CALLER.to_owned()),
        ],
        body: Bytes::from_static(CHECK_ACCESS_BODY.as_bytes()),
        expected_status: 200,
    }
}

/// Medians over the runs of one server.
#[derive(Default)]
struct Summary {
    throughput: Vec<f64>,
    p50_us: Vec<f64>,
    p99_us: Vec<f64>,
}

impl Summary {
    fn add(&mut self, report: &LoadReport) {
        self.throughput.push(report.throughput());
        self.p50_us.push(report.percentile_us(0.50));
        self.p99_us.push(report.percentile_us(0.99));
    }

    fn medians(&mut self) -> (f64, f64, f64) {
        (
            median(&mut self.throughput),
            median(&mut self.p50_us),
            median(&mut self.p99_us),
        )
    }
}

fn bench(options: &Options) -> Result<String, String> {
    let program = std::env::current_exe().map_err(|error| format!("own path: {error}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start a runtime: {error}"))?;
    let mut generated = Summary::default();
    let mut hand_written = Summary::default();
    for run in 1..=options.runs {
        for (kind, summary) in [
            (ServerKind::Generated, &mut generated),
            (ServerKind::HandWritten, &mut hand_written),
        ] {
            let server = ServerProcess::start(&program, kind)?;
            let report =
                runtime.block_on(load::run(server.address, check_access_call(), options.plan))?;
            eprintln!(
                "run {run}/{}: {:<12} {:>9.0} req/s  p50 {:>6.0} µs  p99 {:>6.0} µs",
                options.runs,
                kind.name(),
                report.throughput(),
                report.percentile_us(0.50),
                report.percentile_us(0.99)
            );
            summary.add(&report);
        }
    }
    let (generated_rps, generated_p50, generated_p99) = generated.medians();
    let (hand_rps, hand_p50, hand_p99) = hand_written.medians();
    let mut report = String::new();
    let _ = writeln!(
        report,
        "{} runs of {} s ({} s warm-up), {} connections, POST {CHECK_ACCESS_PATH}\n",
        options.runs,
        options.plan.measure.as_secs_f64(),
        options.plan.warm_up.as_secs_f64(),
        options.plan.connections
    );
    let _ = writeln!(report, "| server | throughput | p50 | p99 |");
    let _ = writeln!(report, "|---|---:|---:|---:|");
    let _ = writeln!(
        report,
        "| generated (auth + parse + validate + handler) | {generated_rps:.0} req/s | {generated_p50:.0} µs | {generated_p99:.0} µs |"
    );
    let _ = writeln!(
        report,
        "| hand-written (deserialize + handler) | {hand_rps:.0} req/s | {hand_p50:.0} µs | {hand_p99:.0} µs |"
    );
    let _ = writeln!(
        report,
        "\nThroughput ratio generated / hand-written: {:.2} (target ≥ 0.90)\np99 ratio generated / hand-written: {:.2} (target ≤ 1.20)",
        generated_rps / hand_rps,
        generated_p99 / hand_p99
    );
    Ok(report)
}

fn main() -> std::process::ExitCode {
    run_bench_or_serve("server", |args| {
        options(args).and_then(|options| bench(&options))
    })
}
