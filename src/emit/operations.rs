//! The `operations` module: one constant describing each operation of a service.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use crate::ir::{Operation, ServiceIr};
use crate::load::{HttpMethod, RetryPolicy};

pub fn operations_module(service: &ServiceIr) -> TokenStream {
    let constants = service.operations.iter().map(operation_constant);
    let names = service
        .operations
        .iter()
        .map(|operation| format_ident!("{}", operation.rust_name.to_uppercase()));
    let deprecation = service
        .operations
        .iter()
        .any(|operation| operation.deprecation.is_some())
        .then(|| quote!(Deprecation,));
    let checks = super::path_checks::path_checks(service);
    let check_uses = checks.uses;
    let check_functions = checks.functions;
    quote! {
        #check_uses
        use solo60_runtime::contract::{#deprecation Method, OperationInfo, RetryPolicy};

        #(#constants)*

        /// Every operation of the service, in contract order.
        pub const ALL: &[OperationInfo] = &[#(#names),*];

        #check_functions
    }
}

fn operation_constant(operation: &Operation) -> TokenStream {
    let name = format_ident!("{}", operation.rust_name.to_uppercase());
    let mut doc = operation.summary.clone();
    if let Some(description) = &operation.description {
        doc = format!("{doc}\n\n{description}");
    }
    let docs = doc_attrs(Some(&doc));
    let id = &operation.id;
    let path = &operation.path;
    let status = operation.status;
    let summary = &operation.summary;
    let callers = &operation.callers;
    let deprecation = deprecation_value(operation);
    let method = match operation.method {
        HttpMethod::Get => quote!(Method::Get),
        HttpMethod::Post => quote!(Method::Post),
        HttpMethod::Put => quote!(Method::Put),
        HttpMethod::Patch => quote!(Method::Patch),
        HttpMethod::Delete => quote!(Method::Delete),
    };
    let retry = match operation.retry {
        RetryPolicy::Safe => quote!(RetryPolicy::Safe),
        RetryPolicy::Unsafe => quote!(RetryPolicy::Unsafe),
        RetryPolicy::Keyed => quote!(RetryPolicy::Keyed),
    };
    quote! {
        #docs
        pub const #name: OperationInfo = OperationInfo {
            id: #id,
            method: #method,
            path: #path,
            success_status: #status,
            retry: #retry,
            summary: #summary,
            callers: &[#(#callers),*],
            deprecation: #deprecation,
        };
    }
}

/// The deprecation as the server's headers state it, worked out once, here.
fn deprecation_value(operation: &Operation) -> TokenStream {
    let Some(deprecation) = &operation.deprecation else {
        return quote!(None);
    };
    let deprecated_at = format!("@{}", deprecation.since.unix_seconds());
    let sunset = option(deprecation.sunset.map(|sunset| sunset.http_date()));
    let replacement = option(deprecation.replacement.clone());
    quote! {
        Some(Deprecation {
            deprecated_at: #deprecated_at,
            sunset: #sunset,
            replacement: #replacement,
        })
    }
}

fn option(text: Option<String>) -> TokenStream {
    match text {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}
