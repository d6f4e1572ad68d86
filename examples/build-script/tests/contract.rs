//! The types generated in build.rs validate and carry operation metadata like the committed
//! crate does.

use build_script_example::subscription::{self, CheckSubscriptionAccessRequest};
use serde_json::json;

#[test]
fn generated_module_validates_requests() {
    let errors = solo60_runtime::parse::<CheckSubscriptionAccessRequest>(&json!({"userId": "x"}))
        .expect_err("not a uuid");
    assert_eq!(
        errors.iter().next().map(|e| e.pointer.as_str()),
        Some("/userId")
    );
    assert_eq!(subscription::SERVICE_NAME, "subscription");
    assert_eq!(
        subscription::operations::CHECK_ACCESS.path,
        "/internal/subscriptions/check-access"
    );
}
