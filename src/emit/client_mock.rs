//! The mock half of a service crate's `client` module: the handler type of each
//! operation, the mock's fields and `on_<operation>` setters, and its implementation of the
//! client trait, which records every call and answers from the handler set.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::{ClientEmitter, Param};
use super::type_expr::field_ident;
use crate::ir::Operation;

impl ClientEmitter<'_> {
    pub(super) fn handler_type(&self, operation: &Operation) -> TokenStream {
        let params = self.params(operation);
        let types = params.iter().map(|Param { ty, .. }| ty);
        let response = self.response_type(operation);
        quote!(Box<dyn Fn(#(#types),*) -> Result<#response, AppError> + Send + Sync>)
    }

    /// The name of an operation's mock handler type, e.g. `CheckAccessHandler`.
    pub(super) fn handler_alias(&self, operation: &Operation) -> proc_macro2::Ident {
        format_ident!("{}Handler", crate::ir::naming::type_name(&operation.id))
    }

    pub(super) fn handler_alias_item(&self, operation: &Operation) -> TokenStream {
        let alias = self.handler_alias(operation);
        let handler = self.handler_type(operation);
        let doc = format!(" What a mock answers `{}` with.", operation.id);
        quote! {
            #[doc = #doc]
            pub type #alias = #handler;
        }
    }

    pub(super) fn mock_field(&self, operation: &Operation) -> TokenStream {
        let name = field_ident(&operation.rust_name);
        let alias = self.handler_alias(operation);
        quote!(#name: Arc<Mutex<Option<#alias>>>,)
    }

    pub(super) fn mock_setter(&self, operation: &Operation) -> TokenStream {
        let field = field_ident(&operation.rust_name);
        let setter = format_ident!("on_{}", operation.rust_name);
        let params = self.params(operation);
        let types = params.iter().map(|Param { ty, .. }| ty);
        let response = self.response_type(operation);
        let doc = format!(" Answers `{}` with `handler`.", operation.id);
        quote! {
            #[doc = #doc]
            pub fn #setter(
                &self,
                handler: impl Fn(#(#types),*) -> Result<#response, AppError> + Send + Sync + 'static,
            ) -> &Self {
                if let Ok(mut slot) = self.#field.lock() {
                    *slot = Some(Box::new(handler));
                }
                self
            }
        }
    }

    pub(super) fn mock_method(&self, operation: &Operation) -> TokenStream {
        let name = field_ident(&operation.rust_name);
        let params = self.params(operation);
        let signature = params
            .iter()
            .map(|Param { name, ty, .. }| quote!(#name: #ty));
        let args: Vec<_> = params
            .iter()
            .map(|Param { name, .. }| quote!(#name))
            .collect();
        let json = params.iter().map(|Param { json, .. }| json);
        let response = self.response_type(operation);
        let id = &operation.id;
        let input = if params.is_empty() {
            quote!(serde_json::Map::new())
        } else {
            quote!([#(#json),*].into_iter().map(|(key, value)| (key.to_owned(), value)).collect())
        };
        quote! {
            fn #name(&self, #(#signature),*) -> impl Future<Output = Result<#response, AppError>> + Send {
                let input: serde_json::Map<String, serde_json::Value> = #input;
                self.record(#id, serde_json::Value::Object(input));
                let answer = match self.#name.lock() {
                    Ok(handler) => match handler.as_ref() {
                        Some(handler) => handler(#(#args),*),
                        None => Err(unanswered(#id)),
                    },
                    Err(_) => Err(unanswered(#id)),
                };
                std::future::ready(answer)
            }
        }
    }
}
