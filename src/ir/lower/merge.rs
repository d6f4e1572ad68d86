//! Second pass over lowered types: `allOf` field merging, tagged variants, enum defaults,
//! and the check that validation cannot recurse forever.

use crate::error::ContractError;
use crate::ir::naming::{field_name, NameTable};
use crate::ir::schema::Schema;
use crate::ir::types::{
    Field, Presence, Shape, StructShape, TaggedShape, TaggedVariant, TypeExpr, TypeId,
};

use super::shape::PendingShape;

#[derive(Clone)]
enum State {
    Unvisited,
    InProgress,
    Done(Option<StructShape>),
}

/// Turns every pending shape into a final one, in id order.
pub(crate) fn resolve_shapes(
    shapes: &[&PendingShape],
    names: &[String],
    docs: &[Option<String>],
) -> Result<Vec<Shape>, (TypeId, ContractError)> {
    let mut states = vec![State::Unvisited; shapes.len()];
    let mut resolved = Vec::with_capacity(shapes.len());
    for index in 0..shapes.len() {
        let shape = match shapes[index] {
            PendingShape::Done(shape) => shape.clone(),
            PendingShape::Struct { .. } => {
                match struct_of(TypeId(index), shapes, names, &mut states)? {
                    Some(shape) => Shape::Struct(shape),
                    None => Shape::Newtype(TypeExpr::Any),
                }
            }
            PendingShape::Tagged {
                tag,
                variants,
                fallback,
            } => {
                let mut tagged = Vec::with_capacity(variants.len());
                for (name, tag_value, id) in variants {
                    let Some(branch) = struct_of(*id, shapes, names, &mut states)? else {
                        break;
                    };
                    tagged.push(TaggedVariant {
                        name: name.clone(),
                        tag_value: tag_value.clone(),
                        doc: docs.get(id.0).cloned().flatten(),
                        fields: branch
                            .fields
                            .into_iter()
                            .filter(|field| &field.wire_name != tag)
                            .collect(),
                    });
                }
                if tagged.len() == variants.len() {
                    Shape::Tagged(TaggedShape {
                        tag: tag.clone(),
                        variants: tagged,
                    })
                } else {
                    Shape::Untagged(fallback.clone())
                }
            }
        };
        resolved.push(shape);
    }
    let enums: Vec<Option<Vec<String>>> = resolved
        .iter()
        .map(|shape| match shape {
            Shape::Enum(variants) => Some(variants.iter().map(|v| v.wire_value.clone()).collect()),
            _ => None,
        })
        .collect();
    for field in resolved.iter_mut().flat_map(fields_mut) {
        demote_unfit_default(field, &enums);
    }
    Ok(resolved)
}

/// A string default on an enum-typed field must name one of its variants.
fn demote_unfit_default(field: &mut Field, enums: &[Option<Vec<String>>]) {
    if let (TypeExpr::Named(id), Presence::Defaulted(default)) = (&field.ty, &field.presence) {
        let fits = match (enums.get(id.0), default.as_str()) {
            (Some(Some(values)), Some(value)) => values.iter().any(|known| known == value),
            _ => false,
        };
        if !fits {
            field.presence = Presence::Optional;
        }
    }
}

/// The struct a type resolves to, merging `allOf` parts; `None` when it is not an object.
fn struct_of(
    id: TypeId,
    shapes: &[&PendingShape],
    names: &[String],
    states: &mut [State],
) -> Result<Option<StructShape>, (TypeId, ContractError)> {
    match &states[id.0] {
        State::Done(shape) => return Ok(shape.clone()),
        State::InProgress => {
            return Err((
                id,
                ContractError::RefCycle(format!(
                    "`{}` includes itself through `allOf`",
                    names[id.0]
                )),
            ))
        }
        State::Unvisited => {}
    }
    states[id.0] = State::InProgress;
    let result = match shapes[id.0] {
        PendingShape::Done(Shape::Struct(shape)) => Some(shape.clone()),
        PendingShape::Done(_) | PendingShape::Tagged { .. } => None,
        PendingShape::Struct {
            fields,
            merge,
            required,
            additional,
            object_name,
        } => {
            let mut merged: Vec<Field> = fields.clone();
            let mut additional = additional.clone();
            for part in merge {
                if let Some(part) = struct_of(*part, shapes, names, states)? {
                    for field in part.fields {
                        if !merged
                            .iter()
                            .any(|known| known.wire_name == field.wire_name)
                        {
                            merged.push(field);
                        }
                    }
                    if additional.is_none() {
                        additional = part.additional;
                    }
                }
            }
            let mut field_names = NameTable::new();
            for field in &mut merged {
                if required.contains(&field.wire_name) {
                    field.presence = Presence::Required;
                }
                field.name = field_names.claim(&field_name(&field.wire_name), "");
            }
            Some(StructShape {
                fields: merged,
                additional,
                object_name: object_name.clone(),
            })
        }
    };
    states[id.0] = State::Done(result.clone());
    Ok(result)
}

/// A named type whose validation reaches itself without descending into a property or an
/// item would recurse forever on every input. Returns the types of the first such cycle,
/// in order.
pub(crate) fn find_reference_cycle(schemas: &[&Schema]) -> Option<Vec<TypeId>> {
    let edges: Vec<Vec<TypeId>> = schemas
        .iter()
        .map(|schema| {
            let mut found = Vec::new();
            same_value_references(schema, &mut found);
            found
        })
        .collect();
    // Iterative depth-first search with colours: 0 new, 1 on stack, 2 done.
    let mut colour = vec![0u8; schemas.len()];
    for start in 0..schemas.len() {
        if colour[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        colour[start] = 1;
        while let Some((node, next)) = stack.pop() {
            if let Some(target) = edges[node].get(next) {
                stack.push((node, next + 1));
                match colour.get(target.0) {
                    Some(0) => {
                        colour[target.0] = 1;
                        stack.push((target.0, 0));
                    }
                    Some(1) => {
                        let path: Vec<TypeId> =
                            stack.iter().map(|(node, _)| TypeId(*node)).collect();
                        let start = path.iter().position(|id| id == target).unwrap_or(0);
                        return Some(path[start..].to_vec());
                    }
                    _ => {}
                }
            } else {
                colour[node] = 2;
            }
        }
    }
    None
}

/// Named types validated against the *same* value as `schema` (not a child of it).
fn same_value_references(schema: &Schema, found: &mut Vec<TypeId>) {
    let Schema::Rules(rules) = schema else {
        return;
    };
    found.extend(rules.reference);
    for branch in rules.in_place_subschemas().chain(rules.not.iter()) {
        same_value_references(branch, found);
    }
}

/// Which named types accept `null` because their schema says so (`type` lists `"null"`,
/// `enum`/`const` hold it, or an `anyOf`/`oneOf` branch does). A field of such a type must
/// keep `null` apart from absent.
pub(crate) fn explicitly_nullable(schemas: &[&Schema]) -> Vec<bool> {
    fn admits(schema: &Schema, schemas: &[&Schema], visiting: &mut Vec<usize>) -> bool {
        let Schema::Rules(rules) = schema else {
            return false;
        };
        if let Some(types) = &rules.types {
            return types.contains(&crate::ir::JsonType::Null);
        }
        if rules
            .enumeration
            .as_ref()
            .is_some_and(|values| values.contains(&serde_json::Value::Null))
            || rules.constant == Some(serde_json::Value::Null)
        {
            return true;
        }
        let branch_admits = rules
            .any_of
            .iter()
            .chain(&rules.one_of)
            .any(|branch| admits(branch, schemas, visiting));
        if branch_admits {
            return true;
        }
        match rules.reference {
            Some(id) if !visiting.contains(&id.0) => {
                visiting.push(id.0);
                let found = schemas
                    .get(id.0)
                    .is_some_and(|target| admits(target, schemas, visiting));
                visiting.pop();
                found
            }
            _ => false,
        }
    }
    (0..schemas.len())
        .map(|index| admits(schemas[index], schemas, &mut vec![index]))
        .collect()
}

/// Wraps references to types that accept `null` in [`TypeExpr::Nullable`].
pub(crate) fn mark_nullable_references(shapes: &mut [Shape], nullable: &[bool]) {
    fn mark(ty: &mut TypeExpr, nullable: &[bool]) {
        match ty {
            TypeExpr::Named(id) if nullable.get(id.0).copied().unwrap_or(false) => {
                *ty = TypeExpr::Nullable(Box::new(TypeExpr::Named(*id)));
            }
            TypeExpr::Array(inner) | TypeExpr::Map(inner) => mark(inner, nullable),
            _ => {}
        }
    }
    for field in shapes.iter_mut().flat_map(fields_mut) {
        mark(&mut field.ty, nullable);
    }
}

/// Every field of a struct or of a tagged enum's variants.
fn fields_mut(shape: &mut Shape) -> Vec<&mut Field> {
    match shape {
        Shape::Struct(shape) => shape.fields.iter_mut().collect(),
        Shape::Tagged(shape) => shape
            .variants
            .iter_mut()
            .flat_map(|variant| variant.fields.iter_mut())
            .collect(),
        _ => Vec::new(),
    }
}
