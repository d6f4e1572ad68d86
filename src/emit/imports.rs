//! The `use` lines a client, server or scaffold module needs for the contract types its
//! operations name.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::type_expr::type_ident;
use crate::ir::{ServiceIr, TypeExpr};

/// Whether the chunked bulk methods (client only) count as users of their item type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkItems {
    Counted,
    Ignored,
}

/// `use solo60_runtime::Uuid;` and `use <krate>::{…};` for every type the operations name.
pub fn operation_type_imports(
    service: &ServiceIr,
    krate: TokenStream,
    bulk: BulkItems,
) -> TokenStream {
    let mut names = BTreeSet::new();
    let mut uses_uuid = false;
    for operation in &service.operations {
        for id in [operation.query, operation.request, operation.response]
            .into_iter()
            .flatten()
        {
            names.insert(service.types[id.0].name.clone());
        }
        for param in &operation.path_params {
            match &param.ty {
                TypeExpr::Named(id) => {
                    names.insert(service.types[id.0].name.clone());
                }
                TypeExpr::Uuid => uses_uuid = true,
                _ => {}
            }
        }
        if let (Some(item), BulkItems::Counted) =
            (operation.bulk.as_ref().map(|bulk| &bulk.item), bulk)
        {
            uses_uuid |= *item == TypeExpr::Uuid;
        }
    }
    let uuid = uses_uuid.then(|| {
        quote!(
            use solo60_runtime::Uuid;
        )
    });
    let types = (!names.is_empty()).then(|| {
        let names = names.iter().map(|name| type_ident(name));
        quote!(use #krate::{#(#names),*};)
    });
    quote! {
        #uuid
        #types
    }
}
