//! `solo60-gen diff`: which changes between two versions of the contracts break someone.
//!
//! Both versions are lowered to the IR, so the comparison sees exactly what generation
//! sees: resolved `$ref`s, named types, validation rules and operations. Each service's
//! operations are matched by id ([`operations`]); the types at each position are compared
//! twice ([`types`]): on the wire, with a direction ([`wire`]: a request may accept more,
//! never less; a response may promise more, never allow more), and as Rust API
//! ([`rust_api`]: renamed types, new variants, `T` becoming `Option<T>`). The result is a
//! flat, ordered list of [`Change`]s, rendered as text or JSON ([`report`]).
//!
//! ```no_run
//! use std::path::Path;
//! use solo60_gen::diff::{diff_services, load_services};
//!
//! let base = load_services(Path::new("old/schemas"))?;
//! let head = load_services(Path::new("schemas"))?;
//! let diff = diff_services(&base, &head);
//! print!("{}", diff.render_text());
//! std::process::exit(if diff.is_breaking() { 1 } else { 0 });
//! # Ok::<(), solo60_gen::Error>(())
//! ```

mod bounds;
mod change;
mod operations;
mod policies;
mod report;
mod rust_api;
mod rust_variants;
mod signatures;
mod source;
mod types;
mod wire;

use std::path::Path;

use crate::error::{sort_diagnostics, Diagnostic, Error};
use crate::ir::calendar::Date;
use crate::ir::{lower_service, ServiceIr};
use crate::load::load_contracts_reporting;

pub use change::{Breaks, Change, Level};
pub use source::{load_revision, ContractSource, Materialized};

/// Everything that differs between two versions of the contracts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContractDiff {
    /// Grouped by service (sorted by name), then by operation in manifest order (removed
    /// and changed operations as the base lists them, then new ones), then service-wide
    /// changes; within an operation, in the order the comparison met them.
    pub changes: Vec<Change>,
}

impl ContractDiff {
    /// Whether any change breaks deployed callers (wire) or code using the generated
    /// crates (Rust). Deprecation warnings and compatible changes do not.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|change| change.level.is_breaking())
    }

    /// Whose builds the changes break, all together.
    pub fn breaks(&self) -> Breaks {
        self.changes
            .iter()
            .fold(Breaks::Nobody, |all, change| all.and(change.breaks))
    }

    /// How many changes have `level`.
    pub fn count(&self, level: Level) -> usize {
        self.changes
            .iter()
            .filter(|change| change.level == level)
            .count()
    }
}

/// Lowers every service of a contracts directory, as generation does; fails with every
/// problem found when any service does not load or lower.
pub fn load_services(dir: &Path) -> Result<Vec<ServiceIr>, Error> {
    let loaded = load_services_reporting(dir)?;
    match Error::from_diagnostics(loaded.problems) {
        Some(error) => Err(error),
        None => Ok(loaded.services),
    }
}

/// The services of a contracts directory that load and lower, and the problems of those
/// that do not: a comparison leaves the broken ones out rather than calling them removed.
#[derive(Debug, Clone, Default)]
pub struct LoadedServices {
    pub services: Vec<ServiceIr>,
    /// Every problem found, grouped by file and sorted by position.
    pub problems: Vec<Diagnostic>,
    /// Folders of the services that did not lower; every folder when a shared document
    /// did not load ([`LoadedServices::all_broken`]).
    pub broken_folders: Vec<String>,
    /// Set when a shared document did not load, so no service could be lowered.
    pub all_broken: bool,
}

impl LoadedServices {
    /// Whether the service in `folder` did not load or lower.
    pub fn is_broken(&self, folder: &str) -> bool {
        self.all_broken || self.broken_folders.iter().any(|broken| broken == folder)
    }
}

/// Lowers every service of a contracts directory that loads, collecting the problems of
/// the others; only failing to read the disk is an error.
pub fn load_services_reporting(dir: &Path) -> Result<LoadedServices, Error> {
    let contracts = load_contracts_reporting(dir)?;
    let mut loaded = LoadedServices {
        problems: contracts.load_problems(),
        broken_folders: contracts
            .broken
            .iter()
            .map(|broken| broken.folder.clone())
            .collect(),
        all_broken: contracts.shared_folder_broken(),
        ..LoadedServices::default()
    };
    if loaded.all_broken {
        return Ok(loaded);
    }
    for service in &contracts.services {
        match lower_service(&contracts, service) {
            Ok(ir) => loaded.services.push(ir),
            Err(error) => {
                loaded.problems.extend(error.into_diagnostics()?);
                loaded.broken_folders.push(service.folder.clone());
            }
        }
    }
    sort_diagnostics(&mut loaded.problems);
    Ok(loaded)
}

/// Compares two versions of the contracts, judging sunsets against today's date (UTC).
pub fn diff_services(base: &[ServiceIr], head: &[ServiceIr]) -> ContractDiff {
    diff_services_at(base, head, Date::today())
}

/// Compares two versions of the contracts, judging sunsets against `today`.
pub fn diff_services_at(base: &[ServiceIr], head: &[ServiceIr], today: Date) -> ContractDiff {
    let mut names: Vec<&str> = base
        .iter()
        .chain(head)
        .map(|service| service.name.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut changes = Vec::new();
    for name in names {
        match (named(base, name), named(head, name)) {
            (Some(base), Some(head)) => changes.extend(operations::diff_service(base, head, today)),
            (Some(base), None) => changes.push(Change {
                service: base.name.clone(),
                operation: None,
                version: None,
                location: "service".to_owned(),
                what: format!(
                    "service removed with its {} operation(s)",
                    base.operations.len()
                ),
                why: "every caller of the service fails, and its generated crate disappears"
                    .to_owned(),
                level: Level::WireBreaking,
                breaks: Breaks::CallersAndImplementers,
            }),
            (None, Some(head)) => changes.push(Change {
                service: head.name.clone(),
                operation: None,
                version: None,
                location: "service".to_owned(),
                what: format!("new service with {} operation(s)", head.operations.len()),
                why: "nothing calls it yet".to_owned(),
                level: Level::Compatible,
                breaks: Breaks::Nobody,
            }),
            (None, None) => {}
        }
    }
    ContractDiff { changes }
}

fn named<'s>(services: &'s [ServiceIr], name: &str) -> Option<&'s ServiceIr> {
    services.iter().find(|service| service.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_contracts_have_no_changes() {
        let diff = diff_services_at(&[], &[], Date::from_days_since_epoch(0));
        assert!(diff.changes.is_empty());
        assert!(!diff.is_breaking());
    }
}
