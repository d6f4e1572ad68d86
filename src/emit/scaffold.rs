//! `solo60-gen scaffold`: a starting implementation of a service's generated trait, every
//! method answering "not implemented", for the service's authors to fill in.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::server::{service_trait_name, ServerEmitter};
use super::type_expr::{field_ident, type_ident};
use crate::ir::ServiceIr;

/// The scaffold file's items.
pub fn scaffold_module(service: &ServiceIr) -> TokenStream {
    let trait_name = type_ident(&service_trait_name(&service.name));
    let implementation = format_ident!("{}Impl", trait_name);
    let krate = format_ident!(
        "{}",
        crate::crate_files::crate_name(&service.name).replace('-', "_")
    );
    let emitter = ServerEmitter { service };
    let imports = emitter.type_imports_from(quote!(#krate));
    let methods = service.operations.iter().map(|operation| {
        let name = field_ident(&operation.rust_name);
        let inputs = emitter.inputs(operation).into_iter().map(|(name, ty)| {
            let unused = format_ident!("_{}", name);
            quote!(#unused: #ty)
        });
        let response = emitter.response_type(operation);
        let message = format!("`{}` is not implemented yet", operation.id);
        let doc = format!(" {}", operation.summary);
        quote! {
            #[doc = #doc]
            async fn #name(&self, _context: RequestContext, #(#inputs),*) -> Result<#response, AppError> {
                Err(AppError::new(ErrorKind::Internal, #message).with_code("NOT_IMPLEMENTED"))
            }
        }
    });
    let doc = super::docs::doc_attrs(Some(&format!(
        "The `{}` service. Written once by `solo60-gen scaffold {}`: edit it freely, it is\n\
         never regenerated.",
        service.name, service.name
    )));
    quote! {
        use solo60_runtime::server::RequestContext;
        use solo60_runtime::{AppError, ErrorKind};
        use #krate::server::#trait_name;
        #imports

        #doc
        #[derive(Debug, Clone, Default)]
        pub struct #implementation;

        impl #trait_name for #implementation {
            #(#methods)*
        }
    }
}
