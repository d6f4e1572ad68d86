//! The JSON Schemas an OpenAPI document carries in `components/schemas`.
//!
//! OpenAPI 3.1's schema object is JSON Schema 2020-12, so every schema the operations reach
//! is copied keyword for keyword (formats, patterns, bounds, `deprecated`, examples); only
//! what addresses a schema inside its file changes. Each `$ref` — relative file reference,
//! `#/$defs/..` pointer, anchor or absolute `$id` — is resolved by the loader's store and
//! rewritten to the component that holds its target; `$id`, `$anchor`, `$schema` and
//! `$defs` are dropped from the copies, since the components replace them (a kept `$id`
//! would even change what the rewritten `#/components/...` references resolve against).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::{Map, Value};

use super::names::component_names;
use crate::error::{ContractError, Error};
use crate::load::{direct_subschemas, location_of, Dialect, DocumentStore, SchemaRef};

/// Where components live inside the document.
const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Keywords that identify or hold schemas by location only; the components replace them.
const ADDRESSING_KEYWORDS: &[&str] = &["$id", "$schema", "$anchor", "$defs", "definitions"];

/// Keywords whose meaning depends on the dynamic scope, which rewritten references lose.
const DYNAMIC_KEYWORDS: &[&str] = &["$dynamicRef", "$dynamicAnchor", "$recursiveRef"];

/// Every schema reachable from a service's operations, each with its component name.
#[derive(Debug)]
pub(super) struct SchemaComponents<'s> {
    store: &'s DocumentStore,
    names: BTreeMap<SchemaRef, String>,
}

impl<'s> SchemaComponents<'s> {
    /// Collects `components` (schemas referenced by name, e.g. bodies) and everything they
    /// or the `inline` schemas (copied in place, e.g. parameters) reach through `$ref`.
    /// `reserved` names are taken by the document's own components.
    pub(super) fn collect(
        store: &'s DocumentStore,
        components: &[SchemaRef],
        inline: &[SchemaRef],
        reserved: &[&str],
    ) -> Result<Self, Error> {
        let mut found = BTreeSet::new();
        let mut pending = VecDeque::new();
        for root in components {
            if found.insert(root.clone()) {
                pending.push_back(root.clone());
            }
        }
        for root in inline {
            check_dialect(store, root)?;
            for target in references(store, root)? {
                if found.insert(target.clone()) {
                    pending.push_back(target);
                }
            }
        }
        while let Some(next) = pending.pop_front() {
            check_dialect(store, &next)?;
            for target in references(store, &next)? {
                if found.insert(target.clone()) {
                    pending.push_back(target);
                }
            }
        }
        let names = component_names(store, &found, reserved)?;
        Ok(Self { store, names })
    }

    /// `{"$ref": "#/components/schemas/<name>"}` for a collected schema.
    pub(super) fn reference(&self, target: &SchemaRef) -> Result<Value, Error> {
        let mut object = Map::new();
        object.insert("$ref".into(), Value::String(self.pointer_to(target)?));
        Ok(Value::Object(object))
    }

    /// A copy of the schema at `at` whose references point at components.
    pub(super) fn copy(&self, at: &SchemaRef) -> Result<Value, Error> {
        let value = self
            .store
            .value(at)
            .ok_or_else(|| Error::Internal(format!("no schema at `{}`", at.pointer)))?;
        self.copy_value(at, value)
    }

    /// Every component, by name.
    pub(super) fn schemas(&self) -> Result<BTreeMap<String, Value>, Error> {
        self.names
            .iter()
            .map(|(at, name)| Ok((name.clone(), self.copy(at)?)))
            .collect()
    }

    fn pointer_to(&self, target: &SchemaRef) -> Result<String, Error> {
        let name = self.names.get(target).ok_or_else(|| {
            Error::Internal(format!("schema `{}` was not collected", target.pointer))
        })?;
        Ok(format!("{COMPONENT_PREFIX}{name}"))
    }

    fn copy_value(&self, at: &SchemaRef, value: &Value) -> Result<Value, Error> {
        let mut copied = value.clone();
        for (relative, subschema) in direct_subschemas(value, "") {
            if is_definition(&relative) {
                continue;
            }
            let child = SchemaRef {
                doc: at.doc,
                pointer: format!("{}{relative}", at.pointer),
            };
            let replacement = self.copy_value(&child, subschema)?;
            if let Some(slot) = copied.pointer_mut(&relative) {
                *slot = replacement;
            }
        }
        if let Value::Object(object) = &mut copied {
            for keyword in ADDRESSING_KEYWORDS {
                object.shift_remove(*keyword);
            }
            if let Some(reference) = object.get_mut("$ref") {
                let target = resolve(self.store, at, reference)?;
                *reference = Value::String(self.pointer_to(&target)?);
            }
        }
        Ok(copied)
    }
}

/// Whether a subschema pointer (relative to its parent) enters `$defs` or `definitions`,
/// whose entries become components of their own when referenced.
fn is_definition(relative: &str) -> bool {
    relative.starts_with("/$defs/") || relative.starts_with("/definitions/")
}

/// The targets of every `$ref` in the schema at `at`, outside its definitions.
fn references(store: &DocumentStore, at: &SchemaRef) -> Result<Vec<SchemaRef>, Error> {
    let mut found = Vec::new();
    let Some(value) = store.value(at) else {
        return Ok(found);
    };
    collect_references(store, at, value, &mut found)?;
    Ok(found)
}

fn collect_references(
    store: &DocumentStore,
    at: &SchemaRef,
    value: &Value,
    found: &mut Vec<SchemaRef>,
) -> Result<(), Error> {
    if let Value::Object(object) = value {
        if let Some(keyword) = DYNAMIC_KEYWORDS.iter().find(|k| object.contains_key(**k)) {
            return Err(Error::contract(
                location_of(store, at),
                ContractError::Unsupported(format!(
                    "`{keyword}` cannot be exported to OpenAPI: its target depends on the \
                     dynamic scope, which component references do not keep"
                )),
            ));
        }
        if let Some(reference) = object.get("$ref") {
            found.push(resolve(store, at, reference)?);
        }
    }
    for (relative, subschema) in direct_subschemas(value, "") {
        if is_definition(&relative) {
            continue;
        }
        let child = SchemaRef {
            doc: at.doc,
            pointer: format!("{}{relative}", at.pointer),
        };
        collect_references(store, &child, subschema, found)?;
    }
    Ok(())
}

fn resolve(store: &DocumentStore, at: &SchemaRef, reference: &Value) -> Result<SchemaRef, Error> {
    let location = || location_of(store, at);
    let Some(reference) = reference.as_str() else {
        return Err(Error::contract(
            location(),
            ContractError::WrongKeywordType {
                keyword: "$ref".into(),
                expected: "a string",
            },
        ));
    };
    store
        .resolve(at, reference)
        .map_err(|kind| Error::contract(location(), kind))
}

/// OpenAPI 3.1 documents carry 2020-12 schemas; an older draft's `items`, `$ref` siblings
/// and `dependencies` would mean something else there.
fn check_dialect(store: &DocumentStore, at: &SchemaRef) -> Result<(), Error> {
    if store.dialect(at.doc) == Dialect::Draft2020 {
        return Ok(());
    }
    Err(Error::contract(
        store.document(at.doc).location("/$schema"),
        ContractError::Unsupported(
            "OpenAPI 3.1 carries JSON Schema 2020-12 only; this document declares an older draft"
                .into(),
        ),
    ))
}
