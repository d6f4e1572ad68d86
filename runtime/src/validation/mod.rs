//! Validation of JSON values against the rules a contract states.
//!
//! Generated types validate the JSON *value* before it is bound to a Rust type: that is the
//! only way to report every violation at once (a serde error stops at the first) and to keep
//! `null` and absent apart exactly as the schema does.

mod error;
mod evaluated;
pub mod keywords;
mod path;
mod pattern;
mod types;

pub use error::{ValidationError, ValidationErrors, DEFAULT_VIOLATION_LIMIT};
pub use evaluated::Evaluated;
pub use path::Path;
pub use pattern::Pattern;
pub use types::{check_required, check_required_found, check_type, Types};

use serde::de::DeserializeOwned;
use serde_json::Value;

/// A type whose JSON form is checked against its contract's schema.
pub trait Validate {
    /// Checks `value` (found at `at`) and appends every violation to `errors`.
    fn validate_value(value: &Value, at: &Path<'_>, errors: &mut ValidationErrors);
}

/// Checks `value` against `T`'s schema, reporting every violation.
pub fn validate<T: Validate>(value: &Value) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    T::validate_value(value, &Path::Root, &mut errors);
    errors.into_result()
}

/// Whether `value` satisfies `T`'s schema; for `anyOf`, `oneOf`, `not` and `if`.
pub fn is_valid<T: Validate>(value: &Value) -> bool {
    let mut errors = ValidationErrors::new();
    T::validate_value(value, &Path::Root, &mut errors);
    errors.is_empty()
}

/// Validates `value` against `T`'s schema and, when it conforms, converts it into `T`.
///
/// All violations are reported together, each with its JSON pointer, keyword and message.
pub fn parse<T: Validate + DeserializeOwned>(value: &Value) -> Result<T, ValidationErrors> {
    validate::<T>(value)?;
    T::deserialize(value)
        .or_else(|error| {
            // JSON Schema counts `2.0` as an integer; serde will not put it in an `i64`.
            // Only on failure, retry with whole floats written as integers.
            if has_whole_float(value) {
                T::deserialize(&integers_for_whole_floats(value))
            } else {
                Err(error)
            }
        })
        .map_err(|error| {
            ValidationErrors::from(ValidationError::new(
                &Path::Root,
                "type",
                format!("value does not fit the Rust type: {error}"),
            ))
        })
}

fn whole_float_as_integer(number: &serde_json::Number) -> Option<Value> {
    let float = number.as_f64().filter(|_| number.is_f64())?;
    if float.fract() != 0.0 {
        return None;
    }
    if float >= 0.0 && float <= u64::MAX as f64 {
        Some(Value::from(float as u64))
    } else if float < 0.0 && float >= i64::MIN as f64 {
        Some(Value::from(float as i64))
    } else {
        None
    }
}

fn has_whole_float(value: &Value) -> bool {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Number(number) if whole_float_as_integer(number).is_some() => return true,
            Value::Array(items) => stack.extend(items),
            Value::Object(object) => stack.extend(object.values()),
            _ => {}
        }
    }
    false
}

fn integers_for_whole_floats(value: &Value) -> Value {
    match value {
        Value::Number(number) => whole_float_as_integer(number).unwrap_or_else(|| value.clone()),
        Value::Array(items) => Value::Array(items.iter().map(integers_for_whole_floats).collect()),
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, value)| (key.clone(), integers_for_whole_floats(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Parses JSON text and then [`parse`]s it; malformed JSON is reported at the root with the
/// keyword `json`.
pub fn parse_slice<T: Validate + DeserializeOwned>(bytes: &[u8]) -> Result<T, ValidationErrors> {
    let value: Value = serde_json::from_slice(bytes).map_err(|error| {
        ValidationErrors::from(ValidationError::new(
            &Path::Root,
            "json",
            format!("malformed JSON: {error}"),
        ))
    })?;
    parse(&value)
}
