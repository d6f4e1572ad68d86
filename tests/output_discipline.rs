//! Output is computed in memory, deterministic, written only where it changed, and never
//! touches files the generator did not make.

use std::fs;
use std::path::Path;

use solo60_gen::Config;

mod support;

use support::{copy_tree, Order};

fn config(schemas: &Path, out: &Path) -> Config {
    let mut config = Config::new();
    config.schemas_dir(schemas).out_dir(out);
    config
}

#[test]
fn output_is_identical_whatever_the_file_system_order() {
    let temp = tempfile::tempdir().expect("tempdir");
    let forward = temp.path().join("forward");
    let backward = temp.path().join("backward");
    copy_tree(Path::new("schemas"), &forward, Order::Sorted);
    copy_tree(Path::new("schemas"), &backward, Order::Reversed);
    let a = config(&forward, &temp.path().join("a"))
        .render_crates()
        .expect("renders");
    let b = config(&backward, &temp.path().join("b"))
        .render_crates()
        .expect("renders");
    assert_eq!(a.output, b.output);
    let again = config(&forward, &temp.path().join("a"))
        .render_crates()
        .expect("renders");
    assert_eq!(a.output, again.output, "two runs give byte-identical files");
}

#[test]
fn a_second_generate_rewrites_nothing() {
    let temp = tempfile::tempdir().expect("tempdir");
    let out = temp.path().join("generated");
    let config = config(Path::new("schemas"), &out);
    let first = config.generate().expect("generates");
    assert!(!first.written.is_empty());
    let before = support::snapshot_tree(&out);
    let second = config.generate().expect("generates");
    assert!(second.written.is_empty(), "rewrote {:?}", second.written);
    assert_eq!(second.unchanged.len(), first.written.len());
    assert_eq!(
        support::snapshot_tree(&out),
        before,
        "contents and mtimes untouched"
    );
    assert!(config.check().expect("checks").is_clean());
}

#[test]
fn only_changed_files_are_written_and_foreign_files_survive() {
    let temp = tempfile::tempdir().expect("tempdir");
    let schemas = temp.path().join("schemas");
    let out = temp.path().join("generated");
    copy_tree(Path::new("schemas"), &schemas, Order::Sorted);
    let config = config(&schemas, &out);
    config.generate().expect("generates");
    let notes = out.join("user/NOTES.md");
    fs::write(&notes, "hand-written notes").expect("write notes");
    let gym_lib = out.join("gym/src/types.rs");
    let gym_before = fs::metadata(&gym_lib)
        .and_then(|m| m.modified())
        .expect("mtime");

    let types = schemas.join("user/types.schema.json");
    let edited = fs::read_to_string(&types).expect("read").replacen(
        "\"$defs\": {",
        "\"$defs\": { \"Nickname\": { \"type\": \"string\", \"maxLength\": 20 },",
        1,
    );
    fs::write(&types, edited).expect("edit schema");

    let drift = config.check().expect("checks");
    assert!(!drift.is_clean());
    assert!(drift
        .changed
        .iter()
        .all(|(path, _)| path.starts_with("user/")));
    let report = config.generate().expect("generates");
    assert!(report.written.iter().all(|path| path.starts_with("user/")));
    assert_eq!(
        fs::read_to_string(&notes).expect("notes"),
        "hand-written notes"
    );
    let gym_after = fs::metadata(&gym_lib)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(
        gym_before, gym_after,
        "an untouched service is not rewritten"
    );
}

#[test]
fn stale_generated_files_are_removed_but_foreign_files_are_not() {
    let temp = tempfile::tempdir().expect("tempdir");
    let schemas = temp.path().join("schemas");
    let out = temp.path().join("generated");
    copy_tree(Path::new("schemas"), &schemas, Order::Sorted);
    let config = config(&schemas, &out);
    config.generate().expect("generates");
    fs::write(out.join("gym/keep.rs"), "// mine\n").expect("write");
    fs::remove_dir_all(schemas.join("gym")).expect("remove service");
    // A caller that is gone may no longer be named in `callers`.
    let subscription = schemas.join("subscription/service.yaml");
    let manifest = fs::read_to_string(&subscription).expect("read");
    fs::write(
        &subscription,
        manifest.replace("callers: [session, gym]", "callers: [session]"),
    )
    .expect("write");

    let drift = config.check().expect("checks");
    assert!(drift.stale.iter().any(|path| path == "gym/src/types.rs"));
    assert!(drift.render().contains("stale generated file"));
    let report = config.generate().expect("generates");
    assert!(report.removed.contains(&"gym/src/lib.rs".to_owned()));
    assert!(!out.join("gym/src/types.rs").exists());
    assert!(
        out.join("gym/keep.rs").exists(),
        "files without the marker stay"
    );
}

#[test]
fn a_failed_run_leaves_the_output_exactly_as_it_was() {
    let temp = tempfile::tempdir().expect("tempdir");
    let schemas = temp.path().join("schemas");
    let out = temp.path().join("generated");
    copy_tree(Path::new("schemas"), &schemas, Order::Sorted);
    let config = config(&schemas, &out);
    config.generate().expect("generates");
    // A valid change to one service and a broken one to another: nothing may be written.
    let user = schemas.join("user/types.schema.json");
    let text = fs::read_to_string(&user).expect("read");
    fs::write(
        &user,
        text.replacen("\"description\"", "\"$comment\": \"x\", \"description\"", 1),
    )
    .expect("edit");
    let payment = schemas.join("payment/types.schema.json");
    let text = fs::read_to_string(&payment).expect("read");
    fs::write(
        &payment,
        text.replacen("\"type\": \"object\"", "\"type\": \"objekt\"", 1),
    )
    .expect("break");
    let before = support::snapshot_tree(&out);
    let error = config.generate().expect_err("broken contract");
    assert!(
        error.to_string().contains("payment/types.schema.json"),
        "{error}"
    );
    assert_eq!(support::snapshot_tree(&out), before);
}

#[test]
fn every_generated_file_starts_with_the_generated_header() {
    let rendered = Config::new().render_crates().expect("renders");
    for (path, contents) in &rendered.output.files {
        let first = contents.lines().next().unwrap_or_default();
        assert!(
            first.contains("@generated by solo60-gen from schemas/"),
            "{path}: {first}"
        );
    }
}

#[test]
fn build_script_mode_writes_one_module_per_service() {
    let temp = tempfile::tempdir().expect("tempdir");
    let mut config = Config::new();
    config.out_dir(temp.path()).service("subscription");
    config.compile().expect("compiles");
    let module = fs::read_to_string(temp.path().join("subscription.rs")).expect("module");
    assert!(module.contains("pub struct CheckSubscriptionAccessRequest"));
    assert!(module.contains("pub mod operations"));
    assert!(
        !temp.path().join("user.rs").exists(),
        "only the requested service"
    );
    let error = Config::new()
        .out_dir(temp.path())
        .service("nope")
        .compile()
        .expect_err("unknown service");
    assert!(error.to_string().contains("no service `nope`"), "{error}");
}

#[test]
fn every_file_read_is_reported_for_rerun_if_changed() {
    let mut config = Config::new();
    config.service("subscription");
    let rendered = config.render_crates().expect("renders");
    let read: Vec<String> = rendered
        .files_read
        .iter()
        .map(|path| path.display().to_string())
        .collect();
    for expected in [
        "schemas/subscription/service.yaml",
        "schemas/subscription/types.schema.json",
        "schemas/common/common.schema.json",
    ] {
        assert!(
            read.iter().any(|path| path == expected),
            "{expected} not in {read:?}"
        );
    }
}
