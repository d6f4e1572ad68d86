//! The plans on sale: a fixed catalogue, as a small gym chain would configure it.

use solo60_runtime::Uuid;
use subscription_api::{BillingInterval, Money, Plan, PlanPrice, PlanTier};

/// Coupon codes the example accepts.
pub const COUPONS: &[&str] = &["SPRING26", "WELCOME10"];

fn price(interval: BillingInterval, amount_minor: i64) -> PlanPrice {
    PlanPrice::new(interval, Money::new(amount_minor, "EUR".to_owned()))
}

fn features(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|key| (*key).to_owned()).collect()
}

/// Every plan, cheapest tier first; each offers both billing intervals.
pub fn plans() -> Vec<Plan> {
    vec![
        Plan::new(
            Uuid::from_u128(0xbb22cc33_dd44_4e55_9f66_001122334455),
            PlanTier::Basic,
            "Basic".to_owned(),
            vec![
                price(BillingInterval::Month, 2499),
                price(BillingInterval::Year, 24900),
            ],
            features(&["gym_access"]),
            Some(0),
            0,
            true,
        )
        .with_description("Your home gym, open hours, no classes.".to_owned()),
        Plan::new(
            Uuid::from_u128(0xaa11bb22_cc33_4d44_8e55_ff6677889900),
            PlanTier::Premium,
            "Premium".to_owned(),
            vec![
                price(BillingInterval::Month, 4999),
                price(BillingInterval::Year, 49900),
            ],
            features(&["gym_access", "group_classes", "personal_training", "sauna"]),
            Some(4),
            14,
            true,
        )
        .with_description(
            "Every gym, every class, four personal-training sessions a month.".to_owned(),
        ),
        Plan::new(
            Uuid::from_u128(0xdd44ee55_ff66_4a77_8b88_223344556677),
            PlanTier::Premium,
            "Premium 2025".to_owned(),
            vec![
                price(BillingInterval::Month, 4499),
                price(BillingInterval::Year, 44900),
            ],
            features(&["gym_access", "group_classes", "sauna"]),
            Some(2),
            0,
            false,
        )
        .with_description("Last year's premium plan, no longer on sale.".to_owned()),
        Plan::new(
            Uuid::from_u128(0xcc33dd44_ee55_4f66_8a77_112233445566),
            PlanTier::Enterprise,
            "Corporate".to_owned(),
            vec![
                price(BillingInterval::Month, 3999),
                price(BillingInterval::Year, 39900),
            ],
            features(&[
                "gym_access",
                "group_classes",
                "personal_training",
                "sauna",
                "guest_passes",
            ]),
            None,
            0,
            true,
        )
        .with_description("For companies: every gym, unlimited sessions.".to_owned()),
    ]
}
