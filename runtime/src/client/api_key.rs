use std::fmt;

/// The service API key sent as `x-api-key`.
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
}
