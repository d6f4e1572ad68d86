//! Malformed contracts are refused the way the design promises: exit code 2, a message on
//! stderr that starts with `error: ` and names the file, the line:column and the JSON pointer
//! of the defect, no panic, and not one byte or modification time changed under the output
//! directory (which holds a previous good generation and a hand-written file).
//!
//! Every case starts from the small valid contracts in `tests/fixtures/bad/base/schemas`
//! (service `widget` plus `common/`), injects ONE defect and runs the real binary.
//! All stderr messages are pinned in one snapshot, `bad_contracts__messages.snap`, so a
//! change to any message is reviewed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

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

mod cases {
    use super::*;

    pub use super::intent_cases::{
        caller_naming_no_service, error_code_off_the_manifest_schema_pattern,
        example_breaking_its_own_schema, keyed_retry_on_a_get, one_of_tagged_but_for_one_branch,
        query_property_with_no_query_string_form,
        required_property_forbidden_by_additional_properties,
        required_property_forbidden_by_unevaluated_properties,
        service_name_off_the_manifest_schema_pattern, status_off_the_manifest_schema_range,
    };

    pub fn manifest_yaml_syntax_error() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                MANIFEST,
                "summary: Fetch one widget by id.",
                "summary: Fetch: one widget by id.",
            ),
            file: MANIFEST,
            place: Place::LineOf("    summary: Fetch: one"),
            pointer: None,
            reason: "mapping values are not allowed",
        }
    }

    pub fn schema_json_trailing_comma() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(TYPES, r#""format": "uuid""#, r#""format": "uuid","#),
            file: TYPES,
            // The comma's line, or that of the `}` where serde_json notices it was trailing.
            place: Place::Between {
                first: r#""format": "uuid","#,
                last: "        },\n        \"name\"",
            },
            pointer: None,
            reason: "trailing comma",
        }
    }

    pub fn ref_to_unknown_document() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                TYPES,
                r#""../common/common.schema.json#/$defs/Money""#,
                r#""../common/currency.schema.json#/$defs/Money""#,
            ),
            file: TYPES,
            place: Place::LineOf(r#"          "$ref": "../common/currency"#),
            pointer: Some("/$defs/CreateWidgetRequest/properties/price/$ref"),
            reason: "currency.schema.json",
        }
    }

    pub fn ref_to_missing_pointer() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                TYPES,
                "common/common.schema.json#/$defs/Money\"\n        },\n        \"labels\"",
                "common/common.schema.json#/$defs/Monee\"\n        },\n        \"labels\"",
            ),
            file: TYPES,
            place: Place::LineOf(r#"          "$ref": "https://contracts.solo60.dev/common"#),
            pointer: Some("/$defs/Widget/properties/price/$ref"),
            reason: "/$defs/Monee",
        }
    }

    pub fn ref_to_unknown_anchor() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                TYPES,
                r#""../common/common.schema.json#/$defs/Money""#,
                r#""../common/common.schema.json#money""#,
            ),
            file: TYPES,
            place: Place::LineOf(r#"          "$ref": "../common/common.schema.json#money"#),
            pointer: Some("/$defs/CreateWidgetRequest/properties/price/$ref"),
            reason: "anchor `money`",
        }
    }

    pub fn duplicate_operation_id() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                MANIFEST,
                "  createWidget:\n    summary: Create a widget.",
                "  getWidget:\n    summary: Create a widget.",
            ),
            file: MANIFEST,
            place: Place::LineOf("  getWidget:\n    summary: Create"),
            pointer: Some("/operations/getWidget"),
            reason: "getWidget",
        }
    }

    pub fn operation_ids_with_same_method_name() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                MANIFEST,
                "  createWidget:\n",
                "  get_widget:\n    summary: Fetch one widget by id, again.\n    \
                 method: GET\n    path: /internal/widget/{widgetId}\n    params:\n      \
                 widgetId: { type: string, format: uuid }\n    \
                 response: types.schema.json#/$defs/Widget\n\n  createWidget:\n",
            ),
            file: MANIFEST,
            place: Place::LineOf("  get_widget:"),
            pointer: Some("/operations/get_widget"),
            reason: "get_widget",
        }
    }

    pub fn fallback_method_named_like_an_operation() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                MANIFEST,
                "  getWidget:\n    summary: Fetch one widget by id.\n",
                "  getWidgetOr:\n    summary: Fetch one widget or another.\n    \
                 method: GET\n    path: /internal/widgets/either/{widgetId}\n    params:\n      \
                 widgetId: { type: string, format: uuid }\n    \
                 response: types.schema.json#/$defs/Widget\n\n  \
                 getWidget:\n    summary: Fetch one widget by id.\n    critical: false\n",
            ),
            file: MANIFEST,
            place: Place::LineOf("    critical: false"),
            pointer: Some("/operations/getWidget/critical"),
            reason: "get_widget_or",
        }
    }

    pub fn path_param_not_declared() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                MANIFEST,
                "path: /internal/widgets/{widgetId}\n",
                "path: /internal/widgets/{widgetId}/parts/{partId}\n",
            ),
            file: MANIFEST,
            place: Place::LineOf("    path: /internal/widgets/{widgetId}/parts"),
            pointer: Some("/operations/getWidget/path"),
            reason: "`partId`",
        }
    }

    pub fn declared_param_not_in_path() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                MANIFEST,
                "      widgetId: { type: string, format: uuid }\n",
                "      widgetId: { type: string, format: uuid }\n      partId: { type: string }\n",
            ),
            file: MANIFEST,
            place: Place::LineOf("      partId:"),
            pointer: Some("/operations/getWidget/params/partId"),
            reason: "`partId`",
        }
    }

    pub fn path_outside_internal() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                MANIFEST,
                "path: /internal/widgets\n",
                "path: /api/widgets\n",
            ),
            file: MANIFEST,
            place: Place::LineOf("    path: /api/widgets"),
            pointer: Some("/operations/createWidget/path"),
            reason: "/internal/",
        }
    }

    pub fn invalid_pattern_regex() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                TYPES,
                r#""pattern": "^[A-Za-z0-9 ]+$""#,
                r#""pattern": "^[A-Za-z0-9 +$""#,
            ),
            file: TYPES,
            place: Place::LineOf(r#"          "pattern": "^[A-Za-z0-9 +$""#),
            pointer: Some("/$defs/Widget/properties/name/pattern"),
            reason: "^[A-Za-z0-9 +$",
        }
    }

    pub fn invalid_pattern_properties_regex() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                TYPES,
                r#""additionalProperties": { "type": "string" }"#,
                r#""patternProperties": { "^(colour": { "type": "string" } }"#,
            ),
            file: TYPES,
            place: Place::LineOf(r#"          "patternProperties""#),
            pointer: Some("/$defs/Widget/properties/labels/patternProperties/^(colour"),
            reason: "^(colour",
        }
    }

    pub fn unsupported_keyword() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                TYPES,
                r#""description": "A widget.","#,
                "\"description\": \"A widget.\",\n      \"$recursiveRef\": \"#\",",
            ),
            file: TYPES,
            place: Place::LineOf(r#"      "$recursiveRef""#),
            pointer: Some("/$defs/Widget/$recursiveRef"),
            reason: "unsupported keyword `$recursiveRef`",
        }
    }

    pub fn object_without_type() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                TYPES,
                "\"description\": \"A widget.\",\n      \"type\": \"object\",",
                "\"description\": \"A widget.\",",
            ),
            file: TYPES,
            place: Place::LineOf(r#"    "Widget""#),
            pointer: Some("/$defs/Widget"),
            // Non-objects would be valid: contracts say `type: object` outright.
            reason: "add `\"type\": \"object\"`",
        }
    }

    pub fn unknown_keyword_typo() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(TYPES, r#""maxLength": 80,"#, r#""maxLenght": 80,"#),
            file: TYPES,
            place: Place::LineOf(r#"          "maxLenght""#),
            pointer: Some("/$defs/Widget/properties/name/maxLenght"),
            // Not "unsupported", which says the keyword exists but is not implemented.
            reason: "unknown keyword `maxLenght`",
        }
    }

    pub fn min_length_is_a_string() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(TYPES, r#""minLength": 1,"#, r#""minLength": "3","#),
            file: TYPES,
            place: Place::LineOf(r#"          "minLength": "3""#),
            pointer: Some("/$defs/Widget/properties/name/minLength"),
            reason: "minLength",
        }
    }

    pub fn required_is_a_string() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                TYPES,
                r#""required": ["id", "name", "price"]"#,
                r#""required": "id""#,
            ),
            file: TYPES,
            place: Place::LineOf(r#"      "required": "id""#),
            pointer: Some("/$defs/Widget/required"),
            reason: "required",
        }
    }

    pub fn unknown_format() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(TYPES, r#""format": "uuid""#, r#""format": "colour""#),
            file: TYPES,
            place: Place::LineOf(r#"          "format": "colour""#),
            pointer: Some("/$defs/Widget/properties/id/format"),
            reason: "colour",
        }
    }

    pub fn yaml_alias_bomb() -> Case {
        Case {
            run: Run::Generate,
            defect: Defect::Write {
                file: "schemas/widget/laughs.schema.yaml",
                contents: alias_bomb(),
            },
            file: "schemas/widget/laughs.schema.yaml",
            place: Place::Between {
                first: "      - &a",
                last: "      - &i",
            },
            pointer: None,
            reason: "alias",
        }
    }

    pub fn json_nesting_1000_deep() -> Case {
        Case {
            run: Run::Generate,
            defect: Defect::Write {
                file: "schemas/widget/deep.schema.json",
                contents: deep_nesting(1000),
            },
            file: "schemas/widget/deep.schema.json",
            place: Place::LineOf(DEEP_LIMIT_LINE),
            pointer: None,
            reason: "nest|deep",
        }
    }

    pub fn ref_cycle_without_content() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                TYPES,
                "\"$defs\": {\n",
                "\"$defs\": {\n    \"A\": { \"$ref\": \"#/$defs/B\" },\n    \
                 \"B\": { \"$ref\": \"#/$defs/A\" },\n",
            ),
            file: TYPES,
            place: Place::LineOf(r#"    "A": "#),
            pointer: Some("/$defs/A"),
            // Names the other member of the cycle, not just the one where it was noticed.
            reason: "`B`|/$defs/B",
        }
    }

    pub fn manifest_unknown_key() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(MANIFEST, "retry: keyed", "retyr: safe"),
            file: MANIFEST,
            place: Place::LineOf("    retyr: safe"),
            pointer: Some("/operations/createWidget/retyr"),
            reason: "unknown field `retyr`",
        }
    }

    pub fn manifest_unknown_method() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(MANIFEST, "method: GET", "method: FETCH"),
            file: MANIFEST,
            place: Place::LineOf("    method: FETCH"),
            pointer: Some("/operations/getWidget/method"),
            reason: "FETCH",
        }
    }

    pub fn schema_duplicate_json_key() -> Case {
        Case {
            run: Run::Generate,
            defect: replace(
                TYPES,
                r#""maxLength": 80,"#,
                "\"maxLength\": 80,\n          \"maxLength\": 64,",
            ),
            file: TYPES,
            place: Place::LineOf(r#"          "maxLength": 64"#),
            pointer: Some("/$defs/Widget/properties/name/maxLength"),
            reason: "duplicate key `maxLength`",
        }
    }

    pub fn check_ref_to_unknown_document() -> Case {
        Case {
            run: Run::Check,
            ..ref_to_unknown_document()
        }
    }

    pub fn check_manifest_yaml_syntax_error() -> Case {
        Case {
            run: Run::Check,
            ..manifest_yaml_syntax_error()
        }
    }

    pub fn types_invalid_pattern_regex() -> Case {
        Case {
            run: Run::Types,
            defect: Defect::Write {
                file: STANDALONE,
                contents: r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Settings",
  "type": "object",
  "properties": {
    "host": {
      "type": "string",
      "pattern": "^[a-z"
    }
  },
  "required": ["host"]
}
"#
                .to_owned(),
            },
            file: STANDALONE,
            place: Place::LineOf(r#"      "pattern": "^[a-z""#),
            pointer: Some("/properties/host/pattern"),
            reason: "^[a-z",
        }
    }
}

/// A schema document whose `examples` hold a "billion laughs": anchors `a`..`i`, each a list
/// of nine aliases of the one before (9^9 strings once expanded).
fn alias_bomb() -> String {
    let mut text = String::from(
        "$schema: https://json-schema.org/draft/2020-12/schema\n\
         $id: https://contracts.solo60.dev/widget/laughs.schema.yaml\n\
         description: A billion laughs.\n\
         $defs:\n  \
           Laughs:\n    \
             description: Expands to 9^9 strings.\n    \
             type: array\n    \
             examples:\n      \
               - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for (previous, anchor) in ('a'..='h').zip('b'..='i') {
        let aliases = vec![format!("*{previous}"); 9].join(", ");
        writeln!(text, "      - &{anchor} [{aliases}]").expect("write to String");
    }
    text
}

/// Where the nesting limit bites in [`deep_nesting`]: serde_json refuses more than 128
/// nested containers; the document itself takes three and each level two more, on one line.
const DEEP_LIMIT_LINE: &str = "\"properties\": {\"n62\":";

/// A schema whose `Deep` definition nests `properties` `levels` levels deep, one level per
/// line, each property named after its depth (`n0`, `n1`, ...).
fn deep_nesting(levels: usize) -> String {
    let mut text = String::from(
        "{\n\"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n\
         \"$id\": \"https://contracts.solo60.dev/widget/deep.schema.json\",\n\
         \"$defs\": {\"Deep\": {\"description\": \"Too deep.\", \"type\": \"object\",\n",
    );
    for level in 0..levels {
        writeln!(
            text,
            "\"properties\": {{\"n{level}\": {{\"type\": \"object\","
        )
        .expect("write to String");
    }
    text.push_str("\"description\": \"The bottom.\"\n");
    for _ in 0..levels {
        text.push_str("}}\n");
    }
    text.push_str("}}}\n");
    text
}

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

/// What one run of the binary did.
#[derive(Debug, Clone)]
struct Outcome {
    /// `None` when killed by a signal (a stack overflow aborts) or by the timeout.
    exit_code: Option<i32>,
    timed_out: bool,
    /// stderr with the temporary directory replaced by [`TMP`].
    stderr: String,
    /// The defective file's text, to find the line a message must point at.
    defective_text: String,
    /// What changed under the output directory (empty when nothing did).
    output_changes: Vec<String>,
    /// Set when the case could not even be prepared (a defect in this test).
    setup_error: Option<String>,
}

/// Every case's outcome, computed once (in parallel) and shared by all tests.
fn outcomes() -> &'static BTreeMap<&'static str, Outcome> {
    static OUTCOMES: OnceLock<BTreeMap<&'static str, Outcome>> = OnceLock::new();
    OUTCOMES.get_or_init(|| {
        let table = table();
        thread::scope(|scope| {
            let handles: Vec<_> = table
                .iter()
                .map(|(name, case)| (*name, scope.spawn(move || run_case(case))))
                .collect();
            handles
                .into_iter()
                .map(|(name, handle)| {
                    let outcome = handle.join().unwrap_or_else(|_| Outcome {
                        exit_code: None,
                        timed_out: false,
                        stderr: String::new(),
                        defective_text: String::new(),
                        output_changes: Vec::new(),
                        setup_error: Some("the test's own runner panicked".into()),
                    });
                    (name, outcome)
                })
                .collect()
        })
    })
}

fn run_case(case: &Case) -> Outcome {
    let mut outcome = Outcome {
        exit_code: None,
        timed_out: false,
        stderr: String::new(),
        defective_text: String::new(),
        output_changes: Vec::new(),
        setup_error: None,
    };
    if let Err(error) = run_case_into(case, &mut outcome) {
        outcome.setup_error = Some(error);
    }
    outcome
}

fn run_case_into(case: &Case, outcome: &mut Outcome) -> Result<(), String> {
    let tmp = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    let root = tmp.path();
    let schemas = root.join("schemas");
    let generated = root.join("generated");
    copy_dir(Path::new(BASE_SCHEMAS), &schemas)?;

    // A previous good generation, plus a hand-written file, all with old mtimes so that any
    // rewrite shows even on a file system with coarse timestamps.
    let good = run(root, &crates_args("generate", &schemas, &generated))?;
    if good.exit_code != Some(0) {
        return Err(format!(
            "the base contracts do not generate: exit {:?}, {}",
            good.exit_code, good.stderr
        ));
    }
    fs::write(generated.join("NOTES.md"), NOTES).map_err(|e| format!("NOTES.md: {e}"))?;
    age_tree(&generated)?;

    apply(&case.defect, root)?;
    outcome.defective_text = fs::read_to_string(root.join(case.file))
        .map_err(|e| format!("reading {}: {e}", case.file))?;

    let before = tree(&generated)?;
    let args = match case.run {
        Run::Generate => crates_args("generate", &schemas, &generated),
        Run::Check => crates_args("check", &schemas, &generated),
        Run::Types => vec![
            "types".into(),
            root.join(STANDALONE)
                .into_os_string()
                .into_string()
                .unwrap_or_default(),
            "--root-name".into(),
            "Settings".into(),
            "-o".into(),
            generated
                .join("standalone.rs")
                .into_os_string()
                .into_string()
                .unwrap_or_default(),
        ],
    };
    let bad = run(root, &args)?;
    let after = tree(&generated)?;

    outcome.exit_code = bad.exit_code;
    outcome.timed_out = bad.timed_out;
    outcome.stderr = bad.stderr;
    outcome.output_changes = compare_trees(&before, &after);
    Ok(())
}

fn crates_args(command: &str, schemas: &Path, generated: &Path) -> Vec<String> {
    vec![
        command.into(),
        "--schemas".into(),
        schemas.display().to_string(),
        "--out".into(),
        generated.display().to_string(),
    ]
}

struct RunResult {
    exit_code: Option<i32>,
    timed_out: bool,
    stderr: String,
}

/// Runs the binary in `root` with a timeout; stdout and stderr go to files outside the
/// output directory, so a chatty child can never block on a full pipe.
fn run(root: &Path, args: &[String]) -> Result<RunResult, String> {
    let logs = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    let stdout_path = logs.path().join("stdout");
    let stderr_path = logs.path().join("stderr");
    let create = |path: &Path| fs::File::create(path).map_err(|e| format!("log file: {e}"));
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(root)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(create(&stdout_path)?)
        .stderr(create(&stderr_path)?)
        .spawn()
        .map_err(|e| format!("spawning {BIN}: {e}"))?;
    let deadline = Instant::now() + TIMEOUT;
    let (status, timed_out) = loop {
        match child.try_wait().map_err(|e| format!("waiting: {e}"))? {
            Some(status) => break (Some(status), false),
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break (None, true);
            }
            None => thread::sleep(Duration::from_millis(10)),
        }
    };
    let stderr = fs::read(&stderr_path).map_err(|e| format!("reading stderr: {e}"))?;
    Ok(RunResult {
        exit_code: status.and_then(|status| status.code()),
        timed_out,
        stderr: scrub(&String::from_utf8_lossy(&stderr), root),
    })
}

/// Replaces the temporary directory (as given and canonical) by [`TMP`].
fn scrub(text: &str, root: &Path) -> String {
    let mut text = text.replace(&root.display().to_string(), TMP);
    if let Ok(canonical) = root.canonicalize() {
        text = text.replace(&canonical.display().to_string(), TMP);
    }
    text
}

fn apply(defect: &Defect, root: &Path) -> Result<(), String> {
    match defect {
        Defect::Replace { file, from, to } => {
            let path = root.join(file);
            let text = fs::read_to_string(&path).map_err(|e| format!("reading {file}: {e}"))?;
            let found = text.matches(from).count();
            if found != 1 {
                return Err(format!("`{from}` occurs {found} times in {file}, not once"));
            }
            fs::write(&path, text.replacen(from, to, 1)).map_err(|e| format!("{file}: {e}"))
        }
        Defect::Write { file, contents } => {
            let path = root.join(file);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| format!("{file}: {e}"))?;
            }
            fs::write(&path, contents).map_err(|e| format!("{file}: {e}"))
        }
        Defect::Many(defects) => defects.iter().try_for_each(|defect| apply(defect, root)),
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            fs::copy(&path, &target).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The output directory, byte for byte and mtime for mtime
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Dir,
    File(Vec<u8>),
    Other,
}

/// Every entry under `dir` (and `dir` itself, as ""), with contents and modification time.
fn tree(dir: &Path) -> Result<BTreeMap<String, (Node, SystemTime)>, String> {
    let mut entries = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        let metadata = fs::symlink_metadata(&path).map_err(|e| format!("{e}"))?;
        let modified = metadata.modified().map_err(|e| format!("{e}"))?;
        let node = if metadata.is_dir() {
            for entry in fs::read_dir(&path).map_err(|e| format!("{e}"))? {
                pending.push(entry.map_err(|e| format!("{e}"))?.path());
            }
            Node::Dir
        } else if metadata.is_file() {
            Node::File(fs::read(&path).map_err(|e| format!("{e}"))?)
        } else {
            Node::Other
        };
        let relative = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        entries.insert(relative, (node, modified));
    }
    Ok(entries)
}

/// Sets every modification time under `dir` to one fixed moment in the past.
fn age_tree(dir: &Path) -> Result<(), String> {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let paths: Vec<PathBuf> = tree(dir)?
        .keys()
        .map(|relative| dir.join(relative))
        .collect();
    // Files first, then directories deepest first, so no later step touches an aged mtime.
    let (dirs, files): (Vec<_>, Vec<_>) = paths.into_iter().partition(|path| path.is_dir());
    let mut dirs = dirs;
    dirs.sort_by_key(|path| std::cmp::Reverse(path.components().count()));
    for path in files.iter().chain(&dirs) {
        fs::File::open(path)
            .and_then(|file| file.set_modified(old))
            .map_err(|e| format!("aging {}: {e}", path.display()))?;
    }
    Ok(())
}

fn compare_trees(
    before: &BTreeMap<String, (Node, SystemTime)>,
    after: &BTreeMap<String, (Node, SystemTime)>,
) -> Vec<String> {
    let mut changes = Vec::new();
    for (path, (node, modified)) in before {
        match after.get(path) {
            None => changes.push(format!("`{path}` was removed")),
            Some((new_node, _)) if new_node != node => {
                changes.push(format!("`{path}` changed contents"))
            }
            Some((_, new_modified)) if new_modified != modified => {
                changes.push(format!("`{path}` changed modification time"))
            }
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|path| !before.contains_key(*path)) {
        changes.push(format!("`{path}` was created"));
    }
    changes
}

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
