//! Who may call an operation, whether callers may retry it and which errors it documents,
//! compared in two versions: all wire-level, none of it changes the generated Rust API.

use crate::ir::Operation;
use crate::load::RetryPolicy;

use super::change::Level;
use super::types::{Place, TypeComparison};

pub(super) fn callers(comparison: &mut TypeComparison<'_>, base: &Operation, head: &Operation) {
    let at = Place::new("callers");
    match (base.callers.is_empty(), head.callers.is_empty()) {
        (true, true) => {}
        (true, false) => comparison.report(
            Level::WireBreaking,
            &at,
            format!("callers restricted to {}", head.callers.join(", ")),
            "any authenticated service could call it; the others now get 403",
        ),
        (false, true) => comparison.report(
            Level::Compatible,
            &at,
            "any authenticated service may call it now",
            "every caller allowed before is still allowed",
        ),
        (false, false) => {
            for caller in &base.callers {
                if !head.callers.contains(caller) {
                    comparison.report(
                        Level::WireBreaking,
                        &at,
                        format!("caller `{caller}` removed"),
                        format!("calls from `{caller}` now get 403"),
                    );
                }
            }
            for caller in &head.callers {
                if !base.callers.contains(caller) {
                    comparison.report(
                        Level::Compatible,
                        &at,
                        format!("caller `{caller}` added"),
                        "every caller allowed before is still allowed",
                    );
                }
            }
        }
    }
}

fn retry_name(policy: RetryPolicy) -> &'static str {
    match policy {
        RetryPolicy::Safe => "safe",
        RetryPolicy::Unsafe => "unsafe",
        RetryPolicy::Keyed => "keyed",
    }
}

pub(super) fn retry(comparison: &mut TypeComparison<'_>, base: &Operation, head: &Operation) {
    if base.retry == head.retry {
        return;
    }
    let what = format!(
        "retry policy {} → {}",
        retry_name(base.retry),
        retry_name(head.retry)
    );
    let (level, why) = match (base.retry, head.retry) {
        (_, RetryPolicy::Safe) => (
            Level::Compatible,
            "repeating the call is now harmless; callers built on the old contract just retry \
             less than they could",
        ),
        (RetryPolicy::Safe, RetryPolicy::Unsafe) => (
            Level::WireBreaking,
            "callers built on the old contract retry it, and a repeated call may now act twice",
        ),
        (RetryPolicy::Keyed, RetryPolicy::Unsafe) => (
            Level::WireBreaking,
            "callers built on the old contract retry it with the same Idempotency-Key, which the \
             service no longer promises to honour: a repeat may act twice",
        ),
        (RetryPolicy::Safe, RetryPolicy::Keyed) => (
            Level::WireBreaking,
            "callers built on the old contract retry it without an Idempotency-Key, so a repeat \
             may act twice",
        ),
        _ => (
            Level::WireBreaking,
            "callers built on the old contract send no Idempotency-Key; a service that now \
             relies on one cannot tell their repeats apart",
        ),
    };
    comparison.report(level, &Place::new("retry"), what, why);
}

pub(super) fn errors(comparison: &mut TypeComparison<'_>, base: &Operation, head: &Operation) {
    let at = Place::new("errors");
    for error in &head.errors {
        match base.errors.iter().find(|other| other.code == error.code) {
            None => comparison.report(
                Level::WireBreaking,
                &at,
                format!("new error {} {}", error.status, error.code),
                format!(
                    "callers that handle each documented error meet `{}`, which they do not \
                     know",
                    error.code
                ),
            ),
            Some(before) if before.status != error.status => comparison.report(
                Level::WireBreaking,
                &at,
                format!(
                    "error {} status {} → {}",
                    error.code, before.status, error.status
                ),
                "callers that tell errors apart by status misread it",
            ),
            Some(_) => {}
        }
    }
    for error in &base.errors {
        if !head.errors.iter().any(|other| other.code == error.code) {
            comparison.report(
                Level::Compatible,
                &at,
                format!("error {} {} no longer documented", error.status, error.code),
                "callers that handle it keep working; it just no longer happens",
            );
        }
    }
}
