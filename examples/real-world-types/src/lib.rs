//! Real-world JSON Schemas turned into validated Rust types by `solo60-gen types`.
//!
//! Every module below is generated (it starts with an `@generated` header; do not edit it)
//! from the schema of the same name in `schemas/` by `regenerate.sh`, which runs, from the
//! workspace root, for each schema:
//!
//! ```text
//! cargo run -q -- types examples/real-world-types/schemas/<schema>.json \
//!     --root-name <Root> -o examples/real-world-types/src/<module>.rs
//! ```
//!
//! The modules are formatted by prettyplease, not rustfmt, hence `#[rustfmt::skip]`.
//! `tests/samples.rs` checks that each root type accepts the valid sample documents in
//! `samples/<schema>/valid/` and rejects those in `samples/<schema>/invalid/`.

/// `schemas/github-workflows.json` (draft-07), root `GithubWorkflow`.
#[rustfmt::skip]
pub mod github_workflows;

/// `schemas/github-actions.json` (draft-07), root `GithubAction`.
#[rustfmt::skip]
pub mod github_actions;

/// `schemas/dependabot.json` (draft-07), root `DependabotConfig`.
#[rustfmt::skip]
pub mod dependabot;

/// `schemas/readthedocs.json` (draft 2020-12), root `ReadTheDocsConfig`.
#[rustfmt::skip]
pub mod readthedocs;

/// `schemas/changie.json` (draft 2020-12), root `ChangieConfig`.
#[rustfmt::skip]
pub mod changie;
