//! The keys a service accepts, checked in constant time.

use std::env::{self, VarError};
use std::fmt;

use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

use crate::config_error::ConfigError;
use crate::secret::{check_api_key, ApiKey, API_KEY_ENV};

/// Environment variable holding keys still accepted during a rotation, comma-separated.
pub const PREVIOUS_API_KEYS_ENV: &str = "SERVICE_API_KEYS_PREVIOUS";

/// The keys this service accepts: the current one and, during a rotation, previous ones.
///
/// A rotation is: give every caller the new key while the server accepts both (new key as
/// current, old one as previous), then drop the old one. Only SHA-256 digests of the keys are
/// kept, so no key text sits in the server's memory to be printed; `Debug` shows only how
/// many keys there are.
///
/// [`accepts`](Self::accepts) hashes the presented key and compares its digest with every
/// key's digest using `subtle`: equal-length inputs, no early exit on a mismatch or on a
/// match, so the time taken says nothing about how much of a key was right, how long the
/// right key is, or which key of the ring matched.
#[derive(Clone)]
pub struct ServiceAuth {
    digests: Vec<[u8; 32]>,
}

impl ServiceAuth {
    /// A ring holding `current` only. An empty key is not added: it would let an empty
    /// `x-api-key` in, so a ring of empty keys accepts nothing (fail closed).
    pub fn new(current: ApiKey) -> Self {
        Self {
            digests: Vec::new(),
        }
        .with_previous_key(current)
    }

    /// Also accepts `key`, until the service restarts without it.
    pub fn with_previous_key(mut self, key: ApiKey) -> Self {
        if !key.expose().is_empty() {
            self.digests.push(digest(key.expose().as_bytes()));
        }
        self
    }

    /// Reads `SERVICE_API_KEY` (required) and `SERVICE_API_KEYS_PREVIOUS` (optional,
    /// comma-separated; blanks around and between keys are ignored). Error messages name the
    /// variable, never its value.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| env::var(name))
    }

    /// [`from_env`](Self::from_env) over any source of variables (tests, config files).
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Result<String, VarError>,
    ) -> Result<Self, ConfigError> {
        let current = match lookup(API_KEY_ENV) {
            Ok(value) => value.trim().to_owned(),
            Err(VarError::NotPresent) => return Err(ConfigError::MissingVar(API_KEY_ENV.into())),
            Err(VarError::NotUnicode(_)) => {
                return Err(invalid_var(API_KEY_ENV, "is not valid Unicode".into()))
            }
        };
        check_api_key(&current).map_err(|reason| invalid_var(API_KEY_ENV, reason))?;
        let mut auth = Self::new(ApiKey::new(current));
        let previous = match lookup(PREVIOUS_API_KEYS_ENV) {
            Ok(value) => value,
            Err(VarError::NotPresent) => String::new(),
            Err(VarError::NotUnicode(_)) => {
                return Err(invalid_var(
                    PREVIOUS_API_KEYS_ENV,
                    "is not valid Unicode".into(),
                ))
            }
        };
        let keys = previous.split(',').map(str::trim).filter(|k| !k.is_empty());
        for (index, key) in keys.enumerate() {
            check_api_key(key).map_err(|reason| {
                invalid_var(
                    PREVIOUS_API_KEYS_ENV,
                    format!("key {}: {reason}", index + 1),
                )
            })?;
            auth = auth.with_previous_key(ApiKey::new(key));
        }
        Ok(auth)
    }

    /// How many keys are accepted.
    pub fn key_count(&self) -> usize {
        self.digests.len()
    }

    /// Whether `presented` (the raw `x-api-key` value) is one of the keys, in time that
    /// depends only on the length of `presented` and the number of keys. An empty value is
    /// never accepted.
    pub fn accepts(&self, presented: &[u8]) -> bool {
        let presented_digest = digest(presented);
        let mut matched = Choice::from(0);
        for key in &self.digests {
            matched |= key.ct_eq(&presented_digest);
        }
        bool::from(matched) && !presented.is_empty()
    }
}

impl fmt::Debug for ServiceAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAuth")
            .field("keys", &self.digests.len())
            .finish_non_exhaustive()
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn invalid_var(name: &str, reason: String) -> ConfigError {
    ConfigError::InvalidVar {
        name: name.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const CURRENT: &str = "sk_current_0123456789";
    const OLD: &str = "sk_old_9876543210";

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Result<String, VarError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.get(name).cloned().ok_or(VarError::NotPresent)
    }

    #[test]
    fn accepts_every_key_of_the_ring_and_nothing_else() {
        let auth = ServiceAuth::new(ApiKey::new(CURRENT)).with_previous_key(ApiKey::new(OLD));
        assert!(auth.accepts(CURRENT.as_bytes()));
        assert!(auth.accepts(OLD.as_bytes()));
        let long = "k".repeat(10_240);
        for wrong in [
            "",
            "s",
            "sk_current_012345678",
            "sk_current_01234567890",
            &long,
        ] {
            assert!(!auth.accepts(wrong.as_bytes()), "{}", wrong.len());
        }
        assert!(!auth.accepts(&[0xff, 0x00, 0x80]));
    }

    #[test]
    fn an_empty_key_accepts_nothing() {
        let auth = ServiceAuth::new(ApiKey::new(""));
        assert_eq!(auth.key_count(), 0);
        assert!(!auth.accepts(b""));
    }

    #[test]
    fn debug_shows_how_many_keys_never_which() {
        let auth = ServiceAuth::new(ApiKey::new(CURRENT)).with_previous_key(ApiKey::new(OLD));
        let shown = format!("{auth:?} {auth:#?}");
        assert!(shown.contains("keys: 2"), "{shown}");
        assert!(!shown.contains(CURRENT) && !shown.contains(OLD));
    }

    #[test]
    fn reads_the_current_and_previous_keys() {
        let auth = ServiceAuth::from_lookup(lookup(&[
            ("SERVICE_API_KEY", CURRENT),
            (
                "SERVICE_API_KEYS_PREVIOUS",
                &format!(" {OLD} ,, other-key "),
            ),
        ]))
        .unwrap();
        assert_eq!(auth.key_count(), 3);
        assert!(auth.accepts(OLD.as_bytes()));
        assert!(auth.accepts(b"other-key"));
        let only_current = ServiceAuth::from_lookup(lookup(&[("SERVICE_API_KEY", CURRENT)]));
        assert_eq!(only_current.unwrap().key_count(), 1);
    }

    #[test]
    fn names_the_missing_or_invalid_variable_never_its_value() {
        let cases: [(&[(&str, &str)], &str); 4] = [
            (&[], "environment variable `SERVICE_API_KEY` is not set"),
            (
                &[("SERVICE_API_KEY", " ")],
                "environment variable `SERVICE_API_KEY` is invalid: is empty",
            ),
            (
                &[("SERVICE_API_KEY", "sk with space")],
                "environment variable `SERVICE_API_KEY` is invalid: may only contain visible ASCII characters",
            ),
            (
                &[("SERVICE_API_KEY", CURRENT), ("SERVICE_API_KEYS_PREVIOUS", "ok,bad key")],
                "environment variable `SERVICE_API_KEYS_PREVIOUS` is invalid: key 2: may only contain visible ASCII characters",
            ),
        ];
        for (vars, expected) in cases {
            let error = ServiceAuth::from_lookup(lookup(vars)).unwrap_err();
            assert_eq!(error.to_string(), expected);
        }
    }
}
