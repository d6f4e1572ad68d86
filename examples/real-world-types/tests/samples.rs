//! Every generated root type accepts the valid sample documents of its schema and rejects the
//! invalid ones with the expected violation.
//!
//! The samples live in `samples/<schema>/{valid,invalid}/*.json`. Their verdicts were
//! cross-checked with an independent validator (python-jsonschema, with the draft the schema
//! declares). Each invalid sample is listed below with one violation — JSON pointer and keyword —
//! that must be among those reported; a sample file that is not listed fails the test, so none
//! is skipped silently.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use solo60_runtime::{parse, Validate};

use real_world_types::{changie, dependabot, github_actions, readthedocs};

/// An invalid sample and one violation it must be rejected with.
struct Rejection {
    file: &'static str,
    pointer: &'static str,
    keyword: &'static str,
}

const fn rejection(file: &'static str, pointer: &'static str, keyword: &'static str) -> Rejection {
    Rejection {
        file,
        pointer,
        keyword,
    }
}

fn sample_files(schema: &str, verdict: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(schema)
        .join(verdict);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no samples in {}", dir.display());
    files
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("sample file name")
        .to_string_lossy()
        .into_owned()
}

fn load(path: &Path) -> Value {
    let text = fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()))
}

/// How serializing a parsed document changed it, as `pointer: what happened` lines.
///
/// Numbers compare by value (a `number` field is an `f64`, so `2` comes back as `2.0`), and a
/// property that was absent may come back with a non-null value: the generated types fill in
/// the schema's `default`. A dropped property or a changed value is a difference.
fn differences(original: &Value, written: &Value, pointer: &str, out: &mut Vec<String>) {
    match (original, written) {
        (Value::Object(left), Value::Object(right)) => {
            for (key, value) in left {
                let at = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                match right.get(key) {
                    Some(other) => differences(value, other, &at, out),
                    None => out.push(format!("{at}: dropped")),
                }
            }
            for (key, value) in right {
                if !left.contains_key(key) && value.is_null() {
                    out.push(format!("{pointer}/{key}: added null"));
                }
            }
        }
        (Value::Array(left), Value::Array(right)) if left.len() == right.len() => {
            for (index, (value, other)) in left.iter().zip(right).enumerate() {
                differences(value, other, &format!("{pointer}/{index}"), out);
            }
        }
        (Value::Number(left), Value::Number(right)) if left.as_f64() == right.as_f64() => {}
        _ if original != written => out.push(format!("{pointer}: {original} became {written}")),
        _ => {}
    }
}

/// Every valid sample parses into `T`, and serializing the result gives the document back
/// (see [`differences`]), except for the `known_losses`: `file#pointer: what happened` lines
/// naming generator defects, each of which must still occur.
fn accepts_valid_samples<T: Validate + DeserializeOwned + Serialize>(
    schema: &str,
    known_losses: &[&str],
) {
    let mut failures = Vec::new();
    let mut losses = Vec::new();
    for path in sample_files(schema, "valid") {
        let name = file_name(&path);
        let document = load(&path);
        match parse::<T>(&document) {
            Ok(parsed) => {
                let written = serde_json::to_value(&parsed).expect("serializable");
                let mut found = Vec::new();
                differences(&document, &written, "", &mut found);
                losses.extend(found.into_iter().map(|line| format!("{name}#{line}")));
            }
            Err(errors) => failures.push(format!("{name}: rejected: {errors}")),
        }
    }
    for loss in &losses {
        if !known_losses.contains(&loss.as_str()) {
            failures.push(format!("does not round-trip: {loss}"));
        }
    }
    for known in known_losses {
        if !losses.iter().any(|loss| loss == known) {
            failures.push(format!("known loss no longer happens, remove it: {known}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{schema}: valid samples failed:\n{}",
        failures.join("\n")
    );
}

/// Every invalid sample is rejected, and among the violations is the one listed for it.
fn rejects_invalid_samples<T: Validate + DeserializeOwned>(schema: &str, expected: &[Rejection]) {
    let files = sample_files(schema, "invalid");
    let names: Vec<String> = files.iter().map(|path| file_name(path)).collect();
    let mut failures = Vec::new();
    for name in &names {
        if !expected.iter().any(|rejection| rejection.file == name) {
            failures.push(format!("{name}: no expected violation listed"));
        }
    }
    for rejection in expected {
        let Some(path) = files.iter().find(|path| file_name(path) == rejection.file) else {
            failures.push(format!("{}: no such sample", rejection.file));
            continue;
        };
        match parse::<T>(&load(path)) {
            Ok(_) => failures.push(format!("{}: accepted", rejection.file)),
            Err(errors) => {
                let found = errors.iter().any(|error| {
                    error.pointer == rejection.pointer && error.keyword == rejection.keyword
                });
                if !found {
                    failures.push(format!(
                        "{}: expected `{}` at `{}`, got: {errors}",
                        rejection.file, rejection.keyword, rejection.pointer
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{schema}: invalid samples failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn dependabot_accepts_valid_samples() {
    accepts_valid_samples::<dependabot::DependabotConfig>(
        "dependabot",
        // `cronjob` is declared only in `schedule`'s `allOf/0/then/properties`: it is kept
        // in a field of its own all the same.
        &[],
    );
}

#[test]
fn dependabot_rejects_invalid_samples() {
    rejects_invalid_samples::<dependabot::DependabotConfig>(
        "dependabot",
        &[
            rejection(
                "cron-without-cronjob.json",
                "/updates/0/schedule/cronjob",
                "required",
            ),
            rejection("directory-and-directories.json", "/updates/0", "oneOf"),
            rejection(
                "ecosystem-typo.json",
                "/updates/0/package-ecosystem",
                "enum",
            ),
            rejection(
                "limit-as-string.json",
                "/updates/0/open-pull-requests-limit",
                "type",
            ),
            rejection(
                "limit-as-string.json",
                "/updates/0/cooldown/default-days",
                "maximum",
            ),
            rejection("missing-schedule.json", "/updates/0/schedule", "required"),
            rejection(
                "schedule-time-pattern.json",
                "/updates/0/schedule/time",
                "pattern",
            ),
            rejection(
                "unknown-update-key.json",
                "/updates/0/open-pull-request-limit",
                "additionalProperties",
            ),
            rejection("version-1.json", "/version", "const"),
        ],
    );
}

#[test]
fn github_actions_accepts_valid_samples() {
    accepts_valid_samples::<github_actions::GithubAction>("github-actions", &[]);
}

#[test]
fn github_actions_rejects_invalid_samples() {
    rejects_invalid_samples::<github_actions::GithubAction>(
        "github-actions",
        &[
            rejection("branding-color.json", "/branding/color", "enum"),
            rejection("branding-color.json", "/branding/icon", "enum"),
            rejection(
                "composite-output-without-value.json",
                "/outputs/random/value",
                "required",
            ),
            rejection(
                "input-name-pattern.json",
                "/inputs/1st-name",
                "additionalProperties",
            ),
            rejection(
                "input-without-description.json",
                "/inputs/who-to-greet/description",
                "required",
            ),
            rejection("missing-description.json", "/description", "required"),
            rejection("node-version-typo.json", "/runs", "oneOf"),
            rejection("step-run-and-uses.json", "/runs", "oneOf"),
            rejection("top-level-typo.json", "/runs", "required"),
            rejection("top-level-typo.json", "/run", "additionalProperties"),
        ],
    );
}

#[test]
fn readthedocs_accepts_valid_samples() {
    accepts_valid_samples::<readthedocs::ReadTheDocsConfig>("readthedocs", &[]);
}

#[test]
fn readthedocs_rejects_invalid_samples() {
    rejects_invalid_samples::<readthedocs::ReadTheDocsConfig>(
        "readthedocs",
        &[
            rejection("empty-tools.json", "/build/tools", "minProperties"),
            rejection(
                "fail-on-warning-string.json",
                "/sphinx/fail_on_warning",
                "type",
            ),
            rejection("missing-os.json", "/build/os", "required"),
            rejection("neither-tools-nor-commands.json", "/build", "anyOf"),
            rejection("python-version-typo.json", "/build/tools/python", "enum"),
            rejection(
                "ranking-out-of-range.json",
                "/search/ranking/index.html",
                "maximum",
            ),
            rejection(
                "unknown-top-level-key.json",
                "/requirements_file",
                "additionalProperties",
            ),
            rejection(
                "uv-sync-with-requirements.json",
                "/python/install/0",
                "anyOf",
            ),
            rejection("uv-with-other-installs.json", "/python/install", "maxItems"),
            rejection("version-1.json", "/version", "enum"),
        ],
    );
}

#[test]
fn changie_accepts_valid_samples() {
    accepts_valid_samples::<changie::ChangieConfig>("changie", &[]);
}

#[test]
fn changie_rejects_invalid_samples() {
    rejects_invalid_samples::<changie::ChangieConfig>(
        "changie",
        &[
            rejection("components-not-array.json", "/components", "type"),
            rejection("custom-without-type.json", "/custom/0/type", "required"),
            rejection("missing-change-format.json", "/changeFormat", "required"),
            rejection("newline-count-string.json", "/newlines/afterKind", "type"),
            rejection(
                "project-missing-replacements.json",
                "/projects/0/replacements",
                "required",
            ),
            rejection("unknown-key.json", "/kindsFormat", "additionalProperties"),
        ],
    );
}

/// GitHub workflows: a definition named `types` (a reserved name, renamed) and `null`
/// triggers such as `workflow_dispatch: null`, which must stay apart from absent ones.
mod github_workflows_samples {
    use super::{accepts_valid_samples, rejection, rejects_invalid_samples};
    use real_world_types::github_workflows::GithubWorkflow;

    #[test]
    fn github_workflows_accepts_valid_samples() {
        accepts_valid_samples::<GithubWorkflow>(
            "github-workflows",
            // `on.workflow_dispatch` refers to `eventObject`, which admits `null`.
            &[],
        );
    }

    #[test]
    fn github_workflows_rejects_invalid_samples() {
        rejects_invalid_samples::<GithubWorkflow>(
            "github-workflows",
            &[
                rejection("branches-and-branches-ignore.json", "/on", "oneOf"),
                rejection("empty-steps.json", "/jobs/build", "oneOf"),
                rejection("event-typo.json", "/on", "oneOf"),
                rejection(
                    "job-id-pattern.json",
                    "/jobs/1-build",
                    "additionalProperties",
                ),
                rejection("missing-jobs.json", "/jobs", "required"),
                rejection("missing-runs-on.json", "/jobs/build", "oneOf"),
                rejection("permission-level-typo.json", "/permissions", "oneOf"),
                rejection("shell-without-run.json", "/jobs/build", "oneOf"),
                rejection("step-with-run-and-uses.json", "/jobs/build", "oneOf"),
                rejection("unknown-job-key.json", "/jobs/build", "oneOf"),
            ],
        );
    }
}
