//! Rust names for schema things: deterministic, valid and collision-free.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Names the generated code itself uses at module level; a schema type may not take them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    // The prelude and std items generated code names.
    "Self",
    "Option",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "From",
    "Into",
    "Iterator",
    "ToString",
    "ToOwned",
    "AsRef",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Fn",
    "FnMut",
    "FnOnce",
    "BTreeMap",
    // serde, serde_json and the runtime, imported by generated modules.
    "Serialize",
    "Deserialize",
    "Value",
    "Map",
    "Uuid",
    "Path",
    "Pattern",
    "Types",
    "Validate",
    "ValidationErrors",
];

/// Rust keywords (strict and reserved) that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// A PascalCase type name for `raw` (any text), never empty, never starting with a digit.
pub fn type_name(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = cleaned.to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// A snake_case field or method name for `raw`; keywords get a trailing underscore.
pub fn field_name(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = cleaned.to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// A PascalCase enum variant name for a wire value.
pub fn variant_name(raw: &str) -> String {
    let name = type_name(raw);
    if name == "Unnamed" && !raw.is_empty() {
        // Values made only of symbols ("+", "-") still need distinct names.
        let code: String = raw.chars().map(|c| format!("U{:X}", c as u32)).collect();
        return code;
    }
    name
}

/// Hands out names within one namespace, resolving clashes deterministically: first the
/// plain name, then the name qualified by its origin, then numbered.
#[derive(Debug, Default)]
pub struct NameTable {
    used: BTreeSet<String>,
}

impl NameTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `name` is already taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// Claims `base`, or `qualifier + base`, or `base2`, `base3`, … — the first free one.
    pub fn claim(&mut self, base: &str, qualifier: &str) -> String {
        let mut candidates = vec![base.to_owned()];
        if !qualifier.is_empty() && !base.starts_with(qualifier) {
            candidates.push(format!("{qualifier}{base}"));
        }
        for candidate in candidates {
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
        let mut counter = 2usize;
        loop {
            let candidate = format!("{base}{counter}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            counter += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_identifiers() {
        assert_eq!(type_name("check-access request"), "CheckAccessRequest");
        assert_eq!(type_name("3dModel"), "T3dModel");
        assert_eq!(type_name("String"), "StringType");
        assert_eq!(type_name(""), "Unnamed");
        assert_eq!(field_name("userId"), "user_id");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("$ref"), "ref_");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(variant_name("+"), "U2B");
        assert_eq!(variant_name("bank_transfer"), "BankTransfer");
    }

    #[test]
    fn clashes_are_qualified_then_numbered() {
        let mut table = NameTable::new();
        assert_eq!(table.claim("Address", "Common"), "Address");
        assert_eq!(table.claim("Address", "Common"), "CommonAddress");
        assert_eq!(table.claim("Address", "Common"), "Address2");
    }
}
