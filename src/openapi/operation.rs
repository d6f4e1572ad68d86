//! One operation of a contract as an OpenAPI operation object.

use serde_json::{json, Map, Value};

use super::components::SchemaComponents;
use super::headers::{
    header_ref, parameter_ref, CORRELATION_ID, DEPRECATION, IDEMPOTENCY_KEY, IDEMPOTENT_REPLAYED,
    SERVICE_NAME, SUNSET, WWW_AUTHENTICATE,
};
use super::problem::{error_answers, ErrorAnswer, PROBLEM_COMPONENT, PROBLEM_MEDIA_TYPE};
use crate::error::{ContractError, Error};
use crate::ir::{Criticality, Operation};
use crate::load::pointer::join;
use crate::load::{location_of, DocumentStore, OperationSpec, RetryPolicy, SchemaRef};

/// The schemas an operation names, resolved from its manifest entry.
#[derive(Debug, Clone)]
pub(super) struct OperationSchemas {
    /// `(wire name, inline schema)` per path parameter.
    pub params: Vec<(String, SchemaRef)>,
    pub query: Option<SchemaRef>,
    pub request: Option<SchemaRef>,
    pub response: Option<SchemaRef>,
}

impl OperationSchemas {
    /// Resolves the manifest's references of operation `id`, written in the manifest
    /// `manifest`.
    pub(super) fn resolve(
        store: &DocumentStore,
        manifest: &SchemaRef,
        id: &str,
        spec: &OperationSpec,
    ) -> Result<Self, Error> {
        let at = SchemaRef {
            doc: manifest.doc,
            pointer: join(&join(&manifest.pointer, "operations"), id),
        };
        let resolve = |keyword: &str, reference: &Option<String>| {
            reference
                .as_ref()
                .map(|reference| {
                    store.resolve(manifest, reference).map_err(|kind| {
                        let from = SchemaRef {
                            doc: at.doc,
                            pointer: join(&at.pointer, keyword),
                        };
                        Error::contract(location_of(store, &from), kind)
                    })
                })
                .transpose()
        };
        let params_at = join(&at.pointer, "params");
        let params = spec
            .params
            .keys()
            .map(|name| {
                let schema = SchemaRef {
                    doc: at.doc,
                    pointer: join(&params_at, name),
                };
                (name.clone(), schema)
            })
            .collect();
        Ok(Self {
            params,
            query: resolve("query", &spec.query)?,
            request: resolve("request", &spec.request)?,
            response: resolve("response", &spec.response)?,
        })
    }

    /// The query object's properties: `(wire name, schema, required)`.
    pub(super) fn query_properties(
        &self,
        store: &DocumentStore,
    ) -> Result<Vec<(String, SchemaRef, bool)>, Error> {
        let Some(query) = &self.query else {
            return Ok(Vec::new());
        };
        let value = store.value(query).unwrap_or(&Value::Null);
        let Some(properties) = value.get("properties").and_then(Value::as_object) else {
            return Err(Error::contract(
                location_of(store, query),
                ContractError::Unsupported(
                    "a query schema exported to OpenAPI must list its parameters in `properties`"
                        .into(),
                ),
            ));
        };
        let required: Vec<&str> = value
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let properties_at = join(&query.pointer, "properties");
        Ok(properties
            .keys()
            .map(|name| {
                let schema = SchemaRef {
                    doc: query.doc,
                    pointer: join(&properties_at, name),
                };
                (name.clone(), schema, required.contains(&name.as_str()))
            })
            .collect())
    }

    /// Every schema copied in place (path and query parameters).
    pub(super) fn inline(&self, store: &DocumentStore) -> Result<Vec<SchemaRef>, Error> {
        let mut inline: Vec<SchemaRef> = self.params.iter().map(|(_, at)| at.clone()).collect();
        inline.extend(
            self.query_properties(store)?
                .into_iter()
                .map(|(_, at, _)| at),
        );
        Ok(inline)
    }
}

/// The operation object of `operation`.
pub(super) fn operation_object(
    store: &DocumentStore,
    components: &SchemaComponents<'_>,
    operation: &Operation,
    schemas: &OperationSchemas,
) -> Result<Value, Error> {
    let mut object = Map::new();
    object.insert("operationId".into(), json!(operation.id));
    object.insert("summary".into(), json!(operation.summary));
    if let Some(description) = description(operation) {
        object.insert("description".into(), json!(description));
    }
    object.insert(
        "parameters".into(),
        Value::Array(parameters(store, components, operation, schemas)?),
    );
    if let Some(request) = &schemas.request {
        object.insert(
            "requestBody".into(),
            json!({
                "required": true,
                "content": { "application/json": { "schema": components.reference(request)? } }
            }),
        );
    }
    object.insert(
        "responses".into(),
        Value::Object(responses(components, operation, schemas)?),
    );
    if let Some(deprecation) = &operation.deprecation {
        object.insert("deprecated".into(), json!(true));
        let mut details = Map::new();
        details.insert("since".into(), json!(deprecation.since.to_string()));
        if let Some(sunset) = &deprecation.sunset {
            details.insert("sunset".into(), json!(sunset.to_string()));
        }
        if let Some(replacement) = &deprecation.replacement {
            details.insert("replacement".into(), json!(replacement));
        }
        if let Some(note) = &deprecation.note {
            details.insert("note".into(), json!(note));
        }
        object.insert("x-deprecation".into(), Value::Object(details));
    }
    if let Some(version_of) = &operation.version_of {
        object.insert(
            "x-version".into(),
            json!({ "version": operation.version, "versionOf": version_of }),
        );
    }
    object.insert("x-retry".into(), json!(retry_name(operation.retry)));
    if !operation.callers.is_empty() {
        object.insert("x-callers".into(), json!(operation.callers));
    }
    // Only the exception is marked: a client generator reading it may offer fallbacks.
    if operation.criticality == Criticality::NonCritical {
        object.insert("x-critical".into(), json!(false));
    }
    Ok(Value::Object(object))
}

/// The contract's description, followed by the deprecation and who may call.
fn description(operation: &Operation) -> Option<String> {
    let mut paragraphs: Vec<String> = operation.description.iter().cloned().collect();
    if let Some(deprecation) = &operation.deprecation {
        let mut text = format!("Deprecated since {}", deprecation.since);
        if let Some(sunset) = &deprecation.sunset {
            text.push_str(&format!("; may be removed after {sunset}"));
        }
        text.push('.');
        if let Some(replacement) = &deprecation.replacement {
            text.push_str(&format!(" Use `{replacement}` instead."));
        }
        if let Some(note) = &deprecation.note {
            text.push(' ');
            text.push_str(note);
        }
        paragraphs.push(text);
    }
    if !operation.callers.is_empty() {
        let callers: Vec<String> = operation
            .callers
            .iter()
            .map(|caller| format!("`{caller}`"))
            .collect();
        paragraphs.push(format!("Callers: {}.", callers.join(", ")));
    }
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

fn parameters(
    store: &DocumentStore,
    components: &SchemaComponents<'_>,
    operation: &Operation,
    schemas: &OperationSchemas,
) -> Result<Vec<Value>, Error> {
    let mut parameters = Vec::new();
    for (name, at) in &schemas.params {
        parameters.push(json!({
            "name": name,
            "in": "path",
            "required": true,
            "schema": components.copy(at)?,
        }));
    }
    for (name, at, required) in schemas.query_properties(store)? {
        let schema = components.copy(&at)?;
        let mut parameter = Map::new();
        parameter.insert("name".into(), json!(name));
        parameter.insert("in".into(), json!("query"));
        if let Some(description) = schema.get("description") {
            parameter.insert("description".into(), description.clone());
        }
        parameter.insert("required".into(), json!(required));
        parameter.insert("schema".into(), schema);
        parameters.push(Value::Object(parameter));
    }
    parameters.push(parameter_ref(SERVICE_NAME));
    parameters.push(parameter_ref(CORRELATION_ID));
    if operation.retry == RetryPolicy::Keyed {
        parameters.push(parameter_ref(IDEMPOTENCY_KEY));
    }
    Ok(parameters)
}

fn responses(
    components: &SchemaComponents<'_>,
    operation: &Operation,
    schemas: &OperationSchemas,
) -> Result<Map<String, Value>, Error> {
    let mut responses = Map::new();
    let mut success = Map::new();
    success.insert(
        "description".into(),
        json!(success_description(operation.status)),
    );
    let mut headers = common_headers(operation);
    if operation.retry == RetryPolicy::Keyed {
        headers.insert(
            "Idempotent-Replayed".into(),
            header_ref(IDEMPOTENT_REPLAYED),
        );
    }
    success.insert("headers".into(), Value::Object(headers));
    if let Some(response) = &schemas.response {
        success.insert(
            "content".into(),
            json!({ "application/json": { "schema": components.reference(response)? } }),
        );
    }
    responses.insert(operation.status.to_string(), Value::Object(success));
    let answers = error_answers(operation);
    let mut statuses: Vec<u16> = answers.iter().map(|answer| answer.status).collect();
    statuses.dedup();
    for status in statuses {
        let of_status: Vec<&ErrorAnswer> = answers
            .iter()
            .filter(|answer| answer.status == status)
            .collect();
        let mut headers = common_headers(operation);
        if status == 401 {
            headers.insert("WWW-Authenticate".into(), header_ref(WWW_AUTHENTICATE));
        }
        // A keyed write stores the handler's own answers, refusals included, and replays them.
        let from_handler = operation.errors.iter().any(|error| error.status == status);
        if operation.retry == RetryPolicy::Keyed && from_handler {
            headers.insert(
                "Idempotent-Replayed".into(),
                header_ref(IDEMPOTENT_REPLAYED),
            );
        }
        responses.insert(
            status.to_string(),
            json!({
                "description": error_description(&of_status),
                "headers": headers,
                "content": {
                    PROBLEM_MEDIA_TYPE: {
                        "schema": { "$ref": format!("#/components/schemas/{PROBLEM_COMPONENT}") }
                    }
                }
            }),
        );
    }
    Ok(responses)
}

/// Headers on every answer of the operation: the correlation id, and for a deprecated
/// operation `Deprecation` and `Sunset`.
fn common_headers(operation: &Operation) -> Map<String, Value> {
    let mut headers = Map::new();
    headers.insert("x-correlation-id".into(), header_ref(CORRELATION_ID));
    if let Some(deprecation) = &operation.deprecation {
        headers.insert("Deprecation".into(), header_ref(DEPRECATION));
        if deprecation.sunset.is_some() {
            headers.insert("Sunset".into(), header_ref(SUNSET));
        }
    }
    headers
}

fn success_description(status: u16) -> &'static str {
    match status {
        200 => "OK.",
        201 => "Created.",
        202 => "Accepted.",
        204 => "No content.",
        _ => "Success.",
    }
}

/// One sentence per code: `` `CODE`: when. ``
fn error_description(answers: &[&ErrorAnswer]) -> String {
    answers
        .iter()
        .map(|answer| {
            if answer.description.is_empty() {
                format!("`{}`.", answer.code)
            } else {
                format!("`{}`: {}", answer.code, answer.description)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn retry_name(retry: RetryPolicy) -> &'static str {
    match retry {
        RetryPolicy::Safe => "safe",
        RetryPolicy::Unsafe => "unsafe",
        RetryPolicy::Keyed => "keyed",
    }
}
