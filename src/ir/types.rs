//! The type half of the IR: the Rust types a contract becomes.

use serde_json::Value;

use super::schema::Schema;

/// Index of a named type in its [`super::TypeArena`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A named Rust type, with the schema its values are validated against.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// PascalCase, unique within its crate.
    pub name: String,
    /// From the schema's `title` and `description`.
    pub doc: Option<String>,
    /// `file#pointer` the type was lowered from, for messages and doc links.
    pub source: String,
    pub shape: Shape,
    pub schema: Schema,
    /// The schema's `examples`, which generated tests parse and round-trip.
    pub examples: Vec<Value>,
}

/// What kind of Rust type a schema becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// An object with known properties.
    Struct(StructShape),
    /// A string enumeration.
    Enum(Vec<EnumVariant>),
    /// A `oneOf` told apart by a constant property: an internally tagged enum.
    Tagged(TaggedShape),
    /// Any other union: an untagged enum tried in order.
    Untagged(Vec<UntaggedVariant>),
    /// Everything else: a transparent wrapper around one type expression.
    Newtype(TypeExpr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructShape {
    pub fields: Vec<Field>,
    /// Values of properties not listed, kept when `additionalProperties` gives a schema.
    pub additional: Option<TypeExpr>,
    /// Set when the schema lets non-objects through (no `"type": "object"`): the struct
    /// takes this name and the type itself becomes an enum of it and any other value.
    pub object_name: Option<String>,
}

/// A property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property name on the wire, exactly as in the schema.
    pub wire_name: String,
    /// The snake_case Rust field name.
    pub name: String,
    pub ty: TypeExpr,
    pub presence: Presence,
    pub doc: Option<String>,
    /// The property schema says `deprecated: true`.
    pub deprecated: bool,
}

/// Whether a property must be present, and what absence means.
#[derive(Debug, Clone, PartialEq)]
pub enum Presence {
    Required,
    Optional,
    /// Optional, with this value used when absent (Zod's `.default()`).
    Defaulted(Value),
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub name: String,
    pub wire_value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedShape {
    /// The tag property, e.g. `type`.
    pub tag: String,
    pub variants: Vec<TaggedVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    pub name: String,
    pub tag_value: String,
    pub doc: Option<String>,
    /// The branch's properties other than the tag.
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    pub name: String,
    pub ty: TypeExpr,
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeExpr {
    /// Any JSON value.
    Any,
    Bool,
    Integer(IntegerWidth),
    Float,
    String,
    Uuid,
    Array(Box<TypeExpr>),
    /// A JSON object used as a map from property name to value.
    Map(Box<TypeExpr>),
    Named(TypeId),
    /// The value or `null`.
    Nullable(Box<TypeExpr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntegerWidth {
    I32,
    I64,
    U64,
}

impl TypeExpr {
    pub fn is_nullable(&self) -> bool {
        matches!(self, TypeExpr::Nullable(_))
    }
}
