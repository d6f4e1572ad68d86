//! JSON values as Rust expressions, for `const`, `enum` and default values.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

/// A `serde_json::json!` invocation producing `value`.
pub fn json_value(value: &Value) -> TokenStream {
    let inner = json_tokens(value);
    quote!(serde_json::json!(#inner))
}

fn json_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => number_literal(n),
        Value::String(s) => quote!(#s),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(object) => {
            let entries = object.iter().map(|(key, value)| {
                let value = json_tokens(value);
                quote!(#key: #value)
            });
            quote!({ #(#entries),* })
        }
    }
}

/// A numeric literal with no suffix, as exact as the JSON number allows.
pub fn number_literal(n: &serde_json::Number) -> TokenStream {
    // Outside `i32`, an unsuffixed literal would be inferred as `i32` and overflow.
    if let Some(i) = n.as_i64() {
        let literal = if i32::try_from(i).is_ok() {
            Literal::i64_unsuffixed(i)
        } else {
            Literal::i64_suffixed(i)
        };
        return quote!(#literal);
    }
    if let Some(u) = n.as_u64() {
        let literal = Literal::u64_suffixed(u);
        return quote!(#literal);
    }
    float_literal(n.as_f64().unwrap_or(0.0))
}

/// An `f64` literal that always reads as a float (`1.0`, never `1`).
pub fn float_literal(f: f64) -> TokenStream {
    let literal = Literal::f64_unsuffixed(f);
    quote!(#literal)
}

/// A raw string literal (`r"..."`, `r#"..."#`) so patterns and JSON read as
/// written in the contract.
pub fn raw_string(text: &str) -> TokenStream {
    let mut hashes = String::new();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| quote!(#text))
}
