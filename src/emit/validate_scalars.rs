//! The checks of one value's own keywords — `type`, `enum`, `const`, string lengths,
//! patterns and formats, numeric bounds and `multipleOf` — and the counts their messages
//! use. Emitted on the bindings [`super::validate`] sets up: `value`, `at`, `errors`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::value::{float_literal, json_value, raw_string};
use crate::ir::schema::{NumberRules, StringRules};
use crate::ir::JsonType;

pub(super) fn type_check(types: &[JsonType]) -> TokenStream {
    let flags = types.iter().map(|ty| match ty {
        JsonType::Null => quote!(Types::NULL),
        JsonType::Boolean => quote!(Types::BOOLEAN),
        JsonType::Integer => quote!(Types::INTEGER),
        JsonType::Number => quote!(Types::NUMBER),
        JsonType::String => quote!(Types::STRING),
        JsonType::Array => quote!(Types::ARRAY),
        JsonType::Object => quote!(Types::OBJECT),
    });
    quote!(check_type(value, #(#flags)|*, at, errors);)
}

pub(super) fn enum_check(values: &[Value], types: Option<&[JsonType]>) -> TokenStream {
    let listed = values
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let message = format!("must be one of {listed}");
    if values.is_empty() {
        return quote!(errors.push(at, "enum", "no value is allowed here"););
    }
    if let Some(strings) = values
        .iter()
        .map(Value::as_str)
        .collect::<Option<Vec<&str>>>()
    {
        return if types == Some(&[JsonType::String]) {
            // The type check already reported non-strings.
            quote! {
                if let Value::String(text) = value {
                    if !matches!(text.as_str(), #(#strings)|*) {
                        errors.push(at, "enum", #message);
                    }
                }
            }
        } else {
            quote! {
                if !matches!(value.as_str(), Some(#(#strings)|*)) {
                    errors.push(at, "enum", #message);
                }
            }
        };
    }
    let allowed = values.iter().map(json_value);
    quote! {
        if ![#(#allowed),*].iter().any(|allowed| keywords::json_equal(value, allowed)) {
            errors.push(at, "enum", #message);
        }
    }
}

pub(super) fn const_check(constant: &Value) -> TokenStream {
    let message = format!("must be {constant}");
    if let Some(text) = constant.as_str() {
        return quote! {
            if value.as_str() != Some(#text) {
                errors.push(at, "const", #message);
            }
        };
    }
    let expected = json_value(constant);
    quote! {
        if !keywords::json_equal(value, &#expected) {
            errors.push(at, "const", #message);
        }
    }
}

pub(super) fn string_checks(rules: &StringRules) -> TokenStream {
    let mut body = TokenStream::new();
    if rules.min_length.is_some_and(|min| min > 0) || rules.max_length.is_some() {
        body.extend(quote!(let length = keywords::char_count(text);));
    }
    if let Some(min) = rules.min_length.filter(|min| *min > 0) {
        let message = format!(
            "must be at least {min} character{} long, found {{length}}",
            plural(min)
        );
        let min = count(min);
        body.extend(quote!(if length < #min { errors.push(at, "minLength", format!(#message)); }));
    }
    if let Some(max) = rules.max_length {
        let message = format!(
            "must be at most {max} character{} long, found {{length}}",
            plural(max)
        );
        let max = count(max);
        body.extend(quote!(if length > #max { errors.push(at, "maxLength", format!(#message)); }));
    }
    if let Some(pattern) = &rules.pattern {
        let message = format!("must match the pattern `{}`", pattern.source);
        let literal = raw_string(&pattern.regex);
        body.extend(quote! {
            static PATTERN: Pattern = Pattern::new(#literal);
            if !PATTERN.is_match(text) {
                errors.push(at, "pattern", #message);
            }
        });
    }
    if let Some(format) = &rules.format {
        let checker = quote::format_ident!("is_{}", format.replace('-', "_"));
        let message = format!("must be a valid {format}");
        body.extend(quote! {
            if !formats::#checker(text) {
                errors.push(at, "format", #message);
            }
        });
    }
    quote! {
        if let Value::String(text) = value {
            #body
        }
    }
}

pub(super) fn number_checks(rules: &NumberRules) -> TokenStream {
    let mut body = TokenStream::new();
    let bounds = [
        (
            &rules.minimum,
            "minimum",
            quote!(is_lt),
            "greater than or equal to",
        ),
        (
            &rules.maximum,
            "maximum",
            quote!(is_gt),
            "less than or equal to",
        ),
        (
            &rules.exclusive_minimum,
            "exclusiveMinimum",
            quote!(is_le),
            "greater than",
        ),
        (
            &rules.exclusive_maximum,
            "exclusiveMaximum",
            quote!(is_ge),
            "less than",
        ),
    ];
    for (bound, keyword, failing, relation) in bounds {
        if let Some(bound) = bound {
            let message = format!("must be {relation} {bound}");
            let literal = float_literal(bound.as_f64().unwrap_or(0.0));
            body.extend(quote! {
                if keywords::compare_number(number, #literal).#failing() {
                    errors.push(at, #keyword, #message);
                }
            });
        }
    }
    if let Some(divisor) = &rules.multiple_of {
        let message = format!("must be a multiple of {divisor}");
        let literal = float_literal(divisor.as_f64().unwrap_or(1.0));
        body.extend(quote! {
            if !keywords::is_multiple_of(number, #literal) {
                errors.push(at, "multipleOf", #message);
            }
        });
    }
    quote! {
        if let Value::Number(number) = value {
            #body
        }
    }
}

pub(super) fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

pub(super) fn plural_y(n: u64) -> &'static str {
    if n == 1 {
        "y"
    } else {
        "ies"
    }
}

/// A `usize` literal without a suffix (`3`, not `3usize`).
pub(super) fn count(n: u64) -> Literal {
    Literal::u64_unsuffixed(n)
}
