//! The validation half of the IR: what a JSON value must satisfy, keyword by keyword.
//!
//! It mirrors JSON Schema rather than Rust types, so that any keyword can be added without
//! touching the type half ([`super::types`]); emission turns it into straight-line checks
//! over `serde_json::Value`.

use serde_json::Value;

use super::types::TypeId;

/// A subschema as validation sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Schema {
    /// `true` or `{}`: every value is valid.
    Any,
    /// `false`: no value is valid.
    Nothing,
    Rules(Box<Rules>),
}

impl Schema {
    /// A schema that only defers to a named type's validation.
    pub fn reference(id: TypeId) -> Schema {
        Schema::Rules(Box::new(Rules {
            reference: Some(id),
            ..Rules::default()
        }))
    }
}

impl Rules {
    /// The subschemas applied to the same value as this one and whose annotations count
    /// (`allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`, `dependentSchemas`; not `not`).
    pub fn in_place_subschemas(&self) -> impl Iterator<Item = &Schema> {
        self.all_of
            .iter()
            .chain(&self.any_of)
            .chain(&self.one_of)
            .chain(self.condition.iter().flat_map(Condition::branches))
            .chain(
                self.object
                    .dependent_schemas
                    .iter()
                    .map(|(_, schema)| schema),
            )
    }

    /// Every direct subschema: the in-place ones, `not`, and those applied to properties,
    /// property names and items.
    pub fn subschemas(&self) -> impl Iterator<Item = &Schema> {
        let object = &self.object;
        let array = &self.array;
        self.in_place_subschemas()
            .chain(self.not.iter())
            .chain(object.properties.iter().map(|(_, schema)| schema))
            .chain(object.pattern_properties.iter().map(|(_, schema)| schema))
            .chain(object.additional.iter())
            .chain(object.property_names.iter())
            .chain(object.unevaluated.iter())
            .chain(array.prefix_items.iter())
            .chain(array.items.iter())
            .chain(array.contains.iter())
            .chain(array.unevaluated.iter())
    }
}

/// The JSON types of the `type` keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonType {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    pub fn parse(name: &str) -> Option<JsonType> {
        Some(match name {
            "null" => JsonType::Null,
            "boolean" => JsonType::Boolean,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "string" => JsonType::String,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Boolean => "boolean",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::String => "string",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }
}

/// Every assertion of one schema object. Absent keywords are `None`/empty.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rules {
    /// `type`: the allowed JSON types, sorted and deduplicated.
    pub types: Option<Vec<JsonType>>,
    /// `$ref` to a schema lowered as a named type.
    pub reference: Option<TypeId>,
    pub enumeration: Option<Vec<Value>>,
    pub constant: Option<Value>,
    pub string: StringRules,
    pub number: NumberRules,
    pub array: ArrayRules,
    pub object: ObjectRules,
    pub all_of: Vec<Schema>,
    pub any_of: Vec<Schema>,
    pub one_of: Vec<Schema>,
    /// A `oneOf` whose branches are told apart by a constant property: checked by looking
    /// the branch up instead of trying each.
    pub discriminator: Option<Discriminator>,
    pub not: Option<Schema>,
    pub condition: Option<Condition>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct StringRules {
    /// In Unicode code points.
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<PatternRule>,
    pub format: Option<String>,
}

impl StringRules {
    pub fn is_empty(&self) -> bool {
        self == &StringRules::default()
    }
}

/// A numeric bound, kept as written so integers stay exact.
pub type Bound = serde_json::Number;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NumberRules {
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub exclusive_minimum: Option<Bound>,
    pub exclusive_maximum: Option<Bound>,
    pub multiple_of: Option<Bound>,
}

impl NumberRules {
    pub fn is_empty(&self) -> bool {
        self == &NumberRules::default()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArrayRules {
    pub prefix_items: Vec<Schema>,
    /// Applies to every item after `prefix_items`.
    pub items: Option<Schema>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub contains: Option<Schema>,
    pub min_contains: Option<u64>,
    pub max_contains: Option<u64>,
    /// `unevaluatedItems`: applies to every item no other keyword of this schema, nor any
    /// subschema applied in place (`allOf`, `$ref`, a matching `anyOf` branch, …), evaluated.
    pub unevaluated: Option<Schema>,
}

impl ArrayRules {
    pub fn is_empty(&self) -> bool {
        self == &ArrayRules::default()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectRules {
    pub properties: Vec<(String, Schema)>,
    pub required: Vec<String>,
    pub pattern_properties: Vec<(PatternRule, Schema)>,
    /// Applies to properties matched by neither `properties` nor `pattern_properties`.
    pub additional: Option<Schema>,
    pub property_names: Option<Schema>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    /// `dependentRequired`: when the key is present, these must be too.
    pub dependent_required: Vec<(String, Vec<String>)>,
    /// `dependentSchemas`: when the key is present, the whole object must match.
    pub dependent_schemas: Vec<(String, Schema)>,
    /// `unevaluatedProperties`: applies to every property no other keyword of this schema,
    /// nor any subschema applied in place, evaluated.
    pub unevaluated: Option<Schema>,
}

impl ObjectRules {
    pub fn is_empty(&self) -> bool {
        self == &ObjectRules::default()
    }
}

/// `if` / `then` / `else`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub test: Schema,
    pub then: Option<Schema>,
    pub otherwise: Option<Schema>,
}

impl Condition {
    /// `if`, then `then` and `else` where present.
    pub fn branches(&self) -> impl Iterator<Item = &Schema> {
        std::iter::once(&self.test)
            .chain(self.then.iter())
            .chain(self.otherwise.iter())
    }
}

/// How the branches of a tagged `oneOf` are told apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    /// The property holding the tag, e.g. `channel`.
    pub property: String,
    /// Tag value → index into `one_of`.
    pub branches: Vec<(String, usize)>,
}

/// A regular expression from a contract: as written, and as the Rust `regex` crate must
/// see it to keep ECMA-262's meaning (`\d` and `\w` are ASCII-only there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternRule {
    pub source: String,
    pub regex: String,
}
