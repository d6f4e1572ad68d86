//! The seed contracts: seven services, their operations, and what their generated types
//! accept and reject.

use std::path::Path;

use serde_json::json;
use solo60_gen::ir::lower_service;
use solo60_gen::load::load_contracts;
use solo60_runtime::contract::{Method, RetryPolicy};
use solo60_runtime::{parse, Uuid};
use subscription_api::{CheckSubscriptionAccessRequest, CheckSubscriptionAccessResponse};

#[test]
fn seven_services_with_at_least_thirty_operations() {
    let all = [
        (auth_api::SERVICE_NAME, auth_api::operations::ALL),
        (
            communication_api::SERVICE_NAME,
            communication_api::operations::ALL,
        ),
        (gym_api::SERVICE_NAME, gym_api::operations::ALL),
        (payment_api::SERVICE_NAME, payment_api::operations::ALL),
        (session_api::SERVICE_NAME, session_api::operations::ALL),
        (
            subscription_api::SERVICE_NAME,
            subscription_api::operations::ALL,
        ),
        (user_api::SERVICE_NAME, user_api::operations::ALL),
    ];
    let names: Vec<&str> = all.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "auth",
            "communication",
            "gym",
            "payment",
            "session",
            "subscription",
            "user"
        ]
    );
    let operations: usize = all.iter().map(|(_, operations)| operations.len()).sum();
    assert!(operations >= 30, "{operations} operations");
    for (service, operations) in all {
        for operation in operations {
            assert!(
                operation.path.starts_with("/internal/"),
                "{service}.{}",
                operation.id
            );
        }
    }
}

#[test]
fn operation_metadata_follows_the_manifest() {
    use subscription_api::operations::{CHECK_ACCESS, GET_SUBSCRIPTION};
    assert_eq!(CHECK_ACCESS.method, Method::Post);
    assert_eq!(CHECK_ACCESS.path, "/internal/subscriptions/check-access");
    assert_eq!(CHECK_ACCESS.retry, RetryPolicy::Safe, "a read over POST");
    assert_eq!(GET_SUBSCRIPTION.method, Method::Get);
    assert_eq!(
        GET_SUBSCRIPTION.path,
        "/internal/subscriptions/{subscriptionId}"
    );
    assert_eq!(
        GET_SUBSCRIPTION.retry,
        RetryPolicy::Safe,
        "GET defaults to safe"
    );
    assert_eq!(user_api::operations::GET_BULK_USERS.success_status, 200);
    assert_eq!(subscription_api::BASE_URL_ENV, "SUBSCRIPTION_API_URL");
}

/// The check-access pair matches the platform's Zod schemas field for field: built with
/// every setter, each type serializes to exactly Zod's keys, and the constructors stop
/// compiling if a required field is added, removed or changes type.
#[test]
fn check_access_matches_the_zod_pair_exactly() {
    let request = CheckSubscriptionAccessRequest::new(Uuid::nil());
    assert_eq!(
        serde_json::to_value(&request).expect("serializes"),
        json!({"userId": "00000000-0000-0000-0000-000000000000"})
    );
    let request = request
        .with_feature("sauna".to_owned())
        .with_required_plan("premium".to_owned());
    assert_eq!(
        serde_json::to_value(&request).expect("serializes"),
        json!({
            "userId": "00000000-0000-0000-0000-000000000000",
            "feature": "sauna",
            "requiredPlan": "premium"
        })
    );
    let response =
        CheckSubscriptionAccessResponse::new(false).with_reason("no_subscription".to_owned());
    assert_eq!(
        serde_json::to_value(&response).expect("serializes"),
        json!({"hasAccess": false, "reason": "no_subscription"})
    );
    // z.object() strips unknown keys: so does the generated type.
    let parsed: CheckSubscriptionAccessRequest = parse(&json!({
        "userId": "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d",
        "feature": "personal_training",
        "requiredPlan": "premium",
        "unknown": true
    }))
    .expect("valid");
    assert_eq!(parsed.feature.as_deref(), Some("personal_training"));
    let errors =
        parse::<CheckSubscriptionAccessRequest>(&json!({"feature": 1, "requiredPlan": null}))
            .expect_err("invalid");
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|error| (error.pointer.as_str(), error.keyword.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("/userId", "required"),
            ("/feature", "type"),
            ("/requiredPlan", "type")
        ]
    );
}

#[test]
fn bulk_user_lookup_reports_every_violation() {
    let errors = parse::<user_api::GetBulkUsersRequest>(&json!({
        "userIds": ["5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d", "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d", "nope"],
        "extra": 1
    }))
    .expect_err("invalid");
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|error| (error.pointer.as_str(), error.keyword.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("/userIds", "uniqueItems"),
            ("/userIds/2", "format"),
            ("/extra", "additionalProperties"),
        ]
    );
    let empty = parse::<user_api::GetBulkUsersRequest>(&json!({"userIds": []})).expect_err("empty");
    assert_eq!(
        empty.iter().map(|e| e.keyword.as_str()).collect::<Vec<_>>(),
        ["minItems"]
    );
}

#[test]
fn every_seed_definition_carries_examples() {
    let contracts = load_contracts(Path::new("schemas")).expect("loads");
    let mut checked = 0;
    for service in &contracts.services {
        let ir = lower_service(&contracts, service).expect("lowers");
        for def in &ir.types {
            let is_definition = def
                .source
                .split_once("#/$defs/")
                .is_some_and(|(_, name)| !name.contains('/'));
            if is_definition {
                assert!(!def.examples.is_empty(), "{} has no examples", def.source);
                checked += 1;
            }
        }
    }
    assert!(checked >= 100, "{checked} definitions checked");
}

/// Each generated crate's `client_tests.rs` calls every operation of its service through the
/// generated client (against a stub server answering with the contract's examples).
#[test]
fn every_seed_operation_is_called_through_its_client() {
    let contracts = load_contracts(Path::new("schemas")).expect("loads");
    for service in &contracts.services {
        let tests = std::fs::read_to_string(
            Path::new("generated")
                .join(&service.folder)
                .join("src/client_tests.rs"),
        )
        .expect("client tests generated");
        for id in service.manifest.operations.keys() {
            let name = format!(
                "async fn {}_through_the_client()",
                solo60_gen::ir::naming::field_name(id)
            );
            assert!(
                tests.contains(&name),
                "{}: no test calls `{id}`",
                service.folder
            );
        }
    }
}

/// The user service serves `getUser` and its successor side by side, and `getUser` carries
/// its retirement plan in the header forms the server sends (see
/// runtime/tests/server_deprecation.rs for the sending).
#[test]
fn get_user_is_deprecated_in_favour_of_its_second_version() {
    use user_api::operations::{GET_USER, GET_USER_V2};
    let deprecation = GET_USER.deprecation.expect("getUser is deprecated");
    // 2026-11-15T00:00:00Z and 2027-05-31, as the manifest says.
    assert_eq!(deprecation.deprecated_at, "@1794700800");
    assert_eq!(deprecation.sunset, Some("Mon, 31 May 2027 00:00:00 GMT"));
    assert_eq!(deprecation.replacement, Some("getUserV2"));
    assert_eq!(GET_USER_V2.deprecation, None);
    assert_eq!(GET_USER_V2.path, "/internal/v2/users/{userId}");
    assert_ne!(GET_USER.path, GET_USER_V2.path);

    let v2 = json!({
        "createdAt": "2026-01-15T08:00:00Z",
        "updatedAt": "2026-03-01T09:30:00Z",
        "id": "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d",
        "email": "ana@example.com",
        "displayName": "Ana",
        "firstName": "Ana",
        "lastName": "López",
        "phone": null,
        "status": "active",
        "roles": ["member"],
        "locale": "es-ES",
        "timeZone": "Europe/Madrid",
        "address": null,
        "lastLoginAt": null,
        "avatar": { "url": "https://cdn.solo60.dev/a.jpg", "width": 0, "height": 512 }
    });
    let errors = parse::<user_api::UserV2>(&v2).expect_err("width 0 is below the minimum");
    assert!(errors.to_string().contains("/avatar"), "{errors}");
    let avatar = json!({ "url": "https://cdn.solo60.dev/a.jpg", "width": 0, "height": 512 });
    let errors = parse::<user_api::Avatar>(&avatar).expect_err("width 0 is below the minimum");
    assert!(errors.to_string().contains("/width"), "{errors}");
}
