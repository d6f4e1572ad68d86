//! A subscription's life through the service trait: plans listed, a subscription created,
//! found by id and by user, refused twice, cancelled, refused a second cancellation.

use solo60_runtime::server::RequestContext;
use solo60_runtime::{ErrorKind, Uuid};
use subscription_api::server::SubscriptionService;
use subscription_api::{
    BillingInterval, CancelSubscriptionRequest, CancellationReason, CheckSubscriptionAccessRequest,
    CreateSubscriptionRequest, ListPlansQuery, PlanTier, SubscriptionStatus,
};
use subscription_service::{plans, Subscriptions};

fn context() -> RequestContext {
    RequestContext {
        caller: "session".to_owned(),
        correlation_id: "test-1".to_owned(),
    }
}

fn create(user_id: Uuid, plan_id: Uuid) -> CreateSubscriptionRequest {
    CreateSubscriptionRequest::new(user_id, plan_id, BillingInterval::Month)
        .with_start_at("2026-01-31T00:00:00Z".to_owned())
}

#[tokio::test]
async fn a_subscription_from_creation_to_cancellation() {
    let service = Subscriptions::default();
    let premium = plans()
        .into_iter()
        .find(|plan| plan.tier == PlanTier::Premium && plan.active)
        .unwrap();
    let listed = service
        .list_plans(
            context(),
            ListPlansQuery::new().with_tier(PlanTier::Premium),
        )
        .await
        .unwrap();
    assert_eq!(listed.plans, std::slice::from_ref(&premium));

    let user = Uuid::new_v4();
    let created = service
        .create_subscription(context(), create(user, premium.id))
        .await
        .unwrap();
    assert_eq!(created.status, SubscriptionStatus::Trialing);
    assert_eq!(created.current_period_end, "2026-02-28T00:00:00Z");
    assert_eq!(
        created.trial_ends_at.as_deref(),
        Some("2026-02-14T00:00:00Z")
    );
    let found = service
        .get_subscription(context(), created.id)
        .await
        .unwrap();
    assert_eq!(found, created);
    let for_user = service
        .get_subscription_for_user(context(), user)
        .await
        .unwrap();
    assert_eq!(for_user, created);
    let access = service
        .check_access(
            context(),
            CheckSubscriptionAccessRequest::new(user).with_feature("sauna".to_owned()),
        )
        .await
        .unwrap();
    assert!(access.has_access);

    let again = service
        .create_subscription(context(), create(user, premium.id))
        .await
        .unwrap_err();
    assert_eq!(again.code, "SUBSCRIPTION_ALREADY_ACTIVE");
    let mut with_coupon = create(Uuid::new_v4(), premium.id);
    with_coupon.coupon_code = Some("NOSUCHCODE".to_owned());
    let coupon = service
        .create_subscription(context(), with_coupon)
        .await
        .unwrap_err();
    assert_eq!(coupon.code, "INVALID_COUPON");
    let unknown = service
        .create_subscription(context(), create(Uuid::new_v4(), Uuid::new_v4()))
        .await
        .unwrap_err();
    assert_eq!(unknown.kind, ErrorKind::NotFound);

    let cancel =
        CancelSubscriptionRequest::new(CancellationReason::MovingAway).with_at_period_end(false);
    let cancelled = service
        .cancel_subscription(context(), created.id, cancel.clone())
        .await
        .unwrap();
    assert_eq!(cancelled.status, SubscriptionStatus::Cancelled);
    assert!(matches!(cancelled.cancelled_at, Some(Some(_))));
    let twice = service
        .cancel_subscription(context(), created.id, cancel)
        .await
        .unwrap_err();
    assert_eq!(twice.code, "SUBSCRIPTION_ALREADY_CANCELLED");
    let missing = service
        .get_subscription(context(), Uuid::new_v4())
        .await
        .unwrap_err();
    assert_eq!(missing.code, "SUBSCRIPTION_NOT_FOUND");
}
