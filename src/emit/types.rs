//! Named types: structs, enums and wrappers with their serde attributes and `Validate`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::constructors::{constructors, non_exhaustive_doc, Init, Member};
use super::docs::doc_attrs;
use super::type_expr::{field_ident, type_ident, Boxing, Imports, TypeRenderer};
use super::validate::ValidationEmitter;
use super::value::number_literal;
use crate::ir::types::{EnumVariant, Field, StructShape, TaggedShape, UntaggedVariant};
use crate::ir::{Presence, Schema, Shape, TypeDef, TypeExpr, TypeId};

pub struct TypeEmitter<'a> {
    pub types: &'a [TypeDef],
    pub boxing: &'a Boxing,
    pub imports: &'a Imports,
    /// Types that need `collect_evaluated` (see [`super::evaluated`]).
    pub collected: &'a BTreeSet<TypeId>,
}

impl TypeEmitter<'_> {
    /// The item(s) for one named type: its definition, helpers and `Validate` impl.
    pub fn emit(&self, id: TypeId) -> TokenStream {
        let def = &self.types[id.0];
        let name = type_ident(&def.name);
        let docs = doc_attrs(def.doc.as_deref());
        let definition = match &def.shape {
            Shape::Struct(shape) => self.struct_item(id, &docs, shape),
            Shape::Enum(variants) => enum_item(&def.name, &docs, variants),
            Shape::Tagged(shape) => self.tagged_item(id, &docs, shape),
            Shape::Untagged(variants) => self.untagged_item(id, &docs, variants),
            Shape::Newtype(expr) => {
                let inner = self.renderer().render(id, expr);
                quote! {
                    #docs
                    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                    #[serde(transparent)]
                    pub struct #name(pub #inner);
                }
            }
        };
        let emitter = ValidationEmitter { types: self.types };
        let validation = emitter.check(&def.schema);
        let (value, at, errors) = if validation.is_empty() {
            (quote!(_value), quote!(_at), quote!(_errors))
        } else {
            (quote!(value), quote!(at), quote!(errors))
        };
        let collector = self.collected.contains(&id).then(|| {
            let body = emitter.collector(&def.schema);
            let (value, evaluated) = if body.is_empty() {
                (quote!(_value), quote!(_evaluated))
            } else {
                (quote!(value), quote!(evaluated))
            };
            quote! {
                impl #name {
                    /// Records the properties and items this schema evaluates in `value`,
                    /// for the `unevaluated*` keywords of schemas that reference it.
                    fn collect_evaluated<'v>(#value: &'v Value, #evaluated: &mut Evaluated<'v>) {
                        #body
                    }
                }
            }
        });
        quote! {
            #definition

            #collector

            impl Validate for #name {
                fn validate_value(#value: &Value, #at: &Path<'_>, #errors: &mut ValidationErrors) {
                    #validation
                }
            }
        }
    }

    fn renderer(&self) -> TypeRenderer<'_> {
        TypeRenderer {
            types: self.types,
            boxing: self.boxing,
            imports: self.imports,
        }
    }

    fn struct_item(&self, id: TypeId, docs: &TokenStream, shape: &StructShape) -> TokenStream {
        let def = &self.types[id.0];
        let name = type_ident(&def.name);
        let mut defaults = Defaults::default();
        let (mut fields, members): (Vec<TokenStream>, Vec<Member>) = shape
            .fields
            .iter()
            .map(|field| self.member(id, None, field, Visibility::Public, &mut defaults))
            .unzip();
        let additional_init = shape
            .additional
            .as_ref()
            .map(|_| quote!(additional_properties: BTreeMap::new(),));
        if let Some(additional) = &shape.additional {
            let value = self.renderer().render(id, additional);
            self.imports.record("BTreeMap");
            fields.push(quote! {
                /// Properties beyond those listed, which the schema allows (`additionalProperties`, `patternProperties`).
                #[serde(flatten)]
                pub additional_properties: BTreeMap<String, #value>,
            });
        }
        let defaults = defaults.into_impl(&name);
        let struct_doc = non_exhaustive_doc(!docs.is_empty());
        let Some(object_name) = &shape.object_name else {
            let constructors = constructors(&name, &members, additional_init);
            return quote! {
                #docs
                #struct_doc
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[non_exhaustive]
                pub struct #name {
                    #(#fields)*
                }

                #constructors

                #defaults
            };
        };
        let object = type_ident(object_name);
        let constructors = constructors(&object, &members, additional_init);
        let object_non_exhaustive_doc = non_exhaustive_doc(true);
        let object_docs = doc_attrs(Some(&format!("The object form of [`{}`].", def.name)));
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            pub enum #name {
                /// An object, with the properties the schema describes.
                Object(#object),
                /// Any other JSON value: the schema only constrains objects.
                Other(Value),
            }

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = Value::deserialize(deserializer)?;
                    if value.is_object() {
                        #object::deserialize(value)
                            .map(#name::Object)
                            .map_err(serde::de::Error::custom)
                    } else {
                        Ok(#name::Other(value))
                    }
                }
            }

            #object_docs
            #object_non_exhaustive_doc
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[non_exhaustive]
            pub struct #object {
                #(#fields)*
            }

            #constructors

            #defaults
        }
    }

    /// One field; `variant` names the enum variant holding it, if any.
    fn field(
        &self,
        owner: TypeId,
        variant: Option<&str>,
        field: &Field,
        visibility: Visibility,
        defaults: &mut Defaults,
    ) -> TokenStream {
        self.member(owner, variant, field, visibility, defaults).0
    }

    /// One field's declaration, and what its constructor and setter need to know.
    fn member(
        &self,
        owner: TypeId,
        variant: Option<&str>,
        field: &Field,
        visibility: Visibility,
        defaults: &mut Defaults,
    ) -> (TokenStream, Member) {
        let docs = doc_attrs(field.doc.as_deref());
        let ident = field_ident(&field.name);
        let wire = &field.wire_name;
        let rename = (field.name != *wire).then(|| quote!(rename = #wire,));
        let pub_token = match visibility {
            Visibility::Public => quote!(pub),
            Visibility::Inherited => quote!(),
        };
        let (ty, serde, init) = match (&field.presence, &field.ty) {
            (Presence::Required, ty) => {
                let ty = self.renderer().render(owner, ty);
                (ty.clone(), quote!(), Init::Required(ty))
            }
            (Presence::Optional, TypeExpr::Nullable(inner)) => {
                let inner = self.renderer().render(owner, inner);
                (
                    quote!(Option<Option<#inner>>),
                    quote!(
                        default,
                        deserialize_with = "solo60_runtime::nullable::deserialize",
                        skip_serializing_if = "Option::is_none",
                    ),
                    Init::Optional(quote!(Option<#inner>)),
                )
            }
            (Presence::Optional, ty) => {
                let ty = self.renderer().render(owner, ty);
                (
                    quote!(Option<#ty>),
                    quote!(default, skip_serializing_if = "Option::is_none",),
                    Init::Optional(ty),
                )
            }
            (Presence::Defaulted(default), ty) => {
                let rendered = self.renderer().render(owner, ty);
                // An associated function of the owner: unique by construction, where a
                // module-level name built from type and field names could collide.
                let function = match variant {
                    Some(variant) => format!(
                        "default_{}_{}",
                        crate::ir::naming::field_name(variant),
                        field.name.trim_end_matches('_')
                    ),
                    None => format!("default_{}", field.name.trim_end_matches('_')),
                };
                let value = self.default_expr(ty, default);
                let function = defaults.add(&function, &rendered, value);
                let path = format!("{}::{function}", self.types[owner.0].name);
                let owner_ident = type_ident(&self.types[owner.0].name);
                let function = format_ident!("{}", function);
                (
                    rendered.clone(),
                    quote!(default = #path,),
                    Init::Defaulted {
                        ty: rendered,
                        value: quote!(#owner_ident::#function()),
                    },
                )
            }
        };
        let attribute = if rename.is_none() && serde.is_empty() {
            quote!()
        } else {
            quote!(#[serde(#rename #serde)])
        };
        let deprecated = field
            .deprecated
            .then(|| quote!(#[deprecated(note = "the contract marks this property deprecated")]));
        let declaration = quote! {
            #docs
            #deprecated
            #attribute
            #pub_token #ident: #ty,
        };
        let member = Member {
            ident,
            name: field.name.clone(),
            init,
            deprecated: field.deprecated,
        };
        (declaration, member)
    }

    /// A Rust expression for a default that lowering found to fit the field's type.
    fn default_expr(&self, ty: &TypeExpr, default: &Value) -> TokenStream {
        match (ty, default) {
            (TypeExpr::Bool, Value::Bool(b)) => quote!(#b),
            (TypeExpr::Integer(_), Value::Number(n)) => number_literal(n),
            (TypeExpr::Float, Value::Number(n)) => {
                super::value::float_literal(n.as_f64().unwrap_or(0.0))
            }
            (TypeExpr::String, Value::String(s)) => quote!(#s.to_owned()),
            (TypeExpr::Named(id), Value::String(s)) => {
                let def = &self.types[id.0];
                let name = type_ident(&def.name);
                match &def.shape {
                    Shape::Enum(variants) => {
                        match variants.iter().find(|variant| &variant.wire_value == s) {
                            Some(variant) => {
                                let variant = type_ident(&variant.name);
                                quote!(#name::#variant)
                            }
                            None => quote!(Default::default()),
                        }
                    }
                    _ => quote!(Default::default()),
                }
            }
            _ => quote!(Default::default()),
        }
    }

    fn tagged_item(&self, id: TypeId, docs: &TokenStream, shape: &TaggedShape) -> TokenStream {
        let def = &self.types[id.0];
        let name = type_ident(&def.name);
        let tag = &shape.tag;
        let mut defaults = Defaults::default();
        let variants: Vec<TokenStream> = shape
            .variants
            .iter()
            .map(|variant| {
                let variant_name = type_ident(&variant.name);
                let tag_value = &variant.tag_value;
                let variant_docs = doc_attrs(variant.doc.as_deref());
                let fields = variant.fields.iter().map(|field| {
                    self.field(
                        id,
                        Some(&variant.name),
                        field,
                        Visibility::Inherited,
                        &mut defaults,
                    )
                });
                quote! {
                    #variant_docs
                    #[serde(rename = #tag_value)]
                    #variant_name {
                        #(#fields)*
                    },
                }
            })
            .collect();
        let names: Vec<&str> = shape.variants.iter().map(|v| v.name.as_str()).collect();
        let allows = enum_allows(&def.name, &names, true);
        let defaults = defaults.into_impl(&name);
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[serde(tag = #tag)]
            #allows
            pub enum #name {
                #(#variants)*
            }

            #defaults
        }
    }

    fn untagged_item(
        &self,
        id: TypeId,
        docs: &TokenStream,
        variants: &[UntaggedVariant],
    ) -> TokenStream {
        let def = &self.types[id.0];
        let name = type_ident(&def.name);
        let rendered = variants.iter().map(|variant| {
            let variant_name = type_ident(&variant.name);
            let ty = self.renderer().render(id, &variant.ty);
            quote!(#variant_name(#ty),)
        });
        let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
        let allows = enum_allows(&def.name, &names, true);
        let branches = match &def.schema {
            Schema::Rules(rules) if !rules.one_of.is_empty() => rules.one_of.as_slice(),
            Schema::Rules(rules) => rules.any_of.as_slice(),
            _ => &[],
        };
        if branches.len() != variants.len() {
            return quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[serde(untagged)]
                #allows
                pub enum #name {
                    #(#rendered)*
                }
            };
        }
        let validation = ValidationEmitter { types: self.types };
        let attempts: Vec<TokenStream> = variants
            .iter()
            .zip(branches)
            .map(|(variant, branch)| {
                let variant = type_ident(&variant.name);
                let valid = validation.is_valid(branch);
                quote! {
                    let matched = #valid;
                    if matched {
                        return Deserialize::deserialize(value)
                            .map(#name::#variant)
                            .map_err(serde::de::Error::custom);
                    }
                }
            })
            .collect();
        let root = attempts
            .iter()
            .any(|attempt| super::validate::mentions(attempt, "at"))
            .then(|| quote!(let at = &Path::Root;));
        let message = format!("the value matches none of `{}`'s variants", def.name);
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            #allows
            pub enum #name {
                #(#rendered)*
            }

            /// Binds the variant whose schema the value satisfies, as validation decided;
            /// serde's untagged matching would take the first variant that happens to fit.
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = &Value::deserialize(deserializer)?;
                    #root
                    #(#attempts)*
                    Err(serde::de::Error::custom(#message))
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Visibility {
    Public,
    /// Enum variant fields take the enum's visibility.
    Inherited,
}

fn enum_item(type_name: &str, docs: &TokenStream, variants: &[EnumVariant]) -> TokenStream {
    let name = type_ident(type_name);
    let definitions = variants.iter().map(|variant| {
        let ident = type_ident(&variant.name);
        let wire = &variant.wire_value;
        quote! {
            #[serde(rename = #wire)]
            #ident,
        }
    });
    let arms = variants.iter().map(|variant| {
        let ident = type_ident(&variant.name);
        let wire = &variant.wire_value;
        quote!(#name::#ident => #wire,)
    });
    let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
    let allows = enum_allows(type_name, &names, false);
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #allows
        pub enum #name {
            #(#definitions)*
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// Lints that wire-driven names can trip: variants sharing a word (`EmailSent`,
/// `SmsSent`), or unions whose variants differ greatly in size (boxing them would make
/// every caller pay for an allocation the wire format does not need).
fn enum_allows(type_name: &str, variants: &[&str], is_union: bool) -> TokenStream {
    let mut lints = Vec::new();
    if shares_word(type_name, variants) {
        lints.push(quote!(clippy::enum_variant_names));
    }
    if is_union {
        lints.push(quote!(clippy::large_enum_variant));
    }
    if lints.is_empty() {
        quote!()
    } else {
        quote!(#[allow(#(#lints),*)])
    }
}

/// Whether clippy's `enum_variant_names` would fire: all variants start or end with the
/// same word, or one contains the enum's own name.
fn shares_word(type_name: &str, variants: &[&str]) -> bool {
    let words = |name: &str| -> Vec<String> {
        let mut words = Vec::new();
        let mut current = String::new();
        for c in name.chars() {
            if c.is_uppercase() && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
        if !current.is_empty() {
            words.push(current);
        }
        words
    };
    if variants
        .iter()
        .any(|variant| variant.starts_with(type_name) || variant.ends_with(type_name))
    {
        return true;
    }
    if variants.len() < 2 {
        return false;
    }
    let split: Vec<Vec<String>> = variants.iter().map(|v| words(v)).collect();
    let all_share = |pick: fn(&Vec<String>) -> Option<&String>| {
        let first = pick(&split[0]);
        first.is_some() && split.iter().all(|w| w.len() > 1 && pick(w) == first)
    };
    all_share(|w| w.first()) || all_share(|w| w.last())
}

/// The default-value functions of one type's fields, as associated functions of the type:
/// names unique within the type by construction, where module-level names made of type and
/// field names could collide.
#[derive(Default)]
struct Defaults {
    functions: TokenStream,
    names: crate::ir::naming::NameTable,
}

impl Defaults {
    /// Adds `fn <base>() -> <ty> { <value> }` under a free name, and returns the name.
    fn add(&mut self, base: &str, ty: &TokenStream, value: TokenStream) -> String {
        let name = self.names.claim(base, "");
        let ident = format_ident!("{}", name);
        self.functions.extend(quote! {
            fn #ident() -> #ty {
                #value
            }
        });
        name
    }

    fn into_impl(self, owner: &proc_macro2::Ident) -> TokenStream {
        if self.functions.is_empty() {
            return TokenStream::new();
        }
        let functions = self.functions;
        quote! {
            impl #owner {
                #functions
            }
        }
    }
}
