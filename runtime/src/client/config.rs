//! How a client reaches one upstream and how patient it is.

use std::env::{self, VarError};
use std::fmt;
use std::time::Duration;

use url::Url;

use super::{ApiKey, BreakerConfig, RetryConfig};
use crate::secret::check_api_key;
use crate::service_name::check_service_name;

pub use crate::config_error::ConfigError;
pub use crate::secret::API_KEY_ENV;
/// Environment variable holding this service's name, sent as `x-service-name`.
pub const SERVICE_NAME_ENV: &str = "SERVICE_NAME";

/// Everything one [`ServiceClient`](super::ServiceClient) needs. `Debug` shows the key as
/// `ApiKey(***)` and a password in the base URL (which [`validate`](Self::validate) refuses
/// anyway) as `***`.
#[derive(Clone)]
pub struct ClientConfig {
    /// Where the upstream lives, e.g. `http://subscription:8080` (a path prefix is kept).
    pub base_url: Url,
    pub api_key: ApiKey,
    /// This service's name, sent as `x-service-name` so the upstream knows its caller.
    pub service_name: String,
    /// Longest wait for one attempt, from sending to the last byte of the answer (default 30 s).
    pub attempt_timeout: Duration,
    /// Longest a call may take in all, retries and waits included (default 60 s).
    pub deadline: Duration,
    /// Longest wait for a TCP (and TLS) connection (default 5 s).
    pub connect_timeout: Duration,
    pub retry: RetryConfig,
    pub breaker: BreakerConfig,
    /// Largest answer body read (default 8 MiB); a larger one is an error, never buffered.
    pub max_response_bytes: usize,
    /// Check request bodies against their contract before sending (default: in debug builds).
    /// A bug in the caller then shows as a local 422 naming every violation, not as the
    /// upstream's.
    pub validate_requests: bool,
}

impl ClientConfig {
    /// A configuration with every default: 30 s per attempt, 60 s per call, 5 s to connect,
    /// 3 attempts with 100 ms–2 s full-jitter backoff, `Retry-After` up to 10 s, a budget of
    /// 0.2 retries per call plus 10 per second over 10 s, a breaker opening after 5
    /// consecutive failures for 30 s with 1 probe, 8 MiB answers, request validation in debug
    /// builds.
    pub fn new(base_url: Url, api_key: ApiKey, service_name: impl Into<String>) -> Self {
        Self {
            base_url,
            api_key,
            service_name: service_name.into(),
            attempt_timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(5),
            retry: RetryConfig::default(),
            breaker: BreakerConfig::default(),
            max_response_bytes: 8 * 1024 * 1024,
            validate_requests: cfg!(debug_assertions),
        }
    }

    /// Reads `<base_url_env>` (e.g. SUBSCRIPTION_API_URL), `SERVICE_API_KEY`, `SERVICE_NAME`.
    /// Every other setting is the default. Error messages name the variable, never its value.
    pub fn from_env(base_url_env: &str) -> Result<Self, ConfigError> {
        Self::from_lookup(base_url_env, |name| env::var(name))
    }

    /// [`from_env`](Self::from_env) over any source of variables (tests, config files).
    pub fn from_lookup(
        base_url_env: &str,
        lookup: impl Fn(&str) -> Result<String, VarError>,
    ) -> Result<Self, ConfigError> {
        let read = |name: &str| match lookup(name) {
            Ok(value) if value.trim().is_empty() => Err(invalid_var(name, "is empty")),
            Ok(value) => Ok(value.trim().to_owned()),
            Err(VarError::NotPresent) => Err(ConfigError::MissingVar(name.to_owned())),
            Err(VarError::NotUnicode(_)) => Err(invalid_var(name, "is not valid Unicode")),
        };
        let base_url = read(base_url_env)?;
        let base_url = Url::parse(&base_url)
            .map_err(|error| invalid_var(base_url_env, &format!("not a URL: {error}")))?;
        check_base_url(&base_url).map_err(|reason| invalid_var(base_url_env, &reason))?;
        let api_key = read(API_KEY_ENV)?;
        check_api_key(&api_key).map_err(|reason| invalid_var(API_KEY_ENV, &reason))?;
        let service_name = read(SERVICE_NAME_ENV)?;
        check_service_name(&service_name)
            .map_err(|reason| invalid_var(SERVICE_NAME_ENV, &reason))?;
        Ok(Self::new(base_url, ApiKey::new(api_key), service_name))
    }

    /// Checks every setting; [`ServiceClient::new`](super::ServiceClient::new) calls it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |field, reason: &str| {
            Err(ConfigError::InvalidSetting {
                field,
                reason: reason.to_owned(),
            })
        };
        check_base_url(&self.base_url).or_else(|reason| invalid("base_url", &reason))?;
        check_api_key(self.api_key.expose()).or_else(|reason| invalid("api_key", &reason))?;
        check_service_name(&self.service_name)
            .or_else(|reason| invalid("service_name", &reason))?;
        let positive = [
            ("attempt_timeout", self.attempt_timeout),
            ("deadline", self.deadline),
            ("connect_timeout", self.connect_timeout),
            ("retry.budget.window", self.retry.budget.window),
        ];
        for (field, duration) in positive {
            if duration.is_zero() {
                return invalid(field, "must be longer than zero");
            }
        }
        let at_least_one = [
            ("retry.max_attempts", self.retry.max_attempts),
            ("breaker.failure_threshold", self.breaker.failure_threshold),
            ("breaker.half_open_probes", self.breaker.half_open_probes),
        ];
        for (field, count) in at_least_one {
            if count == 0 {
                return invalid(field, "must be at least 1");
            }
        }
        let ratio = self.retry.budget.retry_ratio;
        if !ratio.is_finite() || ratio < 0.0 {
            return invalid("retry.budget.retry_ratio", "must be a finite number ≥ 0");
        }
        if self.max_response_bytes == 0 {
            return invalid("max_response_bytes", "must be at least 1");
        }
        Ok(())
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut base_url = self.base_url.clone();
        if base_url.password().is_some() {
            // Only fails for URLs that cannot have credentials, which then have none to hide.
            let _ = base_url.set_password(Some("***"));
        }
        f.debug_struct("ClientConfig")
            .field("base_url", &base_url.as_str())
            .field("api_key", &self.api_key)
            .field("service_name", &self.service_name)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("deadline", &self.deadline)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("breaker", &self.breaker)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("validate_requests", &self.validate_requests)
            .finish()
    }
}

fn invalid_var(name: &str, reason: &str) -> ConfigError {
    ConfigError::InvalidVar {
        name: name.to_owned(),
        reason: reason.to_owned(),
    }
}

/// An http(s) URL with a host and nothing that would leak or be dropped: credentials belong
/// in the API key (and a URL is printed by `Debug`), and a query or fragment would be lost
/// when paths are appended.
fn check_base_url(url: &Url) -> Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("scheme `{}` is not http or https", url.scheme()));
    }
    if url.host().is_none() {
        return Err("has no host".to_owned());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain credentials".to_owned());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must not have a query or fragment".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const SECRET: &str = "k3y-THAT-must-not-leak";

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Result<String, VarError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.get(name).cloned().ok_or(VarError::NotPresent)
    }

    #[test]
    fn reads_the_three_variables() {
        let config = ClientConfig::from_lookup(
            "SUBSCRIPTION_API_URL",
            lookup(&[
                ("SUBSCRIPTION_API_URL", "http://subscription:8080/api"),
                ("SERVICE_API_KEY", SECRET),
                ("SERVICE_NAME", "session"),
            ]),
        )
        .unwrap();
        assert_eq!(config.base_url.as_str(), "http://subscription:8080/api");
        assert_eq!(config.api_key.expose(), SECRET);
        assert_eq!(config.service_name, "session");
        assert_eq!(config.attempt_timeout, Duration::from_secs(30));
        assert_eq!(config.deadline, Duration::from_secs(60));
        assert_eq!(config.max_response_bytes, 8 << 20);
        assert!(config.validate().is_ok());
        assert!(!format!("{config:?}").contains(SECRET));
    }

    #[test]
    fn names_the_missing_or_invalid_variable_never_its_value() {
        let cases: [(&[(&str, &str)], &str); 6] = [
            (&[], "environment variable `X_URL` is not set"),
            (
                &[("X_URL", "http://x")],
                "environment variable `SERVICE_API_KEY` is not set",
            ),
            (
                &[("X_URL", "not a url")],
                "environment variable `X_URL` is invalid: not a URL: relative URL without a base",
            ),
            (
                &[("X_URL", "ftp://x")],
                "environment variable `X_URL` is invalid: scheme `ftp` is not http or https",
            ),
            (
                &[("X_URL", "http://x"), ("SERVICE_API_KEY", "a b\u{1}")],
                "environment variable `SERVICE_API_KEY` is invalid: may only contain visible ASCII characters",
            ),
            (
                &[("X_URL", "http://x"), ("SERVICE_API_KEY", SECRET), ("SERVICE_NAME", " ")],
                "environment variable `SERVICE_NAME` is invalid: is empty",
            ),
        ];
        for (vars, expected) in cases {
            let error = ClientConfig::from_lookup("X_URL", lookup(vars)).unwrap_err();
            assert_eq!(error.to_string(), expected);
        }
    }

    #[test]
    fn validate_refuses_unusable_settings() {
        let base = ClientConfig::new(
            Url::parse("http://x").unwrap(),
            ApiKey::new(SECRET),
            "session",
        );
        let mut zero_attempts = base.clone();
        zero_attempts.retry.max_attempts = 0;
        let mut zero_deadline = base.clone();
        zero_deadline.deadline = Duration::ZERO;
        let mut nan_ratio = base.clone();
        nan_ratio.retry.budget.retry_ratio = f64::NAN;
        let mut credentials = base.clone();
        credentials.base_url = Url::parse("http://user:pw-s3cret@x").unwrap();
        assert!(!format!("{credentials:?}").contains("pw-s3cret"));
        assert!(format!("{credentials:?}").contains("http://user:***@x/"));
        let mut bad_name = base.clone();
        bad_name.service_name = "a\r\nb".into();
        for (config, field) in [
            (zero_attempts, "retry.max_attempts"),
            (zero_deadline, "deadline"),
            (nan_ratio, "retry.budget.retry_ratio"),
            (credentials, "base_url"),
            (bad_name, "service_name"),
        ] {
            match config.validate() {
                Err(ConfigError::InvalidSetting { field: got, .. }) => assert_eq!(got, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}
