//! Generated tests that call every operation through the generated client, against the
//! runtime's loopback stub server answering with the contract's own examples.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::type_expr::{field_ident, type_ident};
use super::value::raw_string;
use crate::ir::{client_type_names, Criticality, Operation, PathParam, ServiceIr, Shape, TypeExpr};

/// The test module, or `None` when no operation has the examples a call needs.
pub fn client_tests_module(service: &ServiceIr) -> Option<TokenStream> {
    let client = type_ident(&client_type_names(&service.name)[0]);
    let api = type_ident(&client_type_names(&service.name)[1]);
    let tests: Vec<TokenStream> = service
        .operations
        .iter()
        .filter_map(|operation| operation_test(service, operation, &client))
        .chain(
            service
                .operations
                .iter()
                .filter_map(|operation| fallback_test(service, operation, &client, &api)),
        )
        .collect();
    if tests.is_empty() {
        return None;
    }
    Some(quote! {
        use solo60_runtime::testing::StubServer;

        use crate::client::#client;
        use crate::operations;

        #(#tests)*
    })
}

/// The first example of a type, as a raw string literal of JSON text.
pub(super) fn example(service: &ServiceIr, id: crate::ir::TypeId) -> Option<TokenStream> {
    let text = service.types[id.0].examples.first().map(Value::to_string)?;
    Some(raw_string(&text))
}

fn operation_test(
    service: &ServiceIr,
    operation: &Operation,
    client: &proc_macro2::Ident,
) -> Option<TokenStream> {
    let test = format_ident!("{}_through_the_client", operation.rust_name);
    let method = field_ident(&operation.rust_name);
    let constant = format_ident!("{}", operation.rust_name.to_uppercase());
    let SampleInputs { setup, args, path } = sample_inputs(service, operation, "")?;
    let status = proc_macro2::Literal::u16_unsuffixed(operation.status);
    let method_name = operation.method.as_str();
    let (answer, check) = match operation.response {
        Some(id) => {
            let text = example(service, id)?;
            (
                quote!(const ANSWER: &str = #text;),
                quote! {
                    let expected: serde_json::Value = serde_json::from_str(ANSWER).expect("example JSON");
                    let answer = serde_json::to_value(answer).expect("serializable");
                    assert_eq!(answer, expected);
                },
            )
        }
        None => (
            quote!(
                const ANSWER: &str = "";
            ),
            quote!(),
        ),
    };
    let call = if operation.response.is_some() {
        quote!(let answer = client.#method(#(#args),*).await.expect("the stub's answer");)
    } else {
        quote!(client.#method(#(#args),*).await.expect("the stub's answer");)
    };
    let body_check = operation.request.map(|_| {
        quote! {
            let sent: serde_json::Value = serde_json::from_slice(&received.body).expect("a JSON body");
            let request = serde_json::to_value(request).expect("serializable");
            assert_eq!(sent, request);
        }
    });
    Some(quote! {
        #[tokio::test]
        async fn #test() {
            #answer
            let server = StubServer::start().await.expect("a stub server on 127.0.0.1");
            server.answer(&operations::#constant, #status, ANSWER);
            let client = #client::new(server.client_config()).expect("a client for the stub server");
            #setup
            #call
            #check
            let requests = server.requests();
            assert_eq!(requests.len(), 1, "one attempt");
            let received = &requests[0];
            assert_eq!(received.method, #method_name);
            assert_eq!(received.path, #path);
            assert!(received.header("x-api-key").is_some());
            assert!(received.header("x-correlation-id").is_some());
            #body_check
        }
    })
}

/// For a non-critical operation: `<op>_or` answers with the fallback on a 503 and returns
/// the error on a 404. `None` without the examples the call needs.
fn fallback_test(
    service: &ServiceIr,
    operation: &Operation,
    client: &proc_macro2::Ident,
    api: &proc_macro2::Ident,
) -> Option<TokenStream> {
    if operation.criticality != Criticality::NonCritical {
        return None;
    }
    let test = format_ident!("{}_falls_back_on_503_but_not_on_404", operation.rust_name);
    let or = format_ident!("{}_or", operation.rust_name);
    let constant = format_ident!("{}", operation.rust_name.to_uppercase());
    let SampleInputs { setup, args, .. } = sample_inputs(service, operation, "")?;
    let response = operation.response?;
    let response_type = type_ident(&service.types[response.0].name);
    let fallback = example(service, response)?;
    let unavailable = raw_string(
        r#"{"type":"about:blank","title":"Service Unavailable","status":503,"code":"SERVICE_UNAVAILABLE"}"#,
    );
    let not_found =
        raw_string(r#"{"type":"about:blank","title":"Not Found","status":404,"code":"NOT_FOUND"}"#);
    Some(quote! {
        #[tokio::test]
        async fn #test() {
            use crate::client::#api;

            let fallback: crate::#response_type = solo60_runtime::parse_slice(#fallback.as_bytes())
                .expect("the contract's response example is valid");
            let expected = serde_json::to_value(&fallback).expect("serializable");
            let server = StubServer::start().await.expect("a stub server on 127.0.0.1");
            let mut config = server.client_config();
            config.retry.max_attempts = 1;
            let client = #client::new(config).expect("a client for the stub server");
            #setup
            server.answer(&operations::#constant, 503, #unavailable);
            let answer = client.#or(#(#args,)* fallback.clone()).await.expect("the fallback");
            assert_eq!(serde_json::to_value(answer).expect("serializable"), expected);
            server.answer(&operations::#constant, 404, #not_found);
            let error = client.#or(#(#args,)* fallback).await.expect_err("a 404 is no outage");
            assert_eq!(error.kind, solo60_runtime::ErrorKind::NotFound);
            assert_eq!(server.requests().len(), 2, "one attempt each");
        }
    })
}

/// Sample arguments for calling `operation`: statements binding the query and request (from
/// the contract's examples), the argument expressions, and the path they produce.
pub(super) struct SampleInputs {
    pub setup: TokenStream,
    pub args: Vec<TokenStream>,
    pub path: String,
}

/// [`SampleInputs`] for `operation`; the bindings are named `<prefix>query` and
/// `<prefix>request`. `None` when an example a call needs is missing.
pub(super) fn sample_inputs(
    service: &ServiceIr,
    operation: &Operation,
    prefix: &str,
) -> Option<SampleInputs> {
    let mut setup = TokenStream::new();
    let mut args = Vec::new();
    let mut path = operation.path.clone();
    for param in &operation.path_params {
        let (expr, text) = sample_path_value(service, param)?;
        path = path.replace(&format!("{{{}}}", param.wire_name), &text);
        args.push(expr);
    }
    for (input, role) in [(operation.query, "query"), (operation.request, "request")] {
        let Some(id) = input else {
            continue;
        };
        let ty = type_ident(&service.types[id.0].name);
        let text = example(service, id)?;
        let ident = format_ident!("{prefix}{role}");
        let expectation = format!("the contract's {role} example is valid");
        setup.extend(quote! {
            let #ident: crate::#ty = solo60_runtime::parse_slice(#text.as_bytes()).expect(#expectation);
        });
        args.push(quote!(&#ident));
    }
    Some(SampleInputs { setup, args, path })
}

/// A Rust expression for a sample path parameter, and its text in the URL: the contract's
/// example where it gives one; else a fixed value of the type, unless the parameter is
/// constrained beyond its type (then a fixed value could break it, and `None` says so).
pub(super) fn sample_path_value(
    service: &ServiceIr,
    param: &PathParam,
) -> Option<(TokenStream, String)> {
    match (&param.ty, &param.example) {
        (TypeExpr::String, Some(Value::String(text))) => {
            return Some((quote!(#text), text.clone()));
        }
        (TypeExpr::Integer(_), Some(Value::Number(number))) => {
            let value = number.as_i64()?;
            let literal = proc_macro2::Literal::u64_unsuffixed(value.unsigned_abs());
            let expr = if value < 0 {
                quote!(-#literal)
            } else {
                quote!(#literal)
            };
            return Some((expr, value.to_string()));
        }
        _ if param.needs_check() => return None,
        _ => {}
    }
    Some(match &param.ty {
        TypeExpr::Uuid => {
            let text = "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
            (
                quote!(#text.parse::<solo60_runtime::Uuid>().expect("a uuid")),
                text.to_owned(),
            )
        }
        TypeExpr::String => (quote!("sample"), "sample".to_owned()),
        TypeExpr::Integer(_) => (quote!(7), "7".to_owned()),
        TypeExpr::Named(id) => match &service.types[id.0].shape {
            Shape::Enum(variants) => {
                let first = variants.first()?;
                let ty = type_ident(&service.types[id.0].name);
                let variant = type_ident(&first.name);
                (quote!(crate::#ty::#variant), first.wire_value.clone())
            }
            _ => return None,
        },
        _ => return None,
    })
}
