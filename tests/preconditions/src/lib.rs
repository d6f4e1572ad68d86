//! `#[needs(...)]` marks a test that needs something from outside the repository. When the
//! machine lacks it, the test is compiled with `#[ignore = "<what it needs>"]`, so cargo lists
//! it as `ignored, <reason>` and counts it in its summary instead of passing it unseen. Under
//! `CI` nothing is ignored: the test runs and fails on what is missing.
//!
//! ```text
//! #[preconditions::needs(redis)]
//! #[tokio::test]
//! async fn keys_expire() { /* connects to REDIS_URL */ }
//! ```
//!
//! What the machine has is found by this crate's build script (see build.rs); `cargo test --
//! --ignored` runs the ignored tests anyway, and they fail on what is missing.

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// A precondition: its name in `#[needs(...)]`, whether this machine meets it, and the
/// reason cargo prints for an ignored test.
struct Precondition {
    name: &'static str,
    met: bool,
    reason: &'static str,
}

const PRECONDITIONS: &[Precondition] = &[
    Precondition {
        name: "redis",
        met: cfg!(has_redis_url),
        reason: "needs a Redis server: set REDIS_URL, e.g. redis://127.0.0.1:6379/",
    },
    Precondition {
        name: "node",
        met: cfg!(has_node),
        reason: "needs Node 20 and npm on PATH",
    },
    Precondition {
        name: "python_venv",
        met: cfg!(has_python_venv),
        reason: "needs python3 with venv on PATH (Debian: apt install python3-venv)",
    },
];

/// `#[needs(redis)]`, `#[needs(node)]`, `#[needs(python_venv)]`, or several separated by
/// commas: the test is ignored, with the reason, unless every one is met or `CI` is set.
#[proc_macro_attribute]
pub fn needs(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut unmet = Vec::new();
    for token in args {
        match token {
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                match PRECONDITIONS.iter().find(|known| known.name == name) {
                    Some(precondition) if !precondition.met => unmet.push(precondition.reason),
                    Some(_) => {}
                    None => return error(ident.span(), &format!("unknown precondition `{name}`")),
                }
            }
            TokenTree::Punct(punct) if punct.as_char() == ',' => {}
            other => return error(other.span(), "expected precondition names"),
        }
    }
    if unmet.is_empty() || cfg!(ci) {
        return item;
    }
    let reason = unmet.join("; ");
    let attribute: TokenStream = [
        TokenTree::Ident(Ident::new("ignore", Span::call_site())),
        TokenTree::Punct(Punct::new('=', Spacing::Alone)),
        TokenTree::Literal(Literal::string(&reason)),
    ]
    .into_iter()
    .collect();
    let mut out: TokenStream = [
        TokenTree::Punct(Punct::new('#', Spacing::Alone)),
        TokenTree::Group(Group::new(Delimiter::Bracket, attribute)),
    ]
    .into_iter()
    .collect();
    out.extend(item);
    out
}

/// `compile_error!(message)` at `span`.
fn error(span: Span, message: &str) -> TokenStream {
    let mut message = Literal::string(message);
    message.set_span(span);
    let tokens: TokenStream = [
        TokenTree::Ident(Ident::new("compile_error", span)),
        TokenTree::Punct(Punct::new('!', Spacing::Alone)),
        TokenTree::Group(Group::new(
            Delimiter::Parenthesis,
            TokenTree::Literal(message).into(),
        )),
        TokenTree::Punct(Punct::new(';', Spacing::Alone)),
    ]
    .into_iter()
    .collect();
    tokens
}
