use std::fmt;
use std::ops::BitOr;

use serde_json::{Map, Value};

use super::keywords::{is_integer, json_type_name};
use super::{Path, ValidationErrors};

/// A set of JSON types, as the `type` keyword lists them.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Types(u8);

impl Types {
    pub const NULL: Types = Types(1);
    pub const BOOLEAN: Types = Types(1 << 1);
    pub const INTEGER: Types = Types(1 << 2);
    pub const NUMBER: Types = Types(1 << 3);
    pub const STRING: Types = Types(1 << 4);
    pub const ARRAY: Types = Types(1 << 5);
    pub const OBJECT: Types = Types(1 << 6);

    const NAMES: [(Types, &'static str); 7] = [
        (Types::NULL, "null"),
        (Types::BOOLEAN, "boolean"),
        (Types::INTEGER, "integer"),
        (Types::NUMBER, "number"),
        (Types::STRING, "string"),
        (Types::ARRAY, "array"),
        (Types::OBJECT, "object"),
    ];

    pub const fn contains(self, other: Types) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether `value` has one of these types (`number` includes integers).
    pub fn admits(self, value: &Value) -> bool {
        match value {
            Value::Null => self.contains(Types::NULL),
            Value::Bool(_) => self.contains(Types::BOOLEAN),
            Value::Number(_) => {
                self.contains(Types::NUMBER) || (self.contains(Types::INTEGER) && is_integer(value))
            }
            Value::String(_) => self.contains(Types::STRING),
            Value::Array(_) => self.contains(Types::ARRAY),
            Value::Object(_) => self.contains(Types::OBJECT),
        }
    }
}

impl BitOr for Types {
    type Output = Types;
    fn bitor(self, other: Types) -> Types {
        Types(self.0 | other.0)
    }
}

impl fmt::Debug for Types {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Types({self})")
    }
}

/// `string`, `string or null`, `integer, string or null`.
impl fmt::Display for Types {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Types::NAMES
            .iter()
            .filter(|(ty, _)| self.contains(*ty))
            .map(|(_, name)| *name)
            .collect();
        match names.as_slice() {
            [] => f.write_str("nothing"),
            [single] => f.write_str(single),
            [init @ .., last] => write!(f, "{} or {last}", init.join(", ")),
        }
    }
}

/// The `type` keyword: reports a violation unless `value` has one of the `allowed` types.
pub fn check_type(value: &Value, allowed: Types, at: &Path<'_>, errors: &mut ValidationErrors) {
    if !allowed.admits(value) {
        errors.push(
            at,
            "type",
            format!("expected {allowed}, found {}", json_type_name(value)),
        );
    }
}

/// The `required` keyword: reports each missing property.
///
/// A missing property is reported at its own pointer (`/memberId`, not the object's `""`), as
/// Zod reports a missing key at path `["memberId"]`, so a Rust service and a TypeScript one name
/// the same place for the same body.
pub fn check_required(
    object: &Map<String, Value>,
    names: &[&str],
    at: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    for name in names {
        if !object.contains_key(*name) {
            missing_required(name, at, errors);
        }
    }
}

/// The `required` keyword over properties already found in one pass over the object: reports
/// each `(name, value)` whose value is `None`, in the order given, as [`check_required`] does.
pub fn check_required_found(
    found: &[(&str, Option<&Value>)],
    at: &Path<'_>,
    errors: &mut ValidationErrors,
) {
    for (name, value) in found {
        if value.is_none() {
            missing_required(name, at, errors);
        }
    }
}

/// The one `required` violation both checks report, so their pointers and messages cannot
/// drift apart: at the missing property's own pointer.
fn missing_required(name: &str, at: &Path<'_>, errors: &mut ValidationErrors) {
    errors.push(
        &at.key(name),
        "required",
        format!("missing required property `{name}`"),
    );
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn type_sets_admit_and_describe() {
        let nullable_string = Types::STRING | Types::NULL;
        assert!(nullable_string.admits(&json!(null)));
        assert!(nullable_string.admits(&json!("x")));
        assert!(!nullable_string.admits(&json!(1)));
        assert!(Types::INTEGER.admits(&json!(2.0)));
        assert!(!Types::INTEGER.admits(&json!(2.5)));
        assert!(Types::NUMBER.admits(&json!(2)));
        assert_eq!(nullable_string.to_string(), "null or string");
        assert_eq!(
            (Types::INTEGER | Types::STRING | Types::NULL).to_string(),
            "null, integer or string"
        );
    }

    #[test]
    fn check_reports_type_and_missing_properties() {
        let mut errors = ValidationErrors::new();
        check_type(&json!([]), Types::OBJECT, &Path::Root, &mut errors);
        let object = json!({"a": 1});
        if let Value::Object(object) = &object {
            check_required(object, &["a", "b"], &Path::Root.key("x"), &mut errors);
        }
        let rendered: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            rendered,
            [
                "(root): expected object, found array (type)",
                "/x/b: missing required property `b` (required)",
            ]
        );
    }

    #[test]
    fn found_properties_report_missing_like_keyed_lookups() {
        let present = json!("here");
        let object = json!({"a": "here"});
        let mut keyed = ValidationErrors::new();
        if let Value::Object(object) = &object {
            check_required(object, &["b", "a", "c"], &Path::Root, &mut keyed);
        }
        let mut found = ValidationErrors::new();
        check_required_found(
            &[("b", None), ("a", Some(&present)), ("c", None)],
            &Path::Root,
            &mut found,
        );
        let rendered: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(
            rendered,
            [
                "/b: missing required property `b` (required)",
                "/c: missing required property `c` (required)",
            ]
        );
        let keyed: Vec<String> = keyed.iter().map(ToString::to_string).collect();
        assert_eq!(rendered, keyed);
    }
}
