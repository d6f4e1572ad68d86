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
    let mut lines: Vec<String> = Vec::new();
    let mut previous_opens_block = false;
    for line in text.trim().lines() {
        let line = line.trim().replace("```", "'''");
        // A line right after a list item or quote would continue it lazily; Markdown reads
        // that differently from what the author saw, so it starts a paragraph of its own.
        if previous_opens_block && !line.is_empty() && !opens_block(&line) {
            lines.push(String::new());
        }
        previous_opens_block = opens_block(&line);
        if line.is_empty() {
            lines.push(String::new());
        } else {
            // A wrapped list item's continuation lines are indented to stay in the item.
            let indent = " ".repeat(marker_width(&line));
            for (index, part) in wrap_words(&line, WIDTH).into_iter().enumerate() {
                let indent = if index == 0 { "" } else { indent.as_str() };
                lines.push(format!(" {indent}{part}"));
            }
        }
    }
    lines
}

/// Longest doc line before wrapping: the generated code stays readable in a 100-column view.
const WIDTH: usize = 88;

/// Splits `line` at spaces into parts of at most `width` characters (longer words stay whole).
/// Rust doc comments and the TypeScript target's comments wrap alike.
pub fn wrap_words(line: &str, width: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            parts.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    parts.push(current);
    parts
}

/// How far a list item's text is indented after its marker (`- `, `12. `, `> `); 0 for
/// other lines.
fn marker_width(line: &str) -> usize {
    if !opens_block(line) {
        return 0;
    }
    line.find(' ').map_or(0, |space| space + 1)
}

/// A Markdown list item or block quote.
fn opens_block(line: &str) -> bool {
    let numbered = line.split_once(['.', ')']).is_some_and(|(number, rest)| {
        !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) && rest.starts_with(' ')
    });
    ["- ", "* ", "+ ", ">"]
        .iter()
        .any(|marker| line.starts_with(marker))
        || numbered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_list_items_keep_their_indentation() {
        let item = format!("- {}", "word ".repeat(30).trim());
        let lines = doc_lines(&item);
        assert!(lines.len() > 1);
        assert!(lines[1].starts_with("   word"), "{lines:?}");
    }

    #[test]
    fn list_items_do_not_swallow_the_next_line() {
        assert_eq!(
            doc_lines("Kinds:\n- one\n- two\nMore text.\n    indented"),
            [
                " Kinds:",
                " - one",
                " - two",
                "",
                " More text.",
                " indented"
            ]
        );
    }
}
