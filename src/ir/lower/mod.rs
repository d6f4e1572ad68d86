//! Stage 2: lowering loaded schemas into the IR.
//!
//! Every semantic check and every "unsupported" error lives here, so emission cannot fail.
//! Named types are lowered from a work list rather than by recursion, so long `$ref` chains
//! cost no stack; only a document's own nesting (bounded by the parser) recurses.

mod keywords;
mod merge;
mod rules;
mod shape;

use std::collections::{BTreeMap, VecDeque};

use serde_json::Value;

use super::naming::{type_name, NameTable};
use super::schema::Schema;
use super::types::{Shape, TypeDef, TypeExpr, TypeId};
use crate::error::{ContractError, Error};
use crate::load::{DocumentStore, SchemaRef};

pub use keywords::KNOWN_FORMATS;
pub(crate) use shape::PendingShape;

/// What to do with keywords JSON Schema does not define.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownKeywords {
    /// An error: in contracts, an unknown keyword is almost always a typo (`maxLenght`).
    Reject,
    /// Ignored, as JSON Schema prescribes: for third-party schemas in `types` mode.
    Ignore,
}

/// What `format` means: JSON Schema 2020-12 makes it an annotation unless the
/// format-assertion vocabulary is on; contracts want it checked, as Zod does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Formats {
    /// Known formats are checked, and `uuid` becomes `Uuid`.
    #[default]
    Assert,
    /// Formats only document the value: no check, and plain `String`s.
    Annotate,
}

/// How deeply inline schemas may nest before lowering refuses.
pub const MAX_DEPTH: usize = crate::load::MAX_NESTING;

/// A named type as the work list leaves it: shape still to be resolved, validation
/// schema, doc text and examples.
type LoweredType = (PendingShape, Schema, Option<String>, Vec<Value>);

/// Lowers schemas into named types; one per crate or module being generated.
pub struct Lowerer<'s> {
    pub(crate) store: &'s DocumentStore,
    pub(crate) unknown_keywords: UnknownKeywords,
    pub(crate) formats: Formats,
    names: NameTable,
    /// Claimed names, by id, known before the type itself is lowered.
    type_names: Vec<String>,
    sources: Vec<SchemaRef>,
    pending: Vec<Option<LoweredType>>,
    by_location: BTreeMap<SchemaRef, TypeId>,
    queue: VecDeque<TypeId>,
    pub(crate) depth: usize,
    /// Above zero while lowering subschemas that only validate (`not`, `if`, `contains`, …):
    /// they never need Rust types of their own.
    validation_only: usize,
}

impl<'s> Lowerer<'s> {
    pub fn new(
        store: &'s DocumentStore,
        unknown_keywords: UnknownKeywords,
        formats: Formats,
    ) -> Self {
        Self {
            store,
            unknown_keywords,
            formats,
            names: NameTable::new(),
            type_names: Vec::new(),
            sources: Vec::new(),
            pending: Vec::new(),
            by_location: BTreeMap::new(),
            queue: VecDeque::new(),
            depth: 0,
            validation_only: 0,
        }
    }

    /// Reserves a name that generated code needs for itself in this namespace.
    pub fn reserve_name(&mut self, name: &str) {
        self.names.claim(name, "");
    }

    /// The named type for the schema at `at`, lowered later from the work list.
    /// `hint` is the preferred name; clashes are resolved deterministically.
    pub fn named_type(&mut self, at: &SchemaRef, hint: &str) -> Result<TypeId, Error> {
        if let Some(id) = self.by_location.get(at) {
            return Ok(*id);
        }
        if self.store.value(at).is_none() {
            return Err(self.error(
                at,
                ContractError::Invalid("no schema at this location".into()),
            ));
        }
        let id = TypeId(self.type_names.len());
        let qualifier = type_name(&self.document_stem(at));
        let name = self.names.claim(&type_name(hint), &qualifier);
        self.type_names.push(name);
        self.sources.push(at.clone());
        self.pending.push(None);
        self.by_location.insert(at.clone(), id);
        self.queue.push_back(id);
        Ok(id)
    }

    /// Lowers the named type `id` under exactly `name` (used for a standalone root).
    pub fn named_type_exactly(&mut self, at: &SchemaRef, name: &str) -> Result<TypeId, Error> {
        if self.names.contains(name) {
            return Err(self.error(
                at,
                ContractError::NameCollision(format!("`{name}` is already taken")),
            ));
        }
        self.named_type(at, name)
    }

    /// The hint for a `$ref` target: its `$defs` key, else its last pointer token, else
    /// its document's name.
    pub fn hint_for(&self, at: &SchemaRef) -> String {
        let tokens = crate::load::pointer::split_pointer(&at.pointer).unwrap_or_default();
        match tokens.iter().rev().find(|token| {
            !token.chars().all(|c| c.is_ascii_digit())
                && !matches!(
                    token.as_str(),
                    "items" | "properties" | "$defs" | "definitions" | "allOf" | "anyOf" | "oneOf"
                )
        }) {
            Some(token) => token.clone(),
            None => self.document_stem(at),
        }
    }

    fn document_stem(&self, at: &SchemaRef) -> String {
        let name = &self.store.document(at.doc).display_name;
        let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
        file.split('.').next().unwrap_or(file).to_owned()
    }

    pub(crate) fn type_name_of(&self, id: TypeId) -> &str {
        &self.type_names[id.0]
    }

    pub(crate) fn error(&self, at: &SchemaRef, kind: ContractError) -> Error {
        Error::contract(crate::load::location_of(self.store, at), kind)
    }

    /// Lowers everything queued, then resolves merged shapes. Returns the named types in
    /// id order.
    pub fn finish(mut self) -> Result<Vec<TypeDef>, Error> {
        while let Some(id) = self.queue.pop_front() {
            let at = self.sources[id.0].clone();
            let lowered = self.lower_named(id, &at)?;
            self.pending[id.0] = Some(lowered);
        }
        let mut pending = Vec::with_capacity(self.pending.len());
        for (index, entry) in std::mem::take(&mut self.pending).into_iter().enumerate() {
            let Some(entry) = entry else {
                return Err(Error::Internal(format!(
                    "type `{}` was never lowered",
                    self.type_names[index]
                )));
            };
            pending.push(entry);
        }
        let shapes: Vec<&PendingShape> = pending.iter().map(|entry| &entry.0).collect();
        let docs: Vec<Option<String>> = pending.iter().map(|entry| entry.2.clone()).collect();
        let resolved =
            merge::resolve_shapes(&shapes, &self.type_names, &docs).map_err(|(id, kind)| {
                Error::contract(
                    crate::load::location_of(self.store, &self.sources[id.0]),
                    kind,
                )
            })?;
        let schemas: Vec<&Schema> = pending.iter().map(|entry| &entry.1).collect();
        let mut resolved = resolved;
        merge::mark_nullable_references(&mut resolved, &merge::explicitly_nullable(&schemas));
        if let Some(cycle) = merge::find_reference_cycle(&schemas) {
            let chain = cycle
                .iter()
                .chain(cycle.first())
                .map(|id| {
                    format!(
                        "`{}` ({})",
                        self.type_names[id.0], self.sources[id.0].pointer
                    )
                })
                .collect::<Vec<_>>()
                .join(" -> ");
            return Err(Error::contract(
                crate::load::location_of(self.store, &self.sources[cycle[0].0]),
                ContractError::RefCycle(format!(
                    "{chain}; validating it would never reach a property or an item"
                )),
            ));
        }
        Ok(pending
            .into_iter()
            .zip(resolved)
            .enumerate()
            .map(|(index, ((_, schema, doc, examples), shape))| TypeDef {
                name: self.type_names[index].clone(),
                doc,
                source: self.source_text(&self.sources[index]),
                shape,
                schema,
                examples,
            })
            .collect())
    }

    fn source_text(&self, at: &SchemaRef) -> String {
        let file = &self.store.document(at.doc).display_name;
        format!("{file}#{}", at.pointer)
    }

    fn lower_named(&mut self, id: TypeId, at: &SchemaRef) -> Result<LoweredType, Error> {
        let store = self.store;
        let value = store
            .value(at)
            .ok_or_else(|| self.error(at, ContractError::Invalid("schema vanished".into())))?;
        let object = match value {
            Value::Bool(true) => {
                return Ok((
                    PendingShape::Done(Shape::Newtype(TypeExpr::Any)),
                    Schema::Any,
                    None,
                    Vec::new(),
                ))
            }
            Value::Bool(false) => {
                return Ok((
                    PendingShape::Done(Shape::Newtype(TypeExpr::Any)),
                    Schema::Nothing,
                    None,
                    Vec::new(),
                ))
            }
            Value::Object(object) => object,
            _ => {
                return Err(self.error(
                    at,
                    ContractError::Invalid("a schema must be an object or a boolean".into()),
                ))
            }
        };
        let name = self.type_names[id.0].clone();
        let lowered = self.rules(at, object, &name)?;
        let shape = self.shape(object, &lowered)?;
        let doc = doc_text(object);
        let examples = object
            .get("examples")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok((shape, Schema::Rules(Box::new(lowered.rules)), doc, examples))
    }

    /// Lowers a subschema used inside another (a property, an item, a branch): named types
    /// for what needs a Rust type of its own, inline rules for the rest.
    pub fn subschema(&mut self, at: &SchemaRef, hint: &str) -> Result<(Schema, TypeExpr), Error> {
        let store = self.store;
        let value = store
            .value(at)
            .ok_or_else(|| self.error(at, ContractError::Invalid("schema vanished".into())))?;
        let object = match value {
            Value::Bool(true) => return Ok((Schema::Any, TypeExpr::Any)),
            Value::Bool(false) => return Ok((Schema::Nothing, TypeExpr::Any)),
            Value::Object(object) => object,
            _ => {
                return Err(self.error(
                    at,
                    ContractError::Invalid("a schema must be an object or a boolean".into()),
                ))
            }
        };
        if object.is_empty() {
            return Ok((Schema::Any, TypeExpr::Any));
        }
        if self.is_reference_only(at, object) {
            let reference = object.get("$ref").and_then(Value::as_str).unwrap_or("");
            let target = self
                .store
                .resolve(at, reference)
                .map_err(|kind| self.error(&child(at, "$ref"), kind))?;
            let hint = self.hint_for(&target);
            let id = self.named_type(&target, &hint)?;
            return Ok((Schema::reference(id), TypeExpr::Named(id)));
        }
        if self.validation_only == 0 && shape::wants_named_type(object) {
            let id = self.named_type(at, hint)?;
            return Ok((Schema::reference(id), TypeExpr::Named(id)));
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(at, ContractError::TooDeep(MAX_DEPTH)));
        }
        let lowered = self.rules(at, object, hint);
        self.depth -= 1;
        let lowered = lowered?;
        let ty = shape::inline_type(object, &lowered);
        Ok((Schema::Rules(Box::new(lowered.rules)), ty))
    }

    /// Lowers a subschema that only constrains the value (the branches of `not`, `if`,
    /// `contains`, …): its rules are inlined and no Rust types are made for it.
    pub fn validation_subschema(&mut self, at: &SchemaRef, hint: &str) -> Result<Schema, Error> {
        self.validation_only += 1;
        let lowered = self.subschema(at, hint);
        self.validation_only -= 1;
        lowered.map(|(schema, _)| schema)
    }

    /// A `$ref` with nothing beside it but annotations (or any `$ref` in draft-07, where
    /// siblings are ignored).
    fn is_reference_only(&self, at: &SchemaRef, object: &serde_json::Map<String, Value>) -> bool {
        if !object.contains_key("$ref") {
            return false;
        }
        if self.store.dialect(at.doc).ref_overrides_siblings() {
            return true;
        }
        object.keys().all(|keyword| {
            keyword == "$ref"
                || (keywords::ANNOTATIONS.contains(&keyword.as_str())
                    && keyword != "$id"
                    && keyword != "$defs"
                    && keyword != "definitions")
        })
    }
}

/// The pointer of `token` under `at`.
pub(crate) fn child(at: &SchemaRef, token: &str) -> SchemaRef {
    SchemaRef {
        doc: at.doc,
        pointer: crate::load::pointer::join(&at.pointer, token),
    }
}

/// Doc text from `title` and `description`.
pub(crate) fn doc_text(object: &serde_json::Map<String, Value>) -> Option<String> {
    let title = object.get("title").and_then(Value::as_str);
    let description = object.get("description").and_then(Value::as_str);
    match (title, description) {
        (Some(title), Some(description)) => Some(format!("{title}\n\n{description}")),
        (Some(text), None) | (None, Some(text)) => Some(text.to_owned()),
        (None, None) => None,
    }
}
