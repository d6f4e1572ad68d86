//! Rust type expressions, and where recursion needs a `Box`.

use std::cell::RefCell;
use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Shape, TypeDef, TypeExpr, TypeId};

/// Which named types must be boxed when held by value inside which others.
pub struct Boxing {
    /// `reaches[a]` holds every type that `a` contains by value, directly or not.
    reaches: Vec<Vec<bool>>,
}

impl Boxing {
    pub fn new(types: &[TypeDef]) -> Self {
        let direct: Vec<Vec<TypeId>> = types
            .iter()
            .map(|ty| {
                let mut found = Vec::new();
                for expr in shape_exprs(&ty.shape) {
                    by_value_named(expr, &mut found);
                }
                found
            })
            .collect();
        let reaches = (0..types.len())
            .map(|start| {
                let mut seen = vec![false; types.len()];
                let mut stack: Vec<TypeId> = direct[start].clone();
                while let Some(next) = stack.pop() {
                    if !seen[next.0] {
                        seen[next.0] = true;
                        stack.extend(direct[next.0].iter().copied());
                    }
                }
                seen
            })
            .collect();
        Self { reaches }
    }

    /// Whether `inner`, held by value in `owner`, makes `owner` infinitely large.
    pub fn needs_box(&self, owner: TypeId, inner: TypeId) -> bool {
        inner == owner || self.reaches[inner.0].get(owner.0).copied().unwrap_or(false)
    }
}

fn shape_exprs(shape: &Shape) -> Vec<&TypeExpr> {
    match shape {
        Shape::Struct(shape) => shape.fields.iter().map(|field| &field.ty).collect(),
        Shape::Tagged(shape) => shape
            .variants
            .iter()
            .flat_map(|variant| variant.fields.iter().map(|field| &field.ty))
            .collect(),
        Shape::Untagged(variants) => variants.iter().map(|variant| &variant.ty).collect(),
        Shape::Newtype(expr) => vec![expr],
        Shape::Enum(_) => Vec::new(),
    }
}

fn by_value_named(expr: &TypeExpr, found: &mut Vec<TypeId>) {
    match expr {
        TypeExpr::Named(id) => found.push(*id),
        TypeExpr::Nullable(inner) => by_value_named(inner, found),
        _ => {}
    }
}

/// The `use` lines emitted types need, recorded as they are rendered.
#[derive(Debug, Default)]
pub struct Imports {
    names: RefCell<BTreeSet<&'static str>>,
}

impl Imports {
    /// The names recorded, once emission is over.
    pub fn into_names(self) -> BTreeSet<&'static str> {
        self.names.into_inner()
    }

    pub fn record(&self, name: &'static str) {
        self.names.borrow_mut().insert(name);
    }
}

/// Renders type expressions for the fields of one owning type.
pub struct TypeRenderer<'a> {
    pub types: &'a [TypeDef],
    pub boxing: &'a Boxing,
    pub imports: &'a Imports,
}

impl TypeRenderer<'_> {
    pub fn render(&self, owner: TypeId, expr: &TypeExpr) -> TokenStream {
        match expr {
            TypeExpr::Any => quote!(Value),
            TypeExpr::Bool => quote!(bool),
            TypeExpr::Integer(crate::ir::types::IntegerWidth::I32) => quote!(i32),
            TypeExpr::Integer(crate::ir::types::IntegerWidth::I64) => quote!(i64),
            TypeExpr::Integer(crate::ir::types::IntegerWidth::U64) => quote!(u64),
            TypeExpr::Float => quote!(f64),
            TypeExpr::String => quote!(String),
            TypeExpr::Uuid => {
                self.imports.record("Uuid");
                quote!(Uuid)
            }
            TypeExpr::Array(item) => {
                let item = self.render_indirect(item);
                quote!(Vec<#item>)
            }
            TypeExpr::Map(value) => {
                if **value == TypeExpr::Any {
                    quote!(serde_json::Map<String, Value>)
                } else {
                    let value = self.render_indirect(value);
                    self.imports.record("BTreeMap");
                    quote!(BTreeMap<String, #value>)
                }
            }
            TypeExpr::Named(id) => {
                let name = type_ident(&self.types[id.0].name);
                if self.boxing.needs_box(owner, *id) {
                    quote!(Box<#name>)
                } else {
                    quote!(#name)
                }
            }
            TypeExpr::Nullable(inner) => {
                let inner = self.render(owner, inner);
                quote!(Option<#inner>)
            }
        }
    }

    /// Inside a `Vec` or map, recursion is already behind a pointer.
    fn render_indirect(&self, expr: &TypeExpr) -> TokenStream {
        match expr {
            TypeExpr::Named(id) => {
                let name = type_ident(&self.types[id.0].name);
                quote!(#name)
            }
            TypeExpr::Nullable(inner) => {
                let inner = self.render_indirect(inner);
                quote!(Option<#inner>)
            }
            TypeExpr::Array(item) => {
                let item = self.render_indirect(item);
                quote!(Vec<#item>)
            }
            other => self.render(TypeId(usize::MAX), other),
        }
    }
}

pub fn type_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A field or method identifier; raw identifiers are never needed since names are
/// de-keyworded during lowering.
pub fn field_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}
