//! Finds the line and column of a JSON pointer in a file's source text.
//!
//! serde's values carry no positions, so when lowering rejects a schema we walk the source
//! once more with a position-aware YAML event parser (JSON is YAML 1.2, so one walker serves
//! both syntaxes). A miss is harmless: the message still names the file and the pointer.

use yaml_rust2::parser::{Event, Parser};

use super::pointer::split_pointer;
use crate::error::Position;

/// The position of the value at `pointer` in `text`, if it can be found.
pub fn locate(text: &str, pointer: &str) -> Option<Position> {
    let segments = split_pointer(pointer)?;
    let mut walker = Walker::new(text);
    let (event, position) = walker.root()?;
    walker
        .find(event, position, &segments)
        .map(|(_, position)| position)
}

/// The position of the `nth` (1-based) occurrence of `key` in the object at `container`:
/// for duplicate keys, which a parsed value no longer shows.
pub fn locate_key(text: &str, container: &str, key: &str, nth: usize) -> Option<Position> {
    let segments = split_pointer(container)?;
    let mut walker = Walker::new(text);
    let (event, position) = walker.root()?;
    let (Event::MappingStart(..), _) = walker.find(event, position, &segments)? else {
        return None;
    };
    let mut seen = 0;
    loop {
        let (entry, entry_position) = walker.next()?;
        let Event::Scalar(name, ..) = entry else {
            return None;
        };
        if name == key {
            seen += 1;
            if seen == nth {
                return Some(entry_position);
            }
        }
        let (value, _) = walker.next()?;
        walker.skip(value)?;
    }
}

/// The position of the first YAML alias (`*name`), where an alias bomb starts expanding.
pub fn first_alias(text: &str) -> Option<Position> {
    let mut walker = Walker::new(text);
    loop {
        match walker.next()? {
            (Event::Alias(_), position) => return Some(position),
            (Event::StreamEnd, _) => return None,
            _ => {}
        }
    }
}

struct Walker<'a> {
    parser: Parser<std::str::Chars<'a>>,
}

impl<'a> Walker<'a> {
    fn new(text: &'a str) -> Self {
        Walker {
            parser: Parser::new_from_str(text),
        }
    }

    /// The first event of the document's root node.
    fn root(&mut self) -> Option<(Event, Position)> {
        loop {
            match self.next()? {
                (Event::StreamStart | Event::DocumentStart, _) => continue,
                found => return Some(found),
            }
        }
    }

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

    /// Descends from the node that starts with `event` along `segments`, returning the
    /// first event of the node found and where to point at it.
    fn find(
        &mut self,
        event: Event,
        position: Position,
        segments: &[String],
    ) -> Option<(Event, Position)> {
        let Some((segment, rest)) = segments.split_first() else {
            return Some((event, position));
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
        let position = locate(text, "/a/b/1/c").expect("found");
        assert_eq!((position.line, position.column), (3, 15));
    }

    #[test]
    fn finds_yaml_values_and_reports_misses() {
        let text = "service: x\noperations:\n  getUser:\n    method: GET\n";
        let position = locate(text, "/operations/getUser/method").expect("found");
        assert_eq!((position.line, position.column), (4, 5));
        assert_eq!(locate(text, "/operations/nope"), None);
    }

    #[test]
    fn finds_repeated_keys_and_aliases() {
        let text = "{\"a\": {\"k\": 1,\n \"k\": 2}}";
        let second = locate_key(text, "/a", "k", 2).expect("found");
        assert_eq!((second.line, second.column), (2, 2));
        let yaml = "a: &x [1]\nb: [*x, *x]\n";
        let alias = first_alias(yaml).expect("found");
        assert_eq!(alias.line, 2);
    }
}
