//! A service that takes its contract types from `build.rs` instead of a committed crate.
//!
//! ```
//! use build_script_example::subscription::CheckSubscriptionAccessRequest;
//!
//! let body = serde_json::json!({ "userId": "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d" });
//! let request: CheckSubscriptionAccessRequest = solo60_runtime::parse(&body)?;
//! assert_eq!(request.feature, None);
//! # Ok::<(), solo60_runtime::ValidationErrors>(())
//! ```

/// The subscription service's contract, generated at build time.
pub mod subscription {
    include!(concat!(env!("OUT_DIR"), "/subscription.rs"));
}
