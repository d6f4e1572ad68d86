//! How code outside a service crate builds its structs: `new` with the required
//! properties, one `with_` setter per optional one.
//!
//! Generated structs are `#[non_exhaustive]`, so no other crate can write a struct
//! literal: adding an optional property to the contract then adds a field and a setter,
//! and every caller and implementer keeps compiling. Fields stay public for reading,
//! mutating and matching with `..`.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::doc_attrs;

/// What a struct's constructor does with one field.
pub enum Init {
    /// A parameter of `new`, of this type.
    Required(TokenStream),
    /// Absent until `with_<field>(value: T)` sets it; for a nullable property `T` is
    /// itself an `Option`, so `with_<field>(None)` sends an explicit `null`.
    Optional(TokenStream),
    /// Starts at the contract's default (`value`); `with_<field>` replaces it.
    Defaulted { ty: TokenStream, value: TokenStream },
}

/// One field of a struct, as its constructor and setter see it.
pub struct Member {
    pub ident: Ident,
    /// The Rust field name, for the setter's name.
    pub name: String,
    pub init: Init,
    pub deprecated: bool,
}

/// Lints that fire from more arguments than clippy's default limit of seven.
const MAX_ARGUMENTS: usize = 7;

/// The doc paragraph every generated struct carries about its `#[non_exhaustive]`, after a
/// blank line when the struct has docs of its own.
pub fn non_exhaustive_doc(after_docs: bool) -> TokenStream {
    let separator = after_docs.then(|| quote!(#[doc = ""]));
    let text = doc_attrs(Some(
        "Built with `new` and the `with_` setters: the struct is `#[non_exhaustive]`, so that \
         a property added to the contract does not break code that builds it.",
    ));
    quote!(#separator #text)
}

/// `impl <owner> { new, with_… }`, plus `Default` when `new` takes no arguments.
/// `additional` initializes the map of additional properties, when the struct has one.
pub fn constructors(
    owner: &Ident,
    members: &[Member],
    additional: Option<TokenStream>,
) -> TokenStream {
    let params: Vec<TokenStream> = members
        .iter()
        .filter_map(|member| match &member.init {
            Init::Required(ty) => {
                let ident = &member.ident;
                Some(quote!(#ident: #ty))
            }
            _ => None,
        })
        .collect();
    let inits = members.iter().map(|member| {
        let ident = &member.ident;
        match &member.init {
            Init::Required(_) => quote!(#ident,),
            Init::Optional(_) => quote!(#ident: None,),
            Init::Defaulted { value, .. } => quote!(#ident: #value,),
        }
    });
    let too_many =
        (params.len() > MAX_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let deprecated = members
        .iter()
        .any(|member| member.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let new_doc = doc_attrs(Some(&format!(
        "Builds `{owner}` from its required properties, in the order the contract lists \
         them. Optional properties start absent (or at their contract default); set them \
         with the `with_` methods."
    )));
    let mut taken = BTreeSet::new();
    let setters: Vec<TokenStream> = members
        .iter()
        .filter_map(|member| {
            let (ty, value) = match &member.init {
                Init::Required(_) => return None,
                Init::Optional(ty) => (ty, quote!(Some(value))),
                Init::Defaulted { ty, .. } => (ty, quote!(value)),
            };
            let setter = setter_name(&member.name, &mut taken);
            let ident = &member.ident;
            let doc = format!(" Sets `{}`.", member.name);
            let deprecated = member.deprecated.then(|| {
                quote! {
                    #[deprecated(note = "the contract marks this property deprecated")]
                    #[allow(deprecated)]
                }
            });
            Some(quote! {
                #[doc = #doc]
                #deprecated
                pub fn #setter(mut self, value: #ty) -> Self {
                    self.#ident = #value;
                    self
                }
            })
        })
        .collect();
    let default = params.is_empty().then(|| {
        quote! {
            impl Default for #owner {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        impl #owner {
            #new_doc
            #too_many
            #deprecated
            pub fn new(#(#params),*) -> Self {
                Self {
                    #(#inits)*
                    #additional
                }
            }

            #(#setters)*
        }

        #default
    }
}

/// `with_<field>`, without the `_` that de-keyworded names carry, unique in the type.
fn setter_name(field: &str, taken: &mut BTreeSet<String>) -> Ident {
    let mut name = format!("with_{}", field.trim_matches('_'));
    while !taken.insert(name.clone()) {
        name.push('_');
    }
    format_ident!("{}", name)
}
