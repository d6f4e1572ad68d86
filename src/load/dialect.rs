//! Which JSON Schema draft a document is written in.

use serde_json::Value;

/// The drafts the generator reads. They differ in how `$ref` treats its siblings, where
/// definitions live and what array-form `items` means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dialect {
    Draft7,
    Draft2019,
    Draft2020,
}

impl Dialect {
    /// The dialect a document declares with `$schema`, or `default` when it declares none.
    pub fn of_root(root: &Value, default: Dialect) -> Option<Dialect> {
        match root.get("$schema").and_then(Value::as_str) {
            None => Some(default),
            Some(uri) => Self::from_uri(uri),
        }
    }

    pub fn from_uri(uri: &str) -> Option<Dialect> {
        let uri = uri.trim_end_matches('#');
        match uri {
            "https://json-schema.org/draft/2020-12/schema" => Some(Dialect::Draft2020),
            "https://json-schema.org/draft/2019-09/schema" => Some(Dialect::Draft2019),
            "http://json-schema.org/draft-07/schema"
            | "https://json-schema.org/draft-07/schema" => Some(Dialect::Draft7),
            _ => None,
        }
    }

    /// Before 2019-09, `$ref` replaced its whole schema object: siblings were ignored.
    pub fn ref_overrides_siblings(self) -> bool {
        self == Dialect::Draft7
    }
}
