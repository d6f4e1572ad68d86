//! `src/client.ts`: the operations table and one typed method per operation, rendered
//! from the `client.ts` template; the method signatures and paths are built here.

use serde::Serialize;

use super::literal;
use super::zod::schema_name;
use crate::error::Error;
use crate::ir::{Operation, Schema, ServiceIr, TypeExpr, TypeId};
use crate::load::RetryPolicy;

/// One operation as the template lays it out.
#[derive(Serialize)]
pub struct OperationView {
    id: String,
    id_literal: String,
    method: &'static str,
    path: String,
    path_literal: String,
    status: u16,
    retry: &'static str,
    doc: String,
    signature: String,
    params: Option<String>,
    query: Option<String>,
    body: Option<String>,
    response: String,
}

/// The template's view of every operation of `service`.
pub fn operations(service: &ServiceIr) -> Result<Vec<OperationView>, Error> {
    service
        .operations
        .iter()
        .map(|operation| view(service, operation))
        .collect()
}

fn view(service: &ServiceIr, operation: &Operation) -> Result<OperationView, Error> {
    let type_name = |id: TypeId| &service.types[id.0].name;
    let mut parameters = Vec::new();
    let mut names = Vec::new();
    for param in &operation.path_params {
        let name = parameter_name(&param.wire_name);
        let ty = match &param.ty {
            TypeExpr::Integer(_) | TypeExpr::Float => "number".to_owned(),
            TypeExpr::Named(id) => format!("schemas.{}Input", type_name(*id)),
            _ => "string".to_owned(),
        };
        parameters.push(format!("{name}: {ty}"));
        names.push((param.wire_name.clone(), name));
    }
    if let Some(request) = operation.request {
        parameters.push(format!("request: schemas.{}Input", type_name(request)));
    }
    if let Some(query) = operation.query {
        let all_optional = match &service.types[query.0].schema {
            Schema::Rules(rules) => rules.object.required.is_empty(),
            _ => false,
        };
        parameters.push(format!(
            "query: schemas.{}Input{}",
            type_name(query),
            if all_optional { " = {}" } else { "" }
        ));
    }
    parameters.push("options: CallOptions = {}".to_owned());
    let returns = operation
        .response
        .map_or("void".to_owned(), |id| format!("schemas.{}", type_name(id)));
    let params = (!names.is_empty()).then(|| {
        let entries: Vec<String> = names
            .iter()
            .map(|(wire, name)| {
                let key = literal::property_key(wire);
                if key == *name {
                    key
                } else {
                    format!("{key}: {name}")
                }
            })
            .collect();
        format!("{{ {} }}", entries.join(", "))
    });
    Ok(OperationView {
        id: operation.id.clone(),
        id_literal: literal::string(&operation.id),
        method: operation.method.as_str(),
        path: operation.path.clone(),
        path_literal: literal::string(&operation.path),
        status: operation.status,
        retry: match operation.retry {
            RetryPolicy::Safe => "safe",
            RetryPolicy::Unsafe => "unsafe",
            RetryPolicy::Keyed => "keyed",
        },
        doc: doc(operation),
        signature: signature(&operation.id, &parameters, &returns),
        params,
        query: operation
            .query
            .map(|id| format!("schemas.{}", schema_name(type_name(id)))),
        body: operation
            .request
            .map(|id| format!("schemas.{}", schema_name(type_name(id)))),
        response: operation.response.map_or("undefined".to_owned(), |id| {
            format!("schemas.{}", schema_name(type_name(id)))
        }),
    })
}

/// A TypeScript parameter name for a path parameter, clear of the method's own.
fn parameter_name(wire_name: &str) -> String {
    let name = heck::ToLowerCamelCase::to_lower_camel_case(wire_name);
    let name = if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("param{name}")
    } else {
        name
    };
    match name.as_str() {
        "request" | "query" | "options" | "schemas" | "this" => format!("{name}Param"),
        _ => name,
    }
}

/// `async id(params): Promise<returns>`, one parameter per line when it would not fit.
fn signature(id: &str, parameters: &[String], returns: &str) -> String {
    let one_line = format!("async {id}({}): Promise<{returns}>", parameters.join(", "));
    // Two columns of indentation before, ` {` after.
    if 2 + one_line.len() + 2 <= super::layout::MAX_LINE {
        return one_line;
    }
    let listed: String = parameters
        .iter()
        .map(|parameter| format!("    {parameter},\n"))
        .collect();
    format!("async {id}(\n{listed}  ): Promise<{returns}>")
}

fn doc(operation: &Operation) -> String {
    let mut text = operation.summary.clone();
    if let Some(description) = &operation.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    text.push_str(&format!(
        "\n\n`{} {}`; retry: {}.",
        operation.method.as_str(),
        operation.path,
        match operation.retry {
            RetryPolicy::Safe => "safe",
            RetryPolicy::Unsafe => "never",
            RetryPolicy::Keyed => "with a fresh Idempotency-Key per call",
        }
    ));
    if !operation.errors.is_empty() {
        text.push('\n');
    }
    for error in &operation.errors {
        // A list item each: the comment's paragraphs are reflowed, list items are not joined.
        text.push_str(&format!("\n- Fails with {} `{}`", error.status, error.code));
        if let Some(description) = &error.description {
            text.push_str(&format!(": {description}"));
        }
    }
    if let Some(deprecation) = &operation.deprecation {
        let mut line = format!("\n@deprecated since {}", deprecation.since);
        if let Some(sunset) = &deprecation.sunset {
            line.push_str(&format!(", removed after {sunset}"));
        }
        if let Some(replacement) = &deprecation.replacement {
            line.push_str(&format!("; use `{replacement}`"));
        }
        if let Some(note) = &deprecation.note {
            line.push_str(&format!(". {note}"));
        }
        text.push_str(&line);
    }
    literal::doc_comment(Some(&text), "  ")
}
