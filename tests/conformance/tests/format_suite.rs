//! Holds `solo60_runtime::formats` to the official JSON Schema Test Suite.
//!
//! Every file in `tests/draft2020-12/optional/format/` of the suite (the checkout build.rs
//! found, see [`conformance::suite_dir`]) is read; each case whose schema is just `{"format": F}` with
//! `F` a known format and whose data is a string must give `check(F, data) == Some(valid)`.
//! Cases whose data is not a string are about the keyword ignoring other types, which is the
//! generated validator's job, not the checker's.
//!
//! Run with `cargo test -p conformance --test format_suite -- --nocapture` to see the
//! per-format tally.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use serde_json::Value;
use solo60_runtime::formats::{check, KNOWN_FORMATS};

/// Cases known to fail, as `(file name, test description)`, each with the reason.
///
/// Empty: every case of every listed format passes. A case added here must keep failing — the
/// test fails if an allow-listed case starts to pass, so the list cannot go stale.
const EXPECTED_FAILURES: &[(&str, &str)] = &[];

fn suite_dir() -> PathBuf {
    conformance::suite_dir().join("tests/draft2020-12/optional/format")
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    expected_failures: usize,
}

/// The format a group's schema asks for, if the schema is exactly `{"format": F}` (a `$schema`
/// key aside).
fn lone_format(schema: &Value) -> Option<&str> {
    let object = schema.as_object()?;
    if object.keys().any(|k| k != "format" && k != "$schema") {
        return None;
    }
    object.get("format")?.as_str()
}

#[test]
#[cfg_attr(
    suite_missing,
    ignore = "needs the JSON Schema Test Suite: ../shared/json-schema-test-suite beside the repository, or JSON_SCHEMA_TEST_SUITE"
)]
fn official_suite_format_cases() {
    let dir = suite_dir();
    let entries =
        fs::read_dir(&dir).unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();

    let mut tallies: BTreeMap<String, Tally> = KNOWN_FORMATS
        .iter()
        .map(|f| ((*f).to_owned(), Tally::default()))
        .collect();
    let mut problems: Vec<String> = Vec::new();
    let mut allow_listed_seen: Vec<(String, String)> = Vec::new();
    let mut unknown_formats_seen = 0usize;

    for path in &files {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                problems.push(format!("{file_name}: cannot read: {e}"));
                continue;
            }
        };
        let groups: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{file_name}: not JSON: {e}"));
                continue;
            }
        };
        for group in groups.as_array().into_iter().flatten() {
            let Some(format) = group.get("schema").and_then(lone_format) else {
                continue;
            };
            for case in group
                .get("tests")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let (Some(data), Some(valid), Some(description)) = (
                    case.get("data").and_then(Value::as_str),
                    case.get("valid").and_then(Value::as_bool),
                    case.get("description").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let Some(tally) = tallies.get_mut(format) else {
                    // An unknown format must not be claimed by `check`.
                    unknown_formats_seen += 1;
                    if check(format, data).is_some() {
                        problems.push(format!(
                            "{file_name}: check claims unknown format {format:?}"
                        ));
                    }
                    continue;
                };
                let got = check(format, data);
                let passed = got == Some(valid);
                let allow_listed = EXPECTED_FAILURES
                    .iter()
                    .any(|&(f, d)| f == file_name && d == description);
                match (passed, allow_listed) {
                    (true, false) => tally.passed += 1,
                    (false, true) => {
                        tally.expected_failures += 1;
                        allow_listed_seen.push((file_name.clone(), description.to_owned()));
                    }
                    (true, true) => {
                        tally.passed += 1;
                        allow_listed_seen.push((file_name.clone(), description.to_owned()));
                        problems.push(format!(
                            "{file_name}: {description:?} is allow-listed as failing but now \
                             passes: remove it from EXPECTED_FAILURES"
                        ));
                    }
                    (false, false) => {
                        tally.failed += 1;
                        problems.push(format!(
                            "{file_name}: {description:?}: check({format:?}, {data:?}) = {got:?}, \
                             suite says {valid}"
                        ));
                    }
                }
            }
        }
    }

    for &(file, description) in EXPECTED_FAILURES {
        if !allow_listed_seen
            .iter()
            .any(|(f, d)| f == file && d == description)
        {
            problems.push(format!(
                "allow-listed case {file}: {description:?} is not in the suite any more"
            ));
        }
    }

    println!("format suite: {}", dir.display());
    println!(
        "{:<24} {:>7} {:>7} {:>9}",
        "format", "passed", "failed", "expected"
    );
    let (mut passed, mut failed, mut expected) = (0, 0, 0);
    for (format, tally) in &tallies {
        println!(
            "{format:<24} {:>7} {:>7} {:>9}",
            tally.passed, tally.failed, tally.expected_failures
        );
        passed += tally.passed;
        failed += tally.failed;
        expected += tally.expected_failures;
        if tally.passed + tally.failed + tally.expected_failures == 0 {
            problems.push(format!("no suite case exercised format {format:?}"));
        }
    }
    println!("{:<24} {passed:>7} {failed:>7} {expected:>9}", "total");
    println!("unknown-format string cases left unchecked: {unknown_formats_seen}");

    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
