//! The Rust half of a type comparison: what code using the generated crate sees.
//!
//! The wire can stay the same while the crate's API changes (a `$defs` entry renamed, a
//! `format` that turns `String` into `Uuid`), and the wire can change compatibly while the
//! API breaks (a new enum value is a new variant, which breaks every exhaustive `match`).
//! Each finding names whose build breaks, from the direction the values travel: callers
//! build requests and read responses, implementers read requests and build responses.
//! Generated structs are `#[non_exhaustive]` and built with `new(required…)` and `with_`
//! setters, so what breaks a builder is a change to `new`'s arguments or a setter, and what
//! breaks a reader is a change to a field's name or type. Enum variants ([`super::rust_variants`])
//! are built as literals and matched exhaustively.

use crate::ir::types::{IntegerWidth, StructShape};
use crate::ir::{Field, Presence, Shape, TypeDef, TypeExpr, TypeId};

use super::change::{Breaks, Level};
use super::types::{Halves, Place, TypeComparison};

/// How code outside the generated crate builds a value with fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Building {
    /// A `#[non_exhaustive]` struct: `new` takes the required fields in order, a `with_`
    /// setter takes each optional one.
    Constructor,
    /// A tagged union's struct variant, written as a literal naming every field.
    Literal,
}

/// A field as `new` sees it: required ones are its arguments.
fn in_new(field: &Field) -> bool {
    matches!(field.presence, Presence::Required)
}

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

    /// Reports a change to the generated API that breaks the build of `breaks`.
    pub(crate) fn rust(
        &mut self,
        breaks: Breaks,
        at: &Place,
        what: impl Into<String>,
        why: impl Into<String>,
    ) {
        self.report_build(Level::RustBreaking, breaks, at, what, why);
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
                Breaks::CallersAndImplementers,
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
        if self.halves == Halves::WireOnly
            || !self.rust_seen.insert((base.0, head.0, self.rust_direction))
        {
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
                Breaks::CallersAndImplementers,
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
                Breaks::CallersAndImplementers,
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
        self.rust_fields(at, owner, &base.fields, &head.fields, Building::Constructor);
        self.rust_argument_order(at, owner, &base.fields, &head.fields);
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
                "`new` starts it empty; code that builds or reads the struct keeps compiling",
            ),
            (Some(_), None) => self.rust(
                Breaks::CallersAndImplementers,
                at,
                format!("`{owner}` loses its map of additional properties"),
                "code that reads or sets the map stops compiling",
            ),
        }
        if base.object_name != head.object_name {
            self.rust(
                Breaks::CallersAndImplementers,
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

    pub(crate) fn rust_fields(
        &mut self,
        at: &Place,
        owner: &str,
        base: &[Field],
        head: &[Field],
        building: Building,
    ) {
        for base_field in base {
            let place = at.property(&base_field.wire_name);
            match head
                .iter()
                .find(|field| field.wire_name == base_field.wire_name)
            {
                Some(head_field) => {
                    let reused_by = head.iter().find(|field| {
                        field.name == base_field.name && field.wire_name != base_field.wire_name
                    });
                    self.rust_field(&place, owner, (base_field, head_field), reused_by, building)
                }
                None => self.rust(
                    Breaks::CallersAndImplementers,
                    &place,
                    format!("field `{owner}::{}` removed", base_field.name),
                    format!(
                        "code that reads `{owner}::{}` stops compiling, and so does code that \
                         builds `{owner}` with it",
                        base_field.name
                    ),
                ),
            }
        }
        for head_field in head {
            if base
                .iter()
                .any(|field| field.wire_name == head_field.wire_name)
            {
                continue;
            }
            let place = at.property(&head_field.wire_name);
            let what = format!(
                "field `{owner}::{}: {}` added",
                head_field.name,
                render_field(self.head, head_field)
            );
            let builders = self.builders();
            match building {
                Building::Literal => self.rust(
                    builders,
                    &place,
                    what,
                    format!(
                        "a union variant is built as a literal naming every field: {} that \
                         build `{owner}` stop compiling",
                        builders.who()
                    ),
                ),
                Building::Constructor if in_new(head_field) => {
                    let struct_name = owner.split("::").next().unwrap_or(owner);
                    self.rust(
                        builders,
                        &place,
                        what,
                        format!(
                            "`{struct_name}::new` gains the argument `{}`: {} that build \
                             `{struct_name}` stop compiling",
                            head_field.name,
                            builders.who()
                        ),
                    )
                }
                Building::Constructor => self.report(
                    Level::Compatible,
                    &place,
                    what,
                    format!(
                        "additive: `new` leaves it {}, `with_{}` sets it; code that builds or \
                         reads `{owner}` keeps compiling",
                        match head_field.presence {
                            Presence::Defaulted(_) => "at its default",
                            _ => "absent",
                        },
                        head_field.name.trim_matches('_')
                    ),
                ),
            }
        }
    }

    /// Compares a field present on both sides; `reused_by` is the head field that took the
    /// base field's Rust name, when another property claims it.
    fn rust_field(
        &mut self,
        at: &Place,
        owner: &str,
        (base, head): (&Field, &Field),
        reused_by: Option<&Field>,
        building: Building,
    ) {
        if base.name != head.name {
            // `new` takes required fields by position; a setter and every read use the name.
            let breaks = if building == Building::Constructor && in_new(base) && in_new(head) {
                self.readers()
            } else {
                Breaks::CallersAndImplementers
            };
            let base_type = render_field(self.base, base);
            let why = match reused_by {
                Some(other) if render_field(self.head, other) == base_type => format!(
                    "the wire name `{}` is unchanged, but `{owner}::{}` now holds `{}`, of the \
                     same type `{base_type}`: code that names it still compiles and silently \
                     uses the other property ({})",
                    head.wire_name,
                    base.name,
                    other.wire_name,
                    breaks.who()
                ),
                Some(other) => format!(
                    "the wire name `{}` is unchanged, but `{owner}::{}` now holds `{}`, of type \
                     `{}`: code that names it stops compiling ({})",
                    head.wire_name,
                    base.name,
                    other.wire_name,
                    render_field(self.head, other),
                    breaks.who()
                ),
                None => format!(
                    "the wire name `{}` is unchanged, but code that names `{}` stops compiling \
                     ({})",
                    head.wire_name,
                    base.name,
                    breaks.who()
                ),
            };
            self.rust(
                breaks,
                at,
                format!(
                    "field `{owner}::{}` renamed to `{owner}::{}`",
                    base.name, head.name
                ),
                why,
            );
        }
        let subject = Subject {
            description: format!("field `{owner}::{}`", head.name),
            base_rendered: render_field(self.base, base),
            head_rendered: render_field(self.head, head),
        };
        self.rust_presence(at, owner, base, head, building, &subject);
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

    /// A field changing between required, optional and defaulted: `new` gains or loses an
    /// argument (builders), the field's type gains or loses its `Option` (readers).
    fn rust_presence(
        &mut self,
        at: &Place,
        owner: &str,
        base: &Field,
        head: &Field,
        building: Building,
        subject: &Subject,
    ) {
        let optional = |field: &Field| matches!(field.presence, Presence::Optional);
        let type_changes = optional(base) != optional(head);
        let arguments_change = building == Building::Constructor && in_new(base) != in_new(head);
        // A literal names every field with its type: only the type matters to it.
        let builders_break = arguments_change || (building == Building::Literal && type_changes);
        let mut breaks = Breaks::Nobody;
        if builders_break {
            breaks = breaks.and(self.builders());
        }
        if type_changes {
            breaks = breaks.and(self.readers());
        }
        if breaks == Breaks::Nobody {
            return;
        }
        let presence = |field: &Field| match field.presence {
            Presence::Required => "required",
            Presence::Optional => "optional",
            Presence::Defaulted(_) => "optional with a default",
        };
        let mut effects = Vec::new();
        if arguments_change {
            let struct_name = owner.split("::").next().unwrap_or(owner);
            effects.push(if in_new(head) {
                format!("`{struct_name}::new` gains the argument `{}`", head.name)
            } else {
                format!("`{struct_name}::new` loses the argument `{}`", base.name)
            });
        }
        if type_changes {
            effects.push(format!(
                "code that builds or reads it as `{}` stops compiling",
                subject.base_rendered
            ));
        }
        self.rust(
            breaks,
            at,
            format!(
                "field `{owner}::{}` became {}: `{}` → `{}`",
                head.name,
                presence(head),
                subject.base_rendered,
                subject.head_rendered
            ),
            format!("{} ({})", effects.join("; "), breaks.who()),
        );
    }

    /// The required fields shared by both sides, in a different order: `new` takes its
    /// arguments in the new order. When the arguments' types line up anyway, old calls still
    /// compile and pass values to the wrong fields, which is worse than not compiling.
    fn rust_argument_order(&mut self, at: &Place, owner: &str, base: &[Field], head: &[Field]) {
        let required = |fields: &[Field]| -> Vec<String> {
            fields
                .iter()
                .filter(|field| in_new(field))
                .map(|field| field.wire_name.clone())
                .collect()
        };
        let (base_order, head_order) = (required(base), required(head));
        let shared = |order: &[String], other: &[String]| -> Vec<String> {
            order
                .iter()
                .filter(|name| other.contains(name))
                .cloned()
                .collect()
        };
        let (base_shared, head_shared) = (
            shared(&base_order, &head_order),
            shared(&head_order, &base_order),
        );
        if base_shared == head_shared {
            return;
        }
        let types = |types: &[TypeDef], fields: &[Field]| -> Vec<String> {
            fields
                .iter()
                .filter(|field| in_new(field))
                .map(|field| render_field(types, field))
                .collect()
        };
        let silent = types(self.base, base) == types(self.head, head);
        let builders = self.builders();
        let why = if silent {
            format!(
                "the arguments' types line up, so calls written for the old order still \
                 compile and silently pass values to the wrong fields: {} that build \
                 `{owner}` must reorder their arguments",
                builders.who()
            )
        } else {
            format!(
                "calls written for the old order stop compiling: {} that build `{owner}` \
                 must reorder their arguments",
                builders.who()
            )
        };
        self.rust(
            builders,
            at,
            format!(
                "`{owner}::new` arguments reordered: ({}) → ({})",
                base_shared.join(", "),
                head_shared.join(", ")
            ),
            why,
        );
    }
}
