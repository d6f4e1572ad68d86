use std::sync::OnceLock;

use regex::Regex;

/// A `pattern` from a contract, compiled on first use and shared by every check after.
///
/// Generated code declares one `static` per pattern; the generator has already compiled
/// each pattern with the same engine, so compilation does not fail in practice. Should it
/// ever, the pattern matches nothing and every value is reported, rather than panicking.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as written in the contract.
    pub fn as_str(&self) -> &'static str {
        self.source
    }

    /// Whether `text` contains a match (JSON Schema patterns are not anchored).
    pub fn is_match(&self, text: &str) -> bool {
        self.compiled
            .get_or_init(|| Regex::new(self.source).ok())
            .as_ref()
            .is_some_and(|regex| regex.is_match(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static PHONE: Pattern = Pattern::new(r"^\+[1-9][0-9]{7,14}$");
    static BROKEN: Pattern = Pattern::new(r"(");

    #[test]
    fn matches_unanchored_and_survives_bad_patterns() {
        assert!(PHONE.is_match("+4915123456789"));
        assert!(!PHONE.is_match("4915123456789"));
        assert!(Pattern::new("b").is_match("abc"));
        assert!(!BROKEN.is_match("("));
    }
}
