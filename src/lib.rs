//! solo60-gen turns JSON Schema contracts into Rust: request and response types with
//! complete validation, operation metadata, and (from the same IR) clients and servers.
//!
//! The pipeline: [`load`] reads contracts into documents, [`ir`] lowers them into named
//! types and operations (every semantic check lives there), [`emit`] produces token
//! streams, [`format`] prints them once with prettyplease, and [`output`] writes only
//! what changed — or diffs it for `check`. [`typescript`] writes the same IR as npm
//! packages: Zod schemas with their types, and a client following the Rust client's rules.

pub mod config;
pub mod crate_files;
pub mod diff;
pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod openapi;
pub mod output;
pub mod typescript;

pub use config::{types_module, Config, PartialRender, RenderTarget, Rendered, TypesConfig};
pub use error::{ContractError, Diagnostic, Error, Location, Position};
pub use load::manifest_json_schema;
pub use output::{Drift, Output, Scope, StaleFiles, WriteReport};

/// The README's Rust examples, compiled (and, unless marked `no_run` or `ignore`, run) as
/// doc-tests, so the documentation cannot drift from the generated crates and the runtime.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
