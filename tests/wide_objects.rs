//! Generated validation finds listed properties by one pass over a short object and by keyed
//! lookups over a wide one (`keywords::SHORT_OBJECT_MEMBERS`); either way it must report the
//! same violations in the same order.

use serde_json::{json, Map, Value};
use solo60_runtime::validation::{keywords::SHORT_OBJECT_MEMBERS, validate, Validate};
use subscription_api::{CheckSubscriptionAccessRequest, CheckSubscriptionAccessResponse};

/// `object` with unknown members before and after its own, wider than a short object.
fn padded(object: &Value) -> Value {
    let mut wide = Map::new();
    for index in 0..SHORT_OBJECT_MEMBERS {
        wide.insert(format!("before{index}"), json!(index));
    }
    if let Value::Object(members) = object {
        for (name, value) in members {
            wide.insert(name.clone(), value.clone());
        }
    }
    wide.insert("after".to_owned(), json!(null));
    Value::Object(wide)
}

fn violations<T: Validate>(value: &Value) -> Vec<String> {
    match validate::<T>(value) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn short_and_wide_objects_report_the_same_violations_in_schema_order() {
    let subscription = json!({ "id": "not-a-uuid", "plan": 3, "features": "all" });
    let short = json!({ "hasAccess": "yes", "subscription": subscription });
    let wide = json!({ "hasAccess": "yes", "subscription": padded(&subscription) });
    let wide = padded(&wide);
    assert!(wide
        .as_object()
        .is_some_and(|o| o.len() > SHORT_OBJECT_MEMBERS));

    let expected = violations::<CheckSubscriptionAccessResponse>(&short);
    assert_eq!(
        expected,
        [
            "/hasAccess: expected boolean, found string (type)",
            "/subscription/userId: missing required property `userId` (required)",
            "/subscription/status: missing required property `status` (required)",
            "/subscription/currentPeriodStart: missing required property `currentPeriodStart` (required)",
            "/subscription/currentPeriodEnd: missing required property `currentPeriodEnd` (required)",
            "/subscription/cancelAtPeriodEnd: missing required property `cancelAtPeriodEnd` (required)",
            "/subscription/id: must be a valid uuid (format)",
            "/subscription/plan: expected string, found integer (type)",
            "/subscription/features: expected array, found string (type)",
        ]
    );
    assert_eq!(
        violations::<CheckSubscriptionAccessResponse>(&wide),
        expected
    );
}

#[test]
fn wide_objects_find_required_and_listed_properties_by_key() {
    let valid = json!({ "userId": "5f0c7a52-8d3e-4b1a-9c2f-000000000001", "feature": "x" });
    assert_eq!(
        violations::<CheckSubscriptionAccessRequest>(&padded(&valid)),
        Vec::<String>::new()
    );

    let missing = padded(&json!({ "feature": 7 }));
    assert_eq!(
        violations::<CheckSubscriptionAccessRequest>(&missing),
        [
            "/userId: missing required property `userId` (required)",
            "/feature: expected string, found integer (type)",
        ]
    );
}
