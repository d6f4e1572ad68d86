//! OpenAPI 3.1 export: one document per service, from the same contracts and IR the crates
//! come from.
//!
//! The document describes what the generated server answers: the contract's paths,
//! parameters, bodies and documented errors, plus the platform's headers (`x-api-key`,
//! `x-service-name`, `x-correlation-id`, `Idempotency-Key`), its error answers as
//! `application/problem+json` and the deprecation headers. Schemas are the contract's own,
//! copied into `components/schemas` ([`components`]).

mod components;
mod headers;
mod names;
mod operation;
mod problem;

use std::fs;
use std::io;
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::error::Error;
use crate::ir::lower_service;
use crate::load::{Contracts, SchemaRef, ServiceSource};
use crate::output::Output;

use components::SchemaComponents;
use operation::{operation_object, OperationSchemas};
use problem::{problem_schema, PROBLEM_COMPONENT};

/// The OpenAPI version the documents are written in.
pub const OPENAPI_VERSION: &str = "3.1.0";

/// The version in each document's `info`: that of the generated crates
/// (templates/Cargo.toml.j2), which the contract's changes do not bump either.
const API_VERSION: &str = "0.1.0";

/// The file a service's document is written to, e.g. `subscription.openapi.json`.
pub fn document_file_name(service: &str) -> String {
    format!("{service}{DOCUMENT_SUFFIX}")
}

/// The suffix of every exported document's file name.
const DOCUMENT_SUFFIX: &str = ".openapi.json";

/// Documents in `dir` that `output` no longer produces (a service was removed or renamed).
/// JSON has no room for the `@generated` marker crates carry, so the file name decides.
pub fn stale_documents(output: &Output, dir: &Path) -> Result<Vec<String>, Error> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Read {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    let mut stale = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(DOCUMENT_SUFFIX)
            && output.scope.contains(&name)
            && entry.path().is_file()
            && !output.files.contains_key(&name)
        {
            stale.push(name);
        }
    }
    stale.sort();
    Ok(stale)
}

/// The OpenAPI document of `service`, as pretty-printed JSON with a trailing newline.
pub fn service_document_text(
    contracts: &Contracts,
    service: &ServiceSource,
) -> Result<String, Error> {
    let document = service_document(contracts, service)?;
    let mut text = serde_json::to_string_pretty(&document)
        .map_err(|error| Error::Internal(error.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// The OpenAPI document of `service`. The service is lowered first, so a contract the
/// crates would refuse is refused here with the same error.
pub fn service_document(contracts: &Contracts, service: &ServiceSource) -> Result<Value, Error> {
    let ir = lower_service(contracts, service)?;
    let store = &contracts.store;
    let manifest = SchemaRef {
        doc: service.manifest_doc,
        pointer: String::new(),
    };
    let mut resolved = Vec::with_capacity(ir.operations.len());
    for operation in &ir.operations {
        let spec = service
            .manifest
            .operations
            .get(&operation.id)
            .ok_or_else(|| Error::Internal(format!("operation `{}` lost", operation.id)))?;
        resolved.push((
            operation,
            OperationSchemas::resolve(store, &manifest, &operation.id, spec)?,
        ));
    }
    let mut bodies = Vec::new();
    let mut inline = Vec::new();
    for (_, schemas) in &resolved {
        bodies.extend(schemas.request.iter().cloned());
        bodies.extend(schemas.response.iter().cloned());
        inline.extend(schemas.inline(store)?);
    }
    let components = SchemaComponents::collect(store, &bodies, &inline, &[PROBLEM_COMPONENT])?;

    let mut paths: Map<String, Value> = Map::new();
    for (operation, schemas) in &resolved {
        let object = operation_object(store, &components, operation, schemas)?;
        let item = paths
            .entry(operation.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(operation.method.as_str().to_ascii_lowercase(), object);
        }
    }

    let mut schemas = components.schemas()?;
    schemas.insert(PROBLEM_COMPONENT.to_owned(), problem_schema());
    let mut info = Map::new();
    info.insert("title".into(), json!(format!("{} service", ir.name)));
    if let Some(description) = &ir.description {
        info.insert("description".into(), json!(description));
    }
    info.insert("version".into(), json!(API_VERSION));
    Ok(json!({
        "openapi": OPENAPI_VERSION,
        "info": info,
        "security": [{ headers::API_KEY_SCHEME: [] }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": headers::parameters(),
            "headers": headers::headers(),
            "securitySchemes": headers::security_schemes(),
        }
    }))
}
