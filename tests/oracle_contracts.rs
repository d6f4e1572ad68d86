//! Differential check of the seed contracts: for every request and response body of the seven
//! services, instances generated from the schema are judged by the generated `Validate` impl
//! and by an independent implementation, the `jsonschema` crate, and the verdicts must agree.
//!
//! The JSON Schema Test Suite (tests/conformance) checks keywords one at a time on small
//! schemas; this checks them in combination, across `$ref`s between files and YAML documents,
//! on the types the services actually exchange. Instances are valid ones built by walking the
//! schema (required and optional properties, enums, consts, formats, bounds, boundary lengths)
//! and ones with one fault injected somewhere in them (a required property dropped, an unknown
//! one added, a wrong JSON type or `null`, a string too long, too short, off its pattern or
//! format, a number out of bounds or off its `multipleOf`, an array too long or with
//! duplicates, ...). Whether a faulty instance is really invalid is for `jsonschema` to say:
//! the test needs only both verdicts to match, and both verdicts to occur for every type. An
//! instance both accept must also convert into the Rust type (`parse`): a server would refuse
//! it otherwise, valid as it is.
//!
//! Instances come from proptest with a fixed seed, so a run is reproducible and a disagreement
//! is shrunk to a small instance before it is reported. `ORACLE_SEED` (any text) picks another
//! seed, `ORACLE_CASES` the number of instances per type.
//!
//! Disagreements that are understood are listed in [`KNOWN_DISAGREEMENTS`], each with an
//! instance that shows it; the list is exact: a listed entry whose instance no longer
//! disagrees fails the test too.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::net::Ipv6Addr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

use jsonschema::Validator;
use proptest::collection::vec;
use proptest::sample::{select, Index};
use proptest::strategy::{BoxedStrategy, Just, Strategy, Union};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use solo60_gen::load::load_contracts;
use solo60_runtime::validation::{is_valid, parse, Validate};

#[path = "support/seed_documents.rs"]
mod seed_documents;

use seed_documents::{read_document, seed_validator, ID_BASE};

/// One request or response body: where its schema is, and the generated type's verdicts.
struct Body {
    /// The service folder under schemas/.
    service: &'static str,
    /// The schema document, relative to the service folder (as the manifest writes it).
    file: &'static str,
    /// JSON pointer to the type's schema in that document.
    pointer: &'static str,
    /// The generated validation: `is_valid::<T>`.
    check: fn(&Value) -> bool,
    /// Whether an instance converts into the Rust type once validated (`parse::<T>`).
    binds: fn(&Value) -> bool,
}

impl Body {
    fn name(&self) -> String {
        format!("{}/{}#{}", self.service, self.file, self.pointer)
    }
}

fn binds<T: Validate + DeserializeOwned>(value: &Value) -> bool {
    parse::<T>(value).is_ok()
}

/// One [`Body`] per generated type; the type is named like its `$defs` entry.
macro_rules! bodies {
    ($($service:literal, $file:literal, $krate:ident: [$($ty:ident),* $(,)?];)*) => {
        &[$($(Body {
            service: $service,
            file: $file,
            pointer: concat!("/$defs/", stringify!($ty)),
            check: is_valid::<$krate::$ty>,
            binds: binds::<$krate::$ty>,
        },)*)*]
    };
}

/// Every request and response body of every operation; `every_body_is_in_the_table` keeps it
/// complete against the manifests.
const BODIES: &[Body] = bodies! {
    "auth", "types.schema.json", auth_api: [
        ValidateTokenRequest, ValidateTokenResponse, VerifyServiceTokenRequest,
        VerifyServiceTokenResponse, IntrospectTokenRequest, TokenIntrospection,
        RevokeUserSessionsRequest, RevokeUserSessionsResponse, UserPermissions,
    ];
    "communication", "types.schema.json", communication_api: [
        SendEmailRequest, SendSmsRequest, MessageAccepted, SendNotificationRequest,
        Notification, MessageStatusReport, NotificationList,
    ];
    "gym", "types.schema.yaml", gym_api: [
        Gym, GymList, GymCapacity, CheckInRequest, CheckIn, AreaTree, Area,
    ];
    "payment", "types.schema.json", payment_api: [
        CreatePaymentIntentRequest, Payment, CapturePaymentRequest, RefundPaymentRequest,
        Refund, PaymentList,
    ];
    "session", "types.schema.yaml", session_api: [
        CreateSessionRequest, Session, CancelSessionRequest, SessionList,
        RescheduleSessionRequest,
    ];
    "subscription", "types.schema.json", subscription_api: [
        CheckSubscriptionAccessRequest, CheckSubscriptionAccessResponse, Subscription,
        CreateSubscriptionRequest, CancelSubscriptionRequest, PlanList,
    ];
    "user", "types.schema.json", user_api: [
        User, UserV2, GetBulkUsersRequest, GetBulkUsersResponse, CreateUserRequest,
        UpdateUserRequest, DeactivateUserRequest,
    ];
};

/// What a [`Known`] entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `is_valid::<T>` and `jsonschema` give different verdicts.
    Verdict,
    /// Both accept the instance, but `parse::<T>` cannot convert it into the Rust type.
    Binding,
}

/// A disagreement that is understood and recorded here rather than fixed (the generator is
/// fixed separately).
struct Known {
    kind: Kind,
    /// Whether a disagreeing instance (of any body) is explained by this entry.
    explains: fn(&Value) -> bool,
    /// A body ([`Body::name`]) and an instance of it that show the disagreement; the test fails
    /// once it no longer does, so the list stays exact.
    witness: (&'static str, &'static str),
    /// What differs, and which side the JSON Schema specification supports.
    reason: &'static str,
}

/// Understood disagreements; see [`Known`].
const KNOWN_DISAGREEMENTS: &[Known] = &[Known {
    kind: Kind::Binding,
    explains: has_integer_beyond_i32,
    witness: (
        "gym/types.schema.yaml#/$defs/GymCapacity",
        r#"{"gymId":"1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6","currentOccupancy":2147483648,"maxOccupancy":250,"utilization":0.72,"level":"busy","measuredAt":"2026-03-01T09:30:00Z"}"#,
    ),
    reason: "an `integer` with no `maximum` admits any size: `format: int32` is not a format \
             JSON Schema 2020-12 defines, so it constrains nothing, and `amountMinor` has no \
             format at all. Both validators accept 2147483648 (an int32 field) and \
             18446744073709551615 (`amountMinor`, an i64), as the specification says, but the \
             generated field is an i32 or i64 and `parse` rejects the valid instance with \
             `value does not fit the Rust type`",
}];

/// Whether `value` holds an integer that no `i32` holds (the narrowest generated integer type).
fn has_integer_beyond_i32(value: &Value) -> bool {
    match value {
        Value::Number(number) => {
            let n = number.as_f64().unwrap_or_default();
            n.fract() == 0.0 && (n < f64::from(i32::MIN) || n > f64::from(i32::MAX))
        }
        Value::Array(items) => items.iter().any(has_integer_beyond_i32),
        Value::Object(object) => object.values().any(has_integer_beyond_i32),
        _ => false,
    }
}

/// Instances per type unless `ORACLE_CASES` says otherwise.
const DEFAULT_CASES: u32 = 300;

/// From this depth on arrays get no more than their `minItems`, so recursive types (the
/// gym's `Area`) stay finite.
const ARRAY_DEPTH: u32 = 5;

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .canonicalize()
        .expect("schemas/ exists")
}

/// Compiles the body's schema with `jsonschema` (see [`seed_validator`]).
fn oracle(body: &Body, schemas: &Path) -> Validator {
    seed_validator(schemas, body.service, body.file, body.pointer).unwrap_or_else(|e| panic!("{e}"))
}

/// The seed documents, read once, for the instance generator.
struct Schemas {
    dir: PathBuf,
    documents: RefCell<HashMap<PathBuf, Rc<Value>>>,
}

impl Schemas {
    fn new(dir: PathBuf) -> Self {
        Schemas {
            dir,
            documents: RefCell::new(HashMap::new()),
        }
    }

    fn document(&self, path: &Path) -> Rc<Value> {
        let mut documents = self.documents.borrow_mut();
        documents
            .entry(path.to_path_buf())
            .or_insert_with(|| Rc::new(read_document(path).unwrap_or_else(|e| panic!("{e}"))))
            .clone()
    }

    /// The schema `reference` (found in the document at `doc`) points to, and its document.
    fn resolve(&self, doc: &Path, reference: &str) -> (PathBuf, Value) {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let path = if file.is_empty() {
            doc.to_path_buf()
        } else if let Some(rest) = file.strip_prefix(ID_BASE) {
            self.dir.join(rest)
        } else {
            doc.parent().expect("a document is in a folder").join(file)
        };
        let path = path
            .canonicalize()
            .unwrap_or_else(|e| panic!("{reference} from {}: {e}", doc.display()));
        let schema = self
            .document(&path)
            .pointer(fragment)
            .unwrap_or_else(|| panic!("{reference} from {}: no such pointer", doc.display()))
            .clone();
        (path, schema)
    }
}

/// Characters for free-form strings: ASCII, multi-byte, astral and combining code points, so
/// lengths counted in bytes or UTF-16 units instead of code points show up.
const PALETTE: &[char] = &[
    'a', 'b', 'Z', '0', '7', ' ', '-', '_', '.', 'é', 'º', '€', '😀', '\u{301}',
];

/// Builds proptest strategies from a schema: valid instances, and instances with one fault.
struct Generator<'a> {
    schemas: &'a Schemas,
}

impl Generator<'_> {
    /// An instance meant to satisfy `schema` (found in the document `doc`).
    fn valid(&self, doc: &Path, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let (doc, target) = self.schemas.resolve(doc, reference);
            return self.valid(&doc, &target, depth);
        }
        if let Some(branches) = schema.get("allOf").and_then(Value::as_array) {
            let parts: Vec<_> = branches
                .iter()
                .map(|branch| self.valid(doc, branch, depth))
                .collect();
            return parts.prop_map(merge).boxed();
        }
        if let Some(branches) = alternatives(schema) {
            return Union::new(branches.iter().map(|branch| self.valid(doc, branch, depth)))
                .boxed();
        }
        if let Some(value) = schema.get("const") {
            return Just(value.clone()).boxed();
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return select(values.clone()).boxed();
        }
        Union::new(types(schema).into_iter().map(|ty| match ty {
            "null" => Just(Value::Null).boxed(),
            "boolean" => proptest::bool::ANY.prop_map(Value::Bool).boxed(),
            "string" => valid_string(schema),
            "integer" => valid_integer(schema),
            "number" => valid_number(schema),
            "array" => self.array(doc, schema, depth, false),
            _ => self.object(doc, schema, depth, None),
        }))
        .boxed()
    }

    /// An instance like [`Self::valid`]'s with one fault injected at this node or below.
    fn faulty(&self, doc: &Path, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let (doc, target) = self.schemas.resolve(doc, reference);
            return self.faulty(&doc, &target, depth);
        }
        if let Some(branches) = schema.get("allOf").and_then(Value::as_array) {
            let variants = (0..branches.len()).map(|faulty| {
                let parts: Vec<_> = branches
                    .iter()
                    .enumerate()
                    .map(|(index, branch)| {
                        if index == faulty {
                            self.faulty(doc, branch, depth)
                        } else {
                            self.valid(doc, branch, depth)
                        }
                    })
                    .collect();
                parts.prop_map(merge).boxed()
            });
            return Union::new(variants).boxed();
        }
        if let Some(branches) = alternatives(schema) {
            let mut variants: Vec<BoxedStrategy<Value>> = branches
                .iter()
                .map(|branch| self.faulty(doc, branch, depth))
                .collect();
            variants.push(wrong_type(&["object"]));
            return Union::new(variants).boxed();
        }
        let types = types(schema);
        let mut faults: Vec<(u32, BoxedStrategy<Value>)> = vec![(1, wrong_type(&types))];
        if let Some(value) = schema.get("const") {
            faults.push((3, select(near_misses(value)).boxed()));
        } else if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let misses: Vec<Value> = values.iter().flat_map(near_misses).collect();
            faults.push((3, select(misses).boxed()));
        } else {
            for ty in &types {
                match *ty {
                    "string" => faults.extend(string_faults(schema)),
                    "integer" | "number" => faults.extend(number_faults(schema, ty)),
                    "array" => faults.extend(self.array_faults(doc, schema, depth)),
                    "object" => faults.extend(self.object_faults(doc, schema, depth)),
                    _ => {}
                }
            }
        }
        Union::new_weighted(faults).boxed()
    }

    /// An array of valid items within `minItems`/`maxItems` (deduplicated for `uniqueItems`);
    /// with `faulty_item`, a faulty item is inserted at a random place among a few valid ones.
    fn array(
        &self,
        doc: &Path,
        schema: &Value,
        depth: u32,
        faulty_item: bool,
    ) -> BoxedStrategy<Value> {
        let min = usize_of(schema, "minItems").unwrap_or(0);
        let mut max = usize_of(schema, "maxItems").unwrap_or(min + 3).min(min + 4);
        if depth >= ARRAY_DEPTH {
            max = min;
        }
        let items = schema.get("items").cloned().unwrap_or(json!({}));
        let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
        if faulty_item {
            let valid = vec(self.valid(doc, &items, depth + 1), 0..=max.min(2));
            let bad = self.faulty(doc, &items, depth + 1);
            return (valid, bad, proptest::arbitrary::any::<Index>())
                .prop_map(|(mut items, bad, at)| {
                    let at = at.index(items.len() + 1);
                    items.insert(at, bad);
                    Value::Array(items)
                })
                .boxed();
        }
        if max == 0 {
            return Just(json!([])).boxed();
        }
        vec(self.valid(doc, &items, depth + 1), min..=max)
            .prop_map(move |items| {
                if unique {
                    Value::Array(dedup(items))
                } else {
                    Value::Array(items)
                }
            })
            .prop_filter("fewer than minItems after dropping duplicates", move |v| {
                v.as_array().is_some_and(|items| items.len() >= min)
            })
            .boxed()
    }

    fn array_faults(
        &self,
        doc: &Path,
        schema: &Value,
        depth: u32,
    ) -> Vec<(u32, BoxedStrategy<Value>)> {
        let mut faults = Vec::new();
        let items = schema.get("items").cloned().unwrap_or(json!({}));
        let min = usize_of(schema, "minItems").unwrap_or(0);
        if let Some(max) = usize_of(schema, "maxItems") {
            let too_long = vec(self.valid(doc, &items, depth + 1), max + 1);
            faults.push((2, too_long.prop_map(Value::Array).boxed()));
        }
        if min > 0 {
            let too_short = vec(self.valid(doc, &items, depth + 1), min - 1);
            faults.push((2, too_short.prop_map(Value::Array).boxed()));
        }
        if depth >= ARRAY_DEPTH {
            return faults;
        }
        if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
            let duplicated = (
                vec(self.valid(doc, &items, depth + 1), 1..=3),
                proptest::arbitrary::any::<Index>(),
            )
                .prop_map(|(mut items, at)| {
                    let copy = equal_variant(&items[at.index(items.len())]);
                    items.push(copy);
                    Value::Array(items)
                });
            faults.push((2, duplicated.boxed()));
        }
        faults.push((3, self.array(doc, schema, depth, true)));
        faults
    }

    /// An object with its required properties, some optional ones, and extra ones where
    /// `additionalProperties` allows; with `fault`, that property is present and faulty.
    fn object(
        &self,
        doc: &Path,
        schema: &Value,
        depth: u32,
        fault: Option<&str>,
    ) -> BoxedStrategy<Value> {
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required = required(schema);
        let mut entries: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
        for (name, property) in properties {
            let key = name.clone();
            let entry = if fault == Some(name.as_str()) {
                self.faulty(doc, property, depth + 1)
                    .prop_map(move |value| Some((key.clone(), value)))
                    .boxed()
            } else if required.contains(name) {
                self.valid(doc, property, depth + 1)
                    .prop_map(move |value| Some((key.clone(), value)))
                    .boxed()
            } else {
                let value = self
                    .valid(doc, property, depth + 1)
                    .prop_map(move |value| (key.clone(), value));
                proptest::option::weighted(0.6, value).boxed()
            };
            entries.push(entry);
        }
        for name in required
            .iter()
            .filter(|name| !properties.contains_key(*name))
        {
            entries.push(Just(Some((name.clone(), json!("x")))).boxed());
        }
        let min = usize_of(schema, "minProperties").unwrap_or(0);
        let max = usize_of(schema, "maxProperties");
        let extra: BoxedStrategy<Vec<(String, Value)>> = match schema.get("additionalProperties") {
            Some(Value::Bool(false)) => Just(Vec::new()).boxed(),
            Some(additional @ Value::Object(_)) if properties.is_empty() => {
                let most = max.unwrap_or(min + 4).min(min + 4);
                vec(
                    (map_key(), self.valid(doc, additional, depth + 1)),
                    min..=most,
                )
                .boxed()
            }
            Some(additional @ Value::Object(_)) => vec(
                (unknown_key(), self.valid(doc, additional, depth + 1)),
                0..=1,
            )
            .boxed(),
            // Open objects: now and then a property no schema declares, which is valid.
            _ => proptest::option::weighted(0.15, (unknown_key(), small_json()))
                .prop_map(|extra| extra.into_iter().collect())
                .boxed(),
        };
        let object = (entries, extra).prop_map(|(entries, extra)| {
            let mut object = Map::new();
            for (key, value) in entries.into_iter().flatten() {
                object.insert(key, value);
            }
            for (key, value) in extra {
                object.entry(key).or_insert(value);
            }
            Value::Object(object)
        });
        if fault.is_some() {
            return object.boxed();
        }
        object
            .prop_filter("outside minProperties/maxProperties", move |object| {
                let count = object.as_object().map_or(0, Map::len);
                count >= min && max.is_none_or(|max| count <= max)
            })
            .boxed()
    }

    fn object_faults(
        &self,
        doc: &Path,
        schema: &Value,
        depth: u32,
    ) -> Vec<(u32, BoxedStrategy<Value>)> {
        let mut faults = Vec::new();
        let required = required(schema);
        if !required.is_empty() {
            let dropped = (
                self.object(doc, schema, depth, None),
                proptest::arbitrary::any::<Index>(),
            )
                .prop_map(move |(mut object, at)| {
                    let name = &required[at.index(required.len())];
                    if let Some(object) = object.as_object_mut() {
                        object.shift_remove(name);
                    }
                    object
                });
            faults.push((3, dropped.boxed()));
        }
        let unknown = (self.object(doc, schema, depth, None), small_json()).prop_map(
            |(mut object, value)| {
                if let Some(object) = object.as_object_mut() {
                    object.insert("zzUnexpected".to_owned(), value);
                }
                object
            },
        );
        faults.push((2, unknown.boxed()));
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for name in properties.keys() {
                faults.push((2, self.object(doc, schema, depth, Some(name))));
            }
        }
        if let Some(additional @ Value::Object(_)) = schema.get("additionalProperties") {
            let bad_entry = (
                self.object(doc, schema, depth, None),
                map_key(),
                self.faulty(doc, additional, depth + 1),
            )
                .prop_map(|(mut object, key, value)| {
                    if let Some(object) = object.as_object_mut() {
                        object.insert(key, value);
                    }
                    object
                });
            faults.push((3, bad_entry.boxed()));
        }
        if usize_of(schema, "minProperties").is_some_and(|min| min > 0) {
            faults.push((1, Just(json!({})).boxed()));
        }
        if let Some(max) = usize_of(schema, "maxProperties") {
            let value = schema
                .get("additionalProperties")
                .cloned()
                .unwrap_or(json!({}));
            let too_many = vec(
                (map_key(), self.valid(doc, &value, depth + 1)),
                max + 1..=max + 3,
            )
            .prop_map(|entries| Value::Object(entries.into_iter().collect()));
            faults.push((1, too_many.boxed()));
        }
        faults
    }
}

/// `anyOf` or `oneOf` branches.
fn alternatives(schema: &Value) -> Option<&Vec<Value>> {
    schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
}

/// The JSON types a schema admits, from `type` or, without it, from the keywords it uses.
fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(ty)) => vec![ty.as_str()],
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).collect(),
        _ if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() => {
            vec!["object"]
        }
        _ if schema.get("items").is_some() => vec!["array"],
        _ => vec!["null", "boolean", "integer", "string"],
    }
}

fn required(schema: &Value) -> Vec<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn usize_of(schema: &Value, keyword: &str) -> Option<usize> {
    schema
        .get(keyword)
        .and_then(Value::as_u64)
        .map(|n| n as usize)
}

fn f64_of(schema: &Value, keyword: &str) -> Option<f64> {
    schema.get(keyword).and_then(Value::as_f64)
}

/// Merges the instances of `allOf` branches: the union of their properties.
fn merge(parts: Vec<Value>) -> Value {
    let mut merged = Map::new();
    for part in parts {
        match part {
            Value::Object(object) => {
                for (key, value) in object {
                    merged.entry(key).or_insert(value);
                }
            }
            other => return other,
        }
    }
    Value::Object(merged)
}

fn dedup(items: Vec<Value>) -> Vec<Value> {
    let mut seen = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

/// A value JSON Schema counts as equal to `value` but written differently: object keys in
/// reverse order, integers as whole floats (`uniqueItems` must see `1` and `1.0` as equal).
fn equal_variant(value: &Value) -> Value {
    match value {
        Value::Number(number) if number.is_i64() || number.is_u64() => {
            number.as_f64().map_or(Value::Null, Value::from)
        }
        Value::Array(items) => Value::Array(items.iter().map(equal_variant).collect()),
        Value::Object(object) => Value::Object(
            object
                .iter()
                .rev()
                .map(|(key, value)| (key.clone(), equal_variant(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A small value of any JSON type.
fn small_json() -> BoxedStrategy<Value> {
    select(vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-3),
        json!(2.5),
        json!(""),
        json!("text"),
        json!([]),
        json!([1]),
        json!({}),
        json!({"a": null}),
    ])
    .boxed()
}

/// A value of a JSON type `types` does not admit (`null` included).
fn wrong_type(types: &[&str]) -> BoxedStrategy<Value> {
    let candidates: Vec<Value> = [
        Value::Null,
        json!(false),
        json!(7),
        json!(7.0),
        json!(2.5),
        json!("7"),
        json!([]),
        json!({}),
    ]
    .into_iter()
    .filter(|value| !types.iter().any(|ty| admits(ty, value)))
    .collect();
    if candidates.is_empty() {
        return small_json();
    }
    select(candidates).boxed()
}

fn admits(ty: &str, value: &Value) -> bool {
    match ty {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        _ => true,
    }
}

/// Values close to `value` but different: for enums and consts.
fn near_misses(value: &Value) -> Vec<Value> {
    match value {
        Value::String(s) => vec![
            json!(s.to_uppercase()),
            json!(format!("{s}_")),
            json!(format!(" {s}")),
            json!(""),
        ],
        Value::Number(n) => vec![json!(n.as_f64().unwrap_or_default() + 1.0)],
        Value::Bool(b) => vec![json!(!b)],
        other => vec![json!([other])],
    }
}

/// Keys of a map-like object (`additionalProperties` with a schema).
fn map_key() -> BoxedStrategy<String> {
    proptest::string::string_regex("[a-z][a-zA-Z0-9_]{0,8}|é[a-z]{0,3}")
        .expect("valid regex")
        .boxed()
}

/// Property names no seed schema declares.
fn unknown_key() -> BoxedStrategy<String> {
    proptest::string::string_regex("zz[a-z0-9]{0,6}")
        .expect("valid regex")
        .boxed()
}

fn lengths(schema: &Value) -> (usize, Option<usize>) {
    (
        usize_of(schema, "minLength").unwrap_or(0),
        usize_of(schema, "maxLength"),
    )
}

/// A string meant to satisfy the schema's format or pattern, before length bounds.
fn string_base(schema: &Value) -> BoxedStrategy<String> {
    if let Some(strategy) = schema
        .get("format")
        .and_then(Value::as_str)
        .and_then(valid_format)
    {
        return strategy;
    }
    if let Some(strategy) = schema
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(pattern_strings)
    {
        return strategy;
    }
    let (min, max) = lengths(schema);
    plain_string(min, max.unwrap_or(min + 12))
}

fn valid_string(schema: &Value) -> BoxedStrategy<Value> {
    let (min, max) = lengths(schema);
    string_base(schema)
        .prop_filter("outside minLength/maxLength", move |s| {
            let count = s.chars().count();
            count >= min && max.is_none_or(|max| count <= max)
        })
        .prop_map(Value::String)
        .boxed()
}

/// Strings matching an anchored pattern (proptest generates from the regex without anchors).
fn pattern_strings(pattern: &str) -> Option<BoxedStrategy<String>> {
    let inner = pattern.strip_prefix('^').unwrap_or(pattern);
    let inner = inner.strip_suffix('$').unwrap_or(inner);
    proptest::string::string_regex(inner)
        .ok()
        .map(Strategy::boxed)
}

/// Free text of a length in `min..=max`, the bounds themselves often.
fn plain_string(min: usize, max: usize) -> BoxedStrategy<String> {
    let lengths = Union::new_weighted(vec![
        (1, Just(min).boxed()),
        (1, Just(max).boxed()),
        (3, (min..=max.min(min + 40)).boxed()),
    ]);
    lengths
        .prop_flat_map(|len| vec(select(PALETTE), len).prop_map(String::from_iter))
        .boxed()
}

fn regex(pattern: &str) -> BoxedStrategy<String> {
    proptest::string::string_regex(pattern)
        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
        .boxed()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn full_date() -> BoxedStrategy<String> {
    (1900u32..=2100, 1u32..=12)
        .prop_flat_map(|(year, month)| {
            let last = days_in_month(year, month);
            let day = Union::new_weighted(vec![(1, Just(last).boxed()), (4, (1..=last).boxed())]);
            day.prop_map(move |day| format!("{year:04}-{month:02}-{day:02}"))
        })
        .boxed()
}

fn date_time() -> BoxedStrategy<String> {
    let fraction = proptest::option::weighted(0.3, regex("\\.[0-9]{1,12}"));
    let offset = Union::new_weighted(vec![
        (6, Just("Z".to_owned()).boxed()),
        (1, Just("z".to_owned()).boxed()),
        (
            3,
            (select(vec!['+', '-']), 0u32..24, 0u32..60)
                .prop_map(|(sign, h, m)| format!("{sign}{h:02}:{m:02}"))
                .boxed(),
        ),
    ]);
    let separator = Union::new_weighted(vec![(9, Just('T')), (1, Just('t'))]);
    let general = (
        full_date(),
        separator,
        0u32..24,
        0u32..60,
        0u32..60,
        fraction,
        offset,
    )
        .prop_map(|(date, t, h, m, s, fraction, offset)| {
            format!(
                "{date}{t}{h:02}:{m:02}:{s:02}{}{offset}",
                fraction.unwrap_or_default()
            )
        });
    Union::new_weighted(vec![
        (19, general.boxed()),
        (1, Just("1998-12-31T23:59:60Z".to_owned()).boxed()),
    ])
    .boxed()
}

fn uuid(upper: bool) -> BoxedStrategy<String> {
    proptest::arbitrary::any::<[u8; 16]>()
        .prop_map(move |bytes| {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let text = format!(
                "{}-{}-{}-{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..32]
            );
            if upper {
                text.to_uppercase()
            } else {
                text
            }
        })
        .boxed()
}

fn valid_format(format: &str) -> Option<BoxedStrategy<String>> {
    Some(match format {
        "uuid" => Union::new_weighted(vec![(9, uuid(false)), (1, uuid(true))]).boxed(),
        "date" => full_date(),
        "date-time" => date_time(),
        "email" => regex("[a-z0-9]{1,10}(\\.[a-z0-9_+-]{1,5})?@[a-z]{1,10}(-[a-z]{1,4})?\\.(com|org|dev|es)"),
        "uri" => Union::new(vec![
            regex("https?://[a-z]{1,10}\\.(com|dev)(:[0-9]{2,4})?(/[a-zA-Z0-9_.~-]{1,8}){0,3}(\\?[a-z]=[0-9]{1,3})?(#[a-z]{1,4})?"),
            Just("about:blank".to_owned()).boxed(),
            regex("mailto:[a-z]{1,5}@example\\.com"),
            regex("urn:isbn:[0-9]{10}"),
            Just("http://[2001:db8::1]:8080/a%20b".to_owned()).boxed(),
        ])
        .boxed(),
        "ipv4" => proptest::arbitrary::any::<[u8; 4]>()
            .prop_map(|[a, b, c, d]| format!("{a}.{b}.{c}.{d}"))
            .boxed(),
        "ipv6" => (proptest::arbitrary::any::<[u16; 8]>(), proptest::bool::ANY)
            .prop_map(|(segments, full)| {
                if full {
                    segments.map(|s| format!("{s:x}")).join(":")
                } else {
                    let mut segments = segments;
                    segments[2..6].fill(0);
                    Ipv6Addr::from(segments).to_string()
                }
            })
            .boxed(),
        _ => return None,
    })
}

/// Strings that break a format, near the edge of its grammar where checkers tend to differ.
fn format_misses(format: &str) -> Option<Vec<&'static str>> {
    Some(match format {
        "uuid" => vec![
            "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8g",
            "5f0c7a528d3e4b1a9c2f3e4d5a6b7c8d",
            "{5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d}",
            "5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8",
            "5f0c7a5-28d3e-4b1a-9c2f-3e4d5a6b7c8d",
            "urn:uuid:5f0c7a52-8d3e-4b1a-9c2f-3e4d5a6b7c8d",
        ],
        "date" => vec![
            "2026-02-30",
            "2025-02-29",
            "2024-02-29",
            "2026-13-01",
            "2026-1-01",
            "2026-04-31",
            "20260301",
            "2026-03-01T00:00:00Z",
            "١٩٩٠-01-01",
        ],
        "date-time" => vec![
            "2026-03-01T09:30:00",
            "2026-03-01 09:30:00Z",
            "2026-03-01T24:00:00Z",
            "2026-03-01T09:30:60Z",
            "2026-03-01T23:59:60+01:00",
            "1998-12-31T15:59:60-08:00",
            "2026-03-01T09:30:00+25:00",
            "2026-03-01T09:30:00.Z",
            "2026-02-30T09:30:00Z",
            "2026-03-01T09:30Z",
            "2026-03-01T09:30:00+0100",
        ],
        "email" => vec![
            "no-at-sign",
            "a@",
            "@example.com",
            "a..b@example.com",
            ".a@example.com",
            "a.@example.com",
            "a@example",
            "a@-example.com",
            "a@exa_mple.com",
            "\"quoted local\"@example.com",
            "a@[127.0.0.1]",
            "a@[IPv6:::1]",
            "a b@example.com",
            "a@example.com.",
            "a@b@example.com",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com",
            "té@example.com",
            "a@exämple.com",
            "a@[300.1.1.1]",
            "a@sub.example.co.uk",
            "A+Tag@Example.COM",
        ],
        "uri" => vec![
            "relative/path",
            "//host/path",
            "http://exa mple.com",
            "http://example.com/%zz",
            "1http://example.com",
            ":no-scheme",
            "http://example.com:port/",
            "http://ex\u{e4}mple.com/",
            "\\\\server\\share",
            "http://[::1",
        ],
        "ipv4" => vec![
            "256.0.0.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "1.2.3.4 ",
            "0x7f.0.0.1",
            "1.2.3.\u{0662}",
        ],
        "ipv6" => vec![
            "1:2:3",
            "::1::",
            "fe80::1%eth0",
            "12345::",
            "1:2:3:4:5:6:7:8:9",
            "::ffff:1.2.3.4",
            "::ffff:1.2.3.256",
            ":1:2:3:4:5:6:7",
        ],
        _ => return None,
    })
}

fn string_faults(schema: &Value) -> Vec<(u32, BoxedStrategy<Value>)> {
    let mut faults = Vec::new();
    let (min, max) = lengths(schema);
    if let Some(max) = max {
        let too_long =
            (string_base(schema), select(vec!['a', 'é', '😀'])).prop_map(move |(s, pad)| {
                let mut chars: Vec<char> = s.chars().take(max + 1).collect();
                chars.resize(max + 1, pad);
                Value::String(chars.into_iter().collect())
            });
        faults.push((2, too_long.boxed()));
    }
    if min > 0 {
        let too_short = valid_string(schema).prop_map(move |s| {
            let s = s.as_str().unwrap_or_default();
            Value::String(s.chars().take(min - 1).collect())
        });
        faults.push((2, too_short.boxed()));
    }
    if schema.get("pattern").is_some() {
        let broken = (
            valid_string(schema),
            select(vec!["!", " ", "\n", "é"]),
            proptest::bool::ANY,
        )
            .prop_map(|(s, extra, front)| {
                let s = s.as_str().unwrap_or_default();
                Value::String(if front {
                    format!("{extra}{s}")
                } else {
                    format!("{s}{extra}")
                })
            });
        faults.push((2, broken.boxed()));
    }
    if let Some(misses) = schema
        .get("format")
        .and_then(Value::as_str)
        .and_then(format_misses)
    {
        let misses: Vec<Value> = misses.into_iter().map(Value::from).collect();
        faults.push((3, select(misses).boxed()));
    }
    faults
}

/// Inclusive integer bounds from `minimum`/`exclusiveMinimum` and their maxima.
fn integer_bounds(schema: &Value) -> (i64, i64) {
    let lo = f64_of(schema, "minimum")
        .map(|n| n.ceil() as i64)
        .or_else(|| f64_of(schema, "exclusiveMinimum").map(|n| n.floor() as i64 + 1));
    let hi = f64_of(schema, "maximum")
        .map(|n| n.floor() as i64)
        .or_else(|| f64_of(schema, "exclusiveMaximum").map(|n| n.ceil() as i64 - 1));
    match (lo, hi) {
        (Some(lo), Some(hi)) => (lo, hi),
        (Some(lo), None) => (lo, lo + 1000),
        (None, Some(hi)) => (hi - 1000, hi),
        (None, None) => (-1000, 1000),
    }
}

fn valid_integer(schema: &Value) -> BoxedStrategy<Value> {
    let (lo, hi) = integer_bounds(schema);
    let step = schema
        .get("multipleOf")
        .and_then(Value::as_i64)
        .filter(|m| *m > 0);
    let integers: BoxedStrategy<i64> = match step {
        Some(step) => {
            let (first, last) = (lo.div_euclid(step) + 1, hi.div_euclid(step));
            let first = if lo.rem_euclid(step) == 0 {
                first - 1
            } else {
                first
            };
            (first..=last).prop_map(move |k| k * step).boxed()
        }
        None => Union::new_weighted(vec![
            (1, Just(lo).boxed()),
            (1, Just(hi).boxed()),
            (4, (lo..=hi).boxed()),
        ])
        .boxed(),
    };
    Union::new_weighted(vec![
        (9, integers.clone().prop_map(Value::from).boxed()),
        // JSON Schema counts 3.0 as an integer.
        (1, integers.prop_map(|n| Value::from(n as f64)).boxed()),
    ])
    .boxed()
}

fn valid_number(schema: &Value) -> BoxedStrategy<Value> {
    let min = f64_of(schema, "minimum");
    let exclusive_min = f64_of(schema, "exclusiveMinimum");
    let max = f64_of(schema, "maximum");
    let exclusive_max = f64_of(schema, "exclusiveMaximum");
    let lo = min.or(exclusive_min).unwrap_or(-1000.0);
    let hi = max.or(exclusive_max).unwrap_or(lo + 1000.0);
    let mut choices: Vec<(u32, BoxedStrategy<f64>)> = vec![(
        6,
        (lo..hi)
            .prop_filter("on an exclusive bound", move |n| Some(*n) != exclusive_min)
            .boxed(),
    )];
    if let Some(min) = min {
        choices.push((1, Just(min).boxed()));
    }
    if let Some(max) = max {
        choices.push((1, Just(max).boxed()));
    }
    let floats = Union::new_weighted(choices).prop_map(Value::from);
    let integers = (lo.ceil() as i64..=hi.floor() as i64)
        .prop_filter("on an exclusive bound", move |n| {
            Some(*n as f64) != exclusive_min && Some(*n as f64) != exclusive_max
        })
        .prop_map(Value::from);
    Union::new_weighted(vec![(4, floats.boxed()), (1, integers.boxed())]).boxed()
}

fn number_faults(schema: &Value, ty: &str) -> Vec<(u32, BoxedStrategy<Value>)> {
    let mut misses: Vec<Value> = Vec::new();
    let integer = ty == "integer";
    let nudge = if integer { 1.0 } else { 0.001 };
    let number = |n: f64| {
        if integer {
            Value::from(n as i64)
        } else {
            Value::from(n)
        }
    };
    if let Some(min) = f64_of(schema, "minimum") {
        misses.push(number(min - nudge));
    }
    if let Some(min) = f64_of(schema, "exclusiveMinimum") {
        misses.push(number(min));
    }
    if let Some(max) = f64_of(schema, "maximum") {
        misses.push(number(max + nudge));
    }
    if let Some(max) = f64_of(schema, "exclusiveMaximum") {
        misses.push(number(max));
    }
    let (lo, hi) = integer_bounds(schema);
    if let Some(step) = schema.get("multipleOf").and_then(Value::as_i64) {
        misses.push(json!(lo.max(step) + 1));
        misses.push(json!(hi - 1));
        misses.push(json!(step as f64 + 1e-9));
    }
    if integer {
        misses.push(json!(lo as f64 + 0.5));
        misses.push(json!(1e-9 + lo as f64));
    }
    // Edges of number comparison: -0 equals 0, and the smallest positive double exceeds it.
    misses.push(json!(-0.0));
    misses.push(json!(5e-324));
    // Beyond 32 and 64 bits: valid where no bound says otherwise, and the Rust type has to
    // hold it.
    misses.push(json!(2_147_483_648u64));
    misses.push(json!(-2_147_483_649i64));
    misses.push(json!(u64::MAX));
    misses.push(json!(1e300));
    vec![(3, select(misses).boxed())]
}

fn seed() -> [u8; 32] {
    let text = std::env::var("ORACLE_SEED").unwrap_or_else(|_| "solo60 oracle".to_owned());
    let mut seed = [0u8; 32];
    for (i, byte) in text.bytes().enumerate() {
        seed[i % 32] = seed[i % 32].wrapping_mul(31).wrapping_add(byte);
    }
    seed
}

/// Instances judged for one body (shrinking a failure judges a few more).
#[derive(Default)]
struct Tally {
    cases: usize,
    valid: usize,
    invalid: usize,
    known_verdicts: usize,
    known_bindings: usize,
}

#[test]
fn every_body_is_in_the_table() {
    let dir = schemas_dir();
    let contracts = load_contracts(&dir).expect("seed contracts load");
    let table: BTreeSet<(String, String, String)> = BODIES
        .iter()
        .map(|body| {
            (
                body.service.to_owned(),
                body.file.to_owned(),
                body.pointer.to_owned(),
            )
        })
        .collect();
    let mut used = BTreeSet::new();
    let mut missing = Vec::new();
    for service in &contracts.services {
        for (id, operation) in &service.manifest.operations {
            for reference in [&operation.request, &operation.response]
                .into_iter()
                .flatten()
            {
                let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
                let key = (service.folder.clone(), file.to_owned(), pointer.to_owned());
                if table.contains(&key) {
                    used.insert(key);
                } else {
                    missing.push(format!("{}.{id}: {reference}", service.folder));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "bodies missing from BODIES in tests/oracle_contracts.rs:\n{}",
        missing.join("\n")
    );
    let unused: Vec<_> = table.difference(&used).collect();
    assert!(
        unused.is_empty(),
        "BODIES entries no operation uses: {unused:?}"
    );
}

#[test]
fn generated_validation_agrees_with_jsonschema() {
    let started = Instant::now();
    let dir = schemas_dir();
    let schemas = Schemas::new(dir.clone());
    let generator = Generator { schemas: &schemas };
    let cases = std::env::var("ORACLE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let mut problems: Vec<String> = Vec::new();
    let mut summary = String::from(
        "body | cases | valid | invalid | known verdict disagreements | valid but not bound (known)\n",
    );
    let mut total = Tally::default();

    for known in KNOWN_DISAGREEMENTS {
        let (name, instance) = known.witness;
        let body = BODIES
            .iter()
            .find(|body| body.name() == name)
            .unwrap_or_else(|| panic!("KNOWN_DISAGREEMENTS: no body {name}"));
        let witness: Value = serde_json::from_str(instance).expect("witness is JSON");
        let expected = oracle(body, &dir).is_valid(&witness);
        let shows = match known.kind {
            Kind::Verdict => (body.check)(&witness) != expected,
            Kind::Binding => expected && (body.check)(&witness) && !(body.binds)(&witness),
        };
        if !shows || !(known.explains)(&witness) {
            problems.push(format!(
                "KNOWN_DISAGREEMENTS: the {:?} witness for {name} no longer disagrees; remove \
                 the entry ({})\n    instance {witness}",
                known.kind, known.reason
            ));
        }
    }

    for body in BODIES {
        let name = body.name();
        let oracle = oracle(body, &dir);
        let doc = dir.join(body.service).join(body.file);
        let (doc, schema) = schemas.resolve(&doc, &format!("#{}", body.pointer));
        let strategy = Union::new_weighted(vec![
            (2, generator.valid(&doc, &schema, 0)),
            (3, generator.faulty(&doc, &schema, 0)),
        ]);
        let explained = |kind: Kind, value: &Value| {
            KNOWN_DISAGREEMENTS
                .iter()
                .any(|known| known.kind == kind && (known.explains)(value))
        };
        let tally = RefCell::new(Tally::default());
        let config = Config {
            cases,
            failure_persistence: None,
            max_shrink_iters: 10_000,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed()));
        let outcome = runner.run(&strategy, |value| {
            let expected = oracle.is_valid(&value);
            let generated = catch_unwind(AssertUnwindSafe(|| (body.check)(&value))).ok();
            let mut tally = tally.borrow_mut();
            tally.cases += 1;
            if expected {
                tally.valid += 1;
            } else {
                tally.invalid += 1;
            }
            if generated != Some(expected) {
                if explained(Kind::Verdict, &value) {
                    tally.known_verdicts += 1;
                    return Ok(());
                }
                let generated = match generated {
                    Some(true) => "valid",
                    Some(false) => "invalid",
                    None => "panicked",
                };
                let expected = if expected { "valid" } else { "invalid" };
                return Err(TestCaseError::fail(format!(
                    "generated {generated}, jsonschema {expected}"
                )));
            }
            if expected && !(body.binds)(&value) {
                if explained(Kind::Binding, &value) {
                    tally.known_bindings += 1;
                    return Ok(());
                }
                return Err(TestCaseError::fail(
                    "both valid, but parse:: does not convert it into the Rust type",
                ));
            }
            Ok(())
        });
        match outcome {
            Ok(()) => {}
            Err(TestError::Fail(reason, value)) => {
                problems.push(format!("{name}: {reason}\n    instance {value}"))
            }
            Err(TestError::Abort(reason)) => problems.push(format!("{name}: aborted: {reason}")),
        }
        let tally = tally.into_inner();
        if tally.valid == 0 || tally.invalid == 0 {
            problems.push(format!(
                "{name}: only {} instances generated ({} valid, {} invalid)",
                if tally.valid == 0 { "invalid" } else { "valid" },
                tally.valid,
                tally.invalid
            ));
        }
        summary.push_str(&format!(
            "{name} | {} | {} | {} | {} | {}\n",
            tally.cases, tally.valid, tally.invalid, tally.known_verdicts, tally.known_bindings
        ));
        total.cases += tally.cases;
        total.valid += tally.valid;
        total.invalid += tally.invalid;
        total.known_verdicts += tally.known_verdicts;
        total.known_bindings += tally.known_bindings;
    }
    summary.push_str(&format!(
        "total ({} bodies) | {} | {} | {} | {} | {}\n{:.1} s\n",
        BODIES.len(),
        total.cases,
        total.valid,
        total.invalid,
        total.known_verdicts,
        total.known_bindings,
        started.elapsed().as_secs_f64()
    ));
    println!("{summary}");
    assert!(
        problems.is_empty(),
        "{} problem(s) with the generated validation against jsonschema:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
