//! The subscription service: plans from a fixed catalogue, members' subscriptions and
//! access checks, all in memory, as the platform's other services ask before booking or
//! admitting anyone.

mod catalogue;
mod periods;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use solo60_runtime::server::RequestContext;
use solo60_runtime::{AppError, ErrorKind, Uuid};
use subscription_api::server::SubscriptionService;
use subscription_api::{
    CancelSubscriptionRequest, CheckSubscriptionAccessRequest, CheckSubscriptionAccessResponse,
    CreateSubscriptionRequest, ListPlansQuery, Plan, PlanList, PlanTier, Subscription,
    SubscriptionDetails, SubscriptionStatus,
};

pub use catalogue::{plans, COUPONS};

/// One access check as the service saw it, for tests and audit logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenCheck {
    pub caller: String,
    pub correlation_id: String,
    pub user_id: Uuid,
}

/// Members' subscriptions, by user, and the plans on sale.
#[derive(Debug, Clone)]
pub struct Subscriptions {
    by_user: Arc<Mutex<HashMap<Uuid, SubscriptionDetails>>>,
    table: Arc<Mutex<Table>>,
    checks: Arc<Mutex<Vec<SeenCheck>>>,
    plans: Arc<Vec<Plan>>,
}

/// Subscriptions made through the API: by id, and each user's latest.
#[derive(Debug, Default)]
struct Table {
    by_id: HashMap<Uuid, Subscription>,
    latest_of_user: HashMap<Uuid, Uuid>,
}

impl Default for Subscriptions {
    fn default() -> Self {
        Self {
            by_user: Arc::default(),
            table: Arc::default(),
            checks: Arc::default(),
            plans: Arc::new(plans()),
        }
    }
}

/// A lock whose holder panicked still guards consistent data here: every update is one
/// assignment.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Subscriptions {
    /// Records `details` as the subscription of `details.user_id`.
    pub fn insert(&self, details: SubscriptionDetails) {
        lock(&self.by_user).insert(details.user_id, details);
    }

    /// Every access check answered so far.
    pub fn checks(&self) -> Vec<SeenCheck> {
        lock(&self.checks).clone()
    }

    fn lookup(&self, user_id: Uuid) -> Option<SubscriptionDetails> {
        lock(&self.by_user).get(&user_id).cloned()
    }

    /// Stores `subscription` and the details access checks read.
    fn store(&self, table: &mut Table, subscription: Subscription) {
        self.insert(SubscriptionDetails::new(
            subscription.id,
            subscription.user_id,
            subscription.plan,
            subscription.status,
            subscription.current_period_start.clone(),
            subscription.current_period_end.clone(),
            subscription.cancel_at_period_end,
            subscription.features.clone(),
        ));
        table
            .latest_of_user
            .insert(subscription.user_id, subscription.id);
        table.by_id.insert(subscription.id, subscription);
    }
}

/// Whether a subscription still grants or bills anything.
fn is_live(status: SubscriptionStatus) -> bool {
    !matches!(
        status,
        SubscriptionStatus::Cancelled | SubscriptionStatus::Expired
    )
}

fn subscription_not_found(detail: &str) -> AppError {
    AppError::new(ErrorKind::NotFound, detail).with_code("SUBSCRIPTION_NOT_FOUND")
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
            return Ok(CheckSubscriptionAccessResponse::new(false)
                .with_reason("no_subscription".to_owned()));
        };
        let reason = refusal(&details, &request);
        let mut response =
            CheckSubscriptionAccessResponse::new(reason.is_none()).with_subscription(details);
        response.reason = reason.map(str::to_owned);
        Ok(response)
    }

    async fn get_subscription(
        &self,
        _context: RequestContext,
        subscription_id: Uuid,
    ) -> Result<Subscription, AppError> {
        lock(&self.table)
            .by_id
            .get(&subscription_id)
            .cloned()
            .ok_or_else(|| subscription_not_found("no subscription has this id"))
    }

    async fn get_subscription_for_user(
        &self,
        _context: RequestContext,
        user_id: Uuid,
    ) -> Result<Subscription, AppError> {
        let table = lock(&self.table);
        table
            .latest_of_user
            .get(&user_id)
            .and_then(|id| table.by_id.get(id))
            .cloned()
            .ok_or_else(|| subscription_not_found("no subscription for this user"))
    }

    async fn create_subscription(
        &self,
        _context: RequestContext,
        request: CreateSubscriptionRequest,
    ) -> Result<Subscription, AppError> {
        let plan = self
            .plans
            .iter()
            .find(|plan| plan.id == request.plan_id && plan.active)
            .ok_or_else(|| {
                AppError::new(ErrorKind::NotFound, "no plan on sale has this id")
                    .with_code("PLAN_NOT_FOUND")
            })?;
        let price = plan
            .prices
            .iter()
            .find(|price| price.interval == request.billing_interval)
            .ok_or_else(|| {
                AppError::new(
                    ErrorKind::NotFound,
                    "the plan is not sold for this billing interval",
                )
                .with_code("PLAN_NOT_FOUND")
            })?;
        if let Some(code) = &request.coupon_code {
            if !COUPONS.contains(&code.as_str()) {
                return Err(AppError::new(
                    ErrorKind::Validation,
                    "the coupon code is unknown or expired",
                )
                .with_code("INVALID_COUPON"));
            }
        }
        let mut table = lock(&self.table);
        let active = table
            .latest_of_user
            .get(&request.user_id)
            .and_then(|id| table.by_id.get(id))
            .is_some_and(|current| is_live(current.status));
        if active {
            return Err(AppError::new(
                ErrorKind::Conflict,
                "the user already has an active subscription",
            )
            .with_code("SUBSCRIPTION_ALREADY_ACTIVE"));
        }
        let start = periods::start(request.start_at.as_deref());
        let trial = u32::try_from(plan.trial_days)
            .ok()
            .filter(|days| *days > 0 && !request.skip_trial);
        let status = if trial.is_some() {
            SubscriptionStatus::Trialing
        } else {
            SubscriptionStatus::Active
        };
        let mut subscription = Subscription::new(
            Uuid::new_v4(),
            request.user_id,
            plan.id,
            plan.tier,
            status,
            request.billing_interval,
            price.price.clone(),
            request.home_gym_id,
            periods::format(start),
            periods::format(periods::end(start, request.billing_interval)),
            false,
            plan.features.clone(),
            periods::now(),
        );
        subscription.trial_ends_at =
            trial.map(|days| periods::format(periods::after_days(start, days)));
        subscription.metadata = request.metadata;
        self.store(&mut table, subscription.clone());
        Ok(subscription)
    }

    async fn cancel_subscription(
        &self,
        _context: RequestContext,
        subscription_id: Uuid,
        request: CancelSubscriptionRequest,
    ) -> Result<Subscription, AppError> {
        let mut table = lock(&self.table);
        let mut subscription = table
            .by_id
            .get(&subscription_id)
            .cloned()
            .ok_or_else(|| subscription_not_found("no subscription has this id"))?;
        if !is_live(subscription.status) {
            return Err(AppError::new(
                ErrorKind::Conflict,
                "the subscription is already cancelled or expired",
            )
            .with_code("SUBSCRIPTION_ALREADY_CANCELLED"));
        }
        subscription.cancelled_at = Some(Some(periods::now()));
        if request.at_period_end {
            subscription.cancel_at_period_end = true;
        } else {
            subscription.status = SubscriptionStatus::Cancelled;
        }
        self.store(&mut table, subscription.clone());
        Ok(subscription)
    }

    async fn list_plans(
        &self,
        _context: RequestContext,
        query: ListPlansQuery,
    ) -> Result<PlanList, AppError> {
        let plans = self
            .plans
            .iter()
            .filter(|plan| plan.active || query.include_inactive)
            .filter(|plan| query.tier.is_none_or(|tier| plan.tier == tier))
            .filter(|plan| {
                query
                    .interval
                    .is_none_or(|interval| plan.prices.iter().any(|p| p.interval == interval))
            })
            .cloned()
            .collect();
        Ok(PlanList::new(plans))
    }
}
