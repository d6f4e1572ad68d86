//! The subscription service's access checks, called in process the way session and gym call
//! them: with a service key, as an allowed caller, through the generated router.

use solo60_runtime::client::ApiKey;
use solo60_runtime::server::ServiceAuth;
use solo60_runtime::testing::{InternalApiTestHelper, TestResponse};
use solo60_runtime::{ErrorKind, Uuid};
use subscription_api::{
    CheckSubscriptionAccessRequest as Check, CheckSubscriptionAccessResponse as Answer, PlanTier,
    SubscriptionDetails, SubscriptionStatus,
};
use subscription_service::Subscriptions;

const KEY: &str = "subscription-test-key";
const CHECK_ACCESS: &str = "/internal/subscriptions/check-access";
const MEMBER: Uuid = Uuid::from_u128(0x5f0c7a52_8d3e_4b1a_9c2f_3e4d5a6b7c8d);

fn member(plan: PlanTier, status: SubscriptionStatus) -> SubscriptionDetails {
    SubscriptionDetails::new(
        Uuid::from_u128(1),
        MEMBER,
        plan,
        status,
        "2026-03-01T00:00:00Z".to_owned(),
        "2026-04-01T00:00:00Z".to_owned(),
        false,
        vec!["personal_training".to_owned()],
    )
}

/// The service holding `details`, behind its router, called as `session`.
fn api(details: Option<SubscriptionDetails>) -> (Subscriptions, InternalApiTestHelper) {
    let subscriptions = Subscriptions::default();
    if let Some(details) = details {
        subscriptions.insert(details);
    }
    let router =
        subscription_api::server::router(subscriptions.clone(), ServiceAuth::new(ApiKey::new(KEY)));
    let api = InternalApiTestHelper::new(ApiKey::new(KEY), router).as_caller("session");
    (subscriptions, api)
}

fn check(feature: Option<&str>, required_plan: Option<&str>) -> Check {
    let mut check = Check::new(MEMBER);
    check.feature = feature.map(str::to_owned);
    check.required_plan = required_plan.map(str::to_owned);
    check
}

#[tokio::test]
async fn an_active_member_has_access_to_a_feature_of_the_plan() {
    let (subscriptions, api) = api(Some(member(PlanTier::Premium, SubscriptionStatus::Active)));
    let answer: TestResponse<Answer> = api
        .post(
            CHECK_ACCESS,
            &check(Some("personal_training"), Some("basic")),
        )
        .await
        .expect("sent");
    assert_eq!(answer.status, 200);
    let body = answer.body.as_ref().expect("an answer");
    assert!(body.has_access);
    assert_eq!(body.reason, None);

    let seen = subscriptions.checks();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].caller, "session");
    assert_eq!(
        Some(seen[0].correlation_id.as_str()),
        answer.correlation_id()
    );
}

#[tokio::test]
async fn refusals_are_answers_with_a_reason() {
    let cases = [
        (None, None, None, "no_subscription"),
        (
            Some(member(PlanTier::Premium, SubscriptionStatus::Cancelled)),
            None,
            None,
            "subscription_inactive",
        ),
        (
            Some(member(PlanTier::Basic, SubscriptionStatus::Active)),
            None,
            Some("premium"),
            "plan_too_low",
        ),
        (
            Some(member(PlanTier::Premium, SubscriptionStatus::Active)),
            Some("sauna"),
            None,
            "feature_not_included",
        ),
    ];
    for (details, feature, plan, reason) in cases {
        let (_, api) = api(details);
        let answer: TestResponse<Answer> = api
            .post(CHECK_ACCESS, &check(feature, plan))
            .await
            .expect("sent");
        assert_eq!(answer.status, 200, "{reason}");
        let body = answer.body.expect("an answer");
        assert!(!body.has_access, "{reason}");
        assert_eq!(body.reason.as_deref(), Some(reason));
    }
}

#[tokio::test]
async fn an_unknown_subscription_is_a_typed_not_found() {
    let (_, api) = api(None);
    let answer = api
        .get::<subscription_api::Subscription>(&format!("/internal/subscriptions/{MEMBER}"))
        .await
        .expect("sent");
    assert_eq!(answer.status, 404);
    let error = answer.body.expect_err("no subscription has this id");
    assert_eq!(
        (error.kind, error.code.as_str()),
        (ErrorKind::NotFound, "SUBSCRIPTION_NOT_FOUND")
    );
}
