//! Lowering a whole service (its manifest and documents) or a standalone schema.

use std::collections::BTreeMap;

use serde_json::Value;

use super::calendar::Date;
use super::lower::{child, Formats, Lowerer, UnknownKeywords};
use super::naming::field_name;
use super::operation::Deprecation;
use super::operation::{Bulk, Criticality, Operation, PathParam};
use super::schema::Schema;
use super::types::{Shape, TypeDef, TypeExpr, TypeId};
use crate::error::{ContractError, Error};
use crate::load::{
    location_of, Contracts, DeprecationDetails, DocId, DocumentStore, RetryPolicy, SchemaRef,
    ServiceSource, StandaloneSchema,
};

/// One service, ready to emit as a crate.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIr {
    /// The service name, e.g. `subscription`.
    pub name: String,
    /// Folder under the contracts directory.
    pub folder: String,
    pub description: Option<String>,
    pub base_url_env: String,
    pub operations: Vec<Operation>,
    pub types: Vec<TypeDef>,
}

/// A standalone schema's types, ready to emit as one module.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleIr {
    pub root: TypeId,
    pub types: Vec<TypeDef>,
    /// The schema file, for the `@generated` header.
    pub source: String,
}

/// Lowers one service: every `$defs` entry of its own documents, then its operations and
/// whatever they reach.
pub fn lower_service(contracts: &Contracts, service: &ServiceSource) -> Result<ServiceIr, Error> {
    let store = &contracts.store;
    let mut lowerer = Lowerer::new(store, UnknownKeywords::Reject, Formats::Assert);
    for name in client_type_names(&service.manifest.service) {
        lowerer.reserve_name(&name);
    }
    let prefix = format!("{}/", service.folder);
    for (doc, document) in store.documents() {
        if doc == service.manifest_doc || !document.retrieval_uri.path()[1..].starts_with(&prefix) {
            continue;
        }
        queue_definitions(&mut lowerer, store, doc)?;
    }
    let manifest_root = SchemaRef {
        doc: service.manifest_doc,
        pointer: String::new(),
    };
    let mut operations = Vec::with_capacity(service.manifest.operations.len());
    let mut method_names: BTreeMap<String, &str> = BTreeMap::new();
    // Checked once types are resolved: path parameters of a named type must be enums, and
    // bulk properties must be bounded arrays.
    let mut named_params = Vec::new();
    let mut bulk_specs = Vec::new();
    let mut query_types = Vec::new();
    // Every problem is collected, so one run reports them all: a broken operation is left
    // out and the next one lowered.
    let mut problems =
        super::manifest_checks::check_manifest(store, service, &contracts.service_names());
    for (id, spec) in &service.manifest.operations {
        let at = child(&child(&manifest_root, "operations"), id);
        let lowered = (|| -> Result<(), Error> {
            let rust_name = field_name(id);
            if let Some(earlier) = method_names.insert(rust_name.clone(), id) {
                return Err(lowerer.error(
                    &at,
                    ContractError::NameCollision(format!(
                        "operation `{id}` becomes method `{rust_name}`, like operation `{earlier}`"
                    )),
                ));
            }
            if spec.critical == Some(false) {
                // The client trait's fallback methods share the namespace of operation methods.
                for fallback in [format!("{rust_name}_or"), format!("{rust_name}_or_else")] {
                    if let Some(earlier) = method_names.insert(fallback.clone(), id) {
                        return Err(lowerer.error(
                            &child(&at, "critical"),
                            ContractError::NameCollision(format!(
                                "non-critical operation `{id}` gets fallback method `{fallback}`, \
                             the method of operation `{earlier}`"
                            )),
                        ));
                    }
                }
            }
            let path_params = path_params(&mut lowerer, &at, &spec.path, &spec.params)?;
            for param in &path_params {
                if let TypeExpr::Named(id) = param.ty {
                    let location =
                        location_of(store, &child(&child(&at, "params"), &param.wire_name));
                    named_params.push((id, param.wire_name.clone(), location));
                }
            }
            let mut reference =
                |keyword: &str, value: &Option<String>| -> Result<Option<TypeId>, Error> {
                    let Some(reference) = value else {
                        return Ok(None);
                    };
                    let from = child(&at, keyword);
                    let target = store
                        .resolve(&manifest_root, reference)
                        .map_err(|kind| lowerer.error(&from, kind))?;
                    let hint = lowerer.hint_for(&target);
                    lowerer.named_type(&target, &hint).map(Some)
                };
            let query = reference("query", &spec.query)?;
            if let (Some(query), Some(reference)) = (query, &spec.query) {
                if let Ok(target) = store.resolve(&manifest_root, reference) {
                    query_types.push((query, target));
                }
            }
            let request = reference("request", &spec.request)?;
            let response = reference("response", &spec.response)?;
            let status = spec
                .status
                .unwrap_or(if response.is_some() { 200 } else { 204 });
            if let Some(property) = &spec.bulk {
                let location = location_of(store, &child(&at, "bulk"));
                bulk_specs.push((operations.len(), request, property.clone(), location));
            }
            operations.push(Operation {
                id: id.clone(),
                rust_name,
                summary: spec.summary.clone(),
                description: spec.description.clone(),
                method: spec.method,
                path: spec.path.clone(),
                path_params,
                query,
                request,
                response,
                status,
                retry: spec.retry.unwrap_or(if spec.method.is_idempotent() {
                    RetryPolicy::Safe
                } else {
                    RetryPolicy::Unsafe
                }),
                errors: spec.errors.clone(),
                callers: spec.callers.clone(),
                criticality: match spec.critical {
                    Some(false) => Criticality::NonCritical,
                    Some(true) | None => Criticality::Critical,
                },
                bulk: None,
                version: spec.version.unwrap_or(1),
                version_of: spec.version_of.clone(),
                deprecation: deprecation(spec.deprecated.as_ref())
                    .map_err(|reason| lowerer.error(&child(&at, "deprecated"), reason))?,
            });
            Ok(())
        })();
        if let Err(error) = lowered {
            problems.extend(error.into_diagnostics()?);
        }
    }
    // With an operation left out, `versionOf` and `replacement` naming it would be refused
    // for a reason already reported.
    if problems.is_empty() {
        if let Err((id, keyword, reason)) = check_versions(&operations) {
            let at = child(&child(&child(&manifest_root, "operations"), &id), keyword);
            problems.push(crate::error::Diagnostic {
                location: location_of(store, &at),
                kind: ContractError::Invalid(reason),
            });
        }
    }
    let types = match lowerer.finish() {
        Ok(types) => types,
        Err(error) => {
            problems.extend(error.into_diagnostics()?);
            return Err(Error::from_diagnostics(problems)
                .unwrap_or_else(|| Error::Internal("lowering failed without a reason".into())));
        }
    };
    for (id, param, location) in named_params {
        if !matches!(types[id.0].shape, Shape::Enum(_)) {
            problems.push(crate::error::Diagnostic {
                location,
                kind: ContractError::Unsupported(format!(
                    "path parameter `{param}` must be a string, integer, uuid or string enum"
                )),
            });
        }
    }
    for (index, request, property, location) in bulk_specs {
        match bulk_spec(&types, request, &property) {
            Ok(bulk) => operations[index].bulk = Some(bulk),
            Err(reason) => problems.push(crate::error::Diagnostic {
                location,
                kind: ContractError::Invalid(reason),
            }),
        }
    }
    for (query, target) in query_types {
        problems.extend(super::manifest_checks::check_query(
            store, &types, query, &target,
        ));
    }
    if let Some(error) = Error::from_diagnostics(problems) {
        return Err(error);
    }
    Ok(ServiceIr {
        name: service.manifest.service.clone(),
        folder: service.folder.clone(),
        description: service.manifest.description.clone(),
        base_url_env: service.manifest.base_url_env.clone(),
        operations,
        types,
    })
}

/// The Rust names a service's client module defines, kept free of contract types.
pub fn client_type_names(service: &str) -> [String; 3] {
    let base = super::naming::type_name(service);
    [
        format!("{base}ServiceClient"),
        format!("{base}ServiceApi"),
        format!("Mock{base}Service"),
    ]
}

/// Checks a manifest's `bulk` property against the request type it names.
fn bulk_spec(types: &[TypeDef], request: Option<TypeId>, property: &str) -> Result<Bulk, String> {
    let request = request.ok_or("`bulk` needs a `request` schema")?;
    let def = &types[request.0];
    let Shape::Struct(shape) = &def.shape else {
        return Err(format!("`bulk`: request `{}` is not an object", def.name));
    };
    let field = shape
        .fields
        .iter()
        .find(|field| field.wire_name == property)
        .ok_or_else(|| {
            format!(
                "`bulk`: request `{}` has no property `{property}`",
                def.name
            )
        })?;
    let TypeExpr::Array(item) = &field.ty else {
        return Err(format!("`bulk`: property `{property}` is not an array"));
    };
    if let Some(other) = shape
        .fields
        .iter()
        .find(|other| other.wire_name != property)
    {
        return Err(format!(
            "`bulk`: request `{}` has other properties (`{}`); a chunked call sends only `{property}`",
            def.name, other.wire_name
        ));
    }
    let max_chunk = match &def.schema {
        Schema::Rules(rules) => rules
            .object
            .properties
            .iter()
            .find(|(name, _)| name == property)
            .and_then(|(_, schema)| match schema {
                Schema::Rules(rules) => rules.array.max_items,
                _ => None,
            }),
        _ => None,
    }
    .filter(|max| *max > 0)
    .ok_or_else(|| format!("`bulk`: property `{property}` needs a positive `maxItems`"))?;
    Ok(Bulk {
        wire_name: property.to_owned(),
        field_name: field.name.clone(),
        item: (**item).clone(),
        max_chunk,
    })
}

/// Lowers a standalone schema: its root as `root_name`, plus every definition it holds.
pub fn lower_standalone(
    schema: &StandaloneSchema,
    root_name: &str,
    unknown_keywords: UnknownKeywords,
    formats: Formats,
) -> Result<ModuleIr, Error> {
    let store = &schema.store;
    let mut lowerer = Lowerer::new(store, unknown_keywords, formats);
    let root_at = SchemaRef {
        doc: schema.root,
        pointer: String::new(),
    };
    if super::naming::type_name(root_name) != root_name {
        return Err(Error::Usage(format!(
            "--root-name `{root_name}` is not a PascalCase Rust type name"
        )));
    }
    let root = lowerer.named_type_exactly(&root_at, root_name)?;
    queue_definitions(&mut lowerer, store, schema.root)?;
    let types = lowerer.finish()?;
    Ok(ModuleIr {
        root,
        types,
        source: store.document(schema.root).display_name.clone(),
    })
}

/// Queues every entry of a document's top-level `$defs` (or draft-07 `definitions`).
fn queue_definitions(
    lowerer: &mut Lowerer<'_>,
    store: &DocumentStore,
    doc: DocId,
) -> Result<(), Error> {
    let root = SchemaRef {
        doc,
        pointer: String::new(),
    };
    for keyword in ["$defs", "definitions"] {
        let Some(definitions) = store.document(doc).value.get(keyword) else {
            continue;
        };
        let Some(definitions) = definitions.as_object() else {
            return Err(lowerer.error(
                &child(&root, keyword),
                ContractError::WrongKeywordType {
                    keyword: keyword.to_owned(),
                    expected: "an object whose values are schemas",
                },
            ));
        };
        for name in definitions.keys() {
            lowerer.named_type(&child(&child(&root, keyword), name), name)?;
        }
    }
    Ok(())
}

/// Checks that `{name}`s in `path` and the manifest's `params` agree, and lowers each.
fn path_params(
    lowerer: &mut Lowerer<'_>,
    at: &SchemaRef,
    path: &str,
    params: &indexmap::IndexMap<String, Value>,
) -> Result<Vec<PathParam>, Error> {
    let path_at = child(at, "path");
    if !path.starts_with("/internal/") {
        return Err(lowerer.error(
            &path_at,
            ContractError::Invalid(format!("path `{path}` must start with `/internal/`")),
        ));
    }
    let mut in_path = Vec::new();
    for segment in path.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if in_path.contains(&name) {
                return Err(lowerer.error(
                    &path_at,
                    ContractError::PathParam {
                        param: name.to_owned(),
                        problem: "appears twice in the path".into(),
                    },
                ));
            }
            in_path.push(name);
        } else if segment.contains(['{', '}']) {
            return Err(lowerer.error(
                &path_at,
                ContractError::Invalid(format!(
                    "path segment `{segment}` must be a literal or exactly one `{{param}}`"
                )),
            ));
        }
    }
    for name in &in_path {
        if !params.contains_key(*name) {
            return Err(lowerer.error(
                &path_at,
                ContractError::PathParam {
                    param: (*name).to_owned(),
                    problem: "is in the path but not declared under `params`".into(),
                },
            ));
        }
    }
    let params_at = child(at, "params");
    let mut lowered = Vec::with_capacity(params.len());
    for name in params.keys() {
        let param_at = child(&params_at, name);
        if !in_path.contains(&name.as_str()) {
            return Err(lowerer.error(
                &param_at,
                ContractError::PathParam {
                    param: name.clone(),
                    problem: format!(
                        "is declared under `params` but missing from the path `{path}`"
                    ),
                },
            ));
        }
        let hint = format!(
            "{}{}",
            super::naming::type_name(at.pointer.rsplit('/').next().unwrap_or("")),
            super::naming::type_name(name)
        );
        let (schema, ty) = lowerer.subschema(&param_at, &hint)?;
        if !is_path_type(&ty) {
            return Err(lowerer.error(
                &param_at,
                ContractError::Unsupported(format!(
                    "path parameter `{name}` must be a string, integer, uuid or string enum"
                )),
            ));
        }
        // The first of `examples` (or the older `example`), for generated tests' calls.
        let example = params.get(name).and_then(|declared| {
            declared
                .get("examples")
                .and_then(|examples| examples.as_array()?.first().cloned())
                .or_else(|| declared.get("example").cloned())
        });
        lowered.push(PathParam {
            wire_name: name.clone(),
            rust_name: field_name(name),
            ty,
            schema,
            example,
        });
    }
    Ok(lowered)
}

fn is_path_type(ty: &TypeExpr) -> bool {
    matches!(
        ty,
        TypeExpr::String | TypeExpr::Uuid | TypeExpr::Integer(_) | TypeExpr::Named(_)
    )
}

/// The IR form of a manifest's `deprecated`, with its dates checked.
fn deprecation(spec: Option<&DeprecationDetails>) -> Result<Option<Deprecation>, ContractError> {
    let Some(details) = spec else {
        return Ok(None);
    };
    let date = |text: &str| {
        Date::parse(text).ok_or_else(|| {
            ContractError::Invalid(format!("`{text}` is not a calendar date (YYYY-MM-DD)"))
        })
    };
    let since = date(&details.since)?;
    let sunset = details.sunset.as_deref().map(date).transpose()?;
    if sunset.is_some_and(|sunset| sunset < since) {
        return Err(ContractError::Invalid(
            "`sunset` comes before `since`".into(),
        ));
    }
    Ok(Some(Deprecation {
        since,
        sunset,
        replacement: details.replacement.clone(),
        note: details.note.clone(),
    }))
}
/// Versions name an earlier version of the same operation, and deprecations name a
/// replacement that exists. Errors are `(operation id, manifest key, reason)`.
fn check_versions(operations: &[Operation]) -> Result<(), (String, &'static str, String)> {
    let find = |id: &str| operations.iter().find(|operation| operation.id == id);
    for operation in operations {
        let fail = |keyword, reason: String| Err((operation.id.clone(), keyword, reason));
        match (&operation.version_of, operation.version) {
            (None, 1) => {}
            (None, version) => {
                return fail(
                    "version",
                    format!("version {version} needs `versionOf`: the operation it succeeds"),
                )
            }
            (Some(_), 1) => {
                return fail("versionOf", "`versionOf` needs `version` 2 or later".into())
            }
            (Some(earlier), version) => match find(earlier) {
                None => {
                    return fail(
                        "versionOf",
                        format!("no operation `{earlier}` in this service"),
                    )
                }
                Some(found) if found.version >= version => {
                    return fail(
                        "versionOf",
                        format!(
                            "`{earlier}` is version {}, not earlier than {version}",
                            found.version
                        ),
                    )
                }
                Some(found) if found.path == operation.path && found.method == operation.method => {
                    return fail(
                        "versionOf",
                        format!(
                            "`{earlier}` has the same route; give version {version} its own path"
                        ),
                    )
                }
                Some(_) => {}
            },
        }
        let replacement = operation
            .deprecation
            .as_ref()
            .and_then(|deprecation| deprecation.replacement.as_ref());
        if let Some(replacement) = replacement {
            if find(replacement).is_none() {
                return fail(
                    "deprecated",
                    format!("replacement `{replacement}` is not an operation of this service"),
                );
            }
        }
    }
    Ok(())
}
