//! The JSON Schema Test Suite (drafts 2020-12 and 7, required and format tests) as generated Rust: one module
//! per test group and a table of every case (see build.rs). A measurement harness, not
//! shipped code, so lints on the generated modules are relaxed here.

#![allow(
    dead_code,
    unused_imports,
    non_camel_case_types,
    non_snake_case,
    unused_variables,
    unused_mut,
    clippy::all,
    clippy::pedantic
)]

/// One test case of the suite.
pub struct Case {
    /// The part of the suite: draft, and whether it is the optional format tests.
    pub part: &'static str,
    pub file: &'static str,
    pub group: &'static str,
    pub case: &'static str,
    /// The group's schema as JSON text, exactly as the generator read it (with the `$schema`
    /// the build script adds when the suite leaves the dialect to the folder), so an
    /// independent validator can judge the same schema (see tests/oracle.rs).
    pub schema: &'static str,
    /// The instance, as JSON text.
    pub data: &'static str,
    /// Whether the suite expects the instance to be valid.
    pub valid: bool,
    /// Parses and validates the instance with the group's generated root type; `None` when
    /// the group is unsupported.
    pub check: Option<fn(&serde_json::Value) -> bool>,
    /// Why the group is unsupported (empty when it is supported).
    pub unsupported: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/groups.rs"));

/// The suite's folder as the build script found it (canonical). Panics with where it was
/// looked for when it is missing: tests reach this only under `CI` or with `--ignored`,
/// since they are ignored otherwise (cfg `suite_missing`, set by build.rs).
pub fn suite_dir() -> &'static std::path::Path {
    match SUITE {
        Ok(dir) => std::path::Path::new(dir),
        Err(reason) => panic!("{reason}"),
    }
}
