//! One contract file: its text, its parsed value and the URI it is known by.

use std::fmt;

use std::cell::RefCell;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use url::Url;

use super::pointer::join;
use crate::error::{ContractError, Error, Location, Position};

/// The syntax a file is written in, told by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

impl Syntax {
    /// `.yaml`/`.yml` are YAML; everything else is read as JSON.
    pub fn from_file_name(name: &str) -> Syntax {
        if name.ends_with(".yaml") || name.ends_with(".yml") {
            Syntax::Yaml
        } else {
            Syntax::Json
        }
    }
}

/// A parsed contract file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The name shown in messages, e.g. `schemas/user/types.schema.json`.
    pub display_name: String,
    /// The URI the file is retrieved by; relative references resolve against it.
    pub retrieval_uri: Url,
    pub syntax: Syntax,
    pub text: String,
    pub value: Value,
}

impl Document {
    /// Parses `text`; syntax errors, duplicate keys and excessive nesting are reported with
    /// their line and column.
    pub fn parse(
        display_name: String,
        retrieval_uri: Url,
        syntax: Syntax,
        text: String,
    ) -> Result<Document, Error> {
        let value =
            match syntax {
                Syntax::Json => parse_json(&text)
                    .map_err(|failure| parse_failure(&display_name, &text, failure))?,
                Syntax::Yaml => parse_yaml(&text)
                    .map_err(|failure| parse_failure(&display_name, &text, failure))?,
            };
        Ok(Document {
            display_name,
            retrieval_uri,
            syntax,
            text,
            value,
        })
    }

    /// A location inside this document, with line:column looked up from the source text.
    pub fn location(&self, pointer: &str) -> Location {
        Location {
            file: self.display_name.clone(),
            position: super::locate::locate(&self.text, pointer),
            pointer: pointer.to_owned(),
        }
    }
}

fn parse_failure(file: &str, text: &str, failure: ParseFailure) -> Error {
    let ParseFailure { kind, position } = failure;
    let (position, pointer) = match &kind {
        ContractError::DuplicateKey { container, key } => (
            super::locate::locate_key(text, container, key, 2).or(position),
            super::pointer::join(container, key),
        ),
        ContractError::AliasExpansion => {
            (super::locate::first_alias(text).or(position), String::new())
        }
        _ => (position, String::new()),
    };
    Error::contract(
        Location {
            file: file.to_owned(),
            position,
            pointer,
        },
        kind,
    )
}

/// Why a file did not parse, and where the parser stopped.
struct ParseFailure {
    kind: ContractError,
    position: Option<Position>,
}

/// The parsers' nesting limit (serde_json's and serde_yaml's alike).
pub const MAX_NESTING: usize = 128;

impl ParseFailure {
    /// Turns a parser message into a typed reason; the duplicate key seen by the strict
    /// visitor, if any, wins over the message the parser wrapped around it.
    fn new(
        message: String,
        position: Option<Position>,
        duplicate: Option<(String, String)>,
    ) -> Self {
        let kind = if let Some((container, key)) = duplicate {
            ContractError::DuplicateKey { container, key }
        } else if message.contains("recursion limit exceeded") {
            ContractError::TooDeep(MAX_NESTING)
        } else if message.contains("repetition limit exceeded") {
            ContractError::AliasExpansion
        } else {
            ContractError::Syntax(strip_position_suffix(message))
        };
        ParseFailure { kind, position }
    }
}

fn parse_json(text: &str) -> Result<Value, ParseFailure> {
    let duplicate = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let seed = StrictSeed {
        pointer: String::new(),
        duplicate: &duplicate,
    };
    seed.deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value))
        .map_err(|error| {
            let position = (error.line() > 0).then(|| Position {
                line: error.line(),
                column: error.column(),
            });
            ParseFailure::new(error.to_string(), position, duplicate.take())
        })
}

fn parse_yaml(text: &str) -> Result<Value, ParseFailure> {
    let duplicate = RefCell::new(None);
    let seed = StrictSeed {
        pointer: String::new(),
        duplicate: &duplicate,
    };
    seed.deserialize(serde_yaml::Deserializer::from_str(text))
        .map_err(|error| {
            let position = error.location().map(|location| Position {
                line: location.line(),
                column: location.column(),
            });
            ParseFailure::new(error.to_string(), position, duplicate.take())
        })
}

/// serde's messages end in " at line L column C"; the location is printed separately.
fn strip_position_suffix(message: String) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message,
    }
}

/// Deserializes a JSON value that refuses duplicate object keys (which serde_json would
/// silently collapse), tracking the pointer so a duplicate can be reported where it is.
struct StrictSeed<'c> {
    pointer: String,
    /// `(pointer of the object, key)` of the first duplicate found.
    duplicate: &'c RefCell<Option<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for StrictSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("number {v} is not representable in JSON")))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let seed = StrictSeed {
                pointer: join(&self.pointer, &items.len().to_string()),
                duplicate: self.duplicate,
            };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(MapKey(key)) = map.next_key()? {
            let seed = StrictSeed {
                pointer: join(&self.pointer, &key),
                duplicate: self.duplicate,
            };
            let value = map.next_value_seed(seed)?;
            if object.contains_key(&key) {
                self.duplicate
                    .borrow_mut()
                    .get_or_insert_with(|| (self.pointer.clone(), key.clone()));
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// An object key; YAML allows scalars other than strings (`200:`), which become their text.
struct MapKey(String);

impl<'de> Deserialize<'de> for MapKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = MapKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_str<E>(self, v: &str) -> Result<MapKey, E> {
                Ok(MapKey(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<MapKey, E> {
                Ok(MapKey(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<MapKey, E> {
                Ok(MapKey(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<MapKey, E> {
                Ok(MapKey(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<MapKey, E> {
                Ok(MapKey(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<MapKey, E> {
                Ok(MapKey(v.to_string()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri() -> Url {
        Url::parse("file:///t.json").expect("static URI")
    }

    #[test]
    fn duplicate_json_keys_are_rejected_with_position() {
        let error = Document::parse(
            "t.json".into(),
            uri(),
            Syntax::Json,
            "{\n  \"a\": 1,\n  \"a\": 2\n}".into(),
        )
        .expect_err("duplicate key");
        let text = error.to_string();
        assert_eq!(
            text,
            "t.json:3:3 at /a: duplicate key `a`: it appears twice in the same object"
        );
    }

    #[test]
    fn yaml_integer_keys_become_strings() {
        let document = Document::parse("t.yaml".into(), uri(), Syntax::Yaml, "200: ok\n".into())
            .expect("valid YAML");
        assert_eq!(document.value["200"], "ok");
    }
}
