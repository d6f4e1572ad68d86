//! Choosing the Rust shape of a schema: struct, enum, union or wrapper.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::rules::{AllOfPart, Lowered};
use super::{child, doc_text, Lowerer, UnknownKeywords};
use crate::error::{ContractError, Error};
use crate::ir::naming::{field_name, variant_name, NameTable};
use crate::ir::schema::JsonType;
use crate::ir::types::{
    EnumVariant, Field, IntegerWidth, Presence, Shape, TypeExpr, TypeId, UntaggedVariant,
};
use crate::load::SchemaRef;

/// A shape whose parts may depend on other types' finished shapes (`allOf` merges and
/// tagged variants copy fields), resolved once every type is lowered.
#[derive(Debug, Clone)]
pub(crate) enum PendingShape {
    Done(Shape),
    Struct {
        fields: Vec<Field>,
        /// Named types whose fields are merged in (`allOf` branches), in order.
        merge: Vec<TypeId>,
        /// Property names required by the schema or any inline `allOf` branch.
        required: Vec<String>,
        additional: Option<TypeExpr>,
        /// See [`crate::ir::types::StructShape::object_name`].
        object_name: Option<String>,
    },
    Tagged {
        tag: String,
        /// `(variant name, tag value, branch type)`.
        variants: Vec<(String, String, TypeId)>,
        /// The union's branch types, for falling back to an untagged enum.
        fallback: Vec<UntaggedVariant>,
    },
}

/// Whether a subschema needs a Rust type of its own rather than an inline type expression.
pub(crate) fn wants_named_type(object: &Map<String, Value>) -> bool {
    if object
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|properties| !properties.is_empty())
    {
        return true;
    }
    if string_enum(object).is_some() {
        return true;
    }
    if ["oneOf", "anyOf"]
        .iter()
        .any(|keyword| object.contains_key(*keyword))
        && nullable_branch(object).is_none()
    {
        return true;
    }
    object
        .get("allOf")
        .and_then(Value::as_array)
        .is_some_and(|branches| {
            branches
                .iter()
                .any(|branch| branch.get("properties").is_some() || branch.get("$ref").is_some())
        })
}

/// The values of a string-only `enum` on a schema that allows only strings.
fn string_enum(object: &Map<String, Value>) -> Option<Vec<&str>> {
    let values = object.get("enum")?.as_array()?;
    if values.is_empty() {
        return None;
    }
    match object.get("type") {
        None => {}
        Some(Value::String(name)) if name == "string" => {}
        Some(_) => return None,
    }
    values.iter().map(Value::as_str).collect()
}

/// For `anyOf`/`oneOf` of exactly one schema and `{"type": "null"}`: the index of the
/// non-null branch. Such a union is just a nullable value.
fn nullable_branch(object: &Map<String, Value>) -> Option<usize> {
    for keyword in ["anyOf", "oneOf"] {
        if let Some(branches) = object.get(keyword).and_then(Value::as_array) {
            if branches.len() == 2 {
                let is_null = |branch: &Value| {
                    branch.as_object().is_some_and(|branch| {
                        branch.len() == 1 && branch.get("type") == Some(&Value::from("null"))
                    })
                };
                match (is_null(&branches[0]), is_null(&branches[1])) {
                    (true, false) => return Some(1),
                    (false, true) => return Some(0),
                    _ => {}
                }
            }
        }
    }
    None
}

/// The Rust type of a schema that has no named type of its own.
pub(crate) fn inline_type(object: &Map<String, Value>, lowered: &Lowered) -> TypeExpr {
    if let Some(index) = nullable_branch(object) {
        let branches = if object.contains_key("anyOf") {
            &lowered.any_of_types
        } else {
            &lowered.one_of_types
        };
        if let Some(ty) = branches.get(index) {
            return TypeExpr::Nullable(Box::new(ty.clone()));
        }
    }
    let Some(types) = &lowered.rules.types else {
        if let Some(ty) = &lowered.reference_type {
            return ty.clone();
        }
        if let [AllOfPart::Type(ty)] = lowered.all_of_parts.as_slice() {
            return ty.clone();
        }
        if lowered
            .rules
            .constant
            .as_ref()
            .is_some_and(Value::is_string)
            || string_enum(object).is_some()
        {
            return TypeExpr::String;
        }
        return TypeExpr::Any;
    };
    let nullable = types.contains(&JsonType::Null);
    let non_null: Vec<JsonType> = types
        .iter()
        .copied()
        .filter(|ty| *ty != JsonType::Null)
        .collect();
    let base = match non_null.as_slice() {
        [single] => single_type(*single, object, lowered),
        [JsonType::Integer, JsonType::Number] => TypeExpr::Float,
        _ => return TypeExpr::Any,
    };
    if nullable {
        TypeExpr::Nullable(Box::new(base))
    } else {
        base
    }
}

fn single_type(ty: JsonType, object: &Map<String, Value>, lowered: &Lowered) -> TypeExpr {
    let format = object.get("format").and_then(Value::as_str);
    match ty {
        JsonType::Null => TypeExpr::Any,
        JsonType::Boolean => TypeExpr::Bool,
        JsonType::Integer => TypeExpr::Integer(match format {
            Some("int32") => IntegerWidth::I32,
            Some("uint64") => IntegerWidth::U64,
            _ => IntegerWidth::I64,
        }),
        JsonType::Number => TypeExpr::Float,
        JsonType::String if lowered.rules.string.format.as_deref() == Some("uuid") => {
            TypeExpr::Uuid
        }
        JsonType::String => TypeExpr::String,
        JsonType::Array => TypeExpr::Array(Box::new(
            lowered.items_type.clone().unwrap_or(TypeExpr::Any),
        )),
        JsonType::Object => TypeExpr::Map(Box::new(
            lowered.additional_type.clone().unwrap_or(TypeExpr::Any),
        )),
    }
}

impl Lowerer<'_> {
    pub(crate) fn shape(
        &mut self,
        at: &SchemaRef,
        object: &Map<String, Value>,
        lowered: &Lowered,
        name: &str,
    ) -> Result<PendingShape, Error> {
        let has_properties = !lowered.property_types.is_empty();
        let merges_objects = lowered.all_of_parts.iter().any(|part| match part {
            AllOfPart::Inline(..) => true,
            AllOfPart::Type(TypeExpr::Named(_)) => true,
            AllOfPart::Type(_) => false,
        });
        if has_properties || (merges_objects && wants_named_type(object)) {
            let object_name = if self.requires_object(at, object) {
                None
            } else if self.unknown_keywords == UnknownKeywords::Reject {
                return Err(self.error(
                    at,
                    ContractError::Invalid(
                        "object keywords without `\"type\": \"object\"` let every non-object \
                         value through; add `\"type\": \"object\"`"
                            .into(),
                    ),
                ));
            } else {
                Some(self.claim_name(&format!("{name}Object"), at))
            };
            return Ok(self.struct_shape(object, lowered, object_name));
        }
        if let Some(values) = string_enum(object) {
            let mut names = NameTable::new();
            let variants = values
                .iter()
                .map(|value| EnumVariant {
                    name: names.claim(&variant_name(value), ""),
                    wire_value: (*value).to_owned(),
                })
                .collect();
            return Ok(PendingShape::Done(Shape::Enum(variants)));
        }
        let union_types = if !lowered.one_of_types.is_empty() {
            &lowered.one_of_types
        } else {
            &lowered.any_of_types
        };
        if !union_types.is_empty() && nullable_branch(object).is_none() {
            if let Some(first) = union_types.first() {
                // `oneOf: [{type: integer, multipleOf: 2}, {type: integer, multipleOf: 3}]`
                // is one Rust type with a validation rule, not a two-variant enum.
                if !matches!(first, TypeExpr::Named(_)) && union_types.iter().all(|ty| ty == first)
                {
                    return Ok(PendingShape::Done(Shape::Newtype(first.clone())));
                }
            }
            let fallback = self.untagged_variants(union_types);
            if let Some(discriminator) = &lowered.rules.discriminator {
                let mut names = NameTable::new();
                let mut variants = Vec::new();
                for (tag_value, index) in &discriminator.branches {
                    if let Some(TypeExpr::Named(id)) = union_types.get(*index) {
                        variants.push((
                            names.claim(&variant_name(tag_value), ""),
                            tag_value.clone(),
                            *id,
                        ));
                    }
                }
                if variants.len() == union_types.len() {
                    return Ok(PendingShape::Tagged {
                        tag: discriminator.property.clone(),
                        variants,
                        fallback,
                    });
                }
            }
            return Ok(PendingShape::Done(Shape::Untagged(fallback)));
        }
        Ok(PendingShape::Done(Shape::Newtype(inline_type(
            object, lowered,
        ))))
    }

    fn untagged_variants(&self, types: &[TypeExpr]) -> Vec<UntaggedVariant> {
        let mut names = NameTable::new();
        types
            .iter()
            .map(|ty| {
                let base = match ty {
                    TypeExpr::Named(id) => self.type_name_of(*id).to_owned(),
                    other => describe(other),
                };
                UntaggedVariant {
                    name: names.claim(&base, ""),
                    ty: ty.clone(),
                }
            })
            .collect()
    }

    /// Whether the schema at `at` only admits objects (or `null`, which references to it
    /// carry as `Option`): its `type`, that of a schema it applies in place (`$ref`,
    /// `allOf`), or that of a schema it is a branch of (`anyOf`, `oneOf`, …) says so.
    fn requires_object(&self, at: &SchemaRef, object: &Map<String, Value>) -> bool {
        let mut seen = BTreeSet::new();
        if self.declares_object(at, object, &mut seen) {
            return true;
        }
        let mut current = at.clone();
        while let Some(parent) = in_place_parent(&current) {
            let declared = self
                .store
                .value(&parent)
                .and_then(Value::as_object)
                .is_some_and(|object| self.declares_object(&parent, object, &mut seen));
            if declared {
                return true;
            }
            current = parent;
        }
        false
    }

    /// `requires_object` looking only at the schema and what it applies in place; `seen`
    /// keeps reference cycles from being walked twice.
    fn declares_object(
        &self,
        at: &SchemaRef,
        object: &Map<String, Value>,
        seen: &mut BTreeSet<SchemaRef>,
    ) -> bool {
        let only_objects = |ty: &Value| match ty {
            Value::String(name) => name == "object",
            Value::Array(names) => names.iter().all(|name| name == "object" || name == "null"),
            _ => false,
        };
        if object.get("type").is_some_and(only_objects) {
            return true;
        }
        if !seen.insert(at.clone()) {
            return false;
        }
        let mut applied = Vec::new();
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            if let Ok(target) = self.resolve_reference(at, "$ref", reference) {
                applied.push(target);
            }
        }
        if let Some(Value::Array(branches)) = object.get("allOf") {
            for index in 0..branches.len() {
                applied.push(child(&child(at, "allOf"), &index.to_string()));
            }
        }
        applied.iter().any(|target| {
            self.store
                .value(target)
                .and_then(Value::as_object)
                .is_some_and(|object| self.declares_object(target, object, seen))
        })
    }

    fn struct_shape(
        &self,
        object: &Map<String, Value>,
        lowered: &Lowered,
        object_name: Option<String>,
    ) -> PendingShape {
        let mut fields = fields_of(object, lowered);
        let mut required = lowered.rules.object.required.clone();
        let mut merge = Vec::new();
        for part in &lowered.all_of_parts {
            match part {
                AllOfPart::Type(TypeExpr::Named(id)) => merge.push(*id),
                AllOfPart::Type(_) => {}
                AllOfPart::Inline(inner, inner_object) => {
                    for field in fields_of(inner_object, inner) {
                        if !fields
                            .iter()
                            .any(|known| known.wire_name == field.wire_name)
                        {
                            fields.push(field);
                        }
                    }
                    required.extend(inner.rules.object.required.iter().cloned());
                }
            }
        }
        let mut names = NameTable::new();
        for field in &fields {
            names.claim(&field.name, "");
        }
        for wire_name in conditional_properties(object) {
            if fields.iter().any(|field| field.wire_name == wire_name) {
                continue;
            }
            // Declared only under a condition: its schema need not hold when the condition
            // does not, so any JSON value may sit here. Kept, never dropped.
            fields.push(Field {
                name: names.claim(&field_name(&wire_name), ""),
                wire_name,
                ty: TypeExpr::Any,
                presence: Presence::Optional,
                doc: None,
                deprecated: false,
            });
        }
        // Properties matched by `patternProperties` may hold anything their patterns allow,
        // so the map keeping unlisted properties must take any value.
        let additional = if lowered.rules.object.pattern_properties.is_empty() {
            lowered.additional_type.clone()
        } else {
            Some(TypeExpr::Any)
        };
        PendingShape::Struct {
            fields,
            merge,
            required,
            additional,
            object_name,
        }
    }
}

/// Property names declared only inside `if`/`then`/`else`, `allOf`/`anyOf`/`oneOf` branches
/// or `dependentSchemas` of an object schema (not behind `$ref`), in document order.
fn conditional_properties(object: &Map<String, Value>) -> Vec<String> {
    fn push_branches<'v>(
        object: &'v Map<String, Value>,
        pending: &mut Vec<&'v Map<String, Value>>,
    ) {
        for keyword in ["if", "then", "else"] {
            if let Some(Value::Object(branch)) = object.get(keyword) {
                pending.push(branch);
            }
        }
        for keyword in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = object.get(keyword) {
                pending.extend(branches.iter().filter_map(Value::as_object));
            }
        }
        if let Some(Value::Object(schemas)) = object.get("dependentSchemas") {
            pending.extend(schemas.values().filter_map(Value::as_object));
        }
    }
    let mut found = Vec::new();
    let mut pending: Vec<&Map<String, Value>> = Vec::new();
    push_branches(object, &mut pending);
    let mut visited = 0usize;
    while let Some(branch) = pending.pop() {
        visited += 1;
        if visited > 10_000 {
            break;
        }
        if let Some(Value::Object(properties)) = branch.get("properties") {
            for name in properties.keys() {
                if !found.contains(name) {
                    found.push(name.clone());
                }
            }
        }
        push_branches(branch, &mut pending);
    }
    found
}

/// A variant name for an unnamed union member.
fn describe(ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::Any => "Value".into(),
        TypeExpr::Bool => "Boolean".into(),
        TypeExpr::Integer(_) => "Integer".into(),
        TypeExpr::Float => "Number".into(),
        TypeExpr::String => "String".into(),
        TypeExpr::Uuid => "Uuid".into(),
        TypeExpr::Array(item) => format!("{}List", describe(item)),
        TypeExpr::Map(value) => format!("{}Map", describe(value)),
        TypeExpr::Named(_) => "Named".into(),
        TypeExpr::Nullable(inner) => format!("Nullable{}", describe(inner)),
    }
}

/// The fields of an object schema's own `properties`.
fn fields_of(object: &Map<String, Value>, lowered: &Lowered) -> Vec<Field> {
    let properties = object.get("properties").and_then(Value::as_object);
    let mut names = NameTable::new();
    lowered
        .property_types
        .iter()
        .map(|(wire_name, ty)| {
            let property = properties.and_then(|properties| properties.get(wire_name));
            let property_object = property.and_then(Value::as_object);
            let presence = if lowered.rules.object.required.contains(wire_name) {
                Presence::Required
            } else {
                match property_object.and_then(|object| object.get("default")) {
                    Some(default) if default_fits(ty, default) => {
                        Presence::Defaulted(default.clone())
                    }
                    _ => Presence::Optional,
                }
            };
            Field {
                wire_name: wire_name.clone(),
                name: names.claim(&field_name(wire_name), ""),
                ty: ty.clone(),
                presence,
                doc: property_object.and_then(doc_text),
                deprecated: property_object
                    .and_then(|object| object.get("deprecated"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            }
        })
        .collect()
}

/// Whether `default` can be written as a Rust literal of type `ty` (enums are checked once
/// their variants are known).
pub(crate) fn default_fits(ty: &TypeExpr, default: &Value) -> bool {
    match (ty, default) {
        (TypeExpr::Bool, Value::Bool(_)) => true,
        (TypeExpr::Integer(IntegerWidth::I32), Value::Number(n)) => {
            n.as_i64().is_some_and(|n| i32::try_from(n).is_ok())
        }
        (TypeExpr::Integer(IntegerWidth::I64), Value::Number(n)) => n.as_i64().is_some(),
        (TypeExpr::Integer(IntegerWidth::U64), Value::Number(n)) => n.as_u64().is_some(),
        (TypeExpr::Float, Value::Number(_)) => true,
        (TypeExpr::String, Value::String(_)) => true,
        (TypeExpr::Named(_), Value::String(_)) => true,
        (TypeExpr::Array(_), Value::Array(items)) => items.is_empty(),
        _ => false,
    }
}

/// The schema `at` is an in-place branch of (`allOf`/`anyOf`/`oneOf` entry, `then`,
/// `else`): whatever it requires of the instance holds for the branch too.
fn in_place_parent(at: &SchemaRef) -> Option<SchemaRef> {
    let (parent, last) = at.pointer.rsplit_once('/')?;
    let parent = if matches!(last, "then" | "else") {
        parent
    } else if last.chars().all(|c| c.is_ascii_digit()) {
        let (grandparent, keyword) = parent.rsplit_once('/')?;
        if !matches!(keyword, "allOf" | "anyOf" | "oneOf") {
            return None;
        }
        grandparent
    } else {
        return None;
    };
    Some(SchemaRef {
        doc: at.doc,
        pointer: parent.to_owned(),
    })
}
