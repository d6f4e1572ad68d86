//! The TypeScript target end to end: the generated packages compile with a real `tsc` in
//! strict mode, their Zod schemas judge valid and invalid samples as the contracts do
//! (`tests/typescript/schemas.mjs`, over the seed contracts and `tests/typescript/contracts`,
//! which holds the constructs they leave out), and the generated client calls a generated
//! Rust server (`tests/typescript/client.mjs`).
//!
//! Set-up: `npm ci` from `tests/typescript/package-lock.json` (exact `typescript`, `zod`,
//! `@types/node`) into a work directory under the target directory, redone when the lock
//! changes. Without node and npm the tests print "skipped" and pass, except under `CI`,
//! where they fail.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use solo60_gen::output::StaleFiles;
use solo60_gen::Config;
use solo60_runtime::client::ApiKey;
use solo60_runtime::server::ServiceAuth;
use subscription_api::{PlanTier, SubscriptionDetails, SubscriptionStatus};
use subscription_service::Subscriptions;

const KEY: &str = "typescript-test-key";
/// Longest a `npm ci`, a compile or a check script may run.
const STEP_LIMIT: Duration = Duration::from_secs(300);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The prepared work directory, or why the tests cannot run (already reported as a skip).
fn prepared() -> Option<&'static Path> {
    static PREPARED: OnceLock<Option<PathBuf>> = OnceLock::new();
    PREPARED.get_or_init(prepare).as_deref()
}

fn prepare() -> Option<PathBuf> {
    for tool in ["node", "npm"] {
        let found = Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !found {
            assert!(
                std::env::var_os("CI").is_none(),
                "`{tool}` is not installed; CI must provide node 20 and npm"
            );
            eprintln!("skipped: `{tool}` is not installed");
            return None;
        }
    }
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typescript-check");
    fs::create_dir_all(&work).unwrap();
    install(&work);
    // The packages as the generator renders them now (CI's `check --target typescript`
    // ties them to the committed ones).
    let mut config = Config::new();
    config.schemas_dir(root().join("schemas"));
    let output = config.render_typescript().expect("render TypeScript");
    let packages = work.join("packages");
    output.write(&packages, StaleFiles::Remove).unwrap();
    // A contract with every construct the seed contracts leave out.
    let mut config = Config::new();
    config.schemas_dir(root().join("tests/typescript/contracts"));
    let sampler = config.render_typescript().expect("render the sampler");
    sampler.write(&packages, StaleFiles::Keep).unwrap();
    let mut services: Vec<String> = output
        .files
        .keys()
        .chain(sampler.files.keys())
        .filter_map(|path| path.strip_suffix("/package.json"))
        .map(str::to_owned)
        .collect();
    services.sort();
    assert!(services.len() >= 8, "packages: {services:?}");
    for service in &services {
        let tsc = work.join("node_modules/typescript/bin/tsc");
        run(
            &format!("tsc -p packages/{service}"),
            Command::new("node")
                .arg(tsc)
                .args(["-p", &format!("packages/{service}"), "--pretty", "false"])
                .current_dir(&work),
        );
        assert!(packages.join(service).join("dist/index.js").is_file());
    }
    fs::write(
        work.join("examples.json"),
        serde_json::to_string_pretty(&contract_examples()).unwrap(),
    )
    .unwrap();
    Some(work)
}

/// `npm ci` into `work` unless it already holds exactly the locked packages.
fn install(work: &Path) {
    let source = root().join("tests/typescript");
    let lock = fs::read(source.join("package-lock.json")).unwrap();
    let stamp = work.join("node_modules/.solo60-installed-lock");
    if fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        return;
    }
    fs::copy(source.join("package.json"), work.join("package.json")).unwrap();
    fs::write(work.join("package-lock.json"), &lock).unwrap();
    run(
        "npm ci",
        Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(work),
    );
    fs::write(stamp, lock).unwrap();
}

/// Runs `command` to completion within [`STEP_LIMIT`]; panics with its output on failure.
fn run(label: &str, command: &mut Command) -> String {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("{label}: cannot start: {error}"));
    // Drain both pipes on their own threads so a chatty child never blocks on a full pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).ok();
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).ok();
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > STEP_LIMIT {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (stdout, stderr) = (out.join().unwrap(), err.join().unwrap());
    match status {
        Some(status) if status.success() => stdout,
        Some(status) => panic!("{label} failed ({status}):\n{stdout}\n{stderr}"),
        None => panic!("{label} did not finish within {STEP_LIMIT:?}:\n{stdout}\n{stderr}"),
    }
}

/// `{ service: { Type: [examples] } }` for every type with examples, from the IR.
fn contract_examples() -> Value {
    let contracts = solo60_gen::load::load_contracts(&root().join("schemas")).unwrap();
    let mut services = Map::new();
    for source in &contracts.services {
        let ir = solo60_gen::ir::lower_service(&contracts, source).unwrap();
        let mut types = Map::new();
        for def in ir.types.iter().filter(|def| !def.examples.is_empty()) {
            types.insert(def.name.clone(), Value::Array(def.examples.clone()));
        }
        services.insert(ir.name.clone(), Value::Object(types));
    }
    Value::Object(services)
}

fn script(name: &str) -> PathBuf {
    root().join("tests/typescript").join(name)
}

#[test]
fn generated_packages_compile_and_their_schemas_judge_samples() {
    let Some(work) = prepared() else { return };
    let output = run(
        "node schemas.mjs",
        Command::new("node").arg(script("schemas.mjs")).arg(work),
    );
    eprintln!("{output}");
    assert!(output.contains(" passed, 0 failed"), "{output}");
}

#[tokio::test]
async fn the_typescript_client_calls_a_generated_rust_server() {
    let Some(work) = prepared() else { return };
    let subscriptions = Subscriptions::default();
    subscriptions.insert(SubscriptionDetails {
        id: "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f".parse().unwrap(),
        user_id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d".parse().unwrap(),
        plan: PlanTier::Premium,
        status: SubscriptionStatus::Active,
        current_period_start: "2026-03-01T00:00:00Z".to_owned(),
        current_period_end: "2026-04-01T00:00:00Z".to_owned(),
        cancel_at_period_end: false,
        features: vec!["gym_access".to_owned(), "sauna".to_owned()],
    });
    let app =
        subscription_api::server::router(subscriptions.clone(), ServiceAuth::new(ApiKey::new(KEY)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}/", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        solo60_runtime::server::axum::serve(listener, app)
            .await
            .unwrap()
    });
    let work = work.to_path_buf();
    let output = tokio::task::spawn_blocking(move || {
        run(
            "node client.mjs",
            Command::new("node")
                .arg(script("client.mjs"))
                .arg(&work)
                .arg(&base_url)
                .arg(KEY),
        )
    })
    .await
    .unwrap();
    server.abort();
    eprintln!("{output}");
    assert!(output.contains(" passed, 0 failed"), "{output}");
    // The server saw the TypeScript client's caller name and correlation id.
    let checks = subscriptions.checks();
    assert!(
        checks
            .iter()
            .any(|seen| seen.correlation_id == "ts-check-correlation-1" && seen.caller == "session"),
        "{checks:?}"
    );
}

#[test]
fn the_check_set_up_pins_the_versions_the_packages_declare() {
    let manifest: Value = serde_json::from_str(
        &fs::read_to_string(root().join("tests/typescript/package.json")).unwrap(),
    )
    .unwrap();
    let pinned = &manifest["dependencies"];
    assert_eq!(pinned["zod"], solo60_gen::typescript::ZOD_VERSION);
    assert_eq!(
        pinned["typescript"],
        solo60_gen::typescript::TYPESCRIPT_VERSION
    );
    assert_eq!(
        pinned["@types/node"],
        solo60_gen::typescript::TYPES_NODE_VERSION
    );
}
