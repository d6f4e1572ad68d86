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
mod report;
mod rust_api;
mod source;
mod types;
mod wire;

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::Error;
use crate::ir::calendar::Date;
use crate::ir::{lower_service, ServiceIr};
use crate::load::load_contracts;

pub use change::{Change, Level};
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

    /// How many changes have `level`.
    pub fn count(&self, level: Level) -> usize {
        self.changes
            .iter()
            .filter(|change| change.level == level)
            .count()
    }
}

/// Lowers every service of a contracts directory, as generation does.
pub fn load_services(dir: &Path) -> Result<Vec<ServiceIr>, Error> {
    let contracts = load_contracts(dir)?;
    contracts
        .services
        .iter()
        .map(|service| lower_service(&contracts, service))
        .collect()
}

/// Compares two versions of the contracts, judging sunsets against today's date (UTC).
pub fn diff_services(base: &[ServiceIr], head: &[ServiceIr]) -> ContractDiff {
    diff_services_at(base, head, today())
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
            }),
            (None, Some(head)) => changes.push(Change {
                service: head.name.clone(),
                operation: None,
                version: None,
                location: "service".to_owned(),
                what: format!("new service with {} operation(s)", head.operations.len()),
                why: "nothing calls it yet".to_owned(),
                level: Level::Compatible,
            }),
            (None, None) => {}
        }
    }
    ContractDiff { changes }
}

fn named<'s>(services: &'s [ServiceIr], name: &str) -> Option<&'s ServiceIr> {
    services.iter().find(|service| service.name == name)
}

/// Today's date in UTC, from the system clock.
pub fn today() -> Date {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    date_from_days(i64::try_from(seconds / 86_400).unwrap_or(0))
}

/// The calendar day `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn date_from_days(days: i64) -> Date {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date {
        year: i32::try_from(year).unwrap_or(i32::MAX),
        month: u32::try_from(month).unwrap_or(1),
        day: u32::try_from(day).unwrap_or(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_turn_into_the_dates_unix_seconds_came_from() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2027-03-31",
            "2099-12-31",
            "1969-12-31",
        ] {
            let date = Date::parse(text).expect("a valid date");
            assert_eq!(date_from_days(date.unix_seconds() / 86_400), date, "{text}");
        }
    }

    #[test]
    fn identical_contracts_have_no_changes() {
        let diff = diff_services_at(&[], &[], date_from_days(0));
        assert!(diff.changes.is_empty());
        assert!(!diff.is_breaking());
    }
}
