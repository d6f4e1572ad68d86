//! Serde glue for a property that is both optional and nullable.
//!
//! JSON distinguishes three states for such a property — absent, `null`, and a value — and a
//! contract may give them different meanings (in a PATCH body, absent means "leave alone" and
//! `null` means "clear"). Generated code models the property as `Option<Option<T>>`:
//!
//! | JSON                | Rust               |
//! |---------------------|--------------------|
//! | property absent     | `None`             |
//! | `"p": null`         | `Some(None)`       |
//! | `"p": v`            | `Some(Some(v))`    |
//!
//! Plain serde collapses the first two (an `Option<Option<T>>` field deserializes `null` as
//! `None`), so the field is annotated:
//!
//! ```
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Patch {
//!     #[serde(
//!         default,
//!         deserialize_with = "solo60_runtime::nullable::deserialize",
//!         skip_serializing_if = "Option::is_none"
//!     )]
//!     nickname: Option<Option<String>>,
//! }
//!
//! let absent: Patch = serde_json::from_str("{}").unwrap();
//! assert_eq!(absent.nickname, None);
//! let null: Patch = serde_json::from_str(r#"{"nickname": null}"#).unwrap();
//! assert_eq!(null.nickname, Some(None));
//! let set: Patch = serde_json::from_str(r#"{"nickname": "Al"}"#).unwrap();
//! assert_eq!(set.nickname, Some(Some("Al".to_owned())));
//! ```
//!
//! `default` produces `None` when the property is absent (serde never calls the function then);
//! the function below is only reached when the property is present, so it wraps whatever it
//! reads — `null` or a value — in `Some`. Serializing needs no glue: `skip_serializing_if`
//! omits `None`, and serde writes `Some(None)` as `null` and `Some(Some(v))` as `v`.

use serde::{Deserialize, Deserializer};

/// Deserializes a present property as `Some(None)` for `null` and `Some(Some(v))` otherwise.
///
/// Use together with `#[serde(default)]`, which supplies `None` for an absent property.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::{json, Value};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Inner {
        n: i64,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        id: u32,
        #[serde(
            default,
            deserialize_with = "crate::nullable::deserialize",
            skip_serializing_if = "Option::is_none"
        )]
        nickname: Option<Option<String>>,
        #[serde(
            default,
            deserialize_with = "crate::nullable::deserialize",
            skip_serializing_if = "Option::is_none"
        )]
        inner: Option<Option<Inner>>,
    }

    fn round_trip(input: Value, expected: Patch) {
        let parsed: Patch = match serde_json::from_value(input.clone()) {
            Ok(p) => p,
            Err(e) => panic!("{input} did not deserialize: {e}"),
        };
        assert_eq!(parsed, expected);
        let written = serde_json::to_value(&parsed).unwrap_or(Value::Null);
        assert_eq!(written, input, "serializing gives back the same JSON");
        // Through text as well as through `Value`.
        let text = serde_json::to_string(&parsed).unwrap_or_default();
        let reparsed: Option<Patch> = serde_json::from_str(&text).ok();
        assert_eq!(reparsed.as_ref(), Some(&expected));
    }

    #[test]
    fn absent_stays_absent() {
        round_trip(
            json!({"id": 1}),
            Patch {
                id: 1,
                nickname: None,
                inner: None,
            },
        );
    }

    #[test]
    fn null_stays_null() {
        round_trip(
            json!({"id": 2, "nickname": null, "inner": null}),
            Patch {
                id: 2,
                nickname: Some(None),
                inner: Some(None),
            },
        );
    }

    #[test]
    fn value_stays_value() {
        round_trip(
            json!({"id": 3, "nickname": "Al", "inner": {"n": -4}}),
            Patch {
                id: 3,
                nickname: Some(Some("Al".to_owned())),
                inner: Some(Some(Inner { n: -4 })),
            },
        );
    }

    #[test]
    fn mixed_states() {
        round_trip(
            json!({"id": 4, "nickname": null}),
            Patch {
                id: 4,
                nickname: Some(None),
                inner: None,
            },
        );
    }

    #[test]
    fn wrong_type_is_still_an_error() {
        let result: Result<Patch, _> = serde_json::from_value(json!({"id": 5, "nickname": 7}));
        assert!(result.is_err());
        let result: Result<Patch, _> = serde_json::from_str(r#"{"id": 5, "inner": {"n": "x"}}"#);
        assert!(result.is_err());
    }
}
