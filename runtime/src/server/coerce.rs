//! Query values are text; the contract may want numbers, booleans or lists. This file finds
//! out which, from the contract's own validation, without knowing its schema.

use serde_json::{Map, Number, Value};

use crate::{validate, Validate};

/// The query string as a JSON object of strings: `a=1&b=x&b=y` → `{"a":"1","b":["x","y"]}`.
/// A key given once is a string, a repeated key an array of strings, a key without `=` an
/// empty string; percent-escapes and `+` are decoded, invalid UTF-8 becomes U+FFFD.
pub(crate) fn query_object(query: &str) -> Value {
    let mut object = Map::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = Value::String(value.into_owned());
        match object.get_mut(key.as_ref()) {
            None => {
                object.insert(key.into_owned(), value);
            }
            Some(Value::Array(items)) => items.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
        }
    }
    Value::Object(object)
}

/// How many times validation is consulted again: one round turns a single value into a
/// list, the next coerces the list's items, one more is slack. Each round validates at
/// most once per candidate, so the cost is bounded whatever the query holds.
const ROUNDS: usize = 3;

/// What a string may stand for, tried in this order.
#[derive(Clone, Copy)]
enum Candidate {
    Integer,
    Number,
    Boolean,
    Null,
    /// A single value where the contract wants a list (`?status=a` for `status: [a, b]`).
    List,
}

impl Candidate {
    const ALL: [Candidate; 5] = [
        Candidate::Integer,
        Candidate::Number,
        Candidate::Boolean,
        Candidate::Null,
        Candidate::List,
    ];

    fn read(self, text: &str) -> Option<Value> {
        match self {
            Candidate::Integer => text
                .parse::<i64>()
                .map(Value::from)
                .or_else(|_| text.parse::<u64>().map(Value::from))
                .ok(),
            Candidate::Number => text
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number),
            Candidate::Boolean => match text {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            Candidate::Null => (text == "null").then_some(Value::Null),
            Candidate::List => Some(Value::Array(vec![Value::String(text.to_owned())])),
        }
    }
}

/// Turns the strings of `value` into what `T`'s contract expects, driven by its validation:
/// wherever validation reports a `type` violation at a string, each [`Candidate`] reading
/// of the string is tried, and the first one that makes the `type` violation there go away
/// is kept. Whatever cannot be read is left as it was for validation to report, so the 422
/// names the original problem.
pub(crate) fn coerce<T: Validate>(mut value: Value) -> Value {
    for _ in 0..ROUNDS {
        let mut pending: Vec<String> = type_violations(&violations::<T>(&value))
            .into_iter()
            .filter(|pointer| matches!(value.pointer(pointer), Some(Value::String(_))))
            .collect();
        if pending.is_empty() {
            break;
        }
        for candidate in Candidate::ALL {
            let mut tried = Vec::new();
            for pointer in &pending {
                if let Some(slot) = value.pointer_mut(pointer) {
                    if let Some(read) = slot.as_str().and_then(|text| candidate.read(text)) {
                        tried.push((pointer.clone(), std::mem::replace(slot, read)));
                    }
                }
            }
            if tried.is_empty() {
                continue;
            }
            let still_wrong = type_violations(&violations::<T>(&value));
            for (pointer, original) in tried {
                if still_wrong.contains(&pointer) {
                    if let Some(slot) = value.pointer_mut(&pointer) {
                        *slot = original;
                    }
                } else {
                    pending.retain(|p| *p != pointer);
                }
            }
        }
    }
    value
}

/// The errors of validating `value` against `T` (none when it conforms).
fn violations<T: Validate>(value: &Value) -> Vec<crate::ValidationError> {
    validate::<T>(value)
        .err()
        .map(crate::ValidationErrors::into_vec)
        .unwrap_or_default()
}

/// Pointers of the `type` violations, each once.
fn type_violations(errors: &[crate::ValidationError]) -> Vec<String> {
    let mut pointers: Vec<String> = errors
        .iter()
        .filter(|error| error.keyword == "type")
        .map(|error| error.pointer.clone())
        .collect();
    pointers.sort_unstable();
    pointers.dedup();
    pointers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::{check_type, Types};
    use crate::{Path, ValidationErrors};
    use serde_json::json;

    /// `{ limit: integer, ratio: number, active: boolean, tag: string, ids: [integer],
    ///    maybe: integer | null, names: [string] }`
    struct Query;

    impl Validate for Query {
        fn validate_value(value: &Value, at: &Path<'_>, errors: &mut ValidationErrors) {
            check_type(value, Types::OBJECT, at, errors);
            let Value::Object(object) = value else { return };
            let scalar = [
                ("limit", Types::INTEGER),
                ("ratio", Types::NUMBER),
                ("active", Types::BOOLEAN),
                ("tag", Types::STRING),
                ("maybe", Types::INTEGER | Types::NULL),
            ];
            for (name, types) in scalar {
                if let Some(value) = object.get(name) {
                    check_type(value, types, &at.key(name), errors);
                }
            }
            for (name, items) in [("ids", Types::INTEGER), ("names", Types::STRING)] {
                if let Some(value) = object.get(name) {
                    let at = at.key(name);
                    check_type(value, Types::ARRAY, &at, errors);
                    if let Value::Array(values) = value {
                        for (index, item) in values.iter().enumerate() {
                            check_type(item, items, &at.index(index), errors);
                        }
                    }
                }
            }
        }
    }

    fn coerced(query: &str) -> Value {
        coerce::<Query>(query_object(query))
    }

    #[test]
    fn pairs_become_strings_and_repeated_keys_arrays() {
        assert_eq!(
            query_object("a=1&b=x&b=y+z&b=%C3%A9&c&d="),
            json!({ "a": "1", "b": ["x", "y z", "é"], "c": "", "d": "" })
        );
        assert_eq!(query_object(""), json!({}));
        assert_eq!(query_object("bad=%FF"), json!({ "bad": "\u{fffd}" }));
    }

    #[test]
    fn values_take_the_types_validation_asks_for() {
        assert_eq!(
            coerced("limit=10&ratio=0.5&active=true&tag=42&maybe=null&unknown=7"),
            json!({
                "limit": 10, "ratio": 0.5, "active": true, "tag": "42", "maybe": null,
                "unknown": "7",
            })
        );
        assert_eq!(
            coerced("ratio=3&maybe=-4"),
            json!({ "ratio": 3, "maybe": -4 })
        );
        assert_eq!(
            coerced("limit=18446744073709551615"),
            json!({ "limit": 18446744073709551615u64 })
        );
    }

    #[test]
    fn single_and_repeated_values_become_lists() {
        assert_eq!(coerced("ids=1"), json!({ "ids": [1] }));
        assert_eq!(coerced("ids=1&ids=2"), json!({ "ids": [1, 2] }));
        assert_eq!(coerced("names=7"), json!({ "names": ["7"] }));
    }

    #[test]
    fn what_cannot_be_read_is_left_for_validation_to_report() {
        let value = coerced("limit=ten&ratio=NaN&active=yes&ids=1&ids=x&limit2=1");
        assert_eq!(
            value,
            json!({
                "limit": "ten", "ratio": "NaN", "active": "yes", "ids": [1, "x"],
                "limit2": "1",
            })
        );
        assert_eq!(coerced("limit=1.5"), json!({ "limit": "1.5" }));
        assert_eq!(coerced("limit=1&limit=2"), json!({ "limit": ["1", "2"] }));
        let errors = violations::<Query>(&value);
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/limit", "/ratio", "/active", "/ids/1"]);
    }
}
