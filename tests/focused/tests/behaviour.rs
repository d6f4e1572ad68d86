//! What each focused schema's generated code accepts, rejects and keeps on the wire.

use focused_types::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use solo60_runtime::{parse, Validate};

/// `(pointer, keyword)` of every violation, or an empty list when `value` is valid.
fn violations<T: Validate + DeserializeOwned>(value: Value) -> Vec<(String, String)> {
    match parse::<T>(&value) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .map(|error| (error.pointer, error.keyword))
            .collect(),
    }
}

fn violation(pointer: &str, keyword: &str) -> (String, String) {
    (pointer.to_owned(), keyword.to_owned())
}

fn round_trip<T: Validate + DeserializeOwned + Serialize>(value: Value) -> Value {
    let typed: T = parse(&value).expect("valid input");
    serde_json::to_value(typed).expect("serializable")
}

#[test]
fn struct_keeps_absent_null_and_value_apart() {
    use struct_fields::Member;
    let base = json!({
        "id": "9b2c7c1e-4b7a-4b8f-9d6e-2f3a4b5c6d7e",
        "displayName": "Ann",
        "lastSeenAt": null
    });
    let member: Member = parse(&base).expect("valid");
    assert_eq!(member.last_seen_at, None);
    assert_eq!(member.middle_name, None);
    assert_eq!(round_trip::<Member>(base.clone()), base);

    let mut with_null = base.clone();
    with_null["middleName"] = Value::Null;
    let member: Member = parse(&with_null).expect("valid");
    assert_eq!(member.middle_name, Some(None));
    assert_eq!(round_trip::<Member>(with_null.clone()), with_null);

    let mut with_value = base.clone();
    with_value["middleName"] = json!("Lee");
    with_value["lastSeenAt"] = json!("2026-03-01T09:30:00Z");
    let member: Member = parse(&with_value).expect("valid");
    assert_eq!(member.middle_name, Some(Some("Lee".to_owned())));
    assert_eq!(round_trip::<Member>(with_value.clone()), with_value);
}

#[test]
fn struct_reports_every_violation_with_its_pointer() {
    use struct_fields::Member;
    let found = violations::<Member>(json!({
        "id": "not-a-uuid",
        "displayName": "",
        "nickname": null,
        "age": -1,
        "tags": ["a", 2],
        "address": {}
    }));
    assert_eq!(
        found,
        [
            violation("/lastSeenAt", "required"),
            violation("/id", "format"),
            violation("/displayName", "minLength"),
            violation("/nickname", "type"),
            violation("/age", "minimum"),
            violation("/tags/1", "type"),
            violation("/address/city", "required"),
        ]
    );
    // A required nullable property must still be present.
    let missing = violations::<Member>(json!({
        "id": "9b2c7c1e-4b7a-4b8f-9d6e-2f3a4b5c6d7e",
        "displayName": "Ann"
    }));
    assert_eq!(missing, [violation("/lastSeenAt", "required")]);
    assert_eq!(
        violations::<Member>(json!([])),
        [violation("", "type")],
        "a non-object is one type violation, not a cascade"
    );
}

#[test]
fn unknown_properties_are_ignored_where_the_schema_allows_them() {
    use struct_fields::Member;
    let value = json!({
        "id": "9b2c7c1e-4b7a-4b8f-9d6e-2f3a4b5c6d7e",
        "displayName": "Ann",
        "lastSeenAt": null,
        "unexpected": {"deep": true}
    });
    let member: Member = parse(&value).expect("unknown property ignored");
    assert_eq!(member.display_name, "Ann");
    let out = serde_json::to_value(member).expect("serializable");
    assert!(out.get("unexpected").is_none(), "never bound, never echoed");
}

#[test]
fn string_enum_maps_wire_values_to_variants() {
    use string_enum::PlanTier;
    let tier: PlanTier = parse(&json!("basic-plus")).expect("valid");
    assert_eq!(tier, PlanTier::BasicPlus);
    assert_eq!(tier.as_str(), "basic-plus");
    assert_eq!(tier.to_string(), "basic-plus");
    assert_eq!(parse::<PlanTier>(&json!("2fa")).ok(), Some(PlanTier::T2fa));
    assert_eq!(
        violations::<PlanTier>(json!("gold")),
        [violation("", "enum")]
    );
    assert_eq!(
        violations::<PlanTier>(json!(3)),
        [violation("", "type")],
        "a wrong type is not also reported as a wrong value"
    );
}

#[test]
fn tagged_union_dispatches_on_its_discriminator() {
    use tagged_union::Notification;
    let email = json!({"channel": "email", "to": "ann@example.com", "subject": "Hi"});
    match parse::<Notification>(&email).expect("valid") {
        Notification::Email { to, subject } => {
            assert_eq!(to, "ann@example.com");
            assert_eq!(subject.as_deref(), Some("Hi"));
        }
        other => panic!("wrong variant: {other:?}"),
    }
    assert_eq!(round_trip::<Notification>(email.clone()), email);
    let sms = json!({"channel": "sms", "phone": "+31612345678"});
    assert_eq!(round_trip::<Notification>(sms.clone()), sms);

    assert_eq!(
        violations::<Notification>(json!({"channel": "sms", "phone": "0612"})),
        [violation("/phone", "pattern")],
        "only the selected branch reports"
    );
    assert_eq!(
        violations::<Notification>(json!({"channel": "email", "to": "a@b.co", "cc": "x"})),
        [violation("/cc", "additionalProperties")]
    );
    assert_eq!(
        violations::<Notification>(json!({"channel": "fax"})),
        [violation("", "oneOf")]
    );
}

#[test]
fn untagged_union_accepts_each_shape() {
    use untagged_union::{Recipient, RecipientVariant2};
    assert!(matches!(
        parse::<Recipient>(&json!("ann@example.com")),
        Ok(Recipient::String(_))
    ));
    let by_user = json!({"userId": "9b2c7c1e-4b7a-4b8f-9d6e-2f3a4b5c6d7e"});
    assert!(matches!(
        parse::<Recipient>(&by_user),
        Ok(Recipient::RecipientVariant2(RecipientVariant2 { .. }))
    ));
    assert_eq!(round_trip::<Recipient>(by_user.clone()), by_user);
    assert_eq!(
        violations::<Recipient>(json!("not an address")),
        [violation("", "anyOf")]
    );
}

#[test]
fn all_of_merges_fields_and_requirements() {
    use all_of_merge::Gym;
    let gym: Gym =
        parse(&json!({"name": "North", "createdAt": "2026-03-01T09:30:00Z"})).expect("valid");
    assert_eq!(gym.name, "North");
    assert_eq!(gym.created_at, "2026-03-01T09:30:00Z");
    assert_eq!(gym.updated_at, None);
    assert_eq!(
        violations::<Gym>(json!({"name": "N"})),
        [
            violation("/createdAt", "required"),
            violation("/name", "minLength")
        ]
    );
}

#[test]
fn recursive_types_nest_and_report_deep_pointers() {
    use recursion::Area;
    let tree = json!({
        "name": "floor",
        "subAreas": [{"name": "zone", "subAreas": [{"name": "rack"}, {"name": 7}]}],
        "parent": {"name": "building", "parent": {"name": "campus"}},
        "filter": {"field": "a", "and": {"field": "b"}}
    });
    assert_eq!(
        violations::<Area>(tree.clone()),
        [violation("/subAreas/0/subAreas/1/name", "type")]
    );
    let mut fixed = tree;
    fixed["subAreas"][0]["subAreas"][1]["name"] = json!("bench");
    let area: Area = parse(&fixed).expect("valid");
    let parent = area.parent.as_ref().expect("parent");
    assert_eq!(
        parent.parent.as_ref().map(|p| p.name.as_str()),
        Some("campus")
    );
    assert_eq!(round_trip::<Area>(fixed.clone()), fixed);
}

#[test]
fn maps_validate_values_and_keep_extra_properties() {
    use maps::Metadata;
    let value = json!({
        "labels": {"team": "core"},
        "counts": {"a": 1},
        "anything": {"x": [1]},
        "weight": 1.5
    });
    let metadata: Metadata = parse(&value).expect("valid");
    assert_eq!(metadata.additional_properties.get("weight"), Some(&1.5));
    assert_eq!(round_trip::<Metadata>(value.clone()), value);
    assert_eq!(
        violations::<Metadata>(json!({
            "labels": {"a": "x", "b": "y", "c": "z", "d": "much too long"},
            "counts": {"a": -1},
            "weight": "heavy"
        })),
        [
            violation("/labels", "maxProperties"),
            violation("/labels/d", "maxLength"),
            violation("/counts/a", "minimum"),
            violation("/weight", "type"),
        ]
    );
}

#[test]
fn formats_are_checked() {
    use formats::Formats;
    let valid = json!({
        "id": "9b2c7c1e-4b7a-4b8f-9d6e-2f3a4b5c6d7e",
        "at": "2026-03-01T09:30:00.123+01:00",
        "on": "2026-02-28",
        "email": "ann@example.com",
        "site": "https://example.com/a?b=c",
        "v4": "192.168.0.1",
        "v6": "2001:db8::1",
        "host": "api.example.com"
    });
    assert_eq!(violations::<Formats>(valid), []);
    let invalid = json!({
        "id": "9b2c7c1e4b7a4b8f9d6e2f3a4b5c6d7e",
        "at": "2026-03-01 09:30:00",
        "on": "2026-02-30",
        "email": "ann.example.com",
        "site": "/relative",
        "v4": "192.168.00.1",
        "v6": "2001:db8:::1",
        "host": "-bad-.example"
    });
    let found = violations::<Formats>(invalid);
    assert_eq!(found.len(), 8, "{found:?}");
    assert!(found.iter().all(|(_, keyword)| keyword == "format"));
}

#[test]
fn defaults_fill_absent_properties() {
    use defaults::{ListQuery, Order};
    let query: ListQuery = parse(&json!({})).expect("valid");
    assert_eq!(query.limit, 20);
    assert_eq!(query.order, Order::Desc);
    assert!(!query.include_deleted);
    assert_eq!(query.ratio, 0.5);
    assert_eq!(query.label, "all");
    assert!(query.tags.is_empty());
    let query: ListQuery = parse(&json!({"limit": 5, "order": "asc"})).expect("valid");
    assert_eq!((query.limit, query.order), (5, Order::Asc));
    assert_eq!(
        violations::<ListQuery>(json!({"limit": 0})),
        [violation("/limit", "minimum")]
    );
}

#[test]
fn string_lengths_count_code_points_and_patterns_search() {
    use string_constraints::Strings;
    // "日本" is 2 code points but 6 bytes; "👍🏽" is 2 code points, 1 grapheme.
    for name in ["ab", "日本", "👍🏽", "日本語の"] {
        assert_eq!(violations::<Strings>(json!({ "name": name })), [], "{name}");
    }
    for name in ["a", "日", "日本語のX"] {
        assert_eq!(
            violations::<Strings>(json!({ "name": name })).len(),
            1,
            "{name}"
        );
    }
    assert_eq!(
        violations::<Strings>(json!({"phone": "+4915123456789"})),
        []
    );
    assert_eq!(
        violations::<Strings>(json!({"phone": "+49 151"})),
        [violation("/phone", "pattern")]
    );
    assert_eq!(
        violations::<Strings>(json!({"code": "xxABCyy"})),
        [],
        "unanchored"
    );
    assert_eq!(
        violations::<Strings>(json!({"fixed": "v2"})),
        [violation("/fixed", "const")]
    );
}

#[test]
fn numeric_bounds_hold_at_their_edges() {
    use numeric_constraints::Numbers;
    let ok = |value: Value| violations::<Numbers>(value).is_empty();
    assert!(ok(json!({"inclusive": 1})) && ok(json!({"inclusive": 10})));
    assert!(!ok(json!({"inclusive": 0})) && !ok(json!({"inclusive": 11})));
    assert!(ok(json!({"exclusive": 0.5})));
    assert!(!ok(json!({"exclusive": 0})) && !ok(json!({"exclusive": 1})));
    assert!(ok(json!({"step": 45})) && !ok(json!({"step": 20})));
    assert!(ok(json!({"price": 19.99})) && !ok(json!({"price": 19.999})));
    assert!(
        ok(json!({"inclusive": 2.0})),
        "2.0 is an integer in JSON Schema"
    );
    assert_eq!(
        violations::<Numbers>(json!({"inclusive": 1.5})),
        [violation("/inclusive", "type")]
    );
}

#[test]
fn array_sizes_uniqueness_tuples_and_contains() {
    use array_constraints::Arrays;
    let found = |value: Value| violations::<Arrays>(value);
    assert_eq!(found(json!({"ids": [1, 2, 3]})), []);
    assert_eq!(found(json!({"ids": []})), [violation("/ids", "minItems")]);
    assert_eq!(
        found(json!({"ids": [1, 2, 3, 4]})),
        [violation("/ids", "maxItems")]
    );
    assert_eq!(
        found(json!({"ids": [1, 2, 1.0]})),
        [violation("/ids", "uniqueItems")]
    );
    assert_eq!(found(json!({"pair": ["a", 1]})), []);
    assert_eq!(
        found(json!({"pair": [1, "a"]})),
        [violation("/pair/0", "type"), violation("/pair/1", "type")]
    );
    assert_eq!(
        found(json!({"pair": ["a", 1, 2]})),
        [violation("/pair", "items")]
    );
    assert_eq!(found(json!({"withAdmin": ["admin", "x"]})), []);
    assert_eq!(
        found(json!({"withAdmin": ["x"]})),
        [violation("/withAdmin", "contains")]
    );
    assert_eq!(
        found(json!({"withAdmin": ["admin", "admin"]})),
        [violation("/withAdmin", "maxContains")]
    );
}

#[test]
fn strict_objects_reject_what_they_do_not_name() {
    use strict_object::StrictRequest;
    let found = |value: Value| violations::<StrictRequest>(value);
    assert_eq!(found(json!({"kind": "card", "x-trace": "abc"})), []);
    assert_eq!(
        found(json!({"kind": "card", "extra": 1})),
        [violation("/extra", "additionalProperties")]
    );
    assert_eq!(
        found(json!({"kind": "card", "x-trace": 1})),
        [violation("/x-trace", "type")]
    );
    assert_eq!(
        found(json!({"kind": "card", "x-very-long-name": "a"})),
        [violation("/x-very-long-name", "maxLength")]
    );
    assert_eq!(
        found(json!({"kind": "card", "cardNumber": "4242"})),
        [violation("/cvc", "dependentRequired")]
    );
    assert_eq!(
        found(json!({"kind": "a", "cardNumber": "1", "cvc": "2", "x-a": "3", "x-b": "4"})),
        [violation("", "maxProperties")]
    );
    assert_eq!(
        found(json!({})),
        [
            violation("/kind", "required"),
            violation("", "minProperties")
        ]
    );
}

#[test]
fn composition_keywords_apply() {
    use composition::Shipping;
    let found = |value: Value| violations::<Shipping>(value);
    assert_eq!(found(json!({"country": "US", "postalCode": "12345"})), []);
    assert_eq!(
        found(json!({"country": "US", "postalCode": "1234 AB"})),
        [violation("/postalCode", "pattern")]
    );
    assert_eq!(found(json!({"country": "NL", "postalCode": "1234 AB"})), []);
    assert_eq!(found(json!({"country": "NL", "quantity": 4})), []);
    assert_eq!(
        found(json!({"country": "NL", "quantity": 6})),
        [violation("/quantity", "oneOf")],
        "6 matches both branches"
    );
    assert_eq!(
        found(json!({"country": "NL", "quantity": 5})),
        [violation("/quantity", "oneOf")]
    );
    assert_eq!(
        found(json!({"country": "NL", "note": ""})),
        [violation("/note", "not")]
    );
}

#[test]
fn references_resolve_by_pointer_anchor_and_id() {
    use references::Booking;
    let booking = json!({
        "slot": {"startsAt": "2026-03-01T09:30:00Z"},
        "trainer": {"name": "Kim"},
        "room": {"number": 2},
        "described": {"startsAt": "2026-03-01T10:30:00Z"}
    });
    let parsed: Booking = parse(&booking).expect("valid");
    assert_eq!(parsed.room.map(|room| room.number), Some(2));
    assert_eq!(
        violations::<Booking>(json!({"slot": {}, "room": {"number": 0}})),
        [
            violation("/slot/startsAt", "required"),
            violation("/room/number", "minimum")
        ]
    );
}

#[test]
fn draft7_forms_are_understood() {
    use draft7::Draft7;
    let found = |value: Value| violations::<Draft7>(value);
    assert_eq!(
        found(json!({"point": [1, 2.5], "owner": {"name": "x"}})),
        []
    );
    assert_eq!(
        found(json!({"point": [1, 2, 3]})),
        [violation("/point", "items")]
    );
    // draft-07 ignores `type: string` beside `$ref`.
    assert_eq!(found(json!({"owner": "x"})), [violation("/owner", "type")]);
    assert_eq!(
        found(json!({"billing": {"iban": "NL00", "card": "4242"}})),
        [
            violation("/billing/bic", "dependentRequired"),
            violation("/billing/expiry", "required")
        ]
    );
}

#[test]
fn colliding_names_get_distinct_rust_names() {
    use name_collisions::Collisions;
    let value = json!({
        "userId": "a", "user_id": 1, "type": "t", "self": true,
        "item": {"a": "x"}, "Item": {"b": "y"}
    });
    let parsed: Collisions = parse(&value).expect("valid");
    assert_eq!(parsed.user_id.as_deref(), Some("a"));
    assert_eq!(parsed.user_id2, Some(1));
    assert_eq!(parsed.type_.as_deref(), Some("t"));
    assert_eq!(parsed.self_, Some(true));
    assert_eq!(round_trip::<Collisions>(value.clone()), value);
}

#[test]
fn conditional_properties_and_nullable_references_lose_nothing() {
    use conditional_fields::{Job, Schedule};
    let value = json!({
        "interval": "cron",
        "cronjob": "0 9 * * 1-5",
        "trigger": null,
        "extras": {"free": {"form": true}},
        "job": {"kind": "test"}
    });
    let schedule: Schedule = parse(&value).expect("valid");
    assert_eq!(
        schedule.cronjob,
        Some(json!("0 9 * * 1-5")),
        "declared only under `then`"
    );
    assert_eq!(schedule.trigger, Some(None), "`null` is not absent");
    assert_eq!(
        schedule.job,
        Some(Job::Test { level: 2 }),
        "each variant's own default"
    );
    let mut expected = value.clone();
    expected["job"]["level"] = json!(2);
    assert_eq!(round_trip::<Schedule>(value), expected);
    assert_eq!(
        violations::<Schedule>(json!({"interval": "cron", "cronjob": "* *"})),
        [violation("/cronjob", "minLength")]
    );
    assert_eq!(
        violations::<Schedule>(json!({"interval": "cron"})),
        [violation("/cronjob", "required")]
    );
    assert_eq!(
        violations::<Schedule>(json!({"interval": "daily", "legacy": 1})),
        [violation("/legacy", "not")],
        "`not: {{}}` admits nothing"
    );
}

#[test]
fn clashing_names_are_renamed_and_patterns_keep_ecma_meaning() {
    use reserved_names::{Clashes, DefaultType, PatternType, TypesType};
    let clashes: Clashes = parse(&json!({
        "types": ["a", "b"],
        "default": {},
        "pattern": "$CI_COMMIT_REF_SLUG",
        "formats": []
    }))
    .expect("valid");
    assert_eq!(
        clashes.types,
        Some(TypesType::StringList(vec!["a".into(), "b".into()]))
    );
    assert_eq!(clashes.default, Some(DefaultType::new()));
    assert_eq!(
        clashes.pattern,
        Some(PatternType("$CI_COMMIT_REF_SLUG".into()))
    );
    // ECMA-262's `\w` is ASCII: a non-ASCII letter does not match it.
    assert_eq!(
        violations::<Clashes>(json!({"pattern": "$café"})),
        [violation("/pattern", "pattern")]
    );
}

#[test]
fn untagged_unions_bind_the_variant_that_validated() {
    use untagged_binding::Binding;
    // serde's untagged matching would bind each of these to the first variant and lose data.
    for value in [
        json!({"strict": {"b": "x"}}),
        json!({"constant": {"k": "b", "v": 1}}),
        json!({"shape": ["a"]}),
        json!({"open": {"any": "thing"}}),
    ] {
        assert_eq!(round_trip::<Binding>(value.clone()), value);
    }
}

#[test]
fn defaults_of_types_whose_names_run_together_stay_apart() {
    use default_names::Orders;
    let orders = parse::<Orders>(&json!({"member": {}, "record": {}})).expect("valid");
    assert_eq!(orders.member.map(|member| member.record_list), Some(1));
    assert_eq!(orders.record.map(|record| record.list), Some(2));
}
