//! Checks of path parameters against their contract: one function per operation whose
//! parameters say more than their Rust types (a `pattern`, a length, a bound), in the
//! `operations` module. The generated router runs it after parsing the parameters and the
//! generated client before sending them, so what the OpenAPI document and the TypeScript
//! client promise holds on both sides, with the same 422 problem as a body.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::type_expr::{field_ident, type_ident};
use super::validate::ValidationEmitter;
use super::{runtime_uses, VALIDATION_NAMES};
use crate::ir::types::IntegerWidth;
use crate::ir::{Operation, PathParam, ServiceIr, Shape, TypeExpr};

/// The name of `operation`'s check, e.g. `check_get_payment_by_receipt_path`; `None` when
/// its parameters need none.
pub fn check_ident(operation: &Operation) -> Option<Ident> {
    operation
        .path_params
        .iter()
        .any(PathParam::needs_check)
        .then(|| format_ident!("check_{}_path", operation.rust_name))
}

/// The parameters `operation`'s check takes, in path order.
pub fn checked_params(operation: &Operation) -> impl Iterator<Item = &PathParam> {
    operation
        .path_params
        .iter()
        .filter(|param| param.needs_check())
}

/// The argument expression passing `param`, bound under its Rust name, to its check: a
/// `String` is lent, everything else is `Copy`.
pub fn check_argument(param: &PathParam, binding: Binding) -> TokenStream {
    let ident = field_ident(&param.rust_name);
    match (&param.ty, binding) {
        (TypeExpr::String, Binding::Owned) => quote!(&#ident),
        _ => quote!(#ident),
    }
}

/// How the caller of a check holds a string parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// `String`, as the router parses it.
    Owned,
    /// `&str`, as the client takes it.
    Borrowed,
}

/// The check functions of every operation that needs one, and the `use` lines they need.
#[derive(Default)]
pub struct PathChecks {
    pub uses: TokenStream,
    pub functions: TokenStream,
}

/// [`PathChecks`] for `service`; both empty when no operation needs a check.
pub fn path_checks(service: &ServiceIr) -> PathChecks {
    let functions: Vec<TokenStream> = service
        .operations
        .iter()
        .filter_map(|operation| check_function(service, operation))
        .collect();
    if functions.is_empty() {
        return PathChecks::default();
    }
    let body: TokenStream = functions.iter().cloned().collect();
    let used = runtime_uses(&body);
    let named = named_types(service, &body);
    let validation = VALIDATION_NAMES
        .iter()
        // `Validate` is only needed to call a named type's `validate_value`.
        .filter(|name| used.contains(**name) && (**name != "Validate" || !named.is_empty()))
        .map(|name| format_ident!("{}", name));
    let formats = used.contains("formats").then(|| {
        quote!(
            use solo60_runtime::formats;
        )
    });
    let named = (!named.is_empty()).then(|| quote!(use super::{#(#named),*};));
    let uuid = service
        .operations
        .iter()
        .flat_map(checked_params)
        .any(|param| param.ty == TypeExpr::Uuid)
        .then(|| {
            quote!(
                use solo60_runtime::Uuid;
            )
        });
    PathChecks {
        uses: quote! {
            use serde_json::Value;
            #formats
            #uuid
            use solo60_runtime::validation::{#(#validation),*};
            #named
        },
        functions: body,
    }
}

fn check_function(service: &ServiceIr, operation: &Operation) -> Option<TokenStream> {
    let name = check_ident(operation)?;
    let emitter = ValidationEmitter {
        types: &service.types,
    };
    let mut inputs = Vec::new();
    let mut checks = Vec::new();
    for param in checked_params(operation) {
        let ident = field_ident(&param.rust_name);
        let wire = &param.wire_name;
        let (ty, value) = match &param.ty {
            TypeExpr::String => (quote!(&str), quote!(Value::from(#ident))),
            TypeExpr::Uuid => (quote!(Uuid), quote!(Value::from(#ident.to_string()))),
            TypeExpr::Integer(width) => {
                let ty = match width {
                    IntegerWidth::I32 => quote!(i32),
                    IntegerWidth::I64 => quote!(i64),
                    IntegerWidth::U64 => quote!(u64),
                };
                (ty, quote!(Value::from(#ident)))
            }
            TypeExpr::Named(id) => {
                let named = type_ident(&service.types[id.0].name);
                let value = match service.types[id.0].shape {
                    Shape::Enum(_) => quote!(Value::from(#ident.as_str())),
                    _ => quote!(serde_json::to_value(#ident).unwrap_or(Value::Null)),
                };
                (quote!(#named), value)
            }
            // Lowering admits no other parameter type.
            _ => continue,
        };
        inputs.push(quote!(#ident: #ty));
        let check = emitter.check(&param.residual_schema());
        checks.push(quote! {
            {
                let value = &#value;
                let at = &Path::Root.key(#wire);
                #check
            }
        });
    }
    let docs = doc_attrs(Some(&format!(
        "The path parameters of `{}` against the rest of their contract (parsing checked \
         their types): every violation, each at `/<parameter>`, as the 422 lists them.",
        operation.id
    )));
    Some(quote! {
        #docs
        pub fn #name(#(#inputs),*) -> Result<(), ValidationErrors> {
            let mut violations = ValidationErrors::new();
            let errors = &mut violations;
            #(#checks)*
            violations.into_result()
        }
    })
}

/// The service's type names that `tokens` mentions as `Name::…` (a `$ref` inside a
/// parameter's schema calls that type's validation).
fn named_types(service: &ServiceIr, tokens: &TokenStream) -> Vec<Ident> {
    let mut names = std::collections::BTreeSet::new();
    let mut stack = vec![tokens.clone()];
    while let Some(stream) = stack.pop() {
        for tree in stream {
            match tree {
                TokenTree::Ident(ident) => {
                    let text = ident.to_string();
                    if service.types.iter().any(|def| def.name == text) {
                        names.insert(text);
                    }
                }
                TokenTree::Group(group) => stack.push(group.stream()),
                _ => {}
            }
        }
    }
    names.iter().map(|name| type_ident(name)).collect()
}
