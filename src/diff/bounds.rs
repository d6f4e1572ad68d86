//! Comparing single keywords: counts, numeric bounds and the `type` keyword's sets.
//!
//! Each comparison answers with an [`Effect`] on the set of valid values; whether that
//! breaks anyone depends on the direction the values travel (see [`Effect::level`]).

use crate::ir::schema::{Bound, JsonType, NumberRules};

use super::change::Level;
use super::types::Direction;

/// What a change does to the set of values a schema accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Fewer values are valid than before.
    Narrowed,
    /// More values are valid than before.
    Widened,
    /// Some values became invalid and others valid (or we cannot tell which): treated as
    /// breaking in both directions.
    Changed,
}

impl Effect {
    /// Requests break when the contract narrows (callers send what is now refused),
    /// responses when it widens (callers receive what they never expected).
    pub(crate) fn level(self, direction: Direction) -> Level {
        match (self, direction) {
            (Effect::Changed, _)
            | (Effect::Narrowed, Direction::Request)
            | (Effect::Widened, Direction::Response) => Level::WireBreaking,
            (Effect::Widened, Direction::Request) | (Effect::Narrowed, Direction::Response) => {
                Level::Compatible
            }
        }
    }

    /// The general reason, when a check has nothing more specific to say.
    pub(crate) fn why(self, direction: Direction) -> &'static str {
        match (self, direction) {
            (Effect::Changed, _) => {
                "some values valid before are refused now and others newly allowed; \
                 breaking in both directions"
            }
            (Effect::Narrowed, Direction::Request) => {
                "requests that were valid before can now be refused: existing callers break"
            }
            (Effect::Widened, Direction::Response) => {
                "answers can now hold values that callers built on the old contract \
                 refuse or do not expect"
            }
            (Effect::Widened, Direction::Request) => {
                "the operation still accepts every request it accepted before"
            }
            (Effect::Narrowed, Direction::Response) => {
                "answers stay within what existing callers accept"
            }
        }
    }
}

/// A lower limit (`minLength`, `minItems`, `minProperties`, …): raising it narrows.
pub(crate) fn lower_count(base: Option<u64>, head: Option<u64>) -> Option<Effect> {
    let (base, head) = (base.unwrap_or(0), head.unwrap_or(0));
    match base.cmp(&head) {
        std::cmp::Ordering::Less => Some(Effect::Narrowed),
        std::cmp::Ordering::Greater => Some(Effect::Widened),
        std::cmp::Ordering::Equal => None,
    }
}

/// An upper limit (`maxLength`, `maxItems`, …): lowering it narrows; absent is no limit.
pub(crate) fn upper_count(base: Option<u64>, head: Option<u64>) -> Option<Effect> {
    match (base, head) {
        (None, None) => None,
        (None, Some(_)) => Some(Effect::Narrowed),
        (Some(_), None) => Some(Effect::Widened),
        (Some(base), Some(head)) if head < base => Some(Effect::Narrowed),
        (Some(base), Some(head)) if head > base => Some(Effect::Widened),
        _ => None,
    }
}

/// `text` for a count keyword's before → after, e.g. `maxLength 80 → 40`.
pub(crate) fn describe_count(keyword: &str, base: Option<u64>, head: Option<u64>) -> String {
    match (base, head) {
        (None, Some(head)) => format!("{keyword} {head} added"),
        (Some(base), None) => format!("{keyword} {base} removed"),
        (Some(base), Some(head)) => format!("{keyword} {base} → {head}"),
        (None, None) => format!("{keyword} unchanged"),
    }
}

/// One side of a numeric range: the limit and whether the limit itself is excluded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Limit {
    pub value: f64,
    pub exclusive: bool,
    /// The keyword and number as written, for messages.
    pub written: String,
}

/// The effective lower limit: the stricter of `minimum` and `exclusiveMinimum`.
pub(crate) fn lower_limit(rules: &NumberRules) -> Option<Limit> {
    stricter(
        limit("minimum", rules.minimum.as_ref(), false),
        limit("exclusiveMinimum", rules.exclusive_minimum.as_ref(), true),
        |a, b| a.value > b.value || (a.value == b.value && a.exclusive),
    )
}

/// The effective upper limit: the stricter of `maximum` and `exclusiveMaximum`.
pub(crate) fn upper_limit(rules: &NumberRules) -> Option<Limit> {
    stricter(
        limit("maximum", rules.maximum.as_ref(), false),
        limit("exclusiveMaximum", rules.exclusive_maximum.as_ref(), true),
        |a, b| a.value < b.value || (a.value == b.value && a.exclusive),
    )
}

fn limit(keyword: &str, bound: Option<&Bound>, exclusive: bool) -> Option<Limit> {
    let bound = bound?;
    Some(Limit {
        value: bound.as_f64()?,
        exclusive,
        written: format!("{keyword} {bound}"),
    })
}

fn stricter(
    first: Option<Limit>,
    second: Option<Limit>,
    first_is_stricter: impl Fn(&Limit, &Limit) -> bool,
) -> Option<Limit> {
    match (first, second) {
        (Some(first), Some(second)) => Some(if first_is_stricter(&first, &second) {
            first
        } else {
            second
        }),
        (first, second) => first.or(second),
    }
}

/// Compares lower limits: a higher one (or the same value, now excluded) narrows.
pub(crate) fn compare_lower(base: &Option<Limit>, head: &Option<Limit>) -> Option<Effect> {
    compare_limits(base, head, |base, head| {
        head.value > base.value || (head.value == base.value && head.exclusive && !base.exclusive)
    })
}

/// Compares upper limits: a lower one (or the same value, now excluded) narrows.
pub(crate) fn compare_upper(base: &Option<Limit>, head: &Option<Limit>) -> Option<Effect> {
    compare_limits(base, head, |base, head| {
        head.value < base.value || (head.value == base.value && head.exclusive && !base.exclusive)
    })
}

fn compare_limits(
    base: &Option<Limit>,
    head: &Option<Limit>,
    head_is_stricter: impl Fn(&Limit, &Limit) -> bool,
) -> Option<Effect> {
    match (base, head) {
        (None, None) => None,
        (None, Some(_)) => Some(Effect::Narrowed),
        (Some(_), None) => Some(Effect::Widened),
        (Some(base), Some(head)) => {
            if head_is_stricter(base, head) {
                Some(Effect::Narrowed)
            } else if head_is_stricter(head, base) {
                Some(Effect::Widened)
            } else {
                None
            }
        }
    }
}

/// `minimum 1 → 5`, `exclusiveMinimum 0 added`, …
pub(crate) fn describe_limits(base: &Option<Limit>, head: &Option<Limit>) -> String {
    match (base, head) {
        (None, Some(head)) => format!("{} added", head.written),
        (Some(base), None) => format!("{} removed", base.written),
        (Some(base), Some(head)) => format!("{} → {}", base.written, head.written),
        (None, None) => "bounds unchanged".to_owned(),
    }
}

/// Compares `multipleOf`: a multiple of the old divisor narrows, a divisor of it widens.
pub(crate) fn compare_multiple_of(base: Option<&Bound>, head: Option<&Bound>) -> Option<Effect> {
    let as_float = |bound: Option<&Bound>| bound.and_then(Bound::as_f64);
    match (as_float(base), as_float(head)) {
        (None, None) => None,
        (None, Some(_)) => Some(Effect::Narrowed),
        (Some(_), None) => Some(Effect::Widened),
        (Some(base), Some(head)) if base == head => None,
        (Some(base), Some(head)) if divides(base, head) => Some(Effect::Narrowed),
        (Some(base), Some(head)) if divides(head, base) => Some(Effect::Widened),
        _ => Some(Effect::Changed),
    }
}

/// Whether `multiple` is a whole multiple of `divisor` (within floating-point noise).
fn divides(divisor: f64, multiple: f64) -> bool {
    if divisor <= 0.0 {
        return false;
    }
    let ratio = multiple / divisor;
    ratio >= 1.0 && (ratio - ratio.round()).abs() < 1e-9
}

/// The JSON types other than `null` a `type` keyword admits; `None` (no keyword) admits
/// all of them.
pub(crate) fn non_null_types(types: Option<&Vec<JsonType>>) -> Vec<JsonType> {
    const ALL: [JsonType; 6] = [
        JsonType::Boolean,
        JsonType::Integer,
        JsonType::Number,
        JsonType::String,
        JsonType::Array,
        JsonType::Object,
    ];
    match types {
        None => ALL.to_vec(),
        Some(types) => types
            .iter()
            .copied()
            .filter(|ty| *ty != JsonType::Null)
            .collect(),
    }
}

/// Whether a set of types admits values of `ty` (`number` admits integers).
pub(crate) fn admits(types: &[JsonType], ty: JsonType) -> bool {
    types.contains(&ty) || (ty == JsonType::Integer && types.contains(&JsonType::Number))
}

/// `string`, `integer | null`, …
pub(crate) fn describe_types(types: &[JsonType]) -> String {
    if types.is_empty() {
        return "nothing".to_owned();
    }
    types
        .iter()
        .map(|ty| ty.name())
        .collect::<Vec<_>>()
        .join(" | ")
}
