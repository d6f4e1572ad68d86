//! JSON pointers (RFC 6901): splitting, escaping and lookup.

use serde_json::Value;

/// The unescaped reference tokens of `pointer`, or `None` when it is not a pointer.
pub fn split_pointer(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|token| token.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// Escapes one reference token.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `base` extended by `token`.
pub fn join(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_token(token))
}

/// The value at `pointer` inside `root`.
pub fn lookup<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    let mut current = root;
    for token in split_pointer(pointer)? {
        current = match current {
            Value::Object(object) => object.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_escapes() {
        let pointer = join(&join("", "a/b"), "c~d");
        assert_eq!(pointer, "/a~1b/c~0d");
        assert_eq!(
            split_pointer(&pointer),
            Some(vec!["a/b".to_owned(), "c~d".to_owned()])
        );
        let value = serde_json::json!({"a/b": {"c~d": [7]}});
        assert_eq!(lookup(&value, "/a~1b/c~0d/0"), Some(&serde_json::json!(7)));
        assert_eq!(split_pointer("nope"), None);
    }
}
