//! The plans on sale: a fixed catalogue, as a small gym chain would configure it.

use solo60_runtime::Uuid;
use subscription_api::{BillingInterval, Money, Plan, PlanPrice, PlanTier};

/// Coupon codes the example accepts.
pub const COUPONS: &[&str] = &["SPRING26", "WELCOME10"];

fn price(interval: BillingInterval, amount_minor: i64) -> PlanPrice {
    PlanPrice {
        interval,
        price: Money {
            amount_minor,
            currency: "EUR".to_owned(),
        },
    }
}

fn features(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|key| (*key).to_owned()).collect()
}

/// Every plan, cheapest tier first; each offers both billing intervals.
pub fn plans() -> Vec<Plan> {
    vec![
        Plan {
            id: Uuid::from_u128(0xbb22cc33_dd44_4e55_9f66_001122334455),
            tier: PlanTier::Basic,
            name: "Basic".to_owned(),
            description: Some("Your home gym, open hours, no classes.".to_owned()),
            prices: vec![
                price(BillingInterval::Month, 2499),
                price(BillingInterval::Year, 24900),
            ],
            features: features(&["gym_access"]),
            max_sessions_per_month: Some(0),
            trial_days: 0,
            active: true,
        },
        Plan {
            id: Uuid::from_u128(0xaa11bb22_cc33_4d44_8e55_ff6677889900),
            tier: PlanTier::Premium,
            name: "Premium".to_owned(),
            description: Some(
                "Every gym, every class, four personal-training sessions a month.".to_owned(),
            ),
            prices: vec![
                price(BillingInterval::Month, 4999),
                price(BillingInterval::Year, 49900),
            ],
            features: features(&["gym_access", "group_classes", "personal_training", "sauna"]),
            max_sessions_per_month: Some(4),
            trial_days: 14,
            active: true,
        },
        Plan {
            id: Uuid::from_u128(0xdd44ee55_ff66_4a77_8b88_223344556677),
            tier: PlanTier::Premium,
            name: "Premium 2025".to_owned(),
            description: Some("Last year's premium plan, no longer on sale.".to_owned()),
            prices: vec![
                price(BillingInterval::Month, 4499),
                price(BillingInterval::Year, 44900),
            ],
            features: features(&["gym_access", "group_classes", "sauna"]),
            max_sessions_per_month: Some(2),
            trial_days: 0,
            active: false,
        },
        Plan {
            id: Uuid::from_u128(0xcc33dd44_ee55_4f66_8a77_112233445566),
            tier: PlanTier::Enterprise,
            name: "Corporate".to_owned(),
            description: Some("For companies: every gym, unlimited sessions.".to_owned()),
            prices: vec![
                price(BillingInterval::Month, 3999),
                price(BillingInterval::Year, 39900),
            ],
            features: features(&[
                "gym_access",
                "group_classes",
                "personal_training",
                "sauna",
                "guest_passes",
            ]),
            max_sessions_per_month: None,
            trial_days: 0,
            active: true,
        },
    ]
}
