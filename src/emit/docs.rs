//! Doc comments from schema text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes (rendered as `///` lines) for `text`.
///
/// Lines are trimmed so that indented schema text never turns into a Markdown code block,
/// which rustdoc would try to compile as a doc-test.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return quote!();
    };
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// Inner `#![doc]` attributes (rendered as `//!` lines) for `text`.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

fn doc_lines(text: &str) -> Vec<String> {
    text.trim()
        .lines()
        .map(|line| {
            let line = line.trim().replace("```", "'''");
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}
