//! Line layout for emitted TypeScript expressions, the way Prettier lays out Zod: an
//! expression stays on one line when it fits in [`MAX_LINE`] columns; otherwise a chain of
//! calls breaks before each `.call(…)`, and a call's arguments go one per line. Object
//! literals always take one line per property.
//!
//! It reads only what the emitters write: identifiers, numbers, operators, JSON string
//! literals and balanced `()`, `[]`, `{}`; whitespace holding a newline is dropped on input.

/// The widest line the layout aims for, the `,` or `;` after an expression included.
pub const MAX_LINE: usize = 100;

/// Whether `text` fits on a line at `column`, leaving a column for a `,` or `;` after it.
fn fits(column: usize, text: &str) -> bool {
    column + width(text) < MAX_LINE
}

/// A piece of an expression: text, or a bracketed, comma-separated group.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Group {
        open: char,
        close: char,
        items: Vec<Vec<Node>>,
    },
}

/// Lays out `expression`, whose first line starts at `column`; later lines are indented by
/// `indent` spaces.
pub fn layout(expression: &str, indent: usize, column: usize) -> String {
    let chars: Vec<char> = expression.chars().collect();
    let mut at = 0;
    let sequence = parse_sequence(&chars, &mut at, None);
    print(&sequence, indent, column)
}

fn parse_sequence(chars: &[char], at: &mut usize, close: Option<char>) -> Vec<Node> {
    let mut sequence = Vec::new();
    let mut text = String::new();
    while *at < chars.len() {
        let c = chars[*at];
        match c {
            '"' => {
                text.push(c);
                *at += 1;
                while *at < chars.len() {
                    let inner = chars[*at];
                    text.push(inner);
                    *at += 1;
                    if inner == '\\' {
                        if let Some(escaped) = chars.get(*at) {
                            text.push(*escaped);
                            *at += 1;
                        }
                    } else if inner == '"' {
                        break;
                    }
                }
                continue;
            }
            '(' | '[' | '{' => {
                flush(&mut text, &mut sequence);
                *at += 1;
                let close = match c {
                    '(' => ')',
                    '[' => ']',
                    _ => '}',
                };
                let items = parse_items(chars, at, close);
                sequence.push(Node::Group {
                    open: c,
                    close,
                    items,
                });
                continue;
            }
            ')' | ']' | '}' | ',' if close.is_some() => break,
            c if c.is_whitespace() => {
                let start = *at;
                while *at < chars.len() && chars[*at].is_whitespace() {
                    *at += 1;
                }
                if !chars[start..*at].contains(&'\n') {
                    text.push(' ');
                }
                continue;
            }
            _ => text.push(c),
        }
        *at += 1;
    }
    flush(&mut text, &mut sequence);
    sequence
}

/// The comma-separated items of a group whose opening bracket was just read; consumes the
/// closing one. A trailing comma makes no empty item.
fn parse_items(chars: &[char], at: &mut usize, close: char) -> Vec<Vec<Node>> {
    let mut items = Vec::new();
    loop {
        let item = trim(parse_sequence(chars, at, Some(close)));
        let next = chars.get(*at).copied();
        *at += 1;
        if !item.is_empty() {
            items.push(item);
        }
        if next != Some(',') {
            return items;
        }
    }
}

fn flush(text: &mut String, sequence: &mut Vec<Node>) {
    if !text.is_empty() {
        sequence.push(Node::Text(std::mem::take(text)));
    }
}

/// Drops the spaces around an item (they came from the source's layout).
fn trim(mut item: Vec<Node>) -> Vec<Node> {
    if let Some(Node::Text(text)) = item.first_mut() {
        *text = text.trim_start().to_owned();
    }
    if let Some(Node::Text(text)) = item.last_mut() {
        *text = text.trim_end().to_owned();
    }
    item.retain(|node| !matches!(node, Node::Text(text) if text.is_empty()));
    item
}

fn flat(sequence: &[Node]) -> String {
    let mut out = String::new();
    for node in sequence {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Group { open, close, items } => {
                let inner: Vec<String> = items.iter().map(|item| flat(item)).collect();
                out.push(*open);
                if *open == '{' && !inner.is_empty() {
                    out.push_str(&format!(" {} ", inner.join(", ")));
                } else {
                    out.push_str(&inner.join(", "));
                }
                out.push(*close);
            }
        }
    }
    out
}

/// Whether the sequence holds an object literal with properties, which always breaks.
fn forced(sequence: &[Node]) -> bool {
    sequence.iter().any(|node| match node {
        Node::Text(_) => false,
        Node::Group { open, items, .. } => {
            (*open == '{' && !items.is_empty()) || items.iter().any(|item| forced(item))
        }
    })
}

fn width(text: &str) -> usize {
    text.chars().count()
}

/// The column after the last line of `text`, which began at `column`.
fn end_column(text: &str, column: usize) -> usize {
    match text.rsplit_once('\n') {
        Some((_, last)) => width(last),
        None => column + width(text),
    }
}

fn print(sequence: &[Node], indent: usize, column: usize) -> String {
    let one_line = flat(sequence);
    if !forced(sequence) && fits(column, &one_line) {
        return one_line;
    }
    // `.name` right after a call's `)`: where a chain may break.
    let breaks: Vec<usize> = (1..sequence.len())
        .filter(|&index| {
            matches!(&sequence[index], Node::Text(text) if text.starts_with('.'))
                && matches!(&sequence[index - 1], Node::Group { open: '(', .. })
        })
        .collect();
    if let Some(&first) = breaks.first() {
        let head = print(&sequence[..first], indent, column);
        let tail = &sequence[first..];
        let tail_flat = flat(tail);
        // `z.object({ … }).strict()`: a short tail stays on the head's last line.
        if !forced(tail) && fits(end_column(&head, column), &tail_flat) {
            return head + &tail_flat;
        }
        let mut out = head;
        let pad = " ".repeat(indent + 2);
        let mut bounds = breaks.clone();
        bounds.push(sequence.len());
        for pair in bounds.windows(2) {
            out.push('\n');
            out.push_str(&pad);
            out.push_str(&print(&sequence[pair[0]..pair[1]], indent + 2, indent + 2));
        }
        return out;
    }
    let Some(last) = sequence
        .iter()
        .rposition(|node| matches!(node, Node::Group { .. }))
    else {
        return one_line;
    };
    let Node::Group { open, close, items } = &sequence[last] else {
        return one_line;
    };
    let prefix = flat(&sequence[..last]);
    let suffix = flat(&sequence[last + 1..]);
    let mut out = prefix.clone();
    out.push(*open);
    let inner_column = column + width(&prefix) + 1;
    // A lone object or array argument hugs its call: `z.object({` … `})`.
    if let [item] = items.as_slice() {
        if let [Node::Group {
            open: '{' | '[', ..
        }] = item.as_slice()
        {
            out.push_str(&print(item, indent, inner_column));
            out.push(*close);
            out.push_str(&suffix);
            return out;
        }
    }
    if items.is_empty() {
        out.push(*close);
        out.push_str(&suffix);
        return out;
    }
    let pad = " ".repeat(indent + 2);
    for item in items {
        out.push('\n');
        out.push_str(&pad);
        out.push_str(&print(item, indent + 2, indent + 2));
        out.push(',');
    }
    out.push('\n');
    out.push_str(&" ".repeat(indent));
    out.push(*close);
    out.push_str(&suffix);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_fits_stays_on_one_line() {
        assert_eq!(layout("z.string().min(1)", 0, 0), "z.string().min(1)");
        assert_eq!(
            layout("z.enum([\"a\", \"b\"])", 0, 10),
            "z.enum([\"a\", \"b\"])"
        );
    }

    #[test]
    fn objects_take_a_line_per_property_and_short_tails_stay() {
        let code = "z.object({\n  a: z.int(),\n  \"b-c\": z.string(),\n}).catchall(z.int())";
        assert_eq!(
            layout(code, 0, 0),
            "z.object({\n  a: z.int(),\n  \"b-c\": z.string(),\n}).catchall(z.int())"
        );
    }

    #[test]
    fn long_chains_break_before_each_call_and_long_calls_per_argument() {
        let message = "m".repeat(70);
        let code = format!(
            "z.string().refine((value) => codePoints(value) >= 1, \"{message}\").regex(new RegExp(\"^(a|b)$\", \"u\"), \"x, y\")"
        );
        let expected = format!(
            "z.string()\n  .refine(\n    (value) => codePoints(value) >= 1,\n    \"{message}\",\n  )\n  .regex(new RegExp(\"^(a|b)$\", \"u\"), \"x, y\")"
        );
        assert_eq!(layout(&code, 0, 0), expected);
    }

    #[test]
    fn strings_keep_their_brackets_commas_and_spaces() {
        let code = format!("z.literal(\"({}, ]  \\\" {{\")", "q".repeat(100));
        let printed = layout(&code, 0, 0);
        assert!(
            printed.contains(&format!("\"({}, ]  \\\" {{\"", "q".repeat(100))),
            "{printed}"
        );
    }
}
