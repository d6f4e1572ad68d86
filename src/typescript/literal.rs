//! TypeScript literals and comments from contract text: strings, JSON values, property
//! keys and doc comments, each escaped so no contract text can break out of its place.

use serde_json::Value;

use crate::emit::wrap_text;

/// A string literal (JSON's escaping is valid TypeScript).
pub fn string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

/// A JSON value as a TypeScript expression.
pub fn json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// An object key: bare when it is an identifier, quoted otherwise.
pub fn property_key(name: &str) -> String {
    let mut chars = name.chars();
    let identifier = chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_' || first == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        name.to_owned()
    } else {
        string(name)
    }
}

/// The widest comment line.
const MAX_LINE: usize = super::layout::MAX_LINE;

/// A `/** ... */` comment indented by `indent`, its lines wrapped at word boundaries to
/// stay within [`MAX_LINE`] columns, or nothing when there is no text.
pub fn doc_comment(text: Option<&str>, indent: &str) -> String {
    let Some(text) = text.map(str::trim).filter(|text| !text.is_empty()) else {
        return String::new();
    };
    let text = text.replace("*/", "*\\/");
    let width = MAX_LINE.saturating_sub(indent.len() + 3).max(40);
    let lines = wrap_text(&text, width);
    if lines.len() == 1 && indent.len() + lines[0].len() + 7 <= MAX_LINE {
        return format!("{indent}/** {} */\n", lines[0]);
    }
    let mut comment = format!("{indent}/**\n");
    for line in lines {
        if line.trim().is_empty() {
            comment.push_str(&format!("{indent} *\n"));
        } else {
            comment.push_str(&format!("{indent} * {}\n", line.trim_end()));
        }
    }
    comment.push_str(&format!("{indent} */\n"));
    comment
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_quoted_only_when_needed() {
        assert_eq!(property_key("userId"), "userId");
        assert_eq!(property_key("$ref"), "$ref");
        assert_eq!(property_key("x-api-key"), "\"x-api-key\"");
        assert_eq!(property_key("2fa"), "\"2fa\"");
        assert_eq!(property_key(""), "\"\"");
    }

    #[test]
    fn comments_cannot_be_closed_by_contract_text() {
        assert_eq!(doc_comment(Some("a */ b"), ""), "/** a *\\/ b */\n");
        assert_eq!(doc_comment(Some("  "), ""), "");
        assert_eq!(
            doc_comment(Some("one\n\ntwo"), "  "),
            "  /**\n   * one\n   *\n   * two\n   */\n"
        );
    }

    #[test]
    fn long_comments_wrap_at_word_boundaries() {
        let text = "word ".repeat(40);
        let comment = doc_comment(Some(&text), "  ");
        assert!(
            comment.lines().all(|line| line.len() <= MAX_LINE),
            "{comment}"
        );
        assert_eq!(comment.matches("word").count(), 40);
    }
}
