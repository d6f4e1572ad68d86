//! Explicit TypeScript types, for the schemas on a reference cycle: TypeScript cannot infer
//! a constant's type from an initializer that mentions the constant, so these types are
//! written out and the schema is declared as `z.ZodType<T>`. They describe what parsing
//! returns (defaults filled in), as `z.infer` would.

use std::collections::BTreeMap;

use serde_json::Value;

use super::literal;
use crate::ir::{JsonType, Presence, Rules, Schema, Shape, TypeDef};

/// Writes the type of what a schema's parse returns.
pub struct TypeWriter<'a> {
    pub types: &'a [TypeDef],
}

/// Which side of parsing a type describes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// What parsing returns: defaulted properties are present.
    Output,
    /// What parsing accepts: defaulted properties may be absent.
    Input,
}

impl TypeWriter<'_> {
    /// The type of what parsing `def`'s schema returns or, with `input`, accepts.
    pub fn type_of(&self, def: &TypeDef, input: bool) -> String {
        let side = if input { Side::Input } else { Side::Output };
        let defaults: BTreeMap<&str, &Value> = match &def.shape {
            Shape::Struct(shape) => shape
                .fields
                .iter()
                .filter_map(|field| match &field.presence {
                    Presence::Defaulted(value) => Some((field.wire_name.as_str(), value)),
                    _ => None,
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        self.schema(&def.schema, &defaults, side, 0)
    }

    fn schema(
        &self,
        schema: &Schema,
        defaults: &BTreeMap<&str, &Value>,
        side: Side,
        indent: usize,
    ) -> String {
        match schema {
            Schema::Any => "unknown".to_owned(),
            Schema::Nothing => "never".to_owned(),
            Schema::Rules(rules) => self.rules(rules, defaults, side, indent),
        }
    }

    fn rules(
        &self,
        rules: &Rules,
        defaults: &BTreeMap<&str, &Value>,
        side: Side,
        indent: usize,
    ) -> String {
        let none = BTreeMap::new();
        let mut parts = Vec::new();
        if let Some(id) = rules.reference {
            let name = &self.types[id.0].name;
            parts.push(match side {
                Side::Output => name.clone(),
                Side::Input => format!("{name}Input"),
            });
        }
        if let Some(constant) = &rules.constant {
            parts.push(literal::json(constant));
        } else if let Some(values) = &rules.enumeration {
            let listed: Vec<String> = values.iter().map(literal::json).collect();
            parts.push(alternatives(listed));
        } else if let Some(types) = &rules.types {
            let listed: Vec<String> = types
                .iter()
                .filter(|ty| !(**ty == JsonType::Integer && types.contains(&JsonType::Number)))
                .map(|ty| match ty {
                    JsonType::Null => "null".to_owned(),
                    JsonType::Boolean => "boolean".to_owned(),
                    JsonType::Integer | JsonType::Number => "number".to_owned(),
                    JsonType::String => "string".to_owned(),
                    JsonType::Array => {
                        let items = rules
                            .array
                            .items
                            .as_ref()
                            .map_or("unknown".to_owned(), |items| {
                                self.schema(items, &none, side, indent)
                            });
                        format!("Array<{items}>")
                    }
                    JsonType::Object => self.object(rules, defaults, side, indent),
                })
                .collect();
            parts.push(alternatives(listed));
        }
        for branch in &rules.all_of {
            parts.push(self.schema(branch, defaults, side, indent));
        }
        for branches in [&rules.any_of, &rules.one_of] {
            if !branches.is_empty() {
                let listed: Vec<String> = branches
                    .iter()
                    .map(|branch| self.schema(branch, &none, side, indent))
                    .collect();
                parts.push(alternatives(listed));
            }
        }
        if parts.is_empty() {
            return "unknown".to_owned();
        }
        parts.join(" & ")
    }

    fn object(
        &self,
        rules: &Rules,
        defaults: &BTreeMap<&str, &Value>,
        side: Side,
        indent: usize,
    ) -> String {
        let object = &rules.object;
        let none = BTreeMap::new();
        let additional = match &object.additional {
            Some(Schema::Nothing) => None,
            Some(values) => Some(self.schema(values, &none, side, indent)),
            None if object.properties.is_empty() && object.required.is_empty() => {
                Some("unknown".to_owned())
            }
            None => None,
        };
        if object.properties.is_empty() && object.required.is_empty() {
            return match additional {
                Some(values) => format!("Record<string, {values}>"),
                None => "Record<string, never>".to_owned(),
            };
        }
        let pad = " ".repeat(indent + 2);
        let mut fields = String::new();
        for (name, schema) in &object.properties {
            let present = object.required.contains(name)
                || (side == Side::Output && defaults.contains_key(name.as_str()));
            fields.push_str(&format!(
                "{pad}{}{}: {};\n",
                literal::property_key(name),
                if present { "" } else { "?" },
                self.schema(schema, &none, side, indent + 2)
            ));
        }
        for name in &object.required {
            if !object.properties.iter().any(|(known, _)| known == name) {
                let value = additional.as_deref().unwrap_or(match object.additional {
                    Some(Schema::Nothing) => "never",
                    _ => "unknown",
                });
                fields.push_str(&format!("{pad}{}: {value};\n", literal::property_key(name)));
            }
        }
        let body = format!("{{\n{fields}{}}}", " ".repeat(indent));
        match additional {
            Some(values) => format!("{body} & Record<string, {values}>"),
            None => body,
        }
    }
}

/// `A | B` in parentheses (it may meet `&`), or the one type alone.
fn alternatives(mut listed: Vec<String>) -> String {
    match listed.len() {
        0 => "never".to_owned(),
        1 => listed.remove(0),
        _ => format!("({})", listed.join(" | ")),
    }
}
