//! Generated `parse` (validate the JSON value, then bind the Rust type) against the
//! `jsonschema` crate doing the same job: a validator compiled once and reused, then serde
//! binding the typed value. Seed request types and a large document (a bulk answer of 200
//! users), each with a valid and an invalid input; the two sides' verdicts are checked to
//! be identical before anything is timed. A request padded with 10,000 unknown properties
//! shows what a hostile wide body costs.
//!
//! ```text
//! cargo bench --bench validation                # the figures in BENCHMARKS.md
//! cargo test --benches                          # each benchmark once (what CI runs)
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use jsonschema::Validator;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use solo60_runtime::validation::Validate;

#[path = "../tests/support/seed_documents.rs"]
mod seed_documents;

use seed_documents::{read_document, seed_validator};

fn schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// The first `examples` entry of a seed definition: a valid input by the contract's word.
fn example(service: &str, file: &str, definition: &str) -> Value {
    let document = read_document(&schemas().join(service).join(file))
        .unwrap_or_else(|error| panic!("{error}"));
    document["$defs"][definition]["examples"][0].clone()
}

/// One subject: a type, its `jsonschema` validator, a valid and an invalid input.
struct Subject<T> {
    /// The benchmark group; the type's name unless the inputs are a variation on it.
    group: &'static str,
    validator: Validator,
    valid: Value,
    invalid: Value,
    _type: std::marker::PhantomData<T>,
}

impl<T: Validate + DeserializeOwned> Subject<T> {
    fn new(name: &'static str, service: &str, file: &str, valid: Value, invalid: Value) -> Self {
        let validator = seed_validator(&schemas(), service, file, &format!("/$defs/{name}"))
            .unwrap_or_else(|error| panic!("{error}"));
        let subject = Subject {
            group: name,
            validator,
            valid,
            invalid,
            _type: std::marker::PhantomData,
        };
        for (input, expected) in [(&subject.valid, true), (&subject.invalid, false)] {
            assert_eq!(generated::<T>(input), expected, "{name}: generated verdict");
            assert_eq!(
                subject.jsonschema(input),
                expected,
                "{name}: jsonschema verdict"
            );
            assert_eq!(
                subject.jsonschema_all_errors(input),
                expected,
                "{name}: jsonschema all-errors verdict"
            );
        }
        subject
    }

    fn jsonschema(&self, input: &Value) -> bool {
        self.validator.is_valid(input) && T::deserialize(input).is_ok()
    }

    /// jsonschema collecting every violation, as `parse` does for a 422 (`is_valid` stops
    /// at the first), then serde.
    fn jsonschema_all_errors(&self, input: &Value) -> bool {
        self.validator.iter_errors(input).count() == 0 && T::deserialize(input).is_ok()
    }
}

/// Binding alone, with no validation: the cost both sides share, and so the floor under
/// either side's time.
fn serde_only<T: DeserializeOwned>(input: &Value) -> bool {
    T::deserialize(input).is_ok()
}

fn generated<T: Validate + DeserializeOwned>(input: &Value) -> bool {
    solo60_runtime::parse::<T>(input).is_ok()
}

fn bench_subject<T: Validate + DeserializeOwned>(criterion: &mut Criterion, subject: &Subject<T>) {
    let mut group = criterion.benchmark_group(subject.group);
    for (verdict, input) in [("valid", &subject.valid), ("invalid", &subject.invalid)] {
        let bytes = serde_json::to_vec(input)
            .map(|bytes| bytes.len())
            .unwrap_or(0);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_with_input(BenchmarkId::new("solo60", verdict), input, |b, input| {
            b.iter(|| generated::<T>(black_box(input)))
        });
        group.bench_with_input(
            BenchmarkId::new("jsonschema", verdict),
            input,
            |b, input| b.iter(|| subject.jsonschema(black_box(input))),
        );
        group.bench_with_input(
            BenchmarkId::new("jsonschema-all-errors", verdict),
            input,
            |b, input| b.iter(|| subject.jsonschema_all_errors(black_box(input))),
        );
        group.bench_with_input(
            BenchmarkId::new("serde-only", verdict),
            input,
            |b, input| b.iter(|| serde_only::<T>(black_box(input))),
        );
    }
    group.finish();
}

fn seed_requests(criterion: &mut Criterion) {
    let check = example(
        "subscription",
        "types.schema.json",
        "CheckSubscriptionAccessRequest",
    );
    let subject = Subject::<subscription_api::CheckSubscriptionAccessRequest>::new(
        "CheckSubscriptionAccessRequest",
        "subscription",
        "types.schema.json",
        check,
        json!({ "userId": "not-a-uuid", "feature": 7 }),
    );
    bench_subject(criterion, &subject);

    let user = example("user", "types.schema.json", "CreateUserRequest");
    let mut bad_user = user.clone();
    bad_user["email"] = json!("ana at example");
    bad_user["displayName"] = json!("");
    let subject = Subject::<user_api::CreateUserRequest>::new(
        "CreateUserRequest",
        "user",
        "types.schema.json",
        user,
        bad_user,
    );
    bench_subject(criterion, &subject);

    let payment = example("payment", "types.schema.json", "CreatePaymentIntentRequest");
    let mut bad_payment = payment.clone();
    bad_payment["amount"]["amountMinor"] = json!(-1);
    bad_payment["paymentMethod"]["last4"] = json!("42");
    let subject = Subject::<payment_api::CreatePaymentIntentRequest>::new(
        "CreatePaymentIntentRequest",
        "payment",
        "types.schema.json",
        payment,
        bad_payment,
    );
    bench_subject(criterion, &subject);
}

/// A bulk answer of 200 users; the invalid one has one bad e-mail address in the middle.
fn large_document(criterion: &mut Criterion) {
    let user = example("user", "types.schema.json", "User");
    let users: Vec<Value> = (0..200u32)
        .map(|index| {
            let mut user = user.clone();
            user["id"] = json!(format!("5f0c7a52-8d3e-4b1a-9c2f-{index:012x}"));
            user
        })
        .collect();
    let valid = json!({ "users": users, "notFound": [] });
    let mut invalid = valid.clone();
    invalid["users"][100]["email"] = json!("not an address");
    let subject = Subject::<user_api::GetBulkUsersResponse>::new(
        "GetBulkUsersResponse",
        "user",
        "types.schema.json",
        valid,
        invalid,
    );
    bench_subject(criterion, &subject);
}

/// The access check padded with 10,000 unknown properties, as a hostile body might be: the
/// generated pass over the entries must stay linear in the number of keys.
fn wide_request(criterion: &mut Criterion) {
    let mut valid = example(
        "subscription",
        "types.schema.json",
        "CheckSubscriptionAccessRequest",
    );
    for index in 0..10_000u32 {
        valid[format!("unknown{index}")] = json!(index);
    }
    let mut invalid = valid.clone();
    invalid["userId"] = json!("not-a-uuid");
    invalid["feature"] = json!(7);
    let mut subject = Subject::<subscription_api::CheckSubscriptionAccessRequest>::new(
        "CheckSubscriptionAccessRequest",
        "subscription",
        "types.schema.json",
        valid,
        invalid,
    );
    subject.group = "CheckSubscriptionAccessRequest with 10,000 unknown properties";
    bench_subject(criterion, &subject);
}

criterion_group!(benches, seed_requests, large_document, wide_request);
criterion_main!(benches);
