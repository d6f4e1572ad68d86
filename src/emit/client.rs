//! The `client` module of a service crate: a typed client over the runtime's
//! `ServiceClient`, the trait both it and test doubles implement, and a mock.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::imports::{operation_type_imports, BulkItems};
use super::path_checks;
use super::type_expr::{field_ident, type_ident};
use crate::ir::types::IntegerWidth;
use crate::ir::{client_type_names, Criticality, Operation, ServiceIr, Shape, TypeExpr};

/// The client module's items.
pub fn client_module(service: &ServiceIr) -> TokenStream {
    let [client_name, api_name, mock_name] = client_type_names(&service.name);
    let client = type_ident(&client_name);
    let api = type_ident(&api_name);
    let mock = type_ident(&mock_name);
    let emitter = ClientEmitter { service };
    // One item per operation from each emitter method, in contract order.
    let each = |emit: &dyn Fn(&Operation) -> TokenStream| -> Vec<TokenStream> {
        service.operations.iter().map(emit).collect()
    };
    let methods = each(&|operation| emitter.method(operation));
    let bulk_methods = service
        .operations
        .iter()
        .filter_map(|operation| emitter.bulk_method(operation));
    let trait_methods = each(&|operation| emitter.trait_method(operation));
    let trait_impls = each(&|operation| emitter.trait_impl_method(operation, quote!(#client)));
    let mock_fields = each(&|operation| emitter.mock_field(operation));
    let handler_aliases = each(&|operation| emitter.handler_alias_item(operation));
    let mock_setters = each(&|operation| emitter.mock_setter(operation));
    let mock_impls = each(&|operation| emitter.mock_method(operation));
    let type_imports = operation_type_imports(service, quote!(crate), BulkItems::Counted);
    let encode = service
        .operations
        .iter()
        .any(|operation| !operation.path_params.is_empty())
        .then(|| {
            quote!(
                use solo60_runtime::client::encode_path_segment;
            )
        });
    let fallback = service
        .operations
        .iter()
        .any(|operation| operation.criticality == Criticality::NonCritical)
        .then(|| {
            quote!(
                use solo60_runtime::client::with_fallback;
            )
        });
    let not_implemented_message =
        format!("this implementation of `{api_name}` does not implement `{{operation}}`");
    let service_name = &service.name;
    let base_url_env = &service.base_url_env;
    let client_doc = doc_attrs(Some(&format!(
        "Typed client for the `{service_name}` service: one method per operation, each a\n\
         call through the runtime's resilient [`ServiceClient`] (auth headers, correlation\n\
         id, retries where the contract allows them, timeouts, circuit breaker)."
    )));
    let from_env_doc = doc_attrs(Some(&format!(
        "Reads the base URL from `{base_url_env}`, the key from `SERVICE_API_KEY` and this\n\
         service's name from `SERVICE_NAME`; a missing variable is named in the error."
    )));
    let api_doc = doc_attrs(Some(&format!(
        "The operations of the `{service_name}` service, implemented by [`{client_name}`]\n\
         and by [`{mock_name}`], so code that calls the service can be tested without a\n\
         network.\n\n\
         Every method is provided, answering an `Internal` error with code `NOT_IMPLEMENTED`:\n\
         a test double that implements only the operations it needs keeps compiling when the\n\
         contract gains one."
    )));
    let mock_doc = doc_attrs(Some(&format!(
        "A test double for the `{service_name}` service: answers each operation from a\n\
         handler you set, and records every call. An operation without a handler answers\n\
         with an `Internal` error naming it."
    )));
    quote! {
        use std::future::Future;
        use std::sync::{Arc, Mutex};

        use solo60_runtime::client::{Call, ClientConfig, ConfigError, ServiceClient};
        #encode
        #fallback
        use solo60_runtime::{AppError, ErrorKind};
        #type_imports

        use crate::operations;

        #client_doc
        #[derive(Debug, Clone)]
        pub struct #client {
            inner: ServiceClient,
        }

        impl #client {
            #from_env_doc
            pub fn from_env() -> Result<Self, ConfigError> {
                Self::new(ClientConfig::from_env(crate::BASE_URL_ENV)?)
            }

            /// A client with an explicit configuration.
            pub fn new(config: ClientConfig) -> Result<Self, ConfigError> {
                Ok(Self {
                    inner: ServiceClient::new(crate::SERVICE_NAME, config)?,
                })
            }

            /// The runtime client underneath, for its configuration.
            pub fn service_client(&self) -> &ServiceClient {
                &self.inner
            }

            #(#methods)*
            #(#bulk_methods)*
        }

        #api_doc
        pub trait #api: Send + Sync {
            #(#trait_methods)*
        }

        impl #api for #client {
            #(#trait_impls)*
        }

        #mock_doc
        #[derive(Clone, Default)]
        pub struct #mock {
            calls: Arc<Mutex<Vec<RecordedCall>>>,
            #(#mock_fields)*
        }

        /// One call received by a mock: the operation id and its inputs as JSON.
        #[derive(Debug, Clone, PartialEq)]
        pub struct RecordedCall {
            pub operation: &'static str,
            pub input: serde_json::Value,
        }

        impl #mock {
            pub fn new() -> Self {
                Self::default()
            }

            /// Every call received so far, in order.
            pub fn calls(&self) -> Vec<RecordedCall> {
                self.calls.lock().map(|calls| calls.clone()).unwrap_or_default()
            }

            /// The calls received for `operation` (its contract id, e.g. `"checkAccess"`), in
            /// order.
            pub fn calls_to(&self, operation: &str) -> Vec<RecordedCall> {
                self.calls()
                    .into_iter()
                    .filter(|call| call.operation == operation)
                    .collect()
            }

            fn record(&self, operation: &'static str, input: serde_json::Value) {
                if let Ok(mut calls) = self.calls.lock() {
                    calls.push(RecordedCall { operation, input });
                }
            }

            #(#mock_setters)*
        }

        impl std::fmt::Debug for #mock {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!(#mock)).field("calls", &self.calls()).finish_non_exhaustive()
            }
        }

        impl #api for #mock {
            #(#mock_impls)*
        }

        #(#handler_aliases)*

        /// What an operation a test double does not implement answers.
        fn not_implemented(operation: &str) -> AppError {
            AppError::new(
                ErrorKind::Internal,
                format!(#not_implemented_message),
            )
            .with_code("NOT_IMPLEMENTED")
        }

        fn unanswered(operation: &str) -> AppError {
            AppError::new(ErrorKind::Internal, format!("the mock has no answer for `{operation}`"))
        }
    }
}

pub(super) struct ClientEmitter<'a> {
    pub(super) service: &'a ServiceIr,
}

/// One parameter of a generated method.
pub(super) struct Param {
    pub(super) name: proc_macro2::Ident,
    pub(super) ty: TokenStream,
    /// An expression giving the parameter's JSON for a mock's record.
    pub(super) json: TokenStream,
}

impl ClientEmitter<'_> {
    fn type_name(&self, id: crate::ir::TypeId) -> proc_macro2::Ident {
        type_ident(&self.service.types[id.0].name)
    }

    pub(super) fn params(&self, operation: &Operation) -> Vec<Param> {
        let mut params = Vec::new();
        for param in &operation.path_params {
            let name = field_ident(&param.rust_name);
            let wire = &param.wire_name;
            let ty = match &param.ty {
                TypeExpr::String => quote!(&str),
                TypeExpr::Uuid => quote!(Uuid),
                TypeExpr::Integer(IntegerWidth::I32) => quote!(i32),
                TypeExpr::Integer(IntegerWidth::I64) => quote!(i64),
                TypeExpr::Integer(IntegerWidth::U64) => quote!(u64),
                TypeExpr::Named(id) => {
                    let named = self.type_name(*id);
                    quote!(#named)
                }
                _ => quote!(&str),
            };
            params.push(Param {
                json: quote!((#wire, serde_json::json!(#name))),
                name,
                ty,
            });
        }
        if let Some(id) = operation.query {
            let ty = self.type_name(id);
            params.push(Param {
                name: format_ident!("query"),
                ty: quote!(&#ty),
                json: quote!(("query", serde_json::to_value(query).unwrap_or_default())),
            });
        }
        if let Some(id) = operation.request {
            let ty = self.type_name(id);
            params.push(Param {
                name: format_ident!("request"),
                ty: quote!(&#ty),
                json: quote!(("request", serde_json::to_value(request).unwrap_or_default())),
            });
        }
        params
    }

    pub(super) fn response_type(&self, operation: &Operation) -> TokenStream {
        match operation.response {
            Some(id) => {
                let ty = self.type_name(id);
                quote!(#ty)
            }
            None => quote!(()),
        }
    }

    /// Statements binding `path`: each parameter percent-encoded, then put in place.
    fn path_statements(&self, operation: &Operation) -> TokenStream {
        if operation.path_params.is_empty() {
            let path = &operation.path;
            return quote!(let path = #path.to_owned(););
        }
        let encoded = operation.path_params.iter().map(|param| {
            let ident = field_ident(&param.rust_name);
            let text = match &param.ty {
                TypeExpr::String => quote!(#ident),
                TypeExpr::Named(id) if matches!(self.service.types[id.0].shape, Shape::Enum(_)) => {
                    quote!(#ident.as_str())
                }
                _ => quote!(&#ident.to_string()),
            };
            quote!(let #ident = encode_path_segment(#text);)
        });
        let mut template = String::new();
        for segment in operation.path.split('/').skip(1) {
            template.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    let rust_name = operation
                        .path_params
                        .iter()
                        .find(|param| param.wire_name == name)
                        .map_or(name, |param| param.rust_name.as_str());
                    template.push_str(&format!("{{{rust_name}}}"));
                }
                None => template.push_str(&segment.replace('{', "{{").replace('}', "}}")),
            }
        }
        quote! {
            #(#encoded)*
            let path = format!(#template);
        }
    }

    fn method(&self, operation: &Operation) -> TokenStream {
        let name = field_ident(&operation.rust_name);
        let params = self.params(operation);
        let signature = params
            .iter()
            .map(|Param { name, ty, .. }| quote!(#name: #ty));
        let response = self.response_type(operation);
        let docs = self.docs(operation);
        let constant = format_ident!("{}", operation.rust_name.to_uppercase());
        let path = self.path_statements(operation);
        let path_check = path_checks::check_ident(operation).map(|check| {
            let arguments = path_checks::checked_params(operation)
                .map(|param| path_checks::check_argument(param, path_checks::Binding::Borrowed));
            quote!(let path_check = operations::#check(#(#arguments),*);)
        });
        let checked = path_check
            .as_ref()
            .map(|_| quote!(.path_checked(path_check)));
        let query = operation.query.map(|_| quote!(.query_struct(query)?));
        let body = operation.request.map(|_| quote!(.body(request)));
        let send = if operation.response.is_some() {
            quote!(self.inner.call(call).await)
        } else {
            quote!(self.inner.call_no_content(call).await)
        };
        let deprecated = deprecated_attr(operation);
        quote! {
            #docs
            #deprecated
            pub async fn #name(&self, #(#signature),*) -> Result<#response, AppError> {
                #path_check
                #path
                let call = Call::new(&operations::#constant, path)#checked #query #body;
                #send
            }
        }
    }

    fn docs(&self, operation: &Operation) -> TokenStream {
        let mut text = format!(
            "{}\n\n`{} {}`",
            operation.summary,
            operation.method.as_str(),
            operation.path
        );
        if let Some(description) = &operation.description {
            text = format!("{text}\n\n{description}");
        }
        let retry = match operation.retry {
            crate::load::RetryPolicy::Safe => "Retried on transient failures: the contract marks it safe.",
            crate::load::RetryPolicy::Unsafe => "Never retried: a repeat could act twice.",
            crate::load::RetryPolicy::Keyed => {
                "Retried on transient failures with the same `Idempotency-Key`, generated once per call."
            }
        };
        text = format!("{text}\n\n{retry}");
        doc_attrs(Some(&text))
    }

    fn bulk_method(&self, operation: &Operation) -> Option<TokenStream> {
        let bulk = operation.bulk.as_ref()?;
        let request = self.type_name(operation.request?);
        let response = self.response_type(operation);
        let method = field_ident(&operation.rust_name);
        let chunked = format_ident!("{}_chunked", operation.rust_name);
        let field = field_ident(&bulk.field_name);
        let item = match &bulk.item {
            TypeExpr::Uuid => quote!(Uuid),
            TypeExpr::String => quote!(String),
            TypeExpr::Integer(_) => quote!(i64),
            TypeExpr::Named(id) => {
                let named = self.type_name(*id);
                quote!(#named)
            }
            _ => quote!(serde_json::Value),
        };
        let max = bulk.max_chunk as usize;
        let doc = doc_attrs(Some(&format!(
            "Calls `{}` once per chunk of at most {max} distinct `{}`, in order, and\n\
             returns the answers in the same order. Duplicates are sent once.",
            operation.id, bulk.wire_name
        )));
        let construct = quote!(#request { #field: chunk });
        let deprecated = deprecated_attr(operation).map(|attr| quote!(#attr #[allow(deprecated)]));
        Some(quote! {
            #doc
            #deprecated
            pub async fn #chunked(
                &self,
                #field: impl IntoIterator<Item = #item>,
            ) -> Result<Vec<#response>, AppError> {
                let mut answers = Vec::new();
                for chunk in solo60_runtime::client::dedup_chunks(#field, #max) {
                    let request = #construct;
                    answers.push(self.#method(&request).await?);
                }
                Ok(answers)
            }
        })
    }

    fn trait_method(&self, operation: &Operation) -> TokenStream {
        let name = field_ident(&operation.rust_name);
        let params = self.params(operation);
        let signature = params
            .iter()
            .map(|Param { name, ty, .. }| quote!(#name: #ty));
        let response = self.response_type(operation);
        let unused = params
            .iter()
            .map(|Param { name, .. }| quote!(let _ = #name;));
        let id = &operation.id;
        let doc = doc_attrs(Some(&operation.summary));
        let deprecated = deprecated_attr(operation);
        let fallbacks = self.fallback_methods(operation);
        quote! {
            #doc
            #deprecated
            fn #name(&self, #(#signature),*) -> impl Future<Output = Result<#response, AppError>> + Send {
                #(#unused)*
                std::future::ready(Err(not_implemented(#id)))
            }

            #fallbacks
        }
    }

    /// For a non-critical operation, `<op>_or` and `<op>_or_else`: provided trait methods,
    /// so the client and the mock both have them and code using them can be tested with
    /// the mock's canned errors.
    fn fallback_methods(&self, operation: &Operation) -> Option<TokenStream> {
        if operation.criticality != Criticality::NonCritical {
            return None;
        }
        let name = field_ident(&operation.rust_name);
        let or = format_ident!("{}_or", operation.rust_name);
        let or_else = format_ident!("{}_or_else", operation.rust_name);
        let params = self.params(operation);
        let signature: Vec<_> = params
            .iter()
            .map(|Param { name, ty, .. }| quote!(#name: #ty))
            .collect();
        let args: Vec<_> = params
            .iter()
            .map(|Param { name, .. }| quote!(#name))
            .collect();
        let response = self.response_type(operation);
        let constant = format_ident!("{}", operation.rust_name.to_uppercase());
        let when = format!(
            "when the `{}` service is unavailable, does not answer in time or its circuit is \
             open; any other error, a 4xx answer included, is returned as it is. A fallback used \
             is logged (`warn`) and counted in `solo60_client_fallbacks_total`.",
            self.service.name
        );
        let or_doc = doc_attrs(Some(&format!(
            "[`{0}`](Self::{0}), or `fallback` {when}",
            operation.rust_name
        )));
        let or_else_doc = doc_attrs(Some(&format!(
            "[`{0}`](Self::{0}), or what `fallback` makes of the error {when}",
            operation.rust_name
        )));
        // The fallbacks of a deprecated operation are deprecated too; calling it is their job.
        let deprecated = deprecated_attr(operation).map(|attr| quote!(#attr #[allow(deprecated)]));
        Some(quote! {
            #or_doc
            #deprecated
            fn #or(
                &self,
                #(#signature,)*
                fallback: #response,
            ) -> impl Future<Output = Result<#response, AppError>> + Send {
                with_fallback(
                    crate::SERVICE_NAME,
                    &operations::#constant,
                    self.#name(#(#args),*),
                    move |_| fallback,
                )
            }

            #or_else_doc
            #deprecated
            fn #or_else(
                &self,
                #(#signature,)*
                fallback: impl FnOnce(&AppError) -> #response + Send,
            ) -> impl Future<Output = Result<#response, AppError>> + Send {
                with_fallback(
                    crate::SERVICE_NAME,
                    &operations::#constant,
                    self.#name(#(#args),*),
                    fallback,
                )
            }
        })
    }

    fn trait_impl_method(&self, operation: &Operation, client: TokenStream) -> TokenStream {
        let name = field_ident(&operation.rust_name);
        let params = self.params(operation);
        let signature = params
            .iter()
            .map(|Param { name, ty, .. }| quote!(#name: #ty));
        let args = params.iter().map(|Param { name, .. }| quote!(#name));
        let response = self.response_type(operation);
        // Forwarding to the deprecated inherent method is this impl's job, not a use.
        let allow = operation
            .deprecation
            .is_some()
            .then(|| quote!(#[allow(deprecated)]));
        quote! {
            #allow
            fn #name(&self, #(#signature),*) -> impl Future<Output = Result<#response, AppError>> + Send {
                #client::#name(self, #(#args),*)
            }
        }
    }
}

/// `#[deprecated]` with the contract's timeline, for a deprecated operation's methods.
fn deprecated_attr(operation: &Operation) -> Option<TokenStream> {
    let deprecation = operation.deprecation.as_ref()?;
    // `since` holds a crate version for rustc and clippy, so the date goes in the note.
    let mut note = format!("deprecated since {}", deprecation.since);
    note = match deprecation.sunset {
        Some(sunset) => format!("{note}; may be removed after {sunset}"),
        None => format!("{note}; no removal date yet"),
    };
    if let Some(replacement) = &deprecation.replacement {
        note = format!(
            "{note}; use `{}` instead",
            crate::ir::naming::field_name(replacement)
        );
    }
    if let Some(extra) = &deprecation.note {
        note = format!("{note}. {extra}");
    }
    Some(quote!(#[deprecated(note = #note)]))
}
