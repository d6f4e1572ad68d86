//! `solo60-gen diff` checked against the compiler.
//!
//! One small service (a base contract), and for each kind of change `diff` knows a head
//! contract. A caller crate (builds requests with `new` and `with_`, calls the client trait,
//! keeps a fake of it, reads and matches responses) and an implementer crate (implements
//! the server trait, reads and matches requests, builds responses) are written once, against
//! the base. For each case the head crate is generated in place of the base, and both are
//! checked against it. Then: `diff` says "breaks callers" exactly when the caller fails to
//! compile, and "breaks implementers" exactly when the implementer does; for a change that
//! compiles but silently means something else, `diff` must flag the side and say so. Run
//! with `--nocapture` for the whole table.
//!
//! All cases live in one scratch cargo workspace under the target's `tmp/`, checked by one
//! `cargo check --workspace --keep-going --message-format=json`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use solo60_gen::diff::{diff_services_at, load_services, Breaks, ContractDiff};
use solo60_gen::ir::calendar::Date;
use solo60_gen::Config;

#[path = "diff_vs_compiler/cases.rs"]
mod cases;
#[path = "diff_vs_compiler/fixtures.rs"]
mod fixtures;

use cases::{cases, Case, File};
use fixtures::{CALLER, IMPLEMENTER, MANIFEST, TYPES};

fn apply(case: &Case) -> (String, String) {
    let (mut manifest, mut types) = (MANIFEST.to_owned(), TYPES.to_owned());
    for (file, from, to) in &case.edits {
        let text = match file {
            File::Manifest => &mut manifest,
            File::Types => &mut types,
        };
        assert!(
            text.contains(from),
            "{}: edit target not found: {from:?}",
            case.name
        );
        *text = text.replacen(from, to, 1);
    }
    (manifest, types)
}

fn write_contracts(dir: &Path, manifest: &str, types: &str) {
    let service = dir.join("booking");
    fs::create_dir_all(&service).expect("contracts dir");
    fs::write(service.join("service.yaml"), manifest).expect("manifest");
    fs::write(service.join("types.schema.yaml"), types).expect("types");
}

fn package(dir: &Path, name: &str, api: &str, feature: &str, runtime: &Path, source: &str) {
    fs::create_dir_all(dir.join("src")).expect("package dir");
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nbooking-api = {{ package = \"{api}\", path = \"../api\", features = [\"{feature}\"] }}\n\
             solo60-runtime = {{ path = {runtime:?}, features = [\"{feature}\"] }}\n"
        ),
    )
    .expect("package manifest");
    fs::write(dir.join("src/lib.rs"), source).expect("package source");
}

/// Per package directory, whether it compiled, and its first error.
fn check(workspace: &Path, target: &Path) -> (BTreeSet<PathBuf>, BTreeMap<PathBuf, String>) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--offline",
            "--message-format=json",
        ])
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let mut built = BTreeSet::new();
    let mut errors = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(manifest) = message["manifest_path"].as_str() else {
            continue;
        };
        let dir = Path::new(manifest)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                built.insert(dir);
            }
            Some("compiler-message") if message["message"]["level"] == "error" => {
                errors.entry(dir).or_insert_with(|| {
                    message["message"]["message"]
                        .as_str()
                        .unwrap_or("?")
                        .to_owned()
                });
            }
            _ => {}
        }
    }
    assert!(
        !built.is_empty(),
        "cargo check built nothing:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (built, errors)
}

fn side(breaks: bool) -> &'static str {
    if breaks {
        "breaks"
    } else {
        "compiles"
    }
}

#[test]
fn diff_says_whose_build_breaks_exactly_when_the_compiler_does() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-vs-compiler");
    let workspace = root.join("workspace");
    let _ = fs::remove_dir_all(&workspace);
    fs::create_dir_all(&workspace).expect("workspace");
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
    let base_dir = workspace.join("base-schemas");
    write_contracts(&base_dir, MANIFEST, TYPES);
    let base = load_services(&base_dir).expect("the base contract lowers");
    let today = Date::from_days_since_epoch(20_000);

    let cases = cases();
    let mut members = Vec::new();
    let mut diffs: Vec<ContractDiff> = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let id = format!("case-{index:02}");
        let dir = workspace.join(&id);
        let (manifest, types) = apply(case);
        let schemas = dir.join("schemas");
        write_contracts(&schemas, &manifest, &types);
        let head = load_services(&schemas).expect("the head contract lowers");
        diffs.push(diff_services_at(&base, &head, today));

        let generated = dir.join("generated");
        let mut config = Config::new();
        config
            .schemas_dir(&schemas)
            .out_dir(&generated)
            .runtime_dependency(format!("path = {:?}", runtime.display().to_string()));
        config.generate().expect("the head crate generates");
        let api = dir.join("api");
        fs::rename(generated.join("booking"), &api).expect("move the crate");
        let api_name = format!("{id}-api");
        let cargo_toml = api.join("Cargo.toml");
        let text = fs::read_to_string(&cargo_toml).expect("generated Cargo.toml");
        assert!(text.contains("name = \"booking-api\""), "{text}");
        fs::write(
            &cargo_toml,
            text.replacen(
                "name = \"booking-api\"",
                &format!("name = \"{api_name}\""),
                1,
            ),
        )
        .expect("rename the crate");
        package(
            &dir.join("caller"),
            &format!("{id}-caller"),
            &api_name,
            "client",
            &runtime,
            CALLER,
        );
        package(
            &dir.join("implementer"),
            &format!("{id}-implementer"),
            &api_name,
            "server",
            &runtime,
            IMPLEMENTER,
        );
        members.extend(["api", "caller", "implementer"].map(|part| format!("\"{id}/{part}\"")));
    }
    fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
            members.join(", ")
        ),
    )
    .expect("workspace manifest");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"),
        workspace.join("Cargo.lock"),
    )
    .expect("the repository's lock file");

    let (built, errors) = check(&workspace, &root.join("target"));
    let mut table = String::new();
    let mut wrong = 0;
    let _ = writeln!(
        table,
        "{:<78} {:<26} {:<26} first error",
        "case", "diff (callers/impl)", "compiler (callers/impl)"
    );
    for (index, (case, diff)) in cases.iter().zip(&diffs).enumerate() {
        let dir = workspace.join(format!("case-{index:02}"));
        let api_ok = built.contains(&dir.join("api"));
        let caller_ok = built.contains(&dir.join("caller"));
        let implementer_ok = built.contains(&dir.join("implementer"));
        let breaks = diff.breaks();
        // A side that compiles silently must still be flagged; any other side is flagged
        // exactly when it fails to compile.
        let side_agrees = |flagged: bool, silent: bool, compiles: bool| {
            if silent {
                flagged && compiles
            } else {
                flagged != compiles
            }
        };
        let agrees = api_ok
            && side_agrees(breaks.callers(), case.silent.callers(), caller_ok)
            && side_agrees(
                breaks.implementers(),
                case.silent.implementers(),
                implementer_ok,
            )
            && (case.silent == Breaks::Nobody
                || diff
                    .changes
                    .iter()
                    .any(|change| change.why.contains("silently")));
        if !agrees {
            wrong += 1;
        }
        let first_error = ["api", "caller", "implementer"]
            .iter()
            .filter_map(|part| {
                errors
                    .get(&dir.join(part))
                    .map(|error| format!("{part}: {error}"))
            })
            .next()
            .unwrap_or_default();
        let _ = writeln!(
            table,
            "{} {:<76} {:<26} {:<26} {}",
            if agrees { " " } else { "✗" },
            case.name,
            format!("{}/{}", side(breaks.callers()), side(breaks.implementers())),
            format!(
                "{}/{}{}",
                side(!caller_ok),
                side(!implementer_ok),
                if api_ok { "" } else { " (api fails!)" }
            ),
            first_error
        );
    }
    println!("{table}");
    assert!(
        wrong == 0,
        "{wrong} of {} cases disagree:\n{table}",
        cases.len()
    );
    assert!(cases.len() >= 30, "{} cases", cases.len());
}
