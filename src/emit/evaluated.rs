//! `unevaluatedProperties` and `unevaluatedItems`: code that records what the schemas
//! applied in place have evaluated, then checks the rest.
//!
//! Emitted collectors work on `value: &Value` and `evaluated: &mut Evaluated<'_>`, and run
//! only for schemas `value` satisfies, which is how JSON Schema drops the annotations of
//! failing subschemas. A `$ref` hands over to the target's `collect_evaluated`, emitted
//! only for the types some `unevaluated*` keyword can reach.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::type_expr::type_ident;
use super::validate::{mentions, ValidationEmitter};
use super::value::raw_string;
use crate::ir::schema::{ArrayRules, ObjectRules};
use crate::ir::{Rules, Schema, TypeDef, TypeId};

impl ValidationEmitter<'_> {
    /// Checks of `unevaluatedProperties` / `unevaluatedItems` of `rules`, if it has them.
    pub(super) fn unevaluated(&self, rules: &Rules) -> TokenStream {
        let mut rest = rules.clone();
        let properties = rest.object.unevaluated.take();
        let items = rest.array.unevaluated.take();
        if properties.is_none() && items.is_none() {
            return quote!();
        }
        let collect = self.collect_rules(&rest);
        let mut out = TokenStream::new();
        if let Some(schema) = properties {
            let check = match &schema {
                Schema::Nothing => quote! {
                    errors.push(at, "unevaluatedProperties", format!("property `{name}` is not allowed"));
                },
                other => self.check(other),
            };
            if !check.is_empty() {
                let entries = if mentions(&check, "value") {
                    quote!((name, value) in object)
                } else {
                    quote!(name in object.keys())
                };
                out.extend(quote! {
                    if let Value::Object(object) = value {
                        let evaluated = &mut Evaluated::new();
                        #collect
                        for #entries {
                            if !evaluated.has_property(name) {
                                let at = &at.key(name);
                                #check
                            }
                        }
                    }
                });
            }
        }
        if let Some(schema) = items {
            let check = match &schema {
                Schema::Nothing => quote! {
                    errors.push(at, "unevaluatedItems", format!("item {index} is not allowed"));
                },
                other => self.check(other),
            };
            if !check.is_empty() {
                out.extend(quote! {
                    if let Value::Array(items) = value {
                        let evaluated = &mut Evaluated::new();
                        #collect
                        for (index, value) in items.iter().enumerate() {
                            if !evaluated.has_item(index) {
                                let at = &at.index(index);
                                #check
                            }
                        }
                    }
                });
            }
        }
        out
    }

    /// The body of a type's `collect_evaluated`.
    pub(super) fn collector(&self, schema: &Schema) -> TokenStream {
        let collect = match schema {
            Schema::Rules(rules) => self.collect_rules(rules),
            Schema::Any | Schema::Nothing => quote!(),
        };
        if mentions(&collect, "at") {
            // Branch checks report into scratch lists nobody reads; any path will do.
            quote! {
                let at = &Path::Root;
                #collect
            }
        } else {
            collect
        }
    }

    /// Statements recording what `schema` evaluates of `value`.
    fn collect(&self, schema: &Schema) -> TokenStream {
        match schema {
            Schema::Rules(rules) => self.collect_rules(rules),
            Schema::Any | Schema::Nothing => quote!(),
        }
    }

    fn collect_rules(&self, rules: &Rules) -> TokenStream {
        let mut out = TokenStream::new();
        if let Some(id) = rules.reference {
            let name = type_ident(&self.types[id.0].name);
            out.extend(quote!(#name::collect_evaluated(value, evaluated);));
        }
        out.extend(self.collect_object(&rules.object));
        out.extend(self.collect_array(&rules.array));
        for branch in &rules.all_of {
            out.extend(self.collect(branch));
        }
        for branch in rules.any_of.iter().chain(&rules.one_of) {
            let collect = self.collect(branch);
            if !collect.is_empty() {
                let valid = self.is_valid(branch);
                out.extend(quote!(if #valid { #collect }));
            }
        }
        if let Some(condition) = &rules.condition {
            let then = std::iter::once(&condition.test)
                .chain(condition.then.iter())
                .map(|schema| self.collect(schema))
                .collect::<TokenStream>();
            let otherwise = condition
                .otherwise
                .as_ref()
                .map(|schema| self.collect(schema))
                .unwrap_or_default();
            if !then.is_empty() || !otherwise.is_empty() {
                let test = self.is_valid(&condition.test);
                out.extend(quote!(if #test { #then } else { #otherwise }));
            }
        }
        out
    }

    fn collect_object(&self, rules: &ObjectRules) -> TokenStream {
        let mut body = TokenStream::new();
        if rules.additional.is_some() || rules.unevaluated.is_some() {
            body.extend(quote!(evaluated.every_property();));
        } else {
            let known: Vec<&String> = rules.properties.iter().map(|(name, _)| name).collect();
            let mut matchers = Vec::new();
            if !known.is_empty() {
                matchers.push(quote!(matches!(name.as_str(), #(#known)|*)));
            }
            for (index, (pattern, _)) in rules.pattern_properties.iter().enumerate() {
                let static_name = format_ident!("PATTERN_{}", index);
                let literal = raw_string(&pattern.regex);
                body.extend(quote!(static #static_name: Pattern = Pattern::new(#literal);));
                matchers.push(quote!(#static_name.is_match(name)));
            }
            if !matchers.is_empty() {
                body.extend(quote! {
                    for name in object.keys() {
                        if #(#matchers)||* {
                            evaluated.property(name);
                        }
                    }
                });
            }
            for (name, schema) in &rules.dependent_schemas {
                let collect = self.collect(schema);
                if !collect.is_empty() {
                    body.extend(quote!(if object.contains_key(#name) { #collect }));
                }
            }
        }
        if body.is_empty() {
            return body;
        }
        quote! {
            if let Value::Object(object) = value {
                #body
            }
        }
    }

    fn collect_array(&self, rules: &ArrayRules) -> TokenStream {
        let mut body = TokenStream::new();
        if rules.items.is_some() || rules.unevaluated.is_some() {
            body.extend(quote!(evaluated.every_item();));
        } else {
            if !rules.prefix_items.is_empty() {
                let end = rules.prefix_items.len();
                body.extend(quote!(evaluated.items_before(#end);));
            }
            if let Some(contains) = &rules.contains {
                let valid = self.is_valid(contains);
                body.extend(quote! {
                    for (index, value) in items.iter().enumerate() {
                        if #valid {
                            evaluated.item(index);
                        }
                    }
                });
            }
        }
        if body.is_empty() {
            return body;
        }
        quote! {
            if let Value::Array(items) = value {
                #body
            }
        }
    }
}

/// The types whose `collect_evaluated` some `unevaluated*` keyword calls, directly or
/// through other `$ref`s applied in place.
pub fn collected_types(types: &[TypeDef]) -> BTreeSet<TypeId> {
    let mut found = BTreeSet::new();
    let mut roots = Vec::new();
    for def in types {
        schemas_with_unevaluated(&def.schema, &mut roots);
    }
    let mut stack: Vec<TypeId> = Vec::new();
    for rules in roots {
        let mut rest = rules.clone();
        rest.object.unevaluated = None;
        rest.array.unevaluated = None;
        in_place_references(&Schema::Rules(Box::new(rest)), &mut stack);
    }
    while let Some(id) = stack.pop() {
        if found.insert(id) {
            in_place_references(&types[id.0].schema, &mut stack);
        }
    }
    found
}

/// Every schema object under `schema` (itself included) with an `unevaluated*` keyword.
fn schemas_with_unevaluated<'s>(schema: &'s Schema, found: &mut Vec<&'s Rules>) {
    let Schema::Rules(rules) = schema else {
        return;
    };
    if rules.object.unevaluated.is_some() || rules.array.unevaluated.is_some() {
        found.push(rules);
    }
    for child in rules.subschemas() {
        schemas_with_unevaluated(child, found);
    }
}

/// Types `$ref`ed by `schema` or by the subschemas it applies to the same instance.
fn in_place_references(schema: &Schema, found: &mut Vec<TypeId>) {
    let Schema::Rules(rules) = schema else {
        return;
    };
    found.extend(rules.reference);
    for child in rules.in_place_subschemas() {
        in_place_references(child, found);
    }
}
