//! The `server` module of a service crate: the trait a service implements and the axum
//! router that serves it. Handlers are thin: extract, validate, call the trait, render.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::imports::{operation_type_imports, BulkItems};
use super::path_checks;
use super::type_expr::{field_ident, type_ident};
use crate::ir::types::IntegerWidth;
use crate::ir::{Operation, ServiceIr, TypeExpr};
use crate::load::HttpMethod;

/// The trait's name for a service, e.g. `SubscriptionService`.
pub fn service_trait_name(service: &str) -> String {
    format!("{}Service", crate::ir::naming::type_name(service))
}

pub fn server_module(service: &ServiceIr) -> TokenStream {
    let trait_name = type_ident(&service_trait_name(&service.name));
    let emitter = ServerEmitter { service };
    let trait_methods = service
        .operations
        .iter()
        .map(|operation| emitter.trait_method(operation));
    let handlers = service
        .operations
        .iter()
        .map(|operation| emitter.handler(operation, &trait_name));
    let routes = emitter.routes();
    let method_imports = emitter.method_imports();
    let status_import = service
        .operations
        .iter()
        .any(|operation| operation.response.is_none() || operation.status != 200)
        .then(|| {
            quote!(
                use solo60_runtime::server::axum::http::StatusCode;
            )
        });
    let type_imports = emitter.type_imports_from(quote!(crate));
    let service_name = &service.name;
    let trait_doc = doc_attrs(Some(&format!(
        "What the `{service_name}` service implements: one method per operation. The\n\
         generated [`router`] authenticates the caller, validates every input against the\n\
         contract and renders errors as problem+json before and after calling it."
    )));
    quote! {
        use std::future::Future;
        use std::sync::Arc;

        use solo60_runtime::server::axum::extract::State;
        #status_import
        use solo60_runtime::server::axum::routing::{#(#method_imports),*};
        use solo60_runtime::server::axum::{Json, Router};
        use solo60_runtime::server::{
            serve_layers, RequestContext, ServerConfig, ServiceAuth, ValidJson, ValidPath, ValidQuery,
        };
        use solo60_runtime::AppError;
        #type_imports

        use crate::operations;

        #trait_doc
        pub trait #trait_name: Send + Sync + 'static {
            #(#trait_methods)*
        }

        /// The service's routes under `/internal`, behind service authentication, with the
        /// default limits (see [`ServerConfig`]).
        pub fn router<S: #trait_name>(service: S, auth: ServiceAuth) -> Router {
            router_with_config(service, auth, ServerConfig::default())
        }

        /// [`router`] with explicit limits.
        pub fn router_with_config<S: #trait_name>(service: S, auth: ServiceAuth, config: ServerConfig) -> Router {
            let routes = Router::new()
                #routes
                .with_state(Arc::new(service));
            serve_layers(routes, operations::ALL, auth, config)
        }

        #(#handlers)*
    }
}

pub(crate) struct ServerEmitter<'a> {
    pub service: &'a ServiceIr,
}

impl ServerEmitter<'_> {
    fn type_name(&self, id: crate::ir::TypeId) -> proc_macro2::Ident {
        type_ident(&self.service.types[id.0].name)
    }

    /// `use <krate>::{…}` for every contract type the operations name.
    pub(crate) fn type_imports_from(&self, krate: TokenStream) -> TokenStream {
        operation_type_imports(self.service, krate, BulkItems::Ignored)
    }

    fn param_type(&self, ty: &TypeExpr) -> TokenStream {
        match ty {
            TypeExpr::Uuid => quote!(Uuid),
            TypeExpr::Integer(IntegerWidth::I32) => quote!(i32),
            TypeExpr::Integer(IntegerWidth::I64) => quote!(i64),
            TypeExpr::Integer(IntegerWidth::U64) => quote!(u64),
            TypeExpr::Named(id) => {
                let name = self.type_name(*id);
                quote!(#name)
            }
            _ => quote!(String),
        }
    }

    /// `(name, type)` of each input the trait method takes, after the context.
    pub(crate) fn inputs(&self, operation: &Operation) -> Vec<(proc_macro2::Ident, TokenStream)> {
        let mut inputs: Vec<_> = operation
            .path_params
            .iter()
            .map(|param| (field_ident(&param.rust_name), self.param_type(&param.ty)))
            .collect();
        if let Some(id) = operation.query {
            let ty = self.type_name(id);
            inputs.push((format_ident!("query"), quote!(#ty)));
        }
        if let Some(id) = operation.request {
            let ty = self.type_name(id);
            inputs.push((format_ident!("request"), quote!(#ty)));
        }
        inputs
    }

    pub(crate) fn response_type(&self, operation: &Operation) -> TokenStream {
        match operation.response {
            Some(id) => {
                let ty = self.type_name(id);
                quote!(#ty)
            }
            None => quote!(()),
        }
    }

    fn trait_method(&self, operation: &Operation) -> TokenStream {
        let name = field_ident(&operation.rust_name);
        let inputs = self
            .inputs(operation)
            .into_iter()
            .map(|(name, ty)| quote!(#name: #ty));
        let response = self.response_type(operation);
        let docs = doc_attrs(Some(&format!(
            "{}\n\n`{} {}`",
            operation.summary,
            operation.method.as_str(),
            operation.path
        )));
        quote! {
            #docs
            fn #name(
                &self,
                context: RequestContext,
                #(#inputs),*
            ) -> impl Future<Output = Result<#response, AppError>> + Send;
        }
    }

    /// `.route(path, get(a).post(b))`, one per distinct path, in contract order.
    /// Operations grouped by path, in contract order: one axum route each.
    fn paths(&self) -> Vec<Vec<&Operation>> {
        let mut paths: Vec<Vec<&Operation>> = Vec::new();
        for operation in &self.service.operations {
            match paths
                .iter_mut()
                .find(|group| group[0].path == operation.path)
            {
                Some(group) => group.push(operation),
                None => paths.push(vec![operation]),
            }
        }
        paths
    }

    /// The `axum::routing` functions the routes start with (later methods on the same path
    /// are `MethodRouter` methods and need no import).
    fn method_imports(&self) -> Vec<proc_macro2::Ident> {
        let mut used: Vec<&str> = self
            .paths()
            .iter()
            .map(|group| routing_function(group[0].method))
            .collect();
        used.sort_unstable();
        used.dedup();
        used.into_iter()
            .map(|name| format_ident!("{}", name))
            .collect()
    }

    /// `.route(operations::X.path, get(a).post(b))`, one per distinct path.
    fn routes(&self) -> TokenStream {
        self.paths()
            .iter()
            .map(|group| {
                let constant = format_ident!("{}", group[0].rust_name.to_uppercase());
                let methods = group.iter().map(|operation| {
                    let method = format_ident!("{}", routing_function(operation.method));
                    let handler = field_ident(&operation.rust_name);
                    quote!(#method(#handler::<S>))
                });
                quote!(.route(operations::#constant.path, #(#methods).*))
            })
            .collect()
    }

    fn handler(&self, operation: &Operation, trait_name: &proc_macro2::Ident) -> TokenStream {
        let name = field_ident(&operation.rust_name);
        let mut extractors = vec![
            quote!(State(service): State<Arc<S>>),
            quote!(context: RequestContext),
        ];
        let mut args = vec![quote!(context)];
        match operation.path_params.as_slice() {
            [] => {}
            [single] => {
                let ident = field_ident(&single.rust_name);
                let ty = self.param_type(&single.ty);
                extractors.push(quote!(ValidPath(#ident): ValidPath<#ty>));
                args.push(quote!(#ident));
            }
            many => {
                let idents: Vec<_> = many.iter().map(|p| field_ident(&p.rust_name)).collect();
                let types = many.iter().map(|p| self.param_type(&p.ty));
                extractors.push(quote!(ValidPath((#(#idents),*)): ValidPath<(#(#types),*)>));
                args.extend(idents.iter().map(|ident| quote!(#ident)));
            }
        }
        if let Some(id) = operation.query {
            let ty = self.type_name(id);
            extractors.push(quote!(ValidQuery(query): ValidQuery<#ty>));
            args.push(quote!(query));
        }
        if let Some(id) = operation.request {
            let ty = self.type_name(id);
            extractors.push(quote!(ValidJson(request): ValidJson<#ty>));
            args.push(quote!(request));
        }
        // Parsing checked each parameter's type; the rest of its schema is checked here,
        // before the handler runs, and breaks it as a body would: 422, every violation.
        let path_check = path_checks::check_ident(operation).map(|check| {
            let arguments = path_checks::checked_params(operation)
                .map(|param| path_checks::check_argument(param, path_checks::Binding::Owned));
            quote!(operations::#check(#(#arguments),*).map_err(AppError::validation)?;)
        });
        let call = quote!(service.#name(#(#args),*).await?);
        let status = operation.status;
        let (output, render) = match (operation.response, status) {
            (Some(id), 200) => {
                let ty = self.type_name(id);
                (quote!(Json<#ty>), quote!(Ok(Json(#call))))
            }
            (Some(id), _) => {
                let ty = self.type_name(id);
                let status = status_constant(status);
                (
                    quote!((StatusCode, Json<#ty>)),
                    quote!(Ok((#status, Json(#call)))),
                )
            }
            (None, _) => {
                let status = status_constant(status);
                (quote!(StatusCode), quote!({ #call; Ok(#status) }))
            }
        };
        let doc = format!(
            " `{} {}`: {}",
            operation.method.as_str(),
            operation.path,
            operation.summary
        );
        quote! {
            #[doc = #doc]
            async fn #name<S: #trait_name>(#(#extractors),*) -> Result<#output, AppError> {
                #path_check
                #render
            }
        }
    }
}

fn routing_function(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Put => "put",
        HttpMethod::Patch => "patch",
        HttpMethod::Delete => "delete",
    }
}

/// `StatusCode::CREATED` and friends, or `from_u16` for the rare others.
fn status_constant(status: u16) -> TokenStream {
    let named = match status {
        200 => Some("OK"),
        201 => Some("CREATED"),
        202 => Some("ACCEPTED"),
        204 => Some("NO_CONTENT"),
        _ => None,
    };
    match named {
        Some(name) => {
            let ident = format_ident!("{}", name);
            quote!(StatusCode::#ident)
        }
        None => quote!(StatusCode::from_u16(#status).unwrap_or(StatusCode::OK)),
    }
}
