//! Why a client or a server could not be configured, shared by both so a service reports
//! every startup mistake the same way.

/// Why a client or a server could not be configured. Messages name the variable or setting,
/// never its value: the value may be a key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("environment variable `{0}` is not set")]
    MissingVar(String),
    #[error("environment variable `{name}` is invalid: {reason}")]
    InvalidVar { name: String, reason: String },
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
    /// A setting of an explicitly built configuration is unusable.
    #[error("client setting `{field}` is invalid: {reason}")]
    InvalidSetting { field: &'static str, reason: String },
}
