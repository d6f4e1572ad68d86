//! The subscription service: answers access checks from an in-memory table of members'
//! subscriptions, as the platform's other services ask before booking or admitting anyone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use solo60_runtime::server::RequestContext;
use solo60_runtime::{AppError, ErrorKind, Uuid};
use subscription_api::server::SubscriptionService;
use subscription_api::{
    CancelSubscriptionRequest, CheckSubscriptionAccessRequest, CheckSubscriptionAccessResponse,
    CreateSubscriptionRequest, ListPlansQuery, PlanList, PlanTier, Subscription,
    SubscriptionDetails, SubscriptionStatus,
};

/// One access check as the service saw it, for tests and audit logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenCheck {
    pub caller: String,
    pub correlation_id: String,
    pub user_id: Uuid,
}

/// Members' subscriptions, by user.
#[derive(Debug, Clone, Default)]
pub struct Subscriptions {
    by_user: Arc<Mutex<HashMap<Uuid, SubscriptionDetails>>>,
    checks: Arc<Mutex<Vec<SeenCheck>>>,
}

impl Subscriptions {
    /// Records `details` as the subscription of `details.user_id`.
    pub fn insert(&self, details: SubscriptionDetails) {
        if let Ok(mut table) = self.by_user.lock() {
            table.insert(details.user_id, details);
        }
    }

    /// Every access check answered so far.
    pub fn checks(&self) -> Vec<SeenCheck> {
        self.checks
            .lock()
            .map(|checks| checks.clone())
            .unwrap_or_default()
    }

    fn lookup(&self, user_id: Uuid) -> Option<SubscriptionDetails> {
        self.by_user.lock().ok()?.get(&user_id).cloned()
    }
}

/// The order of tiers, lowest first: a plan grants everything a lower one does.
fn rank(tier: PlanTier) -> u8 {
    match tier {
        PlanTier::Free => 0,
        PlanTier::Basic => 1,
        PlanTier::Premium => 2,
        PlanTier::Enterprise => 3,
    }
}

/// Why access is refused, or `None` when it is granted.
fn refusal(
    details: &SubscriptionDetails,
    request: &CheckSubscriptionAccessRequest,
) -> Option<&'static str> {
    if !matches!(
        details.status,
        SubscriptionStatus::Active | SubscriptionStatus::Trialing
    ) {
        return Some("subscription_inactive");
    }
    if let Some(required) = &request.required_plan {
        let required = [
            PlanTier::Free,
            PlanTier::Basic,
            PlanTier::Premium,
            PlanTier::Enterprise,
        ]
        .into_iter()
        .find(|tier| tier.as_str() == required);
        match required {
            Some(required) if rank(details.plan) < rank(required) => return Some("plan_too_low"),
            Some(_) => {}
            None => return Some("unknown_plan"),
        }
    }
    match &request.feature {
        Some(feature) if !details.features.contains(feature) => Some("feature_not_included"),
        _ => None,
    }
}

fn not_implemented(operation: &str) -> AppError {
    AppError::new(
        ErrorKind::Internal,
        format!("`{operation}` is not part of this example"),
    )
    .with_code("NOT_IMPLEMENTED")
}

impl SubscriptionService for Subscriptions {
    async fn check_access(
        &self,
        context: RequestContext,
        request: CheckSubscriptionAccessRequest,
    ) -> Result<CheckSubscriptionAccessResponse, AppError> {
        if let Ok(mut checks) = self.checks.lock() {
            checks.push(SeenCheck {
                caller: context.caller,
                correlation_id: context.correlation_id,
                user_id: request.user_id,
            });
        }
        let Some(details) = self.lookup(request.user_id) else {
            return Ok(CheckSubscriptionAccessResponse {
                has_access: false,
                subscription: None,
                reason: Some("no_subscription".to_owned()),
            });
        };
        let reason = refusal(&details, &request);
        Ok(CheckSubscriptionAccessResponse {
            has_access: reason.is_none(),
            subscription: Some(details),
            reason: reason.map(str::to_owned),
        })
    }

    async fn get_subscription(
        &self,
        _context: RequestContext,
        _subscription_id: Uuid,
    ) -> Result<Subscription, AppError> {
        Err(not_implemented("getSubscription"))
    }

    async fn get_subscription_for_user(
        &self,
        _context: RequestContext,
        _user_id: Uuid,
    ) -> Result<Subscription, AppError> {
        Err(not_implemented("getSubscriptionForUser"))
    }

    async fn create_subscription(
        &self,
        _context: RequestContext,
        _request: CreateSubscriptionRequest,
    ) -> Result<Subscription, AppError> {
        Err(not_implemented("createSubscription"))
    }

    async fn cancel_subscription(
        &self,
        _context: RequestContext,
        _subscription_id: Uuid,
        _request: CancelSubscriptionRequest,
    ) -> Result<Subscription, AppError> {
        Err(not_implemented("cancelSubscription"))
    }

    async fn list_plans(
        &self,
        _context: RequestContext,
        _query: ListPlansQuery,
    ) -> Result<PlanList, AppError> {
        Err(not_implemented("listPlans"))
    }
}
