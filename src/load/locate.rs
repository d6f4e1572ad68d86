//! Finds the line and column of a JSON pointer in a file's source text.
//!
//! serde's values carry no positions, so when lowering rejects a schema we walk the source
//! once more with a position-aware YAML event parser (JSON is YAML 1.2, so one walker serves
//! both syntaxes). A miss is harmless: the message still names the file and the pointer.

use yaml_rust2::parser::{Event, Parser};

use super::document::Syntax;
use super::pointer::split_pointer;
use crate::error::Position;

/// The position of the value at `pointer` in `text`, if it can be found.
pub fn locate(text: &str, _syntax: Syntax, pointer: &str) -> Option<Position> {
    let segments = split_pointer(pointer)?;
    let mut walker = Walker {
        parser: Parser::new_from_str(text),
    };
    loop {
        match walker.next()? {
            (Event::StreamStart | Event::DocumentStart, _) => continue,
            (event, position) => return walker.find(event, position, &segments),
        }
    }
}

struct Walker<'a> {
    parser: Parser<std::str::Chars<'a>>,
}

impl Walker<'_> {
    fn next(&mut self) -> Option<(Event, Position)> {
        let (event, marker) = self.parser.next_token().ok()?;
        Some((
            event,
            Position {
                line: marker.line(),
                column: marker.col() + 1,
            },
        ))
    }

    /// Descends from the node that starts with `event` along `segments`.
    fn find(&mut self, event: Event, position: Position, segments: &[String]) -> Option<Position> {
        let Some((segment, rest)) = segments.split_first() else {
            return Some(position);
        };
        match event {
            Event::MappingStart(..) => loop {
                let (key, key_position) = self.next()?;
                let Event::Scalar(key, ..) = key else {
                    return None;
                };
                let (value, value_position) = self.next()?;
                if &key == segment {
                    // Point at the key when the value is a nested node: that is where a
                    // reader's eye goes.
                    let target = if rest.is_empty() {
                        key_position
                    } else {
                        value_position
                    };
                    return self.find(value, target, rest);
                }
                self.skip(value)?;
            },
            Event::SequenceStart(..) => {
                let index: usize = segment.parse().ok()?;
                for _ in 0..index {
                    let (item, _) = self.next()?;
                    if matches!(item, Event::SequenceEnd) {
                        return None;
                    }
                    self.skip(item)?;
                }
                let (item, item_position) = self.next()?;
                if matches!(item, Event::SequenceEnd) {
                    return None;
                }
                self.find(item, item_position, rest)
            }
            _ => None,
        }
    }

    /// Consumes the rest of the node that starts with `event`.
    fn skip(&mut self, event: Event) -> Option<()> {
        let mut depth = match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => 1usize,
            _ => return Some(()),
        };
        while depth > 0 {
            match self.next()?.0 {
                Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
                Event::MappingEnd | Event::SequenceEnd => depth -= 1,
                Event::StreamEnd => return None,
                _ => {}
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_json_values() {
        let text = "{\n  \"a\": {\n    \"b\": [1, {\"c\": true}]\n  }\n}";
        let position = locate(text, Syntax::Json, "/a/b/1/c").expect("found");
        assert_eq!((position.line, position.column), (3, 15));
    }

    #[test]
    fn finds_yaml_values_and_reports_misses() {
        let text = "service: x\noperations:\n  getUser:\n    method: GET\n";
        let position = locate(text, Syntax::Yaml, "/operations/getUser/method").expect("found");
        assert_eq!((position.line, position.column), (4, 5));
        assert_eq!(locate(text, Syntax::Yaml, "/operations/nope"), None);
    }
}
