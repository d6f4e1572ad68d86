//! Doc comments from schema text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes (rendered as `///` lines) for `text`, reflowed by [`wrap_text`].
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

/// `text` as `///` lines, each starting with `indent`: for files written as text.
pub fn doc_comment(text: &str, indent: &str) -> String {
    doc_lines(text)
        .iter()
        .map(|line| format!("{indent}///{line}\n"))
        .collect()
}

/// The doc lines of `text`, each with the space `///` is followed by; fences become `'''`, so
/// no schema text is ever compiled as a doc-test.
fn doc_lines(text: &str) -> Vec<String> {
    wrap_text(&text.replace("```", "'''"), WIDTH)
        .into_iter()
        .map(|line| {
            if line.is_empty() {
                line
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// Longest doc line before wrapping: the generated code stays readable in a 100-column view.
const WIDTH: usize = 88;

/// `text` as comment lines of at most `width` characters (longer words stay whole), blank
/// lines between paragraphs as empty strings.
///
/// The text is reflowed first: the lines of one paragraph are joined and wrapped again as
/// one, so a line broken in the source (a schema's `description`, the emitter's own prose)
/// never leaves a word or two alone on a line before the sentence goes on. Lines are trimmed
/// so that indented text never turns into a Markdown code block, which rustdoc would try to
/// compile as a doc-test. Rust doc comments and the TypeScript target's comments wrap alike.
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for block in blocks(text) {
        match block {
            Block::Blank => lines.push(String::new()),
            Block::Text(text) => {
                // A wrapped list item's continuation lines are indented to stay in the item.
                let indent = " ".repeat(marker_width(&text));
                for (index, part) in wrap_words(&text, width).into_iter().enumerate() {
                    let indent = if index == 0 { "" } else { indent.as_str() };
                    lines.push(format!("{indent}{part}"));
                }
            }
        }
    }
    lines
}

/// One unit of reflowed text.
enum Block {
    /// A blank line between paragraphs.
    Blank,
    /// A paragraph, list item, quote, heading or table row, its source lines joined.
    Text(String),
}

/// The paragraphs of `text`: consecutive lines of prose joined with single spaces, as
/// Markdown joins them; list items, quotes, headings, table rows and JSDoc tags start blocks
/// of their own.
fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    // Whether `current` may take the next line of prose.
    let mut open = false;
    let mut previous_opens_block = false;
    for line in text.trim().lines() {
        let line = line.trim();
        if line.is_empty() {
            blocks.extend(current.take().map(Block::Text));
            blocks.push(Block::Blank);
            open = false;
            previous_opens_block = false;
            continue;
        }
        if open && !opens_block(line) && !stands_alone(line) {
            if let Some(current) = current.as_mut() {
                current.push(' ');
                current.push_str(line);
            }
            continue;
        }
        blocks.extend(current.take().map(Block::Text));
        // A line right after a list item or quote would continue it lazily; Markdown reads
        // that differently from what the author saw, so it starts a paragraph of its own.
        if previous_opens_block && !opens_block(line) {
            blocks.push(Block::Blank);
        }
        previous_opens_block = opens_block(line);
        open = !previous_opens_block && !stands_alone(line);
        current = Some(line.to_owned());
    }
    blocks.extend(current.map(Block::Text));
    blocks
}

/// A heading, a table row or a JSDoc tag (`@deprecated`): a line never joined with the next.
fn stands_alone(line: &str) -> bool {
    line.starts_with(['#', '|', '@'])
}

/// Splits `line` at spaces into parts of at most `width` characters (longer words stay whole,
/// with the word or two before them).
fn wrap_words(line: &str, width: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        let length = word.chars().count();
        // A word longer than a whole line (a URL) overflows wherever it goes: it stays with a
        // word or two before it rather than leaving them alone on a line.
        let stays = length > width && current.split(' ').count() <= 2;
        if !current.is_empty() && current.chars().count() + 1 + length > width && !stays {
            parts.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    parts.push(current);
    avoid_orphans(&mut parts, width);
    parts
}

/// Moves words down from the line before any line (but the last) holding only a word or two
/// before a long word that could not join it, so no line is left with a lone word while the
/// sentence goes on below — as long as the lines stay within `width` and the line above keeps
/// more than two words itself.
fn avoid_orphans(parts: &mut [String], width: usize) {
    for index in 1..parts.len().saturating_sub(1) {
        while parts[index].split(' ').count() <= 2 && parts[index - 1].split(' ').count() > 3 {
            let Some((kept, moved)) = parts[index - 1].rsplit_once(' ') else {
                break;
            };
            let joined = format!("{moved} {}", parts[index]);
            if joined.chars().count() > width {
                break;
            }
            let kept = kept.to_owned();
            parts[index - 1] = kept;
            parts[index] = joined;
        }
    }
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
    fn a_paragraph_broken_in_the_source_is_reflowed_as_one() {
        let text = format!(
            "{} it\nis never regenerated.\n\nNext paragraph\nhere.",
            "word ".repeat(16).trim()
        );
        assert_eq!(
            doc_lines(&text),
            [
                format!(" {} it is", "word ".repeat(16).trim()),
                " never regenerated.".to_owned(),
                String::new(),
                " Next paragraph here.".to_owned(),
            ]
        );
    }

    #[test]
    fn a_word_or_two_before_a_long_word_is_not_left_alone() {
        let url = format!("https://example.com/{}", "x".repeat(60));
        let text = format!("{} see {url} for more.", "word ".repeat(16).trim());
        let lines = wrap_words(&text, WIDTH);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[1].split(' ').count() >= 3, "{lines:?}");
        assert!(
            lines.iter().all(|line| line.chars().count() <= WIDTH),
            "{lines:?}"
        );
    }

    #[test]
    fn headings_and_table_rows_keep_their_lines() {
        assert_eq!(
            doc_lines("# Title\n| a | b |\n| 1 | 2 |\ntext\nmore"),
            [" # Title", " | a | b |", " | 1 | 2 |", " text more"]
        );
    }

    #[test]
    fn list_items_do_not_swallow_the_next_line() {
        assert_eq!(
            doc_lines("Kinds:\n- one\n- two\nMore text.\n    indented"),
            [" Kinds:", " - one", " - two", "", " More text. indented"]
        );
    }
}
