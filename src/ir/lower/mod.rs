//! Stage 2: lowering loaded schemas into the IR.
//!
//! Every semantic check and every "unsupported" error lives here, so emission cannot fail.
//! Named types are lowered from a work list rather than by recursion, so long `$ref` chains
//! cost no stack; only a document's own nesting (bounded by the parser) recurses.

mod examples;
mod intent;
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

/// The `$dynamicAnchor`s in scope: for each name, the outermost schema resource entered on
/// the way here that defines it. A `$dynamicRef` resolves through it.
///
/// The scope only depends on the chain of references followed, never on the instance, so
/// lowering resolves `$dynamicRef` statically: a type reached under two different scopes
/// is lowered twice, once per scope.
type DynamicScope = BTreeMap<String, SchemaRef>;

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
    /// The dynamic scope each named type is lowered under.
    scopes: Vec<DynamicScope>,
    pending: Vec<Option<LoweredType>>,
    by_location: BTreeMap<(SchemaRef, DynamicScope), TypeId>,
    /// The dynamic scope of the schema being lowered.
    scope: DynamicScope,
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
            scopes: Vec::new(),
            pending: Vec::new(),
            by_location: BTreeMap::new(),
            scope: DynamicScope::new(),
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
        let scope = self.entering(at);
        let key = (at.clone(), scope);
        if let Some(id) = self.by_location.get(&key) {
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
        self.scopes.push(key.1.clone());
        self.pending.push(None);
        self.by_location.insert(key, id);
        self.queue.push_back(id);
        Ok(id)
    }

    /// Claims a Rust name for a type that is not a schema of its own (the object form of a
    /// schema that also admits other values).
    pub(crate) fn claim_name(&mut self, hint: &str, at: &SchemaRef) -> String {
        let qualifier = type_name(&self.document_stem(at));
        self.names.claim(&type_name(hint), &qualifier)
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
        // A broken type does not stop the others: every type is lowered and every problem
        // reported, then lowering stops before merging shapes that would be incomplete.
        let mut problems = Vec::new();
        while let Some(id) = self.queue.pop_front() {
            let at = self.sources[id.0].clone();
            self.scope = self.scopes[id.0].clone();
            match self.lower_named(id, &at) {
                Ok(lowered) => self.pending[id.0] = Some(lowered),
                Err(error) => problems.extend(error.into_diagnostics()?),
            }
        }
        // Examples are judged by the schema text, so even the types beside a broken one
        // have theirs checked; each schema once, whatever its dynamic scopes.
        let mut lowered_sources: Vec<(&SchemaRef, &str)> = if !self.checks_intent() {
            Vec::new()
        } else {
            self.sources
                .iter()
                .zip(&self.type_names)
                .zip(&self.pending)
                .filter(|(_, pending)| pending.is_some())
                .map(|((at, name), _)| (at, name.as_str()))
                .collect()
        };
        lowered_sources.sort();
        lowered_sources.dedup_by(|a, b| a.0 == b.0);
        problems.extend(examples::check_examples(
            self.store,
            lowered_sources,
            self.formats,
        ));
        if let Some(error) = Error::from_diagnostics(problems) {
            return Err(error);
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
        let shape = self.shape(at, object, &lowered, &name)?;
        let doc = doc_text(object);
        let examples = object
            .get("examples")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok((shape, Schema::Rules(Box::new(lowered.rules)), doc, examples))
    }

    /// The dynamic scope after entering the schema resource that contains `at`: its
    /// `$dynamicAnchor`s join the scope unless an outer resource already bound the name.
    fn entering(&self, at: &SchemaRef) -> DynamicScope {
        let mut scope = self.scope.clone();
        if self.store.has_dynamic_anchors() {
            for (name, target) in self.store.dynamic_anchors(at) {
                scope.entry(name.clone()).or_insert_with(|| target.clone());
            }
        }
        scope
    }

    /// Where a `$ref` or `$dynamicRef` written at `at` leads. A `$dynamicRef` whose first
    /// resolution lands on a matching `$dynamicAnchor` goes instead to the outermost
    /// resource in scope that defines that anchor.
    pub(crate) fn resolve_reference(
        &self,
        at: &SchemaRef,
        keyword: &str,
        reference: &str,
    ) -> Result<SchemaRef, Error> {
        let target = self
            .store
            .resolve(at, reference)
            .map_err(|kind| self.error(&child(at, keyword), kind))?;
        if keyword != "$dynamicRef" {
            return Ok(target);
        }
        let anchor = match reference.split_once('#') {
            Some((_, name)) if !name.is_empty() && !name.starts_with('/') => name,
            _ => return Ok(target),
        };
        let bookended = self
            .store
            .value(&target)
            .and_then(|schema| schema.get("$dynamicAnchor"))
            .and_then(Value::as_str)
            == Some(anchor);
        if !bookended {
            return Ok(target);
        }
        let scope = self.entering(at);
        Ok(scope.get(anchor).cloned().unwrap_or(target))
    }

    /// Lowers a subschema used inside another (a property, an item, a branch): named types
    /// for what needs a Rust type of its own, inline rules for the rest.
    pub fn subschema(&mut self, at: &SchemaRef, hint: &str) -> Result<(Schema, TypeExpr), Error> {
        if !self.store.has_dynamic_anchors() {
            return self.subschema_in_scope(at, hint);
        }
        // An embedded `$id` enters a new resource for everything below it.
        let inner = self.entering(at);
        let outer = std::mem::replace(&mut self.scope, inner);
        let lowered = self.subschema_in_scope(at, hint);
        self.scope = outer;
        lowered
    }

    fn subschema_in_scope(
        &mut self,
        at: &SchemaRef,
        hint: &str,
    ) -> Result<(Schema, TypeExpr), Error> {
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
        if let Some(keyword) = self.reference_only(at, object) {
            let reference = object.get(keyword).and_then(Value::as_str).unwrap_or("");
            let target = self.resolve_reference(at, keyword, reference)?;
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

    /// The keyword of a `$ref` or `$dynamicRef` with nothing beside it but annotations (or
    /// of any `$ref` in draft-07, where siblings are ignored).
    pub(crate) fn reference_only(
        &self,
        at: &SchemaRef,
        object: &serde_json::Map<String, Value>,
    ) -> Option<&'static str> {
        let dialect = self.store.dialect(at.doc);
        let mut present = rules::reference_keywords(dialect)
            .iter()
            .filter(|keyword| object.contains_key(**keyword));
        let keyword = *present.next()?;
        if dialect.ref_overrides_siblings() {
            return Some(keyword);
        }
        let alone = present.next().is_none()
            && object.keys().all(|other| {
                other == keyword
                    || (keywords::ANNOTATIONS.contains(&other.as_str())
                        && other != "$id"
                        && other != "$defs"
                        && other != "definitions")
            });
        alone.then_some(keyword)
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
