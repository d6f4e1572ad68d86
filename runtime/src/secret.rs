//! The service API key, shared by the client (which sends it) and the server (which checks
//! it), kept out of every log line, span, error and `Debug` output.

use std::fmt;

/// Environment variable holding this service's API key: the one it sends when calling others
/// and the one its own server accepts.
pub const API_KEY_ENV: &str = "SERVICE_API_KEY";

/// The service API key sent and checked as `x-api-key`.
///
/// A newtype so the key cannot reach a log line, span or panic message by accident: `Debug`
/// and `Display` print `ApiKey(***)`, and the only way to the text is the explicit
/// [`expose`](ApiKey::expose). It has no `PartialEq`, so nobody compares keys with a
/// short-circuiting `==`.
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// Whether `key` is fit to be a key: non-empty visible ASCII, so it is a valid header value.
/// The reason never quotes the key.
pub(crate) fn check_api_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("is empty".to_owned());
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("may only contain visible ASCII characters".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_never_formatted() {
        let key = ApiKey::new("s3cr3t");
        assert_eq!(format!("{key:?}"), "ApiKey(***)");
        assert_eq!(format!("{key}"), "ApiKey(***)");
        assert_eq!(
            format!("{:#?}", Some(key.clone())),
            "Some(\n    ApiKey(***),\n)"
        );
        assert_eq!(key.expose(), "s3cr3t");
    }

    #[test]
    fn a_key_is_visible_ascii_and_the_reason_never_quotes_it() {
        assert!(check_api_key("sk_live-1.2~3").is_ok());
        for bad in ["", "a b", "tab\t", "é", "nul\u{0}"] {
            let reason = check_api_key(bad).unwrap_err();
            assert!(bad.is_empty() || !reason.contains(bad), "{reason}");
        }
    }
}
