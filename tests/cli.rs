//! The command line: exit codes, `check`'s diff, `types` and `schema`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

mod support;

use support::{copy_tree, Order};

const BIN: &str = env!("CARGO_BIN_EXE_solo60-gen");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs")
}

#[test]
fn every_command_documents_an_example() {
    for command in ["generate", "check", "types", "schema"] {
        let output = run(&[command, "--help"]);
        assert!(output.status.success(), "{command} --help");
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(help.contains("Example"), "{command} --help:\n{help}");
    }
    let usage = run(&["frobnicate"]);
    assert_eq!(usage.status.code(), Some(2), "usage errors exit 2");
}

#[test]
fn check_passes_on_the_committed_crates() {
    let output = run(&["check"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn check_exits_1_with_a_unified_diff_after_a_schema_edit() {
    let temp = tempfile::tempdir().expect("tempdir");
    let schemas = temp.path().join("schemas");
    let generated = temp.path().join("generated");
    copy_tree(Path::new("schemas"), &schemas, Order::Sorted);
    copy_tree(Path::new("generated"), &generated, Order::Sorted);
    let args = [
        "check",
        "--schemas",
        schemas.to_str().expect("utf-8"),
        "--out",
        generated.to_str().expect("utf-8"),
    ];
    assert_eq!(run(&args).status.code(), Some(0));

    let path = schemas.join("subscription/types.schema.json");
    let text = fs::read_to_string(&path).expect("read");
    let edited = text.replacen(
        "\"description\": \"User to check.\"",
        "\"description\": \"The user whose access is checked.\"",
        1,
    );
    assert_ne!(text, edited, "the edit applies");
    fs::write(&path, edited).expect("write");

    let output = run(&args);
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(diff.contains("--- a/subscription/src/types.rs"), "{diff}");
    assert!(diff.contains("+++ b/subscription/src/types.rs"), "{diff}");
    assert!(diff.contains("-    /// User to check."), "{diff}");
    assert!(
        diff.contains("+    /// The user whose access is checked."),
        "{diff}"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("solo60-gen generate"));
}

#[test]
fn typescript_check_and_generate_follow_the_contracts() {
    let temp = tempfile::tempdir().expect("tempdir");
    let schemas = temp.path().join("schemas");
    let packages = temp.path().join("typescript");
    copy_tree(Path::new("schemas"), &schemas, Order::Sorted);
    copy_tree(Path::new("typescript"), &packages, Order::Sorted);
    let with = |command: &str| {
        run(&[
            command,
            "--target",
            "typescript",
            "--schemas",
            schemas.to_str().expect("utf-8"),
            "--out",
            packages.to_str().expect("utf-8"),
        ])
    };
    assert_eq!(
        with("check").status.code(),
        Some(0),
        "the committed packages are current"
    );

    let path = schemas.join("subscription/types.schema.json");
    let text = fs::read_to_string(&path).expect("read");
    let edited = text.replacen("\"maxLength\": 80", "\"maxLength\": 81", 1);
    assert_ne!(text, edited, "the edit applies");
    fs::write(&path, edited).expect("write");

    let output = with("check");
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(diff.contains("+++ b/subscription/src/schemas.ts"), "{diff}");
    assert!(diff.contains("codePoints(value) <= 81"), "{diff}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("solo60-gen generate --target typescript")
    );
    assert_eq!(with("generate").status.code(), Some(0));
    assert_eq!(with("check").status.code(), Some(0));
}

#[test]
fn typescript_refuses_a_keyword_zod_cannot_express_and_writes_nothing() {
    let temp = tempfile::tempdir().expect("tempdir");
    let schemas = temp.path().join("schemas");
    let packages = temp.path().join("typescript");
    copy_tree(Path::new("schemas"), &schemas, Order::Sorted);
    let path = schemas.join("subscription/types.schema.json");
    let text = fs::read_to_string(&path).expect("read");
    let edited = text.replacen(
        "\"description\": \"Feature key to check, e.g. personal_training.\",",
        "\"description\": \"Feature key to check, e.g. personal_training.\", \"not\": { \"const\": \"\" },",
        1,
    );
    assert_ne!(text, edited, "the edit applies");
    fs::write(&path, edited).expect("write");
    let output = run(&[
        "generate",
        "--target",
        "typescript",
        "--schemas",
        schemas.to_str().expect("utf-8"),
        "--out",
        packages.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("`not`"), "{message}");
    assert!(
        message.contains("CheckSubscriptionAccessRequest"),
        "{message}"
    );
    assert!(message.contains("types.schema.json"), "{message}");
    assert!(!packages.exists(), "nothing is written");
}

#[test]
fn types_writes_a_module_once_and_leaves_it_alone_after() {
    let temp = tempfile::tempdir().expect("tempdir");
    let out = temp.path().join("member.rs");
    let args = [
        "types",
        "tests/focused/schemas/struct_fields.json",
        "--root-name",
        "Member",
        "-o",
        out.to_str().expect("utf-8"),
    ];
    assert!(run(&args).status.success());
    let first = fs::metadata(&out)
        .and_then(|m| m.modified())
        .expect("mtime");
    let module = fs::read_to_string(&out).expect("module");
    assert!(module.starts_with("// @generated by solo60-gen from struct_fields.json"));
    assert!(module.contains("pub struct Member {"));
    assert!(run(&args).status.success());
    let second = fs::metadata(&out)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(first, second, "unchanged output is not rewritten");

    let to_stdout = run(&[
        "types",
        "tests/focused/schemas/string_enum.json",
        "--root-name",
        "Tier",
    ]);
    assert!(to_stdout.status.success());
    assert!(String::from_utf8_lossy(&to_stdout.stdout).contains("pub enum Tier {"));

    let bad_name = run(&[
        "types",
        "tests/focused/schemas/string_enum.json",
        "--root-name",
        "not a name",
    ]);
    assert_eq!(bad_name.status.code(), Some(2));
}

#[test]
fn types_resolves_remote_refs_from_local_folders_only() {
    let temp = tempfile::tempdir().expect("tempdir");
    let remote = temp.path().join("remote");
    fs::create_dir_all(&remote).expect("mkdir");
    fs::write(
        remote.join("money.json"),
        r#"{"type": "object", "required": ["amount"], "properties": {"amount": {"type": "integer"}}}"#,
    )
    .expect("write");
    let schema = temp.path().join("order.json");
    fs::write(
        &schema,
        r#"{"type": "object", "properties": {"total": {"$ref": "https://schemas.example.com/money.json"}}}"#,
    )
    .expect("write");
    let schema_arg = schema.to_str().expect("utf-8");
    let mapping = format!("https://schemas.example.com/={}", remote.display());
    let output = run(&[
        "types",
        schema_arg,
        "--root-name",
        "Order",
        "--ref-dir",
        &mapping,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("pub struct Money {"));

    let offline = run(&["types", schema_arg, "--root-name", "Order"]);
    assert_eq!(offline.status.code(), Some(2));
    let message = String::from_utf8_lossy(&offline.stderr);
    assert!(message.contains("points to no known document"), "{message}");
}

#[test]
fn schema_prints_the_manifest_format_and_every_seed_manifest_conforms() {
    let output = run(&["schema"]);
    assert!(output.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(schema["title"], "solo60-gen service manifest");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let mut checked = 0;
    for entry in fs::read_dir("schemas").expect("schemas") {
        let manifest = entry.expect("entry").path().join("service.yaml");
        if !manifest.exists() {
            continue;
        }
        let text = fs::read_to_string(&manifest).expect("read");
        let value: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", manifest.display());
        checked += 1;
    }
    assert_eq!(checked, 7);
    let broken =
        serde_json::json!({"service": "x", "baseUrlEnv": "X_URL", "operations": {}, "retyr": 1});
    assert!(
        !validator.is_valid(&broken),
        "unknown keys are refused by the schema too"
    );
}

#[test]
fn scaffold_writes_once_and_never_overwrites() {
    let temp = tempfile::tempdir().expect("tempdir");
    let out = temp.path().join("service.rs");
    let out_arg = out.to_str().expect("utf-8");
    let first = run(&["scaffold", "subscription", "-o", out_arg]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let written = fs::read_to_string(&out).expect("written");
    assert!(written.starts_with("// Written once by `solo60-gen scaffold subscription`"));
    assert!(
        !written.contains("@generated"),
        "the file is the service's, not the generator's"
    );
    assert!(written.contains("impl SubscriptionService for SubscriptionServiceImpl"));
    assert!(written.contains("async fn check_access("));
    syn::parse_file(&written).expect("valid Rust");

    fs::write(&out, "// edited by hand\n").expect("edit");
    let second = run(&["scaffold", "subscription", "-o", out_arg]);
    assert_eq!(second.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&second.stderr).contains("never overwrites"));
    assert_eq!(
        fs::read_to_string(&out).expect("kept"),
        "// edited by hand\n"
    );

    let unknown = run(&[
        "scaffold",
        "nope",
        "-o",
        temp.path().join("x.rs").to_str().expect("utf-8"),
    ]);
    assert_eq!(unknown.status.code(), Some(2));
}
