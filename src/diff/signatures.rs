//! The signature of an operation compared in two versions: path parameters, query,
//! request and response bodies, which are both what the wire carries and the arguments and
//! return types of the client method and the server trait method.

use crate::ir::{Operation, TypeDef};

use super::change::{Breaks, Level};
use super::operations::path_order;
use super::types::{Direction, Place, TypeComparison};

pub(super) fn path_params(comparison: &mut TypeComparison<'_>, base: &Operation, head: &Operation) {
    let base_order = path_order(&base.path);
    let head_order = path_order(&head.path);
    for (base_name, head_name) in base_order.iter().zip(&head_order) {
        let base_param = base
            .path_params
            .iter()
            .find(|param| param.wire_name == *base_name);
        let head_param = head
            .path_params
            .iter()
            .find(|param| param.wire_name == *head_name);
        let (Some(base_param), Some(head_param)) = (base_param, head_param) else {
            continue;
        };
        let at = Place::new(format!("path {base_name}"));
        comparison.wire_schema(
            &at,
            &base_param.schema,
            &head_param.schema,
            Direction::Request,
        );
        let subject = comparison.subject(
            format!("path parameter `{}`", head_param.rust_name),
            &base_param.ty,
            &head_param.ty,
        );
        comparison.in_direction(Direction::Request, |comparison| {
            comparison.rust_expr(&at, &base_param.ty, &head_param.ty, &subject)
        });
    }
}

pub(super) fn bodies(comparison: &mut TypeComparison<'_>, base: &Operation, head: &Operation) {
    let (base_types, head_types) = (comparison.base, comparison.head);
    match (base.query, head.query) {
        (Some(base_query), Some(head_query)) => {
            comparison.position("query", base_query, head_query, Direction::Request)
        }
        (None, Some(head_query)) => {
            let at = Place::new("query");
            let required = required_properties(head_types, head_query.0);
            if required.is_empty() {
                comparison.report(
                    Level::Compatible,
                    &at,
                    "optional query parameters added",
                    "callers that send none are unaffected",
                );
            } else {
                comparison.report(
                    Level::WireBreaking,
                    &at,
                    format!("query parameters added; required: {}", required.join(", ")),
                    "callers built on the old contract do not send them and are refused",
                );
            }
            comparison.rust(
                Breaks::CallersAndImplementers,
                &at,
                format!(
                    "client method and server trait method `{}` gain a `query` argument",
                    head.rust_name
                ),
                "every call to it and every implementation of it stop compiling",
            );
        }
        (Some(_), None) => {
            let at = Place::new("query");
            comparison.report(
                Level::Compatible,
                &at,
                "query string no longer read",
                "what callers still send is ignored",
            );
            comparison.rust(
                Breaks::CallersAndImplementers,
                &at,
                format!(
                    "client method and server trait method `{}` lose their `query` argument",
                    head.rust_name
                ),
                "every call to it and every implementation of it stop compiling",
            );
        }
        (None, None) => {}
    }
    match (base.request, head.request) {
        (Some(base_request), Some(head_request)) => {
            comparison.position("request", base_request, head_request, Direction::Request)
        }
        (None, Some(head_request)) => {
            let at = Place::new("request");
            comparison.report(
                Level::WireBreaking,
                &at,
                format!("request body `{}` added", head_types[head_request.0].name),
                "callers built on the old contract send no body and are refused",
            );
            comparison.rust(
                Breaks::CallersAndImplementers,
                &at,
                format!(
                    "client method and server trait method `{}` gain a `request` argument",
                    head.rust_name
                ),
                "every call to it and every implementation of it stop compiling",
            );
        }
        (Some(base_request), None) => {
            let at = Place::new("request");
            comparison.report(
                Level::WireBreaking,
                &at,
                format!("request body `{}` removed", base_types[base_request.0].name),
                "callers built on the old contract still send a body the operation no longer \
                 reads: what they send is silently dropped",
            );
            comparison.rust(
                Breaks::CallersAndImplementers,
                &at,
                format!(
                    "client method and server trait method `{}` lose their `request` argument",
                    head.rust_name
                ),
                "every call to it and every implementation of it stop compiling",
            );
        }
        (None, None) => {}
    }
    match (base.response, head.response) {
        (Some(base_response), Some(head_response)) => comparison.position(
            "response",
            base_response,
            head_response,
            Direction::Response,
        ),
        (None, Some(head_response)) => {
            let at = Place::new("response");
            let name = &head_types[head_response.0].name;
            comparison.report(
                Level::WireBreaking,
                &at,
                format!("response body `{name}` added"),
                "callers built on the old contract expect an empty answer",
            );
            comparison.rust(
                Breaks::CallersAndImplementers,
                &at,
                format!(
                    "client method and server trait method `{}` return `{name}` instead of `()`",
                    head.rust_name
                ),
                "callers and implementers written for `()` stop compiling",
            );
        }
        (Some(base_response), None) => {
            let at = Place::new("response");
            let name = &base_types[base_response.0].name;
            comparison.report(
                Level::WireBreaking,
                &at,
                format!("response body `{name}` removed"),
                "callers that read the answer get nothing",
            );
            comparison.rust(
                Breaks::CallersAndImplementers,
                &at,
                format!(
                    "client method and server trait method `{}` return `()` instead of `{name}`",
                    head.rust_name
                ),
                "callers and implementers written for the body stop compiling",
            );
        }
        (None, None) => {}
    }
}

/// The required properties of an object type's schema.
fn required_properties(types: &[TypeDef], id: usize) -> Vec<String> {
    match types.get(id).map(|def| &def.schema) {
        Some(crate::ir::Schema::Rules(rules)) => rules.object.required.clone(),
        _ => Vec::new(),
    }
}
