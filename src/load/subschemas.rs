//! Where a schema object holds other schemas, keyword by keyword.
//!
//! Used to index `$id`s and `$anchor`s and to find every `$ref` before lowering, without
//! mistaking data (an `enum` value, a property *named* `$id`) for a schema.

use serde_json::Value;

use super::pointer::join;

/// Keywords whose value is one schema.
const SINGLE: &[&str] = &[
    "additionalProperties",
    "additionalItems",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "items",
];

/// Keywords whose value is an array of schemas.
const LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];

/// Keywords whose value maps names to schemas.
const MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "dependencies",
];

/// The JSON pointers (relative to `pointer`) and values of every direct subschema of `schema`.
pub fn direct_subschemas<'v>(schema: &'v Value, pointer: &str) -> Vec<(String, &'v Value)> {
    let mut found = Vec::new();
    let Some(object) = schema.as_object() else {
        return found;
    };
    for (keyword, value) in object {
        let keyword_pointer = join(pointer, keyword);
        let keyword = keyword.as_str();
        if SINGLE.contains(&keyword) && is_schema(value) {
            found.push((keyword_pointer.clone(), value));
        }
        if LISTS.contains(&keyword) {
            if let Value::Array(items) = value {
                for (index, item) in items.iter().enumerate() {
                    found.push((join(&keyword_pointer, &index.to_string()), item));
                }
            }
        }
        if MAPS.contains(&keyword) {
            if let Value::Object(entries) = value {
                for (name, item) in entries {
                    if is_schema(item) {
                        found.push((join(&keyword_pointer, name), item));
                    }
                }
            }
        }
    }
    found
}

fn is_schema(value: &Value) -> bool {
    matches!(value, Value::Object(_) | Value::Bool(_))
}
