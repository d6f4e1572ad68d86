//! Differential check: every supported case of the JSON Schema Test Suite is validated both by
//! the generated code and by an independent implementation, the `jsonschema` crate, and the
//! two verdicts must agree.
//!
//! `suite.rs` holds the generated code to the suite's expectations; this test holds it to
//! another implementation. Where the two part, the suite's `valid` flag says which one is
//! wrong, so a failure of ours is told apart from a case a mature validator gets wrong too;
//! and the schema text each case records is checked to mean the same thing elsewhere, which
//! the seed-contract oracle (tests/oracle_contracts.rs at the root) relies on.
//!
//! Known disagreements are listed in `oracle-known.txt` (`part | file | group | case # reason`),
//! each reason starting with `generated right:` or `jsonschema right:` according to the
//! suite's `valid` flag. The list is exact: a new disagreement fails the test, and so does a
//! listed one that no longer disagrees. With `ORACLE_UPDATE=1` the test rewrites the list
//! instead, keeping the reasons of entries still there. A group `jsonschema` cannot compile is
//! reported, not failed: the oracle has no verdict there.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use conformance::{Case, CASES};
use jsonschema::{Draft, Retrieve, Uri, Validator};
use serde_json::Value;

/// Where the suite's `$ref`s to `http://localhost:1234/` point; the generator reads the same
/// folder (see build.rs).
const REMOTE_BASE: &str = "http://localhost:1234/";

/// Serves the suite's remote documents from disk: the test never touches the network.
struct Remotes {
    dir: PathBuf,
}

impl Retrieve for Remotes {
    fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn Error + Send + Sync>> {
        let uri = uri.as_str();
        let path = uri
            .strip_prefix(REMOTE_BASE)
            .ok_or_else(|| format!("no local copy of {uri}"))?;
        let path = path.split('#').next().unwrap_or_default();
        let text = fs::read_to_string(self.dir.join(path))?;
        Ok(serde_json::from_str(&text)?)
    }
}

/// Compiles `case`'s schema the way the part reads it: its draft, and `format` asserted only
/// in the optional format tests (an annotation in the required ones, as for the generator).
fn compile(case: &Case, remotes: &Path) -> Result<Validator, String> {
    let draft = if case.part.starts_with("draft2020-12") {
        Draft::Draft202012
    } else if case.part.starts_with("draft7") {
        Draft::Draft7
    } else {
        panic!("no draft for part {:?}", case.part);
    };
    let schema: Value = serde_json::from_str(case.schema).map_err(|e| e.to_string())?;
    let built = catch_unwind(AssertUnwindSafe(|| {
        jsonschema::options()
            .with_draft(draft)
            .should_validate_formats(case.part.ends_with("format"))
            .with_retriever(Remotes {
                dir: remotes.to_path_buf(),
            })
            .build(&schema)
    }));
    match built {
        Ok(Ok(validator)) => Ok(validator),
        Ok(Err(error)) => Err(one_line(&error.to_string())),
        Err(_) => Err("jsonschema panicked".to_owned()),
    }
}

/// The case's line in `oracle-known.txt`, as in `passing.txt`.
fn key(case: &Case) -> String {
    format!(
        "{} | {} | {} | {}",
        case.part, case.file, case.group, case.case
    )
    .replace('\n', " ")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A verdict in words, for messages.
fn verdict(valid: Option<bool>) -> &'static str {
    match valid {
        Some(true) => "valid",
        Some(false) => "invalid",
        None => "panicked",
    }
}

/// `oracle-known.txt`: key to reason. Blank lines and lines starting with `#` are comments.
fn known_disagreements(text: &str) -> BTreeMap<String, String> {
    let mut known = BTreeMap::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, reason) = line
            .split_once(" # ")
            .unwrap_or_else(|| panic!("oracle-known.txt: no ` # reason` in {line:?}"));
        let previous = known.insert(key.trim_end().to_owned(), reason.trim().to_owned());
        assert!(previous.is_none(), "oracle-known.txt: {key:?} listed twice");
    }
    known
}

#[derive(Default)]
struct Tally {
    compared: usize,
    agreed: usize,
    known: usize,
    new: usize,
    cannot_compile: usize,
}

/// The head of `oracle-known.txt`, written back by `ORACLE_UPDATE=1`.
const KNOWN_HEADER: &str = "\
# Known disagreements between the generated validation and the jsonschema crate over the JSON
# Schema Test Suite (tests/oracle.rs): `part | file | group | case # reason`, the reason starting
# with who is right according to the suite's `valid` flag. The list is exact; after a change to
# the generator, refresh it with `ORACLE_UPDATE=1 cargo test -p conformance --test oracle`
# (reasons of entries still listed are kept) and explain new entries.
";

#[test]
#[cfg_attr(
    suite_missing,
    ignore = "needs the JSON Schema Test Suite: ../shared/json-schema-test-suite beside the repository, or JSON_SCHEMA_TEST_SUITE"
)]
fn generated_validation_agrees_with_jsonschema() {
    let started = Instant::now();
    let remotes = conformance::suite_dir().join("remotes");
    let known_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("oracle-known.txt");
    let known = known_disagreements(&fs::read_to_string(&known_path).unwrap_or_default());
    let update = std::env::var("ORACLE_UPDATE").is_ok_and(|value| value == "1");

    // Keyed by part and schema: the required and the format tests share schema texts (the
    // required `format.json`) but not the format setting.
    let mut validators: HashMap<(&str, &str), Result<Validator, String>> = HashMap::new();
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut cannot_compile: BTreeMap<String, String> = BTreeMap::new();
    // Every disagreement in suite order, with the reason to write on update.
    let mut disagreements: Vec<(String, String)> = Vec::new();
    let mut problems: Vec<String> = Vec::new();

    for case in CASES {
        let Some(check) = case.check else {
            continue;
        };
        let tally = tallies.entry(case.part).or_default();
        let validator = validators
            .entry((case.part, case.schema))
            .or_insert_with(|| compile(case, &remotes));
        let validator = match validator {
            Ok(validator) => validator,
            Err(error) => {
                tally.cannot_compile += 1;
                cannot_compile.insert(
                    format!("{} | {} | {}", case.part, case.file, case.group),
                    error.clone(),
                );
                continue;
            }
        };
        let data: Value = serde_json::from_str(case.data).expect("suite data is JSON");
        let oracle = validator.is_valid(&data);
        let generated = catch_unwind(AssertUnwindSafe(|| check(&data))).ok();
        tally.compared += 1;
        if generated == Some(oracle) {
            tally.agreed += 1;
            continue;
        }
        let key = key(case);
        let right = if generated == Some(case.valid) {
            "generated right"
        } else {
            "jsonschema right"
        };
        let fresh = format!(
            "{right}: suite says {}; generated says {}, jsonschema {}",
            verdict(Some(case.valid)),
            verdict(generated),
            verdict(Some(oracle)),
        );
        match known.get(&key) {
            Some(reason) if reason.starts_with(&format!("{right}:")) => {
                tally.known += 1;
                disagreements.push((key, reason.clone()));
            }
            Some(reason) => {
                tally.known += 1;
                problems.push(format!(
                    "{key}: the reason must start with `{right}:` (suite says {}), it reads {reason:?}",
                    verdict(Some(case.valid)),
                ));
                disagreements.push((key, fresh));
            }
            None => {
                tally.new += 1;
                problems.push(format!(
                    "{key}: {fresh}\n    schema {}\n    data {}",
                    case.schema, case.data,
                ));
                disagreements.push((key, fresh));
            }
        }
    }
    let disagreeing: BTreeSet<&str> = disagreements.iter().map(|(key, _)| key.as_str()).collect();
    for key in known.keys() {
        if !disagreeing.contains(key.as_str()) {
            problems.push(format!(
                "{key}: listed in oracle-known.txt but no longer disagrees (or is no longer \
                 compared); remove it"
            ));
        }
    }

    let mut summary = String::from(
        "part | compared | agreed | disagreed (known) | disagreed (new) | oracle cannot compile (cases)\n",
    );
    let mut total = Tally::default();
    for (part, tally) in &tallies {
        let _ = writeln!(
            summary,
            "{part} | {} | {} | {} | {} | {}",
            tally.compared, tally.agreed, tally.known, tally.new, tally.cannot_compile
        );
        total.compared += tally.compared;
        total.agreed += tally.agreed;
        total.known += tally.known;
        total.new += tally.new;
        total.cannot_compile += tally.cannot_compile;
    }
    let _ = writeln!(
        summary,
        "total | {} | {} | {} | {} | {}",
        total.compared, total.agreed, total.known, total.new, total.cannot_compile
    );
    if !cannot_compile.is_empty() {
        let _ = writeln!(
            summary,
            "\ngroups the oracle cannot compile ({}), not compared:",
            cannot_compile.len()
        );
        for (group, error) in &cannot_compile {
            let _ = writeln!(summary, "- {group}: {error}");
        }
    }
    let _ = writeln!(
        summary,
        "\n{} validators built, {:.2} s",
        validators.len(),
        started.elapsed().as_secs_f64()
    );
    println!("{summary}");

    if update {
        let mut text = String::from(KNOWN_HEADER);
        for (key, reason) in &disagreements {
            let _ = writeln!(text, "{key} # {reason}");
        }
        fs::write(&known_path, text).expect("write oracle-known.txt");
        return;
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) with the generated validation against jsonschema (rerun with \
         ORACLE_UPDATE=1 to accept them):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
