//! Manifest settings that parse but cannot be what the author meant: values outside the
//! published manifest schema, `retry: keyed` on a GET, `callers` naming no service, and query
//! properties with no query-string form.
//!
//! The manifest is deserialized with serde, which checks types and names but not the
//! `pattern`s and ranges the published schema (`solo60-gen schema`) states through schemars
//! attributes: those only annotate the schema. So the manifest document is validated here
//! against that very schema, and the two can never disagree again.

use std::sync::OnceLock;

use jsonschema::Validator;

use super::types::{Shape, TypeDef, TypeExpr, TypeId};
use crate::error::{ContractError, Diagnostic};
use crate::load::{
    location_of, manifest_json_schema, DocumentStore, HttpMethod, RetryPolicy, SchemaRef,
    ServiceSource,
};

/// Every problem with `service`'s manifest beyond what deserializing it checks.
/// `known_services` are the names `callers` may use.
pub(crate) fn check_manifest(
    store: &DocumentStore,
    service: &ServiceSource,
    known_services: &[&str],
) -> Vec<Diagnostic> {
    let document = store.document(service.manifest_doc);
    let at = |pointer: String| SchemaRef {
        doc: service.manifest_doc,
        pointer,
    };
    let mut problems = Vec::new();
    if let Some(validator) = manifest_validator() {
        for error in validator.iter_errors(&document.value) {
            problems.push(Diagnostic {
                location: location_of(store, &at(error.instance_path().as_str().to_owned())),
                kind: ContractError::Manifest(format!(
                    "{error} (the manifest schema, `solo60-gen schema`, says so)"
                )),
            });
        }
    }
    for (id, spec) in &service.manifest.operations {
        let operation = crate::load::pointer::join("/operations", id);
        if spec.retry == Some(RetryPolicy::Keyed) && spec.method == HttpMethod::Get {
            problems.push(Diagnostic {
                location: location_of(store, &at(format!("{operation}/retry"))),
                kind: ContractError::Invalid(
                    "`retry: keyed` on a GET: a GET carries no body to protect with an \
                     `Idempotency-Key` and is retried as a read already; remove `retry` \
                     (or write `retry: safe`)"
                        .into(),
                ),
            });
        }
        for (index, caller) in spec.callers.iter().enumerate() {
            if known_services.contains(&caller.as_str()) {
                continue;
            }
            problems.push(Diagnostic {
                location: location_of(store, &at(format!("{operation}/callers/{index}"))),
                kind: ContractError::Invalid(unknown_caller(caller, known_services)),
            });
        }
    }
    problems
}

/// The published manifest schema, compiled once.
fn manifest_validator() -> Option<&'static Validator> {
    static VALIDATOR: OnceLock<Option<Validator>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| jsonschema::validator_for(&manifest_json_schema()).ok())
        .as_ref()
}

fn unknown_caller(caller: &str, known: &[&str]) -> String {
    let nearest = known
        .iter()
        .map(|name| (strsim::damerau_levenshtein(caller, name), *name))
        .filter(|(distance, name)| *distance <= 2.max(name.len() / 3))
        .min();
    let mut message = format!("`callers` names `{caller}`, which is no service here");
    if let Some((_, name)) = nearest {
        message.push_str(&format!("; did you mean `{name}`?"));
    }
    let list = known
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ");
    message.push_str(&format!(" (known services: {list})"));
    message
}

/// Properties of an operation's query type that have no query-string form: objects, maps
/// and arrays of anything but scalars. The location reported is the property in the query
/// schema at `target` (or, for a property merged in from elsewhere, `target` itself).
pub(crate) fn check_query(
    store: &DocumentStore,
    types: &[TypeDef],
    query: TypeId,
    target: &SchemaRef,
) -> Vec<Diagnostic> {
    let Shape::Struct(shape) = &types[query.0].shape else {
        return Vec::new();
    };
    shape
        .fields
        .iter()
        .filter(|field| !is_query_value(types, &field.ty, QueryNesting::Top))
        .map(|field| {
            let property = SchemaRef {
                doc: target.doc,
                pointer: crate::load::pointer::join(
                    &crate::load::pointer::join(&target.pointer, "properties"),
                    &field.wire_name,
                ),
            };
            let place = if store.value(&property).is_some() {
                property
            } else {
                target.clone()
            };
            Diagnostic {
                location: location_of(store, &place),
                kind: ContractError::Unsupported(format!(
                    "query property `{}` is {}, which has no query-string form; \
                     use a scalar, or an array of scalars (`?{0}=a&{0}=b`)",
                    field.wire_name,
                    describe(types, &field.ty)
                )),
            }
        })
        .collect()
}

/// Whether a query property is a scalar (`Top`) or an array item that is one (`Item`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QueryNesting {
    Top,
    Item,
}

fn is_query_value(types: &[TypeDef], ty: &TypeExpr, nesting: QueryNesting) -> bool {
    match ty {
        TypeExpr::Any
        | TypeExpr::Bool
        | TypeExpr::Integer(_)
        | TypeExpr::Float
        | TypeExpr::String
        | TypeExpr::Uuid => true,
        TypeExpr::Nullable(inner) => is_query_value(types, inner, nesting),
        TypeExpr::Array(item) => {
            nesting == QueryNesting::Top && is_query_value(types, item, QueryNesting::Item)
        }
        TypeExpr::Map(_) => false,
        TypeExpr::Named(id) => match &types[id.0].shape {
            Shape::Enum(_) => true,
            Shape::Newtype(inner) => is_query_value(types, inner, nesting),
            Shape::Struct(_) => false,
            Shape::Untagged(variants) => variants
                .iter()
                .all(|variant| is_query_value(types, &variant.ty, nesting)),
            Shape::Tagged(_) => false,
        },
    }
}

fn describe(types: &[TypeDef], ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::Map(_) => "an object".into(),
        TypeExpr::Array(item) => format!("an array of {}", describe(types, item)),
        TypeExpr::Nullable(inner) => describe(types, inner),
        TypeExpr::Named(id) => match &types[id.0].shape {
            Shape::Struct(_) => format!("an object (`{}`)", types[id.0].name),
            Shape::Tagged(_) | Shape::Untagged(_) => {
                format!("a union with object branches (`{}`)", types[id.0].name)
            }
            _ => format!("`{}`", types[id.0].name),
        },
        _ => "a scalar".into(),
    }
}
