//! The Rust half of a type comparison: what code using the generated crate sees.
//!
//! The wire can stay the same while the crate's API changes (a `$defs` entry renamed, a
//! `format` that turns `String` into `Uuid`), and the wire can change compatibly while the
//! API breaks (a new enum value is a new variant, which breaks every exhaustive `match`).
//! These findings are independent of direction: both callers (who build requests and read
//! responses) and implementers (who do the reverse) compile against the same types.

use crate::ir::types::{EnumVariant, IntegerWidth, StructShape, TaggedShape, UntaggedVariant};
use crate::ir::{Field, Presence, Shape, TypeDef, TypeExpr, TypeId};

use super::change::Level;
use super::types::{Halves, Place, TypeComparison};

/// A new field is additive: code reading the type keeps compiling. Struct literals that
/// name every field need the new one, which the line says, but that alone does not make
/// a contract change breaking (the platform's rule: additive changes need no new version).
pub(crate) const NEW_FIELD_WHY: &str = "additive; struct literals that build it name the new \
     field too (generated structs have public fields and no `Default`)";

/// What a type expression belongs to, and its whole Rust type on each side, for messages.
pub(crate) struct Subject {
    pub description: String,
    pub base_rendered: String,
    pub head_rendered: String,
}

/// The Rust spelling of a type expression, as the generated code writes it (without the
/// `Box` recursion adds, which the IR does not record).
pub(crate) fn render(types: &[TypeDef], ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::Any => "Value".to_owned(),
        TypeExpr::Bool => "bool".to_owned(),
        TypeExpr::Integer(IntegerWidth::I32) => "i32".to_owned(),
        TypeExpr::Integer(IntegerWidth::I64) => "i64".to_owned(),
        TypeExpr::Integer(IntegerWidth::U64) => "u64".to_owned(),
        TypeExpr::Float => "f64".to_owned(),
        TypeExpr::String => "String".to_owned(),
        TypeExpr::Uuid => "Uuid".to_owned(),
        TypeExpr::Array(item) => format!("Vec<{}>", render(types, item)),
        TypeExpr::Map(value) if **value == TypeExpr::Any => "Map<String, Value>".to_owned(),
        TypeExpr::Map(value) => format!("BTreeMap<String, {}>", render(types, value)),
        TypeExpr::Named(id) => types
            .get(id.0)
            .map_or_else(|| "?".to_owned(), |def| def.name.clone()),
        TypeExpr::Nullable(inner) => format!("Option<{}>", render(types, inner)),
    }
}

/// A field's Rust type: optional properties are wrapped in `Option`.
pub(crate) fn render_field(types: &[TypeDef], field: &Field) -> String {
    let ty = render(types, &field.ty);
    match field.presence {
        Presence::Optional => format!("Option<{ty}>"),
        Presence::Required | Presence::Defaulted(_) => ty,
    }
}

/// What kind of Rust type a shape is, with its article.
fn shape_kind(shape: &Shape) -> &'static str {
    match shape {
        Shape::Struct(_) => "a struct",
        Shape::Enum(_) => "a string enum",
        Shape::Tagged(_) => "a tagged enum",
        Shape::Untagged(_) => "an untagged enum",
        Shape::Newtype(_) => "a newtype",
    }
}

impl<'a> TypeComparison<'a> {
    /// A subject for a whole type expression, rendered on both sides.
    pub(crate) fn subject(
        &self,
        description: impl Into<String>,
        base: &TypeExpr,
        head: &TypeExpr,
    ) -> Subject {
        Subject {
            description: description.into(),
            base_rendered: render(self.base, base),
            head_rendered: render(self.head, head),
        }
    }

    fn rust(&mut self, at: &Place, what: impl Into<String>, why: impl Into<String>) {
        self.report(Level::RustBreaking, at, what, why);
    }

    /// Compares two type expressions at the same position, following named types.
    pub(crate) fn rust_expr(
        &mut self,
        at: &Place,
        base: &TypeExpr,
        head: &TypeExpr,
        subject: &Subject,
    ) {
        match (base, head) {
            (TypeExpr::Named(base), TypeExpr::Named(head)) => self.rust_named(at, *base, *head),
            (TypeExpr::Array(base), TypeExpr::Array(head)) => {
                self.rust_expr(&at.item(), base, head, subject)
            }
            (TypeExpr::Map(base), TypeExpr::Map(head)) => {
                self.rust_expr(&at.value(), base, head, subject)
            }
            (TypeExpr::Nullable(base), TypeExpr::Nullable(head)) => {
                self.rust_expr(at, base, head, subject)
            }
            _ if render(self.base, base) == render(self.head, head) => {}
            _ => self.rust(
                at,
                format!(
                    "{} changes Rust type: `{}` → `{}`",
                    subject.description, subject.base_rendered, subject.head_rendered
                ),
                format!(
                    "code that builds or reads it as `{}` stops compiling",
                    subject.base_rendered
                ),
            ),
        }
    }

    /// Compares two named types' Rust shapes, once per pair.
    pub(crate) fn rust_named(&mut self, at: &Place, base: TypeId, head: TypeId) {
        if self.halves == Halves::WireOnly || !self.rust_seen.insert((base.0, head.0)) {
            return;
        }
        let (base_types, head_types) = (self.base, self.head);
        let (Some(base_def), Some(head_def)) = (base_types.get(base.0), head_types.get(head.0))
        else {
            return;
        };
        let owner = head_def.name.as_str();
        if base_def.name != head_def.name {
            self.rust(
                at,
                format!("type `{}` renamed to `{owner}`", base_def.name),
                format!(
                    "same place in the contract, new Rust name: code that names `{}` stops \
                     compiling",
                    base_def.name
                ),
            );
        }
        match (&base_def.shape, &head_def.shape) {
            (Shape::Struct(base_shape), Shape::Struct(head_shape)) => {
                self.rust_struct(at, owner, base_shape, head_shape)
            }
            (Shape::Enum(base_variants), Shape::Enum(head_variants)) => {
                self.rust_enum(at, owner, base_variants, head_variants)
            }
            (Shape::Tagged(base_shape), Shape::Tagged(head_shape)) => {
                self.rust_tagged(at, owner, base_shape, head_shape)
            }
            (Shape::Untagged(base_variants), Shape::Untagged(head_variants)) => {
                self.rust_untagged(at, owner, base_variants, head_variants)
            }
            (Shape::Newtype(base_inner), Shape::Newtype(head_inner)) => {
                let subject = self.subject(
                    format!("the value inside `{owner}`"),
                    base_inner,
                    head_inner,
                );
                self.rust_expr(at, base_inner, head_inner, &subject);
            }
            (base_shape, head_shape) => self.rust(
                at,
                format!(
                    "`{owner}` changes from {} to {}",
                    shape_kind(base_shape),
                    shape_kind(head_shape)
                ),
                format!(
                    "code that uses it as {} stops compiling",
                    shape_kind(base_shape)
                ),
            ),
        }
    }

    fn rust_struct(&mut self, at: &Place, owner: &str, base: &StructShape, head: &StructShape) {
        self.rust_fields(at, owner, &base.fields, &head.fields);
        match (&base.additional, &head.additional) {
            (None, None) => {}
            (Some(base_value), Some(head_value)) => {
                let subject = self.subject(
                    format!("the additional properties of `{owner}`"),
                    base_value,
                    head_value,
                );
                self.rust_expr(&at.value(), base_value, head_value, &subject);
            }
            (None, Some(_)) => self.report(
                Level::Compatible,
                at,
                format!("`{owner}` gains a map of additional properties"),
                NEW_FIELD_WHY,
            ),
            (Some(_), None) => self.rust(
                at,
                format!("`{owner}` loses its map of additional properties"),
                "code that reads or sets the map stops compiling",
            ),
        }
        if base.object_name != head.object_name {
            self.rust(
                at,
                format!(
                    "`{owner}`'s object form changes from {} to {}",
                    base.object_name
                        .as_deref()
                        .unwrap_or("none (a plain struct)"),
                    head.object_name
                        .as_deref()
                        .unwrap_or("none (a plain struct)")
                ),
                "code that names or matches the object form stops compiling",
            );
        }
    }

    fn rust_fields(&mut self, at: &Place, owner: &str, base: &[Field], head: &[Field]) {
        for base_field in base {
            let place = at.property(&base_field.wire_name);
            match head
                .iter()
                .find(|field| field.wire_name == base_field.wire_name)
            {
                Some(head_field) => self.rust_field(&place, owner, base_field, head_field),
                None => self.rust(
                    &place,
                    format!("field `{owner}::{}` removed", base_field.name),
                    format!(
                        "code that reads or sets `{owner}::{}` stops compiling",
                        base_field.name
                    ),
                ),
            }
        }
        for head_field in head {
            if !base
                .iter()
                .any(|field| field.wire_name == head_field.wire_name)
            {
                self.report(
                    Level::Compatible,
                    &at.property(&head_field.wire_name),
                    format!(
                        "field `{owner}::{}: {}` added",
                        head_field.name,
                        render_field(self.head, head_field)
                    ),
                    NEW_FIELD_WHY,
                );
            }
        }
    }

    fn rust_field(&mut self, at: &Place, owner: &str, base: &Field, head: &Field) {
        if base.name != head.name {
            self.rust(
                at,
                format!(
                    "field `{owner}::{}` renamed to `{owner}::{}`",
                    base.name, head.name
                ),
                format!(
                    "the wire name `{}` is unchanged, but code that names `{}` stops compiling",
                    head.wire_name, base.name
                ),
            );
        }
        let subject = Subject {
            description: format!("field `{owner}::{}`", head.name),
            base_rendered: render_field(self.base, base),
            head_rendered: render_field(self.head, head),
        };
        let optional = |field: &Field| matches!(field.presence, Presence::Optional);
        if optional(base) != optional(head) {
            let became = if optional(head) {
                "optional"
            } else {
                "required"
            };
            self.rust(
                at,
                format!(
                    "field `{owner}::{}` became {became}: `{}` → `{}`",
                    head.name, subject.base_rendered, subject.head_rendered
                ),
                format!(
                    "code that builds or reads it as `{}` stops compiling",
                    subject.base_rendered
                ),
            );
        }
        self.rust_expr(at, &base.ty, &head.ty, &subject);
        if let (Presence::Defaulted(base_default), Presence::Defaulted(head_default)) =
            (&base.presence, &head.presence)
        {
            if base_default != head_default {
                self.report(
                    Level::WireBreaking,
                    at,
                    format!(
                        "default of `{}` {base_default} → {head_default}",
                        head.wire_name
                    ),
                    format!(
                        "an absent `{}` now means {head_default}, but whoever receives it on the \
                         old contract fills in {base_default}",
                        head.wire_name
                    ),
                );
            }
        }
        if head.deprecated && !base.deprecated && self.halves == Halves::WireAndRust {
            self.report(
                Level::Deprecation,
                at,
                format!("property `{}` deprecated", head.wire_name),
                "still on the wire for now; move off it before it is removed",
            );
        }
    }

    fn rust_enum(&mut self, at: &Place, owner: &str, base: &[EnumVariant], head: &[EnumVariant]) {
        for base_variant in base {
            match head
                .iter()
                .find(|variant| variant.wire_value == base_variant.wire_value)
            {
                Some(head_variant) if head_variant.name != base_variant.name => self.rust(
                    at,
                    format!(
                        "variant `{owner}::{}` renamed to `{owner}::{}`",
                        base_variant.name, head_variant.name
                    ),
                    format!(
                        "code that names `{owner}::{}` stops compiling",
                        base_variant.name
                    ),
                ),
                Some(_) => {}
                None => self.rust(
                    at,
                    format!(
                        "variant `{owner}::{}` ({:?}) removed",
                        base_variant.name, base_variant.wire_value
                    ),
                    format!(
                        "code that names `{owner}::{}` stops compiling",
                        base_variant.name
                    ),
                ),
            }
        }
        for head_variant in head {
            if !base
                .iter()
                .any(|variant| variant.wire_value == head_variant.wire_value)
            {
                self.rust(
                    at,
                    format!(
                        "variant `{owner}::{}` ({:?}) added",
                        head_variant.name, head_variant.wire_value
                    ),
                    format!("an exhaustive `match` on `{owner}` stops compiling"),
                );
            }
        }
    }

    fn rust_tagged(&mut self, at: &Place, owner: &str, base: &TaggedShape, head: &TaggedShape) {
        for base_variant in &base.variants {
            let place = Place::new(format!(
                "{} ({}={})",
                at.as_str(),
                base.tag,
                base_variant.tag_value
            ));
            match head
                .variants
                .iter()
                .find(|variant| variant.tag_value == base_variant.tag_value)
            {
                Some(head_variant) => {
                    if head_variant.name != base_variant.name {
                        self.rust(
                            &place,
                            format!(
                                "variant `{owner}::{}` renamed to `{owner}::{}`",
                                base_variant.name, head_variant.name
                            ),
                            format!(
                                "code that names `{owner}::{}` stops compiling",
                                base_variant.name
                            ),
                        );
                    }
                    let variant_owner = format!("{owner}::{}", head_variant.name);
                    self.rust_fields(
                        &place,
                        &variant_owner,
                        &base_variant.fields,
                        &head_variant.fields,
                    );
                }
                None => self.rust(
                    &place,
                    format!("variant `{owner}::{}` removed", base_variant.name),
                    format!(
                        "code that names `{owner}::{}` stops compiling",
                        base_variant.name
                    ),
                ),
            }
        }
        for head_variant in &head.variants {
            if !base
                .variants
                .iter()
                .any(|variant| variant.tag_value == head_variant.tag_value)
            {
                self.rust(
                    &Place::new(format!(
                        "{} ({}={})",
                        at.as_str(),
                        head.tag,
                        head_variant.tag_value
                    )),
                    format!("variant `{owner}::{}` added", head_variant.name),
                    format!("an exhaustive `match` on `{owner}` stops compiling"),
                );
            }
        }
    }

    fn rust_untagged(
        &mut self,
        at: &Place,
        owner: &str,
        base: &[UntaggedVariant],
        head: &[UntaggedVariant],
    ) {
        for (index, (base_variant, head_variant)) in base.iter().zip(head).enumerate() {
            let place = at.branch("variant", index);
            if base_variant.name != head_variant.name {
                self.rust(
                    &place,
                    format!(
                        "variant `{owner}::{}` renamed to `{owner}::{}`",
                        base_variant.name, head_variant.name
                    ),
                    format!(
                        "code that names `{owner}::{}` stops compiling",
                        base_variant.name
                    ),
                );
            }
            let subject = self.subject(
                format!("variant `{owner}::{}`", head_variant.name),
                &base_variant.ty,
                &head_variant.ty,
            );
            self.rust_expr(&place, &base_variant.ty, &head_variant.ty, &subject);
        }
        for removed in base.iter().skip(head.len()) {
            self.rust(
                at,
                format!("variant `{owner}::{}` removed", removed.name),
                format!(
                    "code that names `{owner}::{}` stops compiling",
                    removed.name
                ),
            );
        }
        for added in head.iter().skip(base.len()) {
            self.rust(
                at,
                format!("variant `{owner}::{}` added", added.name),
                format!("an exhaustive `match` on `{owner}` stops compiling"),
            );
        }
    }
}
