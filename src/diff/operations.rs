//! Comparing one service's operations: matched by id (or, for a renamed id, by route),
//! then route, status, parameters, bodies, callers, retry policy, errors, versions and
//! deprecation timelines.

use std::collections::BTreeSet;

use crate::ir::calendar::Date;
use crate::ir::{Criticality, Operation, ServiceIr};

use super::change::{Breaks, Change, Finding, Level};
use super::policies::{callers, errors, retry};
use super::signatures::{bodies, path_params};
use super::types::{reachable, Halves, Place, TypeComparison};

/// What two compared operations are to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relation {
    /// The same operation in two versions of the contract.
    InPlace,
    /// A new version and the operation it succeeds, both in the head contract.
    Successor,
}

/// How a base operation found its counterpart in the head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pairing {
    SameId,
    /// Same method and route, different id: the Rust method names change.
    Renamed,
}

/// Every change between two versions of one service, in a stable order: the base's
/// operations in manifest order, then new operations, then service-wide changes.
pub(crate) fn diff_service(base: &ServiceIr, head: &ServiceIr, today: Date) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut claimed: BTreeSet<&str> = BTreeSet::new();
    let mut push = |operation: Option<&Operation>, findings: Vec<Finding>| {
        for finding in findings {
            changes.push(Change {
                service: head.name.clone(),
                operation: operation.map(|operation| operation.id.clone()),
                version: operation.map(|operation| operation.version),
                location: finding.location,
                what: finding.what,
                why: finding.why,
                level: finding.level,
                breaks: finding.breaks,
            });
        }
    };
    let in_base = |id: &str| base.operations.iter().any(|operation| operation.id == id);
    for base_operation in &base.operations {
        let same_id = head
            .operations
            .iter()
            .find(|operation| operation.id == base_operation.id)
            .map(|operation| (operation, Pairing::SameId));
        let renamed = || {
            head.operations
                .iter()
                .find(|operation| {
                    !in_base(&operation.id)
                        && !claimed.contains(operation.id.as_str())
                        && operation.method == base_operation.method
                        && route_shape(&operation.path) == route_shape(&base_operation.path)
                })
                .map(|operation| (operation, Pairing::Renamed))
        };
        match same_id.or_else(renamed) {
            Some((head_operation, pairing)) => {
                claimed.insert(head_operation.id.as_str());
                let mut comparison =
                    TypeComparison::new(&base.types, &head.types, Halves::WireAndRust);
                if pairing == Pairing::Renamed {
                    renamed_operation(&mut comparison, base_operation, head_operation);
                }
                compare_operation(
                    &mut comparison,
                    base_operation,
                    head_operation,
                    Relation::InPlace,
                );
                deprecation_changes(&mut comparison, base_operation, head_operation);
                sunset_passed(&mut comparison, head_operation, today);
                push(Some(base_operation), comparison.findings);
            }
            None => push(
                Some(base_operation),
                vec![removed_operation(base_operation, today)],
            ),
        }
    }
    for head_operation in &head.operations {
        if in_base(&head_operation.id) || claimed.contains(head_operation.id.as_str()) {
            continue;
        }
        let mut findings = vec![new_operation(head, head_operation)];
        findings.extend(version_changes(head, head_operation));
        let mut comparison = TypeComparison::new(&head.types, &head.types, Halves::WireOnly);
        sunset_passed(&mut comparison, head_operation, today);
        findings.extend(comparison.findings);
        push(Some(head_operation), findings);
    }
    push(None, unused_types(base, head));
    changes
}

/// A path with its parameter names blanked: `/internal/widgets/{}`.
fn route_shape(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Parameter names in the order the path mentions them.
pub(super) fn path_order(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

fn route(operation: &Operation) -> String {
    format!("{} {}", operation.method.as_str(), operation.path)
}

fn renamed_operation(comparison: &mut TypeComparison<'_>, base: &Operation, head: &Operation) {
    let at = Place::new("operation");
    let what = format!("operation id `{}` renamed to `{}`", base.id, head.id);
    if base.rust_name == head.rust_name {
        comparison.report(
            Level::Compatible,
            &at,
            what,
            "same route and the same Rust method name",
        );
    } else {
        comparison.rust(
            Breaks::CallersAndImplementers,
            &at,
            what,
            format!(
                "same route, so the wire is unchanged, but the client method and the server \
                 trait method `{}` become `{}`: callers and implementers stop compiling",
                base.rust_name, head.rust_name
            ),
        );
    }
}

/// Compares two operations that answer the same calls (or, for versions, a new version
/// with the one it succeeds).
fn compare_operation(
    comparison: &mut TypeComparison<'_>,
    base: &Operation,
    head: &Operation,
    relation: Relation,
) {
    let route_at = Place::new("route");
    if base.method != head.method {
        comparison.report(
            Level::WireBreaking,
            &route_at,
            format!("method {} → {}", base.method.as_str(), head.method.as_str()),
            format!(
                "callers built on the old contract still send {} and are refused",
                base.method.as_str()
            ),
        );
    }
    if route_shape(&base.path) != route_shape(&head.path) {
        // Path parameters are arguments of the client method and the server trait method.
        let breaks = if path_order(&base.path).len() == path_order(&head.path).len() {
            Breaks::Nobody
        } else {
            Breaks::CallersAndImplementers
        };
        comparison.report_build(
            Level::WireBreaking,
            breaks,
            &route_at,
            format!("path `{}` → `{}`", base.path, head.path),
            format!(
                "callers built on the old contract still call `{}` and get 404",
                base.path
            ),
        );
    } else if base.path != head.path {
        comparison.report(
            Level::Compatible,
            &route_at,
            format!("path parameters renamed: `{}` → `{}`", base.path, head.path),
            "the route matches the same URLs; client arguments stay in the same order",
        );
    }
    if base.status != head.status {
        comparison.report(
            Level::WireBreaking,
            &Place::new("status"),
            format!("success status {} → {}", base.status, head.status),
            "callers that check the success status see one they do not expect",
        );
    }
    path_params(comparison, base, head);
    bodies(comparison, base, head);
    callers(comparison, base, head);
    retry(comparison, base, head);
    errors(comparison, base, head);
    if base.bulk.is_some() != head.bulk.is_some() {
        let at = Place::new("bulk");
        match &head.bulk {
            Some(bulk) => comparison.report(
                Level::Compatible,
                &at,
                format!("bulk reads on `{}` added", bulk.wire_name),
                format!("the client gains `{}_chunked`", head.rust_name),
            ),
            None => comparison.rust(
                Breaks::Callers,
                &at,
                "bulk reads removed",
                format!(
                    "the client method `{}_chunked` disappears: callers using it stop compiling",
                    base.rust_name
                ),
            ),
        }
    }
    criticality(comparison, base, head);
    let renumbered = base.version != head.version || base.version_of != head.version_of;
    if renumbered && relation == Relation::InPlace {
        comparison.report(
            Level::Compatible,
            &Place::new("operation"),
            format!("version {} → {}", base.version, head.version),
            "the version number is documentation; the route and types decide compatibility",
        );
    }
}

/// Marking an operation non-critical adds the client's fallback methods; marking it critical
/// again removes them. The wire is the same either way.
fn criticality(comparison: &mut TypeComparison<'_>, base: &Operation, head: &Operation) {
    let at = Place::new("critical");
    match (base.criticality, head.criticality) {
        (Criticality::Critical, Criticality::NonCritical) => comparison.report(
            Level::Compatible,
            &at,
            "marked non-critical",
            format!(
                "the client gains `{0}_or` and `{0}_or_else`; the wire is unchanged",
                head.rust_name
            ),
        ),
        (Criticality::NonCritical, Criticality::Critical) => comparison.rust(
            Breaks::Callers,
            &at,
            "marked critical again",
            format!(
                "the client trait's `{0}_or` and `{0}_or_else` disappear: callers using them \
                 stop compiling; the wire is unchanged",
                base.rust_name
            ),
        ),
        _ => {}
    }
}

fn describe_deprecation(operation: &Operation) -> String {
    let Some(deprecation) = &operation.deprecation else {
        return String::new();
    };
    let mut parts = vec![format!("since {}", deprecation.since)];
    if let Some(sunset) = &deprecation.sunset {
        parts.push(format!("sunset {sunset}"));
    }
    if let Some(replacement) = &deprecation.replacement {
        parts.push(format!("use `{replacement}`"));
    }
    if let Some(note) = &deprecation.note {
        parts.push(note.clone());
    }
    format!(" ({})", parts.join("; "))
}

fn deprecation_changes(comparison: &mut TypeComparison<'_>, base: &Operation, head: &Operation) {
    let at = Place::new("operation");
    match (&base.deprecation, &head.deprecation) {
        (None, Some(_)) => comparison.report(
            Level::Deprecation,
            &at,
            format!("operation deprecated{}", describe_deprecation(head)),
            "still served for now; callers should move off it before the sunset",
        ),
        (Some(_), None) => comparison.report(
            Level::Compatible,
            &at,
            "operation no longer deprecated",
            "callers may keep using it",
        ),
        (Some(before), Some(after)) => {
            let earlier = match (&before.sunset, &after.sunset) {
                (Some(before), Some(after)) => after < before,
                (None, Some(_)) => true,
                _ => false,
            };
            if earlier {
                comparison.report(
                    Level::Deprecation,
                    &at,
                    format!(
                        "sunset moved to {}{}",
                        after
                            .sunset
                            .map_or_else(|| "?".to_owned(), |sunset| sunset.to_string()),
                        match &before.sunset {
                            Some(sunset) => format!(" (was {sunset})"),
                            None => " (none was announced)".to_owned(),
                        }
                    ),
                    "callers have less time to move off it",
                );
            }
        }
        (None, None) => {}
    }
}

/// The operation's sunset day, when it is over.
fn sunset_over(operation: &Operation, today: Date) -> Option<Date> {
    let sunset = operation.deprecation.as_ref()?.sunset?;
    (sunset < today).then_some(sunset)
}

fn sunset_passed(comparison: &mut TypeComparison<'_>, operation: &Operation, today: Date) {
    if let Some(sunset) = sunset_over(operation, today) {
        let replacement = operation
            .deprecation
            .as_ref()
            .and_then(|deprecation| deprecation.replacement.as_deref())
            .map(|replacement| format!(" (callers should be on `{replacement}`)"))
            .unwrap_or_default();
        comparison.report(
            Level::Deprecation,
            &Place::new("operation"),
            format!("sunset {sunset} has passed, but the operation is still in the contract"),
            format!("it may be removed once no caller remains{replacement}"),
        );
    }
}

fn removed_operation(operation: &Operation, today: Date) -> Finding {
    let sunset = operation
        .deprecation
        .as_ref()
        .and_then(|deprecation| deprecation.sunset);
    let what = match (&operation.deprecation, sunset) {
        (None, _) => "operation removed without being deprecated first".to_owned(),
        (Some(_), Some(sunset)) if sunset_over(operation, today).is_some() => {
            format!("operation removed after its sunset {sunset}")
        }
        (Some(_), Some(sunset)) => format!("operation removed before its sunset {sunset}"),
        (Some(_), None) => "operation removed (deprecated, no sunset announced)".to_owned(),
    };
    let mut why = format!(
        "callers still calling `{}` get 404; the client method `{1}` disappears (callers using \
         it stop compiling) and so does the server trait method `{1}` (implementations of it \
         no longer match the trait)",
        route(operation),
        operation.rust_name
    );
    if sunset_over(operation, today).is_some() {
        why.push_str("; still listed as breaking: make sure no caller remains");
    }
    Finding::new(Level::WireBreaking, "operation", what, why)
        .breaking(Breaks::CallersAndImplementers)
}

fn new_operation(service: &ServiceIr, operation: &Operation) -> Finding {
    let what = match &operation.version_of {
        Some(earlier) => format!(
            "new operation `{}`: version {} of `{earlier}`",
            route(operation),
            operation.version
        ),
        None => format!("new operation `{}`", route(operation)),
    };
    let server_trait = crate::emit::service_trait_name(&service.name);
    let api_trait = crate::ir::client_type_names(&service.name)[1].clone();
    Finding::new(
        Level::RustBreaking,
        "operation",
        what,
        format!(
            "nothing calls it yet, but the `{server_trait}` server trait gains the required \
             method `{}`: implementers stop compiling until they add it (callers' own \
             `{api_trait}` fakes inherit a default and keep compiling)",
            operation.rust_name
        ),
    )
    .breaking(Breaks::Implementers)
}

/// A new version compared with the operation it succeeds: informational, since the
/// earlier version keeps serving its callers.
fn version_changes(service: &ServiceIr, operation: &Operation) -> Vec<Finding> {
    let Some(earlier_id) = &operation.version_of else {
        return Vec::new();
    };
    let Some(earlier) = service
        .operations
        .iter()
        .find(|candidate| &candidate.id == earlier_id)
    else {
        return Vec::new();
    };
    let mut comparison = TypeComparison::new(&service.types, &service.types, Halves::WireOnly);
    compare_operation(&mut comparison, earlier, operation, Relation::Successor);
    comparison
        .findings
        .into_iter()
        .map(|finding| {
            let in_place = if finding.level.is_breaking() {
                format!("{} in place", finding.level.tag())
            } else {
                "compatible".to_owned()
            };
            Finding::new(
                Level::Compatible,
                finding.location,
                format!(
                    "v{} changes vs v{} `{}`: {} ({in_place})",
                    operation.version, earlier.version, earlier.id, finding.what
                ),
                format!(
                    "allowed: v{} `{}` is kept, so its callers are unaffected",
                    earlier.version, earlier.id
                ),
            )
        })
        .collect()
}

/// Types no base operation reaches (unused `$defs` entries) are still part of the
/// generated crate's API: compare them by name.
fn unused_types(base: &ServiceIr, head: &ServiceIr) -> Vec<Finding> {
    let base_used = reachable(&base.types, &base.operations);
    let mut comparison = TypeComparison::new(&base.types, &head.types, Halves::WireAndRust);
    for (index, base_def) in base.types.iter().enumerate() {
        if base_used.contains(&index) {
            continue;
        }
        let at = Place::new(format!("type {}", base_def.name));
        match head
            .types
            .iter()
            .position(|head_def| head_def.name == base_def.name)
        {
            // Compared even when an operation uses it now: code that used it before
            // meets its changes all the same.
            Some(head_index) => {
                comparison.rust_named(&at, crate::ir::TypeId(index), crate::ir::TypeId(head_index))
            }
            None => comparison.rust(
                Breaks::CallersAndImplementers,
                &at,
                format!("type `{}` removed", base_def.name),
                "no operation uses it, but it is part of the generated crate: code that names \
                 it stops compiling",
            ),
        }
    }
    comparison.findings
}
