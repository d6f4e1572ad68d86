//! Validation code: a [`Schema`] becomes straight-line checks over a `serde_json::Value`.
//!
//! Emitted code always works on three bindings: `value: &Value`, `at: &Path` and
//! `errors: &mut ValidationErrors`. Descending into a property or item shadows `value`
//! and `at`; trying a branch (`anyOf`, `not`, …) shadows `errors` with a scratch list.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use super::found_properties::FoundProperties;
use super::type_expr::type_ident;
use super::validate_scalars::{
    const_check, count, enum_check, number_checks, plural, plural_y, string_checks, type_check,
};
use super::value::raw_string;
use crate::ir::schema::{ArrayRules, ObjectRules, PatternRule};
use crate::ir::{Rules, Schema, TypeDef};

pub struct ValidationEmitter<'a> {
    pub types: &'a [TypeDef],
}

impl ValidationEmitter<'_> {
    /// Statements checking `value` against `schema`.
    pub fn check(&self, schema: &Schema) -> TokenStream {
        match schema {
            Schema::Any => quote!(),
            Schema::Nothing => quote! {
                errors.push(at, "false", "no value is allowed here");
            },
            Schema::Rules(rules) => self.rules(rules),
        }
    }

    /// An expression: does `value` satisfy `schema`?
    pub fn is_valid(&self, schema: &Schema) -> TokenStream {
        match schema {
            Schema::Any => quote!(true),
            Schema::Nothing => quote!(false),
            Schema::Rules(rules) => {
                if let (Some(id), true) = (rules.reference, is_reference_only(rules)) {
                    let name = type_ident(&self.types[id.0].name);
                    return quote!(solo60_runtime::validation::is_valid::<#name>(value));
                }
                let check = self.rules(rules);
                quote! {{
                    let errors = &mut ValidationErrors::new();
                    #check
                    errors.is_empty()
                }}
            }
        }
    }

    fn rules(&self, rules: &Rules) -> TokenStream {
        let mut out = TokenStream::new();
        if let Some(types) = &rules.types {
            out.extend(type_check(types));
        }
        if let Some(id) = rules.reference {
            let name = type_ident(&self.types[id.0].name);
            out.extend(quote!(#name::validate_value(value, at, errors);));
        }
        if let Some(values) = &rules.enumeration {
            out.extend(enum_check(values, rules.types.as_deref()));
        }
        if let Some(constant) = &rules.constant {
            out.extend(const_check(constant));
        }
        if !rules.string.is_empty() {
            out.extend(string_checks(&rules.string));
        }
        if !rules.number.is_empty() {
            out.extend(number_checks(&rules.number));
        }
        if !rules.array.is_empty() {
            out.extend(self.array_checks(&rules.array));
        }
        if !rules.object.is_empty() {
            out.extend(self.object_checks(&rules.object));
        }
        for branch in &rules.all_of {
            let check = self.check(branch);
            if !check.is_empty() {
                out.extend(quote!({ #check }));
            }
        }
        // A branch that admits everything makes the whole `anyOf` hold.
        let any_of_holds = rules
            .any_of
            .iter()
            .any(|branch| self.is_valid(branch).to_string() == "true");
        if !rules.any_of.is_empty() && !any_of_holds {
            let branches = rules.any_of.iter().map(|branch| self.is_valid(branch));
            out.extend(quote! {
                let any_matched = #(#branches)||*;
                if !any_matched {
                    errors.push(at, "anyOf", "must match at least one of the allowed schemas");
                }
            });
        }
        if !rules.one_of.is_empty() {
            out.extend(self.one_of(rules));
        }
        if let Some(not) = &rules.not {
            let valid = self.is_valid(not);
            out.extend(quote! {
                let excluded = #valid;
                if excluded {
                    errors.push(at, "not", "must not match the excluded schema");
                }
            });
        }
        if let Some(condition) = &rules.condition {
            let test = self.is_valid(&condition.test);
            let then = condition
                .then
                .as_ref()
                .map(|schema| self.check(schema))
                .unwrap_or_default();
            let otherwise = condition
                .otherwise
                .as_ref()
                .map(|schema| self.check(schema))
                .unwrap_or_default();
            out.extend(match (then.is_empty(), otherwise.is_empty()) {
                (true, true) => quote!(),
                (false, true) => {
                    let guarded = guarded(quote!(condition_holds), then);
                    quote!(let condition_holds = #test; #guarded)
                }
                (true, false) => {
                    let guarded = guarded(quote!(!condition_holds), otherwise);
                    quote!(let condition_holds = #test; #guarded)
                }
                (false, false) => {
                    let otherwise = if is_single_if(&otherwise) {
                        otherwise
                    } else {
                        quote!({ #otherwise })
                    };
                    quote! {
                        let condition_holds = #test;
                        if condition_holds { #then } else #otherwise
                    }
                }
            });
        }
        // Last: it reads what everything above evaluated.
        out.extend(self.unevaluated(rules));
        out
    }

    fn one_of(&self, rules: &Rules) -> TokenStream {
        if let Some(discriminator) = &rules.discriminator {
            let property = &discriminator.property;
            let arms = discriminator.branches.iter().map(|(tag, index)| {
                let check = self.check(&rules.one_of[*index]);
                quote!(Some(#tag) => { #check })
            });
            let expected = discriminator
                .branches
                .iter()
                .map(|(tag, _)| format!("{tag:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            let message = format!("property `{property}` must be one of {expected}");
            return quote! {
                match value.get(#property).and_then(Value::as_str) {
                    #(#arms)*
                    _ => errors.push(at, "oneOf", #message),
                }
            };
        }
        let branches = rules.one_of.iter().map(|branch| {
            let valid = self.is_valid(branch);
            quote!(usize::from(#valid))
        });
        quote! {
            let matched = #(#branches)+*;
            if matched != 1 {
                errors.push(
                    at,
                    "oneOf",
                    format!("must match exactly one of the allowed schemas, matched {matched}"),
                );
            }
        }
    }

    fn array_checks(&self, rules: &ArrayRules) -> TokenStream {
        let mut body = TokenStream::new();
        if let Some(min) = rules.min_items.filter(|min| *min > 0) {
            let message = format!("must have at least {min} item{}", plural(min));
            body.extend(if min == 1 {
                quote!(if items.is_empty() { errors.push(at, "minItems", #message); })
            } else {
                let min = count(min);
                quote!(if items.len() < #min { errors.push(at, "minItems", #message); })
            });
        }
        if let Some(max) = rules.max_items {
            let message = format!("must have at most {max} item{}", plural(max));
            body.extend(if max == 0 {
                quote!(if !items.is_empty() { errors.push(at, "maxItems", #message); })
            } else {
                let max = count(max);
                quote!(if items.len() > #max { errors.push(at, "maxItems", #message); })
            });
        }
        if rules.unique_items {
            body.extend(quote! {
                if let Some((first, second)) = keywords::first_duplicate(items) {
                    errors.push(
                        at,
                        "uniqueItems",
                        format!("items {first} and {second} are equal; items must be unique"),
                    );
                }
            });
        }
        for (index, schema) in rules.prefix_items.iter().enumerate() {
            let check = self.check(schema);
            let index = count(index as u64);
            let item = if index.to_string() == "0" {
                quote!(items.first())
            } else {
                quote!(items.get(#index))
            };
            if !check.is_empty() {
                let scoped = scoped(check, quote!(at.index(#index)));
                body.extend(quote! {
                    if let Some(value) = #item {
                        #scoped
                    }
                });
            }
        }
        if let Some(schema) = &rules.items {
            let check = self.check(schema);
            let prefix = rules.prefix_items.len() as u64;
            let skip = count(prefix);
            let iter = if prefix == 0 {
                quote!(items.iter().enumerate())
            } else {
                quote!(items.iter().enumerate().skip(#skip))
            };
            if *schema == Schema::Nothing {
                let message = format!("must have at most {prefix} item{}", plural(prefix));
                body.extend(if prefix == 0 {
                    quote!(if !items.is_empty() { errors.push(at, "items", #message); })
                } else {
                    quote!(if items.len() > #skip { errors.push(at, "items", #message); })
                });
            } else if !check.is_empty() {
                let binding = if mentions(&check, "at") {
                    quote!((index, value))
                } else {
                    quote!((_, value))
                };
                let scoped = scoped(check, quote!(at.index(index)));
                body.extend(quote! {
                    for #binding in #iter {
                        #scoped
                    }
                });
            }
        }
        if let Some(contains) = &rules.contains {
            let valid = self.is_valid(contains);
            let min = rules.min_contains.unwrap_or(1);
            body.extend(quote! {
                let contained = items.iter().filter(|value| { let value = *value; #valid }).count();
            });
            if min > 0 {
                let message = format!("must contain at least {min} matching item{}", plural(min));
                let min = count(min);
                body.extend(quote!(if contained < #min { errors.push(at, "contains", #message); }));
            }
            if let Some(max) = rules.max_contains {
                let message = format!("must contain at most {max} matching item{}", plural(max));
                let max = count(max);
                body.extend(
                    quote!(if contained > #max { errors.push(at, "maxContains", #message); }),
                );
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

    fn object_checks(&self, rules: &ObjectRules) -> TokenStream {
        let property_checks: Vec<(&String, TokenStream)> = rules
            .properties
            .iter()
            .map(|(name, schema)| (name, self.check(schema)))
            .filter(|(_, check)| !check.is_empty())
            .collect();
        let dependent_checks: Vec<(&String, TokenStream)> = rules
            .dependent_schemas
            .iter()
            .map(|(name, schema)| (name, self.check(schema)))
            .filter(|(_, check)| !check.is_empty())
            .collect();
        let dependent_required: Vec<(&String, &Vec<String>)> = rules
            .dependent_required
            .iter()
            .filter(|(_, dependencies)| !dependencies.is_empty())
            .map(|(name, dependencies)| (name, dependencies))
            .collect();
        let looked_up =
            rules
                .required
                .iter()
                .chain(dependent_required.iter().flat_map(|(name, dependencies)| {
                    std::iter::once(*name).chain(dependencies.iter())
                }))
                .chain(property_checks.iter().map(|(name, _)| *name))
                .chain(dependent_checks.iter().map(|(name, _)| *name));
        let found = FoundProperties::new(looked_up);

        let mut body = found.scan();
        if !rules.required.is_empty() {
            let required = rules.required.iter().map(|name| {
                let local = found.local(name);
                quote!((#name, #local))
            });
            body.extend(quote!(check_required_found(&[#(#required),*], at, errors);));
        }
        if let Some(min) = rules.min_properties.filter(|min| *min > 0) {
            let message = format!("must have at least {min} propert{}", plural_y(min));
            body.extend(if min == 1 {
                quote!(if object.is_empty() { errors.push(at, "minProperties", #message); })
            } else {
                let min = count(min);
                quote!(if object.len() < #min { errors.push(at, "minProperties", #message); })
            });
        }
        if let Some(max) = rules.max_properties {
            let message = format!("must have at most {max} propert{}", plural_y(max));
            body.extend(if max == 0 {
                quote!(if !object.is_empty() { errors.push(at, "maxProperties", #message); })
            } else {
                let max = count(max);
                quote!(if object.len() > #max { errors.push(at, "maxProperties", #message); })
            });
        }
        for (name, dependencies) in dependent_required {
            let present = found.local(name);
            // A property cannot be missing when it is the one present.
            for dependency in dependencies.iter().filter(|dependency| *dependency != name) {
                let missing = found.local(dependency);
                let message =
                    format!("property `{dependency}` is required when `{name}` is present");
                // Reported at the missing property's pointer, as `required` is.
                body.extend(quote! {
                    if #present.is_some() && #missing.is_none() {
                        errors.push(&at.key(#dependency), "dependentRequired", #message);
                    }
                });
            }
        }
        for (name, check) in property_checks {
            let local = found.local(name);
            let condition = if mentions(&check, "value") {
                quote!(let Some(value) = #local)
            } else {
                quote!(#local.is_some())
            };
            let scoped = scoped(check, quote!(at.key(#name)));
            body.extend(quote! {
                if #condition {
                    #scoped
                }
            });
        }
        for (name, check) in dependent_checks {
            let local = found.local(name);
            body.extend(quote!(if #local.is_some() { #check }));
        }
        if let Some(schema) = &rules.property_names {
            let check = self.check(schema);
            if !check.is_empty() {
                body.extend(quote! {
                    for name in object.keys() {
                        let value = &Value::String(name.clone());
                        let at = &at.key(name);
                        #check
                    }
                });
            }
        }
        body.extend(self.other_properties(rules));
        if body.is_empty() {
            return body;
        }
        quote! {
            if let Value::Object(object) = value {
                #body
            }
        }
    }

    /// `patternProperties` and `additionalProperties`: one pass over the object's entries.
    fn other_properties(&self, rules: &ObjectRules) -> TokenStream {
        let additional = match &rules.additional {
            Some(Schema::Any) | None => None,
            Some(schema) if self.check(schema).is_empty() => None,
            Some(schema) => Some(schema),
        };
        let pattern_checks: Vec<(usize, &PatternRule, TokenStream)> = rules
            .pattern_properties
            .iter()
            .enumerate()
            .map(|(index, (pattern, schema))| (index, pattern, self.check(schema)))
            .collect();
        if additional.is_none() && pattern_checks.iter().all(|(_, _, check)| check.is_empty()) {
            return quote!();
        }
        let known: Vec<&String> = rules.properties.iter().map(|(name, _)| name).collect();
        if additional == Some(&Schema::Nothing) && pattern_checks.is_empty() {
            let filter = if known.is_empty() {
                quote!()
            } else {
                quote!(.filter(|name| !matches!(name.as_str(), #(#known)|*)))
            };
            return quote! {
                for name in object.keys()#filter {
                    errors.push(
                        &at.key(name),
                        "additionalProperties",
                        format!("property `{name}` is not allowed"),
                    );
                }
            };
        }
        // `patternProperties` apply to every property, listed or not; `additionalProperties`
        // only to those neither listed nor matched.
        let mut body = TokenStream::new();
        let track = additional.is_some() && !pattern_checks.is_empty();
        if track {
            body.extend(quote!(let mut matched = false;));
        }
        for (index, pattern, check) in &pattern_checks {
            if check.is_empty() && !track {
                continue;
            }
            let static_name = quote::format_ident!("PATTERN_{}", index);
            let literal = raw_string(&pattern.regex);
            let record = track.then(|| quote!(matched = true;));
            body.extend(quote! {
                static #static_name: Pattern = Pattern::new(#literal);
                if #static_name.is_match(name) {
                    #record
                    #check
                }
            });
        }
        if let Some(schema) = additional {
            let check = match schema {
                Schema::Nothing => quote! {
                    errors.push(at, "additionalProperties", format!("property `{name}` is not allowed"));
                },
                other => self.check(other),
            };
            let mut unclaimed = Vec::new();
            if track {
                unclaimed.push(quote!(!matched));
            }
            if !known.is_empty() {
                unclaimed.push(quote!(!matches!(name.as_str(), #(#known)|*)));
            }
            body.extend(if unclaimed.is_empty() {
                check
            } else {
                quote!(if #(#unclaimed)&&* { #check })
            });
        }
        let entries = if mentions(&body, "value") {
            quote!((name, value) in object)
        } else {
            quote!(name in object.keys())
        };
        let scoped = scoped(body, quote!(at.key(name)));
        quote! {
            for #entries {
                #scoped
            }
        }
    }
}

fn is_reference_only(rules: &Rules) -> bool {
    let mut bare = rules.clone();
    bare.reference = None;
    bare == Rules::default()
}

/// `check` preceded by `let at = &<child path>;` when it reports anything.
fn scoped(check: TokenStream, child_path: TokenStream) -> TokenStream {
    if mentions(&check, "at") {
        quote! {
            let at = &#child_path;
            #check
        }
    } else {
        check
    }
}

/// Whether `name` appears as an identifier anywhere in `tokens`.
pub(crate) fn mentions(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == name,
        TokenTree::Group(group) => mentions(&group.stream(), name),
        _ => false,
    })
}

/// `if condition { body }`, folded into one `if` when `body` is itself a lone `if` (as
/// clippy's `collapsible_if` asks).
fn guarded(condition: TokenStream, body: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = body.clone().into_iter().collect();
    if is_single_if(&body)
        && !matches!(trees.get(1), Some(TokenTree::Ident(ident)) if ident == "let")
    {
        if let Some((TokenTree::Group(block), inner)) = trees[1..].split_last() {
            let plain = inner.iter().all(|tree| {
                !matches!(tree, TokenTree::Group(group) if group.delimiter() == Delimiter::Brace)
                    && !matches!(tree, TokenTree::Ident(ident) if ident == "else")
            });
            if plain {
                let inner: TokenStream = inner.iter().cloned().collect();
                return quote!(if #condition && (#inner) #block);
            }
        }
    }
    quote!(if #condition { #body })
}

/// Whether `tokens` are exactly one `if` expression (with or without `else`): it starts
/// with `if`, has no top-level `;`, and every block but the last is followed by `else`.
fn is_single_if(tokens: &TokenStream) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let starts_with_if = matches!(trees.first(), Some(TokenTree::Ident(ident)) if ident == "if");
    let is_block = |tree: &TokenTree| matches!(tree, TokenTree::Group(group) if group.delimiter() == Delimiter::Brace);
    let ends_with_block = trees.last().is_some_and(is_block);
    let no_statement_end = !trees
        .iter()
        .any(|tree| matches!(tree, TokenTree::Punct(punct) if punct.as_char() == ';'));
    let blocks_chain_with_else = trees.iter().enumerate().all(|(index, tree)| {
        !is_block(tree)
            || index + 1 == trees.len()
            || matches!(trees.get(index + 1), Some(TokenTree::Ident(ident)) if ident == "else")
    });
    starts_with_if && ends_with_block && no_statement_end && blocks_chain_with_else
}
