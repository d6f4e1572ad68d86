//! The TypeScript target end to end: the generated packages compile with a real `tsc` in
//! strict mode, their Zod schemas judge valid and invalid samples as the contracts do
//! (`tests/typescript/schemas.mjs`, over the seed contracts and `tests/typescript/contracts`,
//! which holds the constructs they leave out), agree with the `jsonschema` crate on mutated
//! contract examples (`tests/typescript/verdicts.mjs`), and the generated client calls a
//! generated Rust server (`tests/typescript/client.mjs`).
//!
//! Set-up, once per run of this test binary: `npm ci` from `tests/typescript/package-lock.json`
//! (exact `typescript`, `zod`, `@types/node`) into `typescript-check/` in the target
//! directory's `tmp/`, redone when the lock changes; the generated `@solo60/runtime` package
//! linked into its node_modules and compiled before the service packages that import it.
//!
//! Without node and npm the tests are ignored, with the reason (`#[needs(node)]`). When the
//! npm registry cannot be reached and npm's cache cannot fill the install, they print
//! "skipped …" past the harness's capture and pass. Under `CI` both fail.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use preconditions::needs;
use serde_json::{json, Map, Value};
use solo60_gen::output::StaleFiles;
use solo60_gen::Config;
use solo60_runtime::client::ApiKey;
use solo60_runtime::server::ServiceAuth;
use subscription_api::{PlanTier, SubscriptionDetails, SubscriptionStatus};
use subscription_service::Subscriptions;

#[path = "support/registry.rs"]
mod registry;
#[path = "support/seed_documents.rs"]
mod seed_documents;

const KEY: &str = "typescript-test-key";
/// The shared package's directory beside the service packages.
const RUNTIME: &str = solo60_gen::typescript::RUNTIME_PACKAGE_DIR;
/// Longest a `npm ci`, a compile or a check script may run.
const STEP_LIMIT: Duration = Duration::from_secs(300);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// How the set-up went; computed once per test run, whatever the number of tests.
enum Setup {
    Ready(PathBuf),
    /// The registry cannot be reached and npm's cache cannot fill the install.
    Offline(String),
    /// The set-up failed for another reason: every test fails with it.
    Failed(String),
}

/// The prepared work directory; `None` after reporting a skip (offline, outside CI).
fn prepared() -> Option<&'static Path> {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    let setup = SETUP.get_or_init(|| {
        std::panic::catch_unwind(prepare).unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
                .unwrap_or_default();
            Setup::Failed(message)
        })
    });
    match setup {
        Setup::Ready(work) => Some(work.as_path()),
        Setup::Offline(reason) => {
            registry::skip(reason);
            None
        }
        Setup::Failed(message) => panic!("the TypeScript set-up failed: {message}"),
    }
}

fn prepare() -> Setup {
    for tool in ["node", "npm"] {
        let found = Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        assert!(
            found,
            "`{tool}` is not installed: these tests need Node 20 and npm"
        );
    }
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typescript-check");
    fs::create_dir_all(&work).unwrap();
    if let Err(reason) = install(&work) {
        return Setup::Offline(reason);
    }
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
    // The service packages import `@solo60/runtime`, which they declare as
    // `file:../runtime`: linked into the work directory's node_modules as `npm install`
    // links it, and compiled first, so tsc and node resolve it to its compiled `dist/`.
    link_runtime(work.as_path(), &packages);
    let services: BTreeSet<&str> = output
        .files
        .keys()
        .chain(sampler.files.keys())
        .filter_map(|path| path.strip_suffix("/package.json"))
        .filter(|package| *package != RUNTIME)
        .collect();
    assert!(services.len() >= 8, "packages: {services:?}");
    for service in std::iter::once(RUNTIME).chain(services) {
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
    Setup::Ready(work)
}

/// Links `packages/runtime` as `node_modules/@solo60/runtime` in `work`, replacing any
/// earlier link.
fn link_runtime(work: &Path, packages: &Path) {
    let scope = work.join("node_modules/@solo60");
    fs::create_dir_all(&scope).unwrap();
    let link = scope.join(RUNTIME);
    if fs::symlink_metadata(&link).is_ok() {
        fs::remove_file(&link)
            .or_else(|_| fs::remove_dir_all(&link))
            .unwrap();
    }
    let target = packages.join(RUNTIME);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&target, &link).unwrap();
    #[cfg(windows)]
    std::os::windows::fs::symlink_dir(&target, &link).unwrap();
}

/// `npm ci` into `work` unless it already holds exactly the locked packages. `Err` (why)
/// when the registry cannot be reached and npm's cache cannot fill the install; other
/// failures panic.
fn install(work: &Path) -> Result<(), String> {
    let source = root().join("tests/typescript");
    let lock = fs::read(source.join("package-lock.json")).unwrap();
    let stamp = work.join("node_modules/.solo60-installed-lock");
    if fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        return Ok(());
    }
    fs::copy(source.join("package.json"), work.join("package.json")).unwrap();
    fs::write(work.join("package-lock.json"), &lock).unwrap();
    let registry_url = run(
        "npm config get registry",
        Command::new("npm")
            .args(["config", "get", "registry"])
            .current_dir(work),
    );
    let registry_url = registry_url.trim();
    let mut npm_ci = Command::new("npm");
    npm_ci
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
        .current_dir(work);
    match registry::reachable(registry_url) {
        Ok(()) => {
            run("npm ci", npm_ci.arg("--prefer-offline"));
        }
        Err(unreachable) => {
            // Offline: the packages may still all be in npm's cache.
            try_run("npm ci --offline", npm_ci.arg("--offline")).map_err(|_| {
                format!(
                    "the npm registry {registry_url} is unreachable ({unreachable}) and npm's \
                     cache lacks the locked packages"
                )
            })?;
        }
    }
    fs::write(stamp, lock).unwrap();
    Ok(())
}

/// Runs `command` to completion within [`STEP_LIMIT`]; panics with its output on failure.
fn run(label: &str, command: &mut Command) -> String {
    try_run(label, command).unwrap_or_else(|failure| panic!("{failure}"))
}

/// Runs `command` to completion within [`STEP_LIMIT`]: its stdout, or what failed with its
/// output.
fn try_run(label: &str, command: &mut Command) -> Result<String, String> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("{label}: cannot start: {error}"))?;
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
        Some(status) if status.success() => Ok(stdout),
        Some(status) => Err(format!("{label} failed ({status}):\n{stdout}\n{stderr}")),
        None => Err(format!(
            "{label} did not finish within {STEP_LIMIT:?}:\n{stdout}\n{stderr}"
        )),
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

#[needs(node)]
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

#[needs(node)]
#[tokio::test]
async fn the_typescript_client_calls_a_generated_rust_server() {
    let Some(work) = prepared() else { return };
    let subscriptions = Subscriptions::default();
    subscriptions.insert(SubscriptionDetails::new(
        "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f".parse().unwrap(),
        "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d".parse().unwrap(),
        PlanTier::Premium,
        SubscriptionStatus::Active,
        "2026-03-01T00:00:00Z".to_owned(),
        "2026-04-01T00:00:00Z".to_owned(),
        false,
        vec!["gym_access".to_owned(), "sauna".to_owned()],
    ));
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

/// Values put in place of one value, by JSON type: near the bounds the contracts use, and
/// multi-byte strings whose UTF-16 length differs from their length in code points.
fn replacements(value: &Value) -> Vec<Value> {
    match value {
        Value::String(_) => vec![
            json!(""),
            json!("x"),
            json!("😀".repeat(3)),
            json!("é".repeat(64)),
            json!("😀".repeat(65)),
            json!("2026-03-01T00:00:00Z"),
            json!("5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d"),
            json!(7),
        ],
        Value::Number(_) => vec![
            json!(-1),
            json!(0),
            json!(1.5),
            json!(100),
            json!(100_000),
            json!("1"),
        ],
        Value::Bool(_) => vec![json!("true"), json!(0)],
        Value::Array(items) => {
            let mut doubled = items.clone();
            doubled.extend(items.first().cloned());
            vec![json!([]), Value::Array(doubled), json!({})]
        }
        Value::Object(_) => vec![json!([]), json!("object")],
        Value::Null => vec![json!(0), json!("")],
    }
}

/// Each example, and the example with one value replaced, removed, set to `null` or given
/// an unknown neighbour, down to `depth` levels.
fn mutations(value: &Value, depth: usize, out: &mut Vec<Value>) {
    out.push(value.clone());
    for replacement in replacements(value) {
        out.push(replacement);
    }
    if depth == 0 {
        return;
    }
    match value {
        Value::Object(members) => {
            let mut widened = members.clone();
            widened.insert("zzUnknown".to_owned(), json!(1));
            out.push(Value::Object(widened));
            for (key, member) in members {
                let mut without = members.clone();
                without.remove(key);
                out.push(Value::Object(without));
                let mut nulled = members.clone();
                nulled.insert(key.clone(), Value::Null);
                out.push(Value::Object(nulled));
                let mut inner = Vec::new();
                mutations(member, depth - 1, &mut inner);
                for changed in inner.into_iter().skip(1) {
                    let mut copy = members.clone();
                    copy.insert(key.clone(), changed);
                    out.push(Value::Object(copy));
                }
            }
        }
        Value::Array(items) => {
            if let Some(first) = items.first() {
                let mut inner = Vec::new();
                mutations(first, depth - 1, &mut inner);
                for changed in inner.into_iter().skip(1) {
                    let mut copy = items.clone();
                    copy[0] = changed;
                    out.push(Value::Array(copy));
                }
            }
        }
        _ => {}
    }
}

/// Zod and an independent JSON Schema validator (the `jsonschema` crate, formats asserted,
/// as the Rust runtime does) agree on every example of every seed type and on thousands of
/// mutations of them.
#[needs(node)]
#[test]
fn zod_agrees_with_jsonschema_on_mutated_examples() {
    let Some(work) = prepared() else { return };
    let schemas_dir = root().join("schemas");
    let contracts = solo60_gen::load::load_contracts(&schemas_dir).unwrap();
    let mut entries = Vec::new();
    let mut oracles = Vec::new();
    for source in &contracts.services {
        let ir = solo60_gen::ir::lower_service(&contracts, source).unwrap();
        for def in ir.types.iter().filter(|def| !def.examples.is_empty()) {
            let (file, pointer) = def.source.split_once('#').unwrap();
            let mut parts = file.rsplit('/');
            let (document, folder) = (parts.next().unwrap(), parts.next().unwrap());
            let oracle =
                seed_documents::seed_validator(&schemas_dir, folder, document, pointer).unwrap();
            let mut samples = Vec::new();
            for example in &def.examples {
                mutations(example, 2, &mut samples);
            }
            let verdicts: Vec<bool> = samples
                .iter()
                .map(|sample| oracle.is_valid(sample))
                .collect();
            entries.push(json!({ "service": ir.name, "type": def.name, "samples": samples }));
            oracles.push((format!("{}.{}", ir.name, def.name), verdicts));
        }
    }
    fs::write(
        work.join("samples.json"),
        serde_json::to_string(&entries).unwrap(),
    )
    .unwrap();
    let output = run(
        "node verdicts.mjs",
        Command::new("node").arg(script("verdicts.mjs")).arg(work),
    );
    let zod: Vec<Vec<bool>> = serde_json::from_str(&output).unwrap();
    assert_eq!(zod.len(), entries.len());
    let mut compared = 0;
    let mut valid = 0;
    let mut disagreements = Vec::new();
    for ((entry, (name, expected)), actual) in entries.iter().zip(&oracles).zip(&zod) {
        assert_eq!(expected.len(), actual.len(), "{name}");
        for ((sample, expected), actual) in entry["samples"]
            .as_array()
            .unwrap()
            .iter()
            .zip(expected)
            .zip(actual)
        {
            compared += 1;
            valid += usize::from(*expected);
            if expected != actual {
                disagreements.push(format!(
                    "{name}: jsonschema {expected}, zod {actual}: {sample}"
                ));
            }
        }
    }
    eprintln!(
        "{compared} samples compared, {valid} valid, {} disagreements",
        disagreements.len()
    );
    assert!(
        compared > 1000 && valid > 100 && compared - valid > 100,
        "{compared} / {valid}"
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements, the first:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(25)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
