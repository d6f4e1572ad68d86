//! Malformed contracts are refused the way the design promises: exit code 2, a message on
//! stderr that starts with `error: ` and names the file, the line:column and the JSON pointer
//! of the defect, no panic, and not one byte or modification time changed under the output
//! directory (which holds a previous good generation and a hand-written file).
//!
//! Every case starts from the small valid contracts in `tests/fixtures/bad/base/schemas`
//! (service `widget` plus `common/`), injects ONE defect and runs the real binary.
//! All stderr messages are pinned in one snapshot, `bad_contracts__messages.snap`, so a
//! change to any message is reviewed.

use std::fmt::Write as _;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_solo60-gen");
const BASE_SCHEMAS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/bad/base/schemas"
);
/// A hand-written file in the output directory; the generator must never touch it.
const NOTES: &str = "# Notes\n\nWritten by hand: no generator marker here.\n";
/// Longest a single run may take before it counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(60);
/// The exit code for bad input.
const EXIT_BAD_INPUT: i32 = 2;
/// Stands for the temporary directory in messages and the snapshot.
const TMP: &str = "[TMP]";

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/// Which subcommand a case runs.
#[derive(Debug, Clone, Copy)]
enum Run {
    /// `solo60-gen generate --schemas <tmp>/schemas --out <tmp>/generated`
    Generate,
    /// `solo60-gen check --schemas <tmp>/schemas --out <tmp>/generated`
    Check,
    /// `solo60-gen types <tmp>/standalone.schema.json -o <tmp>/generated/standalone.rs`
    Types,
}

/// One change to the valid base contracts. Paths are relative to the temporary directory.
enum Defect {
    /// Replaces the one occurrence of `from` in `file` with `to`.
    Replace {
        file: &'static str,
        from: &'static str,
        to: &'static str,
    },
    /// Creates `file` with `contents`.
    Write {
        file: &'static str,
        contents: String,
    },
    /// Each of these, in order (one mistake that takes an edit in two files).
    Many(Vec<Defect>),
}

/// Where a message must point, in the file after the defect.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// The line on which `needle` starts.
    LineOf(&'static str),
    /// Any line from the one `first` starts on to the one `last` starts on.
    Between {
        first: &'static str,
        last: &'static str,
    },
}

struct Case {
    run: Run,
    defect: Defect,
    /// The file the message names, relative to the temporary directory (as the message
    /// shows it for `generate` and `check`: the contracts folder is called `schemas`).
    file: &'static str,
    place: Place,
    /// JSON pointer of the offending value; `None` where none is required: the text cannot
    /// be parsed far enough for the value to exist (syntax errors), the pointer would be
    /// longer than helpful (128 levels of nesting), or the defect is spread over several
    /// values (an alias bomb).
    pointer: Option<&'static str>,
    /// Text the reason must contain, so the user learns what is wrong; `|` separates
    /// alternatives.
    reason: &'static str,
}

const TYPES: &str = "schemas/widget/types.schema.json";
const MANIFEST: &str = "schemas/widget/service.yaml";
const STANDALONE: &str = "standalone.schema.json";

fn replace(file: &'static str, from: &'static str, to: &'static str) -> Defect {
    Defect::Replace { file, from, to }
}

/// Declares every case as a test of its own and lists them, in order, for the snapshot.
macro_rules! table {
    ($($name:ident),+ $(,)?) => {
        fn table() -> Vec<(&'static str, Case)> {
            vec![$((stringify!($name), cases::$name())),+]
        }

        $(
            #[test]
            fn $name() {
                assert_case(stringify!($name));
            }
        )+
    };
}

table![
    manifest_yaml_syntax_error,
    schema_json_trailing_comma,
    ref_to_unknown_document,
    ref_to_missing_pointer,
    ref_to_unknown_anchor,
    duplicate_operation_id,
    operation_ids_with_same_method_name,
    fallback_method_named_like_an_operation,
    path_param_not_declared,
    declared_param_not_in_path,
    path_outside_internal,
    invalid_pattern_regex,
    invalid_pattern_properties_regex,
    unsupported_keyword,
    object_without_type,
    unknown_keyword_typo,
    min_length_is_a_string,
    required_is_a_string,
    unknown_format,
    yaml_alias_bomb,
    json_nesting_1000_deep,
    ref_cycle_without_content,
    manifest_unknown_key,
    manifest_unknown_method,
    schema_duplicate_json_key,
    check_ref_to_unknown_document,
    check_manifest_yaml_syntax_error,
    types_invalid_pattern_regex,
    required_property_forbidden_by_additional_properties,
    required_property_forbidden_by_unevaluated_properties,
    keyed_retry_on_a_get,
    caller_naming_no_service,
    error_code_off_the_manifest_schema_pattern,
    status_off_the_manifest_schema_range,
    service_name_off_the_manifest_schema_pattern,
    one_of_tagged_but_for_one_branch,
    query_property_with_no_query_string_form,
    example_breaking_its_own_schema,
];

#[path = "bad_contracts/intent_cases.rs"]
mod intent_cases;

#[path = "bad_contracts/cases.rs"]
mod cases;

#[path = "bad_contracts/harness.rs"]
mod harness;

use harness::{outcomes, run_case, Outcome};

// ---------------------------------------------------------------------------------------------
// The assertions
// ---------------------------------------------------------------------------------------------

/// The 1-based line on which `needle` starts in `text`.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.find(needle)
        .map(|index| text[..index].matches('\n').count() + 1)
}

/// The file as the message must show it.
fn shown_file(case: &Case) -> String {
    match case.run {
        Run::Generate | Run::Check => case.file.to_owned(),
        Run::Types => format!("{TMP}/{}", case.file),
    }
}

/// Everything wrong with how the generator handled `case`; empty when all is right.
fn problems(case: &Case, outcome: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(error) = &outcome.setup_error {
        return vec![format!("could not run the case: {error}")];
    }
    let stderr = &outcome.stderr;
    if outcome.timed_out {
        problems.push(format!("did not finish within {TIMEOUT:?}"));
    }
    if outcome.exit_code != Some(EXIT_BAD_INPUT) {
        problems.push(format!(
            "exit code {:?}, expected {EXIT_BAD_INPUT}",
            outcome.exit_code
        ));
    }
    for forbidden in ["panicked", "overflowed its stack", "RUST_BACKTRACE"] {
        if stderr.contains(forbidden) {
            problems.push(format!("stderr contains `{forbidden}`"));
        }
    }
    if !matches!(case.run, Run::Types) && stderr.contains(TMP) {
        problems.push("names a file by its absolute path, not relative to the contracts".into());
    }
    for change in &outcome.output_changes {
        problems.push(format!("output directory changed: {change}"));
    }

    // error: FILE[:LINE:COLUMN][ at POINTER]: REASON
    let file = shown_file(case);
    let Some(rest) = stderr.strip_prefix("error: ") else {
        problems.push("stderr does not start with `error: `".into());
        return problems;
    };
    let Some(rest) = rest.strip_prefix(file.as_str()) else {
        problems.push(format!("message does not start by naming `{file}`"));
        return problems;
    };
    let (position, rest) = split_position(rest);
    let (first, last) = match case.place {
        Place::LineOf(needle) => (needle, needle),
        Place::Between { first, last } => (first, last),
    };
    let text = &outcome.defective_text;
    match (position, line_of(text, first), line_of(text, last)) {
        (_, None, _) | (_, _, None) => problems.push(format!(
            "test defect: `{first}` or `{last}` not in {}",
            case.file
        )),
        (None, Some(from), Some(to)) => problems.push(format!(
            "no line:column (expected line {})",
            lines(from, to)
        )),
        (Some((line, _)), Some(from), Some(to)) if !(from..=to).contains(&line) => problems.push(
            format!("points at line {line}, expected line {}", lines(from, to)),
        ),
        _ => {}
    }
    let (pointer, reason) = match rest.strip_prefix(" at ") {
        Some(rest) => match rest.split_once(": ") {
            Some((pointer, reason)) => (Some(pointer), reason),
            None => (Some(rest), ""),
        },
        None => (None, rest.strip_prefix(": ").unwrap_or(rest)),
    };
    match (case.pointer, pointer) {
        (Some(expected), Some(actual)) if expected != actual => {
            problems.push(format!("JSON pointer `{actual}`, expected `{expected}`"))
        }
        (Some(expected), None) => problems.push(format!("no JSON pointer (expected `{expected}`)")),
        _ => {}
    }
    if !case.reason.split('|').any(|wanted| reason.contains(wanted)) {
        problems.push(format!("reason does not mention `{}`", case.reason));
    }
    problems
}

fn lines(from: usize, to: usize) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from}..={to}")
    }
}

/// Splits a leading `:LINE:COLUMN` off `rest`.
fn split_position(rest: &str) -> (Option<(usize, usize)>, &str) {
    let parse = || {
        let rest = rest.strip_prefix(':')?;
        let (line, rest) = rest.split_once(':')?;
        let line: usize = line.parse().ok()?;
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let column: usize = rest[..digits].parse().ok()?;
        Some(((line, column), &rest[digits..]))
    };
    match parse() {
        Some((position, rest)) => (Some(position), rest),
        None => (None, rest),
    }
}

fn assert_case(name: &str) {
    let table = table();
    let (_, case) = table
        .iter()
        .find(|(case_name, _)| *case_name == name)
        .expect("the case is in the table");
    let outcome = &outcomes()[name];
    let problems = problems(case, outcome);
    assert!(
        problems.is_empty(),
        "{name}:\n  - {}\nstderr:\n{}",
        problems.join("\n  - "),
        outcome.stderr
    );
}

/// Every case's message, for review in one snapshot.
#[test]
fn messages() {
    let mut text = String::new();
    for (name, _) in table() {
        let outcome = &outcomes()[name];
        let mut message = outcome.stderr.trim_end().replace('\n', "\n    ");
        if let Some(error) = &outcome.setup_error {
            message = format!("[setup failed: {error}]");
        } else if outcome.timed_out {
            message = format!("[timed out] {message}");
        } else if outcome.exit_code != Some(EXIT_BAD_INPUT) {
            message = format!("[exit {:?}] {message}", outcome.exit_code);
        }
        writeln!(text, "{name} -> {message}").expect("write to String");
    }
    insta::assert_snapshot!(text);
}

/// The harness itself: a valid edit that changes one generated file shows up as a change
/// (and the hand-written file stays alone), so "unchanged" above is not vacuous.
#[test]
fn harness_sees_a_rewritten_output_file() {
    let case = Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            r#""description": "A widget.","#,
            r#""description": "A blue widget.","#,
        ),
        file: TYPES,
        place: Place::LineOf("A blue widget"),
        pointer: None,
        reason: "",
    };
    let outcome = run_case(&case);
    assert_eq!(outcome.setup_error, None);
    assert_eq!(outcome.exit_code, Some(0), "{}", outcome.stderr);
    let changes = &outcome.output_changes;
    assert!(
        changes
            .iter()
            .any(|change| change.contains("widget/src/types.rs")),
        "{changes:?}"
    );
    assert!(
        !changes.iter().any(|change| change.contains("NOTES.md")),
        "{changes:?}"
    );
}
