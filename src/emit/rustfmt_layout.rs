//! rustfmt's layout (its defaults, edition 2021) for the few constructs of a file the user
//! owns and formats with rustfmt: `use` items and `fn` signatures.
//!
//! prettyplease breaks lines at 89 columns and rustfmt at 100, so code formatted by
//! prettyplease is re-laid out by `cargo fmt` wherever a line falls between the two. Generated
//! files carry `@generated`, which rustfmt skips; the scaffold does not, so it is laid out here
//! by rustfmt's rules, without needing rustfmt when generating. `tests/scaffold_rustfmt.rs`
//! holds these rules to the real rustfmt at the boundaries.

use std::cmp::Ordering;

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;
/// rustfmt's `tab_spaces`.
const INDENT: usize = 4;

/// One `use` item: a path, then one name or a `{...}` list of names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseItem {
    pub path: Vec<String>,
    pub names: Vec<String>,
}

impl UseItem {
    /// The item as rustfmt writes it: names sorted; on one line when it fits, else one
    /// name per slot of a filled, indented block with a trailing comma.
    pub fn render(&self) -> String {
        let mut names = self.names.clone();
        names.sort_by(|a, b| compare_segments(a, b));
        names.dedup();
        let prefix = self.path.join("::");
        if let [name] = names.as_slice() {
            return format!("use {prefix}::{name};\n");
        }
        let one_line = format!("use {prefix}::{{{}}};\n", names.join(", "));
        // One line while it ends two columns short of the limit: rustfmt measures the list
        // inside the braces with room kept for a comma, and then the `;`.
        if one_line.len() - 1 <= MAX_WIDTH - 2 {
            return one_line;
        }
        // rustfmt's `Mixed` list: as many names per line as fit in the block's width, which
        // keeps one column free (`sub_width(1)`), each name counted with its comma.
        let width = MAX_WIDTH - INDENT - 1;
        let mut out = format!("use {prefix}::{{\n");
        let mut line = String::new();
        for name in &names {
            let item = format!("{name},");
            if !line.is_empty() && line.len() + 1 + item.len() > width {
                out.push_str(&format!("{:INDENT$}{line}\n", ""));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&item);
        }
        out.push_str(&format!("{:INDENT$}{line}\n}};\n", ""));
        out
    }

    /// rustfmt's order of `use` items (`reorder_imports`): segment by segment, a `{...}`
    /// list after a single name.
    pub fn compare(&self, other: &Self) -> Ordering {
        let tail = |item: &UseItem| match item.names.as_slice() {
            [name] => Segment::Name(name.clone()),
            _ => Segment::List,
        };
        let left = self
            .path
            .iter()
            .cloned()
            .map(Segment::Name)
            .chain([tail(self)]);
        let right = other
            .path
            .iter()
            .cloned()
            .map(Segment::Name)
            .chain([tail(other)]);
        for (a, b) in left.zip(right) {
            let order = match (&a, &b) {
                (Segment::Name(a), Segment::Name(b)) => compare_segments(a, b),
                (Segment::Name(_), Segment::List) => Ordering::Less,
                (Segment::List, Segment::Name(_)) => Ordering::Greater,
                (Segment::List, Segment::List) => self.names.cmp(&other.names),
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        self.path.len().cmp(&other.path.len())
    }
}

enum Segment {
    Name(String),
    List,
}

/// rustfmt's order of two path segments (style edition 2015/2021): `snake_case` before
/// `CamelCase` before `UPPER_SNAKE_CASE`, then by bytes.
fn compare_segments(a: &str, b: &str) -> Ordering {
    let lower = |s: &str| s.starts_with(char::is_lowercase);
    let upper = |s: &str| s.starts_with(char::is_uppercase);
    let upper_snake = |s: &str| {
        s.chars()
            .all(|c| c.is_uppercase() || c == '_' || c.is_numeric())
    };
    if upper(a) && lower(b) {
        return Ordering::Greater;
    }
    if lower(a) && upper(b) {
        return Ordering::Less;
    }
    match (upper_snake(a), upper_snake(b)) {
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a.cmp(b),
    }
}

/// The `use` items, sorted as rustfmt sorts a block of them, as text.
pub fn render_uses(mut items: Vec<UseItem>) -> String {
    items.sort_by(UseItem::compare);
    items.iter().map(UseItem::render).collect()
}

/// A method's signature and opening brace at `depth` levels of indentation, as rustfmt lays it
/// out (`fn_params_layout = "Tall"`): on one line when it fits, else one parameter a line.
///
/// `head` is everything before the parameters (`async fn name`), `params` each parameter
/// (`&self`, `_id: Uuid`), `output` the return type without the arrow.
pub fn render_signature(depth: usize, head: &str, params: &[String], output: &str) -> String {
    let indent = " ".repeat(depth * INDENT);
    let one_line = format!("{indent}{head}({}) -> {output} {{\n", params.join(", "));
    if one_line.len() - 1 <= MAX_WIDTH {
        return one_line;
    }
    let mut out = format!("{indent}{head}(\n");
    for param in params {
        out.push_str(&format!("{indent}{:INDENT$}{param},\n", ""));
    }
    out.push_str(&format!("{indent}) -> {output} {{\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(path: &str, names: &[&str]) -> UseItem {
        UseItem {
            path: path.split("::").map(str::to_owned).collect(),
            names: names.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// The real rustfmt agrees with these rules around its 100-column limit: use lists and
    /// signatures from 90 to 110 columns, lists broken after every possible name.
    #[test]
    fn rustfmt_agrees_at_the_width_boundaries() {
        let mut file = String::new();
        let mut uses = Vec::new();
        for width in 0..24 {
            uses.push(item(
                &format!("crate_{width:02}"),
                &[
                    &format!("First{}", "x".repeat(40 + width)),
                    "SecondName",
                    "Third",
                ],
            ));
            let names: Vec<String> = (0..12 + width % 5)
                .map(|index| format!("Name{index}{}", "y".repeat((width * 7 + index) % 13)))
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            uses.push(item(&format!("many_{width:02}"), &names));
        }
        file.push_str(&render_uses(uses));
        file.push_str("\nstruct S;\n\nimpl S {\n");
        for width in 0..24 {
            let params = [
                "&self".to_owned(),
                format!("_input: Input{}", "z".repeat(width)),
            ];
            if width > 0 {
                file.push('\n');
            }
            file.push_str(&render_signature(
                1,
                &format!("async fn method_{width:02}_with_a_longish_name"),
                &params,
                "Result<Answer, AppError>",
            ));
            file.push_str("        Err(not_implemented())\n    }\n");
        }
        file.push_str("}\n");
        let Ok(output) = rustfmt_check(&file) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "rustfmt must run under CI"
            );
            eprintln!("skipped: rustfmt is not installed");
            return;
        };
        assert!(
            output.status.success(),
            "rustfmt disagrees:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }

    fn rustfmt_check(text: &str) -> std::io::Result<std::process::Output> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("layout.rs");
        std::fs::write(&path, text)?;
        std::process::Command::new("rustfmt")
            .args(["--check", "--edition", "2021", "--color", "never"])
            .arg(&path)
            .output()
    }

    #[test]
    fn uses_sort_modules_before_types_before_lists() {
        let sorted = render_uses(vec![
            item("solo60_runtime", &["ErrorKind", "AppError"]),
            item("solo60_runtime", &["Uuid"]),
            item("solo60_runtime::server", &["RequestContext"]),
            item("auth_api", &["B", "A"]),
            item("auth_api::server", &["AuthService"]),
        ]);
        assert_eq!(
            sorted,
            "use auth_api::server::AuthService;\n\
             use auth_api::{A, B};\n\
             use solo60_runtime::server::RequestContext;\n\
             use solo60_runtime::Uuid;\n\
             use solo60_runtime::{AppError, ErrorKind};\n"
        );
    }
}
