//! Generates one module per test group of the JSON Schema Test Suite (drafts 2020-12 and 7,
//! required and format tests) into `OUT_DIR`, plus `groups.rs`: the modules and a table of
//! every test case with its schema and a check function, or the reason the group is
//! unsupported.
//!
//! The suite lives outside the repository (`../shared/json-schema-test-suite` beside it, or
//! `JSON_SCHEMA_TEST_SUITE`). Without it the crate still builds, with no cases, and sets the
//! cfg `suite_missing`, under which the tests are ignored with the reason; under `CI` the cfg
//! stays off, so they run and fail naming where the suite was looked for.

use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The suite checkout, relative to this crate; `JSON_SCHEMA_TEST_SUITE` overrides it. Also
/// named by the tests' ignore reason.
const DEFAULT_SUITE: &str = "../../../shared/json-schema-test-suite";

/// One part of the suite: where its files are, the dialect its schemas are written in, and
/// what `format` means there (an annotation in the required tests, an assertion in the
/// optional format tests).
struct Part {
    name: &'static str,
    dir: &'static str,
    dialect: &'static str,
    formats: solo60_gen::ir::Formats,
}

const PARTS: &[Part] = &[
    Part {
        name: "draft2020-12",
        dir: "tests/draft2020-12",
        dialect: "https://json-schema.org/draft/2020-12/schema",
        formats: solo60_gen::ir::Formats::Annotate,
    },
    Part {
        name: "draft2020-12 format",
        dir: "tests/draft2020-12/optional/format",
        dialect: "https://json-schema.org/draft/2020-12/schema",
        formats: solo60_gen::ir::Formats::Assert,
    },
    Part {
        name: "draft7",
        dir: "tests/draft7",
        dialect: "http://json-schema.org/draft-07/schema#",
        formats: solo60_gen::ir::Formats::Annotate,
    },
    Part {
        name: "draft7 format",
        dir: "tests/draft7/optional/format",
        dialect: "http://json-schema.org/draft-07/schema#",
        formats: solo60_gen::ir::Formats::Assert,
    },
];

/// Groups whose generated module does not compile, keyed by (file, group description),
/// with the compiler's complaint. They count as unsupported so the crate always builds.
const DENY: &[(&str, &str, &str, &str)] = &[];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rustc-check-cfg=cfg(suite_missing)");
    println!("cargo:rerun-if-env-changed=JSON_SCHEMA_TEST_SUITE");
    println!("cargo:rerun-if-env-changed=CI");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let suite = std::env::var("JSON_SCHEMA_TEST_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_SUITE));
    let suite = match fs::canonicalize(&suite) {
        Ok(suite) => suite,
        Err(error) => return without_suite(&suite, &error, &out_dir),
    };
    let remotes = suite.join("remotes");
    println!("cargo:rerun-if-changed={}", remotes.display());

    let schema_dir = out_dir.join("schemas");
    fs::create_dir_all(&schema_dir)?;

    let mut modules = String::new();
    let mut cases = String::new();
    for part in PARTS {
        let tests_dir = suite.join(part.dir);
        println!("cargo:rerun-if-changed={}", tests_dir.display());
        let mut files: Vec<PathBuf> = fs::read_dir(&tests_dir)?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        let prefix = part.name.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        for path in &files {
            println!("cargo:rerun-if-changed={}", path.display());
            let file = path.file_stem().unwrap().to_string_lossy().into_owned();
            let ident = file.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
            let groups: serde_json::Value = serde_json::from_str(&fs::read_to_string(path)?)?;
            for (index, group) in groups.as_array().into_iter().flatten().enumerate() {
                let description = group["description"].as_str().unwrap_or_default();
                let module = format!("g_{prefix}_{ident}_{index}");
                // The suite leaves the dialect to the folder; a user states it with `$schema`.
                let mut schema = group["schema"].clone();
                if let Some(object) = schema.as_object_mut() {
                    object
                        .entry("$schema")
                        .or_insert_with(|| part.dialect.into());
                }
                let denied = DENY
                    .iter()
                    .find(|(p, f, g, _)| *p == part.name && *f == file && *g == description);
                let unsupported = match denied {
                    Some((_, _, _, reason)) => Some(format!("does not compile: {reason}")),
                    None => generate(&schema_dir, &out_dir, &remotes, part, &module, &schema),
                };
                if unsupported.is_none() {
                    writeln!(
                        modules,
                        "pub mod {module} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{module}.rs\"));\n}}"
                    )?;
                }
                let schema_text = serde_json::to_string(&schema)?;
                for test in group["tests"].as_array().into_iter().flatten() {
                    let check = match &unsupported {
                        None => {
                            format!("Some(|v| solo60_runtime::parse::<{module}::Root>(v).is_ok())")
                        }
                        Some(_) => "None".to_owned(),
                    };
                    writeln!(
                        cases,
                        "    Case {{ part: {:?}, file: {:?}, group: {:?}, case: {:?}, schema: {:?}, data: {:?}, valid: {}, check: {check}, unsupported: {:?} }},",
                        part.name,
                        file,
                        description,
                        test["description"].as_str().unwrap_or_default(),
                        schema_text,
                        serde_json::to_string(&test["data"])?,
                        test["valid"].as_bool().unwrap_or_default(),
                        unsupported.as_deref().unwrap_or_default(),
                    )?;
                }
            }
        }
    }
    let groups = format!(
        "{modules}\npub static CASES: &[Case] = &[\n{cases}];\n\npub const SUITE: Result<&str, &str> = Ok({:?});\n",
        suite.display().to_string()
    );
    fs::write(out_dir.join("groups.rs"), groups)?;
    Ok(())
}

/// No suite at `suite`: no cases, `SUITE` says why, and the tests are ignored (not under
/// `CI`). Watching the missing path reruns this script on every build until it appears.
fn without_suite(
    suite: &Path,
    error: &std::io::Error,
    out_dir: &Path,
) -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed={}", suite.display());
    let reason = format!(
        "the JSON Schema Test Suite is not at {} ({error}): clone \
         https://github.com/json-schema-org/JSON-Schema-Test-Suite there, or set \
         JSON_SCHEMA_TEST_SUITE to a checkout",
        suite.display()
    );
    if std::env::var_os("CI").is_none() {
        println!("cargo::rustc-cfg=suite_missing");
        println!("cargo::warning=conformance tests ignored: {reason}");
    }
    let groups = format!("pub static CASES: &[Case] = &[];\n\npub const SUITE: Result<&str, &str> = Err({reason:?});\n");
    fs::write(out_dir.join("groups.rs"), groups)?;
    Ok(())
}

/// Writes the group's schema (with its `$schema` already set) and its module; `Some(reason)`
/// when generation refuses.
fn generate(
    schema_dir: &Path,
    out_dir: &Path,
    remotes: &Path,
    part: &Part,
    module: &str,
    schema: &serde_json::Value,
) -> Option<String> {
    let schema_path = schema_dir.join(format!("{}.json", &module[2..]));
    if let Err(e) = serde_json::to_string_pretty(schema)
        .map_err(|e| e.to_string())
        .and_then(|text| fs::write(&schema_path, text).map_err(|e| e.to_string()))
    {
        return Some(format!("cannot write schema: {e}"));
    }
    let config = solo60_gen::TypesConfig {
        root_name: "Root".to_owned(),
        ref_dirs: solo60_gen::load::RefDirs {
            mappings: vec![("http://localhost:1234/".into(), remotes.to_path_buf())],
        },
        unknown_keywords: solo60_gen::ir::UnknownKeywords::Ignore,
        formats: part.formats,
    };
    match std::panic::catch_unwind(|| solo60_gen::types_module(&schema_path, &config)) {
        Ok(Ok(source)) => match fs::write(out_dir.join(format!("{module}.rs")), source) {
            Ok(()) => None,
            Err(e) => Some(format!("cannot write module: {e}")),
        },
        Ok(Err(error)) => {
            // Machine-independent paths, so the committed report is stable.
            let message = error
                .to_string()
                .replace(&schema_dir.display().to_string(), "schemas")
                .replace(&remotes.display().to_string(), "remotes");
            Some(one_line(&message))
        }
        Err(_) => Some("generator panicked".to_owned()),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
