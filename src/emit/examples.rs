//! Tests that every schema example parses, validates and round-trips unchanged.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::type_expr::type_ident;
use crate::ir::naming::field_name;
use crate::ir::TypeDef;

/// A test module body, or `None` when no type has examples.
pub fn examples_module(types: &[TypeDef]) -> Option<TokenStream> {
    let tests: Vec<TokenStream> = types
        .iter()
        .filter(|def| !def.examples.is_empty())
        .map(|def| {
            let name = type_ident(&def.name);
            let test = format_ident!("{}_examples_round_trip", field_name(&def.name));
            let examples = def.examples.iter().map(|example| example.to_string());
            quote! {
                #[test]
                fn #test() {
                    assert_round_trip::<#name>(&[#(#examples),*]);
                }
            }
        })
        .collect();
    if tests.is_empty() {
        return None;
    }
    Some(quote! {
        use solo60_runtime::examples::assert_round_trip;

        use super::types::*;

        #(#tests)*
    })
}
