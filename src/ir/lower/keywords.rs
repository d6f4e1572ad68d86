//! Reading keyword values: right JSON type, right range, or an error naming the keyword.

use serde_json::{Number, Value};

use crate::error::ContractError;
use crate::ir::schema::PatternRule;

/// Keywords that only annotate: they never change what is valid.
pub const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$comment",
    "$vocabulary",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "$defs",
    "definitions",
];

/// Keywords of JSON Schema that the generator knows but does not implement yet.
pub const UNSUPPORTED: &[&str] = &["$recursiveRef", "$recursiveAnchor"];

fn wrong(keyword: &str, expected: &'static str) -> ContractError {
    ContractError::WrongKeywordType {
        keyword: keyword.to_owned(),
        expected,
    }
}

/// A non-negative integer (`2.0` is accepted, as JSON Schema allows).
pub fn count(keyword: &str, value: &Value) -> Result<u64, ContractError> {
    if let Some(n) = value.as_u64() {
        return Ok(n);
    }
    match value.as_f64() {
        Some(f) if f >= 0.0 && f.fract() == 0.0 && f <= u64::MAX as f64 => Ok(f as u64),
        _ => Err(wrong(keyword, "a non-negative integer")),
    }
}

pub fn number(keyword: &str, value: &Value) -> Result<Number, ContractError> {
    match value {
        Value::Number(n) => Ok(n.clone()),
        _ => Err(wrong(keyword, "a number")),
    }
}

pub fn positive_number(keyword: &str, value: &Value) -> Result<Number, ContractError> {
    let n = number(keyword, value)?;
    if n.as_f64().is_some_and(|f| f > 0.0) {
        Ok(n)
    } else {
        Err(wrong(keyword, "a number greater than 0"))
    }
}

pub fn string<'v>(keyword: &str, value: &'v Value) -> Result<&'v str, ContractError> {
    value.as_str().ok_or_else(|| wrong(keyword, "a string"))
}

pub fn boolean(keyword: &str, value: &Value) -> Result<bool, ContractError> {
    value.as_bool().ok_or_else(|| wrong(keyword, "a boolean"))
}

pub fn string_list(keyword: &str, value: &Value) -> Result<Vec<String>, ContractError> {
    let items = value
        .as_array()
        .ok_or_else(|| wrong(keyword, "an array of strings"))?;
    items
        .iter()
        .map(|item| {
            item.as_str()
                .map(str::to_owned)
                .ok_or_else(|| wrong(keyword, "an array of strings"))
        })
        .collect()
}

/// Translates a `pattern` to the engine generated code uses and checks that it compiles.
pub fn pattern_rule(pattern: &str) -> Result<PatternRule, ContractError> {
    let regex = ecma_to_rust_regex(pattern);
    regex::Regex::new(&regex).map_err(|error| ContractError::InvalidPattern {
        pattern: pattern.to_owned(),
        reason: first_line(&error.to_string()),
    })?;
    Ok(PatternRule {
        source: pattern.to_owned(),
        regex,
    })
}

/// ECMA-262 (JSON Schema's regex dialect) gives `\d`, `\w` and `\b` their ASCII meaning;
/// the `regex` crate's are Unicode-aware. Spelling them out keeps the contract's meaning
/// (and keeps `\w{1,255}` small enough to compile).
pub fn ecma_to_rust_regex(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) => out.push_str(&match (escaped, in_class) {
                    ('d', false) => "[0-9]".to_owned(),
                    ('D', false) => "[^0-9]".to_owned(),
                    ('w', false) => "[0-9A-Za-z_]".to_owned(),
                    ('W', false) => "[^0-9A-Za-z_]".to_owned(),
                    ('b', false) => "(?-u:\\b)".to_owned(),
                    ('B', false) => "(?-u:\\B)".to_owned(),
                    ('d', true) => "0-9".to_owned(),
                    ('w', true) => "0-9A-Za-z_".to_owned(),
                    (other, _) => format!("\\{other}"),
                }),
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            other => out.push(other),
        }
    }
    out
}

fn first_line(text: &str) -> String {
    text.lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .unwrap_or(text)
        .trim()
        .trim_start_matches("error: ")
        .to_owned()
}

/// String formats the runtime checks (`solo60_runtime::formats::KNOWN_FORMATS`).
pub const KNOWN_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "uuid",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Numeric formats that choose an integer width rather than constrain a string.
pub const NUMERIC_FORMATS: &[&str] = &["int32", "int64", "uint64", "float", "double"];

/// Every keyword lowering understands, for "did you mean" suggestions.
const ALL_KEYWORDS: &[&str] = &[
    "$ref",
    "$dynamicRef",
    "type",
    "enum",
    "const",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "items",
    "prefixItems",
    "additionalItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "properties",
    "required",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "unevaluatedProperties",
    "unevaluatedItems",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
];

/// The known keyword closest to a misspelt one, if any is close.
pub fn closest_keyword(unknown: &str) -> Option<String> {
    ALL_KEYWORDS
        .iter()
        .chain(ANNOTATIONS)
        .chain(UNSUPPORTED)
        .map(|known| (strsim::damerau_levenshtein(unknown, known), *known))
        .filter(|(distance, known)| *distance <= 2.max(known.len() / 4))
        .min()
        .map(|(_, known)| known.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecma_classes_become_ascii() {
        assert_eq!(ecma_to_rust_regex(r"^\d+$"), "^[0-9]+$");
        assert_eq!(ecma_to_rust_regex(r"[\w.-]+"), "[0-9A-Za-z_.-]+");
        assert_eq!(ecma_to_rust_regex(r"\$\w{1,255}"), r"\$[0-9A-Za-z_]{1,255}");
        assert_eq!(ecma_to_rust_regex(r"\bx"), r"(?-u:\b)x");
        assert!(pattern_rule(r"\$\w{1,255}").is_ok());
        assert!(pattern_rule("[a-").is_err());
    }

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(closest_keyword("maxLenght").as_deref(), Some("maxLength"));
        assert_eq!(
            closest_keyword("additionalProperty").as_deref(),
            Some("additionalProperties")
        );
        assert_eq!(closest_keyword("colour"), None);
    }
}
