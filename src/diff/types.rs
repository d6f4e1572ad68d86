//! Comparing the types at one position of an operation (its request, response, query or a
//! path parameter) in the base and the head contract.
//!
//! Two walks share this state: [`super::wire`] compares the validation schemas (what the
//! wire accepts, with a direction), [`super::rust_api`] compares the Rust shapes (what code
//! using the generated crate sees). Both follow fields into nested named types by wire
//! name, and both remember which pairs of types they already compared, so recursive types
//! end and a type reached twice is reported once per operation.

use std::collections::BTreeSet;

use crate::ir::schema::{Rules, Schema};
use crate::ir::{Operation, Shape, TypeDef, TypeExpr, TypeId};

use super::change::{Breaks, Finding, Level};

/// Which way values travel through a position, which decides whether narrowing or
/// widening the contract breaks someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Direction {
    /// Sent by callers (request body, query string, path parameters): the contract may
    /// accept more, never less.
    Request,
    /// Sent by the service: the contract may promise more, never allow more.
    Response,
}

/// Where in a position a change sits, as a readable path of wire names:
/// `request CreateWidgetRequest.price.currency`, `response WidgetList.items[].tags[]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place(pub String);

impl Place {
    pub(crate) fn new(text: impl Into<String>) -> Place {
        Place(text.into())
    }

    /// A property, by its wire name.
    pub(crate) fn property(&self, wire_name: &str) -> Place {
        Place(format!("{}.{wire_name}", self.0))
    }

    /// The items of an array.
    pub(crate) fn item(&self) -> Place {
        Place(format!("{}[]", self.0))
    }

    /// The values of a map (`additionalProperties`, `patternProperties`).
    pub(crate) fn value(&self) -> Place {
        Place(format!("{}.*", self.0))
    }

    /// A branch of a composition keyword (`allOf`, `anyOf`, `oneOf`) or a tuple slot.
    pub(crate) fn branch(&self, keyword: &str, index: usize) -> Place {
        Place(format!("{} {keyword}[{index}]", self.0))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a comparison reports Rust API changes too, or only the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Halves {
    WireAndRust,
    /// Comparing a new version with the one it succeeds: different Rust types by design.
    WireOnly,
}

/// The state of comparing one operation's types.
pub(crate) struct TypeComparison<'a> {
    pub base: &'a [TypeDef],
    pub head: &'a [TypeDef],
    pub halves: Halves,
    pub findings: Vec<Finding>,
    /// `(base type, head type, direction)` pairs whose schemas were compared.
    pub(crate) wire_seen: BTreeSet<(usize, usize, Direction)>,
    /// `(base type, head type, direction)` pairs whose Rust shapes were compared.
    pub(crate) rust_seen: BTreeSet<(usize, usize, Option<Direction>)>,
    /// Which way the values whose Rust shapes are being compared travel, which decides
    /// who builds them and who reads them; `None` for a type no operation uses, which
    /// either side may do both with.
    pub(crate) rust_direction: Option<Direction>,
    /// How many `$ref`s deep an inline-versus-reference comparison has gone; bounds it
    /// on recursive types.
    pub(crate) depth: usize,
}

/// How deep an inline-versus-reference comparison may follow references.
pub(crate) const MAX_DEREF_DEPTH: usize = 32;

impl<'a> TypeComparison<'a> {
    pub(crate) fn new(base: &'a [TypeDef], head: &'a [TypeDef], halves: Halves) -> Self {
        TypeComparison {
            base,
            head,
            halves,
            findings: Vec::new(),
            wire_seen: BTreeSet::new(),
            rust_seen: BTreeSet::new(),
            rust_direction: None,
            depth: 0,
        }
    }

    /// A fresh comparison of the same two contracts that remembers what this one already
    /// compared; used to ask whether two subschemas are equivalent without reporting.
    pub(crate) fn scratch(&self) -> TypeComparison<'a> {
        TypeComparison {
            base: self.base,
            head: self.head,
            halves: Halves::WireOnly,
            findings: Vec::new(),
            wire_seen: self.wire_seen.clone(),
            rust_seen: self.rust_seen.clone(),
            rust_direction: self.rust_direction,
            depth: self.depth,
        }
    }

    pub(crate) fn report(
        &mut self,
        level: Level,
        at: &Place,
        what: impl Into<String>,
        why: impl Into<String>,
    ) {
        if level == Level::RustBreaking && self.halves == Halves::WireOnly {
            return;
        }
        self.findings
            .push(Finding::new(level, at.as_str(), what, why));
    }

    /// Reports a change that breaks the build of `breaks`.
    pub(crate) fn report_build(
        &mut self,
        level: Level,
        breaks: Breaks,
        at: &Place,
        what: impl Into<String>,
        why: impl Into<String>,
    ) {
        if level == Level::RustBreaking && self.halves == Halves::WireOnly {
            return;
        }
        self.findings
            .push(Finding::new(level, at.as_str(), what, why).breaking(breaks));
    }

    /// Who builds the values being compared: callers build requests, implementers build
    /// responses.
    pub(crate) fn builders(&self) -> Breaks {
        match self.rust_direction {
            Some(Direction::Request) => Breaks::Callers,
            Some(Direction::Response) => Breaks::Implementers,
            None => Breaks::CallersAndImplementers,
        }
    }

    /// Who reads (and matches on) the values being compared.
    pub(crate) fn readers(&self) -> Breaks {
        match self.rust_direction {
            Some(Direction::Request) => Breaks::Implementers,
            Some(Direction::Response) => Breaks::Callers,
            None => Breaks::CallersAndImplementers,
        }
    }

    /// Compares the named types at one position (`label` is e.g. `request`), both halves.
    pub(crate) fn position(
        &mut self,
        label: &str,
        base: TypeId,
        head: TypeId,
        direction: Direction,
    ) {
        let at = Place::new(format!("{label} {}", self.base_name(base)));
        self.wire_named(&at, base, head, direction);
        let (base_expr, head_expr) = (TypeExpr::Named(base), TypeExpr::Named(head));
        let subject = self.subject(format!("the {label} type"), &base_expr, &head_expr);
        self.in_direction(direction, |comparison| {
            comparison.rust_expr(&at, &base_expr, &head_expr, &subject)
        });
    }

    /// Runs `compare` on Rust shapes travelling in `direction`.
    pub(crate) fn in_direction(&mut self, direction: Direction, compare: impl FnOnce(&mut Self)) {
        let outer = self.rust_direction.replace(direction);
        compare(self);
        self.rust_direction = outer;
    }

    pub(crate) fn base_name(&self, id: TypeId) -> &'a str {
        self.base.get(id.0).map_or("?", |def| def.name.as_str())
    }
}

/// Every named type an operation can reach (through fields, variants and schema
/// references), so that types no operation uses can be compared on their own.
pub(crate) fn reachable(types: &[TypeDef], operations: &[Operation]) -> BTreeSet<usize> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<usize> = Vec::new();
    for operation in operations {
        pending.extend(
            [operation.query, operation.request, operation.response]
                .into_iter()
                .flatten()
                .map(|id| id.0),
        );
        for param in &operation.path_params {
            expr_types(&param.ty, &mut pending);
            schema_types(&param.schema, &mut pending);
        }
        if let Some(bulk) = &operation.bulk {
            expr_types(&bulk.item, &mut pending);
        }
    }
    while let Some(id) = pending.pop() {
        let Some(def) = types.get(id) else {
            continue;
        };
        if !seen.insert(id) {
            continue;
        }
        schema_types(&def.schema, &mut pending);
        match &def.shape {
            Shape::Struct(shape) => {
                for field in &shape.fields {
                    expr_types(&field.ty, &mut pending);
                }
                if let Some(additional) = &shape.additional {
                    expr_types(additional, &mut pending);
                }
            }
            Shape::Enum(_) => {}
            Shape::Tagged(shape) => {
                for variant in &shape.variants {
                    for field in &variant.fields {
                        expr_types(&field.ty, &mut pending);
                    }
                }
            }
            Shape::Untagged(variants) => {
                for variant in variants {
                    expr_types(&variant.ty, &mut pending);
                }
            }
            Shape::Newtype(ty) => expr_types(ty, &mut pending),
        }
    }
    seen
}

fn expr_types(ty: &TypeExpr, into: &mut Vec<usize>) {
    match ty {
        TypeExpr::Named(id) => into.push(id.0),
        TypeExpr::Array(inner) | TypeExpr::Map(inner) | TypeExpr::Nullable(inner) => {
            expr_types(inner, into)
        }
        TypeExpr::Any
        | TypeExpr::Bool
        | TypeExpr::Integer(_)
        | TypeExpr::Float
        | TypeExpr::String
        | TypeExpr::Uuid => {}
    }
}

fn schema_types(schema: &Schema, into: &mut Vec<usize>) {
    if let Schema::Rules(rules) = schema {
        if let Some(id) = rules.reference {
            into.push(id.0);
        }
        for child in subschemas(rules) {
            schema_types(child, into);
        }
    }
}

/// Every subschema directly inside `rules`.
pub(crate) fn subschemas(rules: &Rules) -> Vec<&Schema> {
    let mut children: Vec<&Schema> = Vec::new();
    children.extend(rules.array.prefix_items.iter());
    children.extend(rules.array.items.iter());
    children.extend(rules.array.contains.iter());
    children.extend(rules.array.unevaluated.iter());
    children.extend(rules.object.properties.iter().map(|(_, schema)| schema));
    children.extend(
        rules
            .object
            .pattern_properties
            .iter()
            .map(|(_, schema)| schema),
    );
    children.extend(rules.object.additional.iter());
    children.extend(rules.object.property_names.iter());
    children.extend(
        rules
            .object
            .dependent_schemas
            .iter()
            .map(|(_, schema)| schema),
    );
    children.extend(rules.object.unevaluated.iter());
    children.extend(rules.all_of.iter());
    children.extend(rules.any_of.iter());
    children.extend(rules.one_of.iter());
    children.extend(rules.not.iter());
    if let Some(condition) = &rules.condition {
        children.push(&condition.test);
        children.extend(condition.then.iter());
        children.extend(condition.otherwise.iter());
    }
    children
}
