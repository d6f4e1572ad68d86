//! Schemas that are valid JSON Schema but cannot be what their author meant: a `required`
//! property that no value may carry, and a `oneOf` tagged in most branches but not all.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{child, Lowerer, UnknownKeywords};
use crate::error::{ContractError, Diagnostic, Error};
use crate::load::{location_of, Dialect, SchemaRef};

/// How many schemas the search for properties an `unevaluatedProperties` can see visits at
/// most (reference cycles and huge documents end it early; then nothing is reported).
const MAX_VISITS: usize = 10_000;

impl Lowerer<'_> {
    /// Whether schemas are held to what their author must have meant: in contracts (and
    /// `types --strict`), where unknown keywords are refused too. A third-party schema in
    /// `types` mode is taken as JSON Schema defines it, odd as it may be.
    pub(crate) fn checks_intent(&self) -> bool {
        self.unknown_keywords == UnknownKeywords::Reject
    }

    /// Every `required` name of the object at `at` that `additionalProperties: false` or
    /// `unevaluatedProperties: false` forbids: not declared in `properties` (for
    /// `unevaluatedProperties`, also those of the schemas it applies in place) and matched by
    /// no `patternProperties`. No value can satisfy such a schema.
    pub(crate) fn check_required_can_be_present(
        &self,
        at: &SchemaRef,
        object: &Map<String, Value>,
    ) -> Result<(), Error> {
        let Some(required) = object.get("required").and_then(Value::as_array) else {
            return Ok(());
        };
        let closed = |keyword| object.get(keyword) == Some(&Value::Bool(false));
        let dialect = self.store.dialect(at.doc);
        let (keyword, seen) = if closed("additionalProperties") {
            ("additionalProperties", Some(declared_here(object)))
        } else if closed("unevaluatedProperties") && dialect != Dialect::Draft7 {
            ("unevaluatedProperties", self.declared_in_place(at))
        } else {
            return Ok(());
        };
        // Too much to search through: stay silent rather than guess.
        let Some((names, patterns)) = seen else {
            return Ok(());
        };
        let problems: Vec<Diagnostic> = required
            .iter()
            .enumerate()
            .filter_map(|(index, name)| Some((index, name.as_str()?)))
            .filter(|(_, name)| {
                !names.contains(*name) && !patterns.iter().any(|p| may_match(p, name))
            })
            .map(|(index, name)| Diagnostic {
                location: location_of(
                    self.store,
                    &child(&child(at, "required"), &index.to_string()),
                ),
                kind: ContractError::Invalid(format!(
                    "`required` lists `{name}`, which is not in `properties`{}, and \
                     `{keyword}: false` forbids every other property: no value can satisfy \
                     this schema; declare `{name}` under `properties` or drop it from `required`",
                    if patterns.is_empty() {
                        ""
                    } else {
                        " nor matched by `patternProperties`"
                    }
                )),
            })
            .collect();
        match Error::from_diagnostics(problems) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// The property names and patterns of the schema at `at` and of every schema it applies
    /// in place (`allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`, `dependentSchemas`, `$ref`):
    /// what `unevaluatedProperties` counts as evaluated. `None` past [`MAX_VISITS`].
    fn declared_in_place(&self, at: &SchemaRef) -> Option<(BTreeSet<String>, Vec<String>)> {
        let mut names = BTreeSet::new();
        let mut patterns = Vec::new();
        let mut pending = vec![at.clone()];
        let mut visited = BTreeSet::new();
        while let Some(current) = pending.pop() {
            if !visited.insert(current.clone()) {
                continue;
            }
            if visited.len() > MAX_VISITS {
                return None;
            }
            let Some(object) = self.store.value(&current).and_then(Value::as_object) else {
                continue;
            };
            let (here_names, here_patterns) = declared_here(object);
            names.extend(here_names);
            patterns.extend(here_patterns);
            for keyword in ["allOf", "anyOf", "oneOf"] {
                if let Some(Value::Array(branches)) = object.get(keyword) {
                    for index in 0..branches.len() {
                        pending.push(child(&child(&current, keyword), &index.to_string()));
                    }
                }
            }
            for keyword in ["if", "then", "else"] {
                if object.contains_key(keyword) {
                    pending.push(child(&current, keyword));
                }
            }
            if let Some(Value::Object(schemas)) = object.get("dependentSchemas") {
                for name in schemas.keys() {
                    pending.push(child(&child(&current, "dependentSchemas"), name));
                }
            }
            for keyword in ["$ref", "$dynamicRef"] {
                if let Some(reference) = object.get(keyword).and_then(Value::as_str) {
                    if let Ok(target) = self.resolve_reference(&current, keyword, reference) {
                        pending.push(target);
                    }
                }
            }
        }
        Some((names, patterns))
    }

    /// A `oneOf` whose branches mostly carry a required `const` string on one property, but
    /// not all of them (or two share a value): meant as a tagged union, it would silently
    /// become an untagged one. Called when no discriminator was found for it.
    pub(crate) fn check_tagged_union(&self, at: &SchemaRef, value: &Value) -> Result<(), Error> {
        let Some(branches) = value.as_array() else {
            return Ok(());
        };
        let tags: Vec<Vec<Tag>> = (0..branches.len())
            .map(|index| self.tag_candidates(&child(at, &index.to_string())))
            .collect();
        let mut properties: Vec<&str> = Vec::new();
        for tag in tags.iter().flatten() {
            if !properties.contains(&tag.property.as_str()) {
                properties.push(&tag.property);
            }
        }
        for property in properties {
            let tag_of = |index: usize| {
                tags[index]
                    .iter()
                    .find(|tag| tag.property == property && tag.required)
            };
            let tagged: Vec<usize> = (0..branches.len())
                .filter(|i| tag_of(*i).is_some())
                .collect();
            if tagged.len() < 2 || tagged.len() * 2 <= branches.len() {
                continue;
            }
            let listed = tagged
                .iter()
                .filter_map(|index| tag_of(*index).map(|tag| format!("`{}`", tag.value)))
                .collect::<Vec<_>>()
                .join(", ");
            let mut problems = Vec::new();
            for (index, branch_tags) in tags.iter().enumerate() {
                let branch = child(at, &index.to_string());
                let reason = match tag_of(index) {
                    Some(tag) => match tagged.iter().find(|other| {
                        **other < index && tag_of(**other).map(|t| &t.value) == Some(&tag.value)
                    }) {
                        Some(other) => format!(
                            "branch {index} has `{property}` = `{}` like branch {other}",
                            tag.value
                        ),
                        None => continue,
                    },
                    None if branch_tags.iter().any(|tag| tag.property == property) => format!(
                        "branch {index} gives `{property}` a `const` but does not list it in \
                         `required`"
                    ),
                    None => format!("branch {index} has no `const` for `{property}`"),
                };
                problems.push(Diagnostic {
                    location: location_of(self.store, &branch),
                    kind: ContractError::Invalid(format!(
                        "this `oneOf` looks tagged by `{property}` ({listed}), but {reason}, so \
                         it would become an untagged enum; give every branch a required \
                         `{property}` with a distinct `const`, or write `anyOf` for a union \
                         that is untagged on purpose"
                    )),
                });
            }
            return match Error::from_diagnostics(problems) {
                Some(error) => Err(error),
                None => Ok(()),
            };
        }
        Ok(())
    }

    /// The properties of the branch at `at` (after reference-only schemas) whose schema is
    /// one constant string, required or not.
    fn tag_candidates(&self, at: &SchemaRef) -> Vec<Tag> {
        let Some((_, object)) = self.follow_references(at) else {
            return Vec::new();
        };
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(properties) = object.get("properties").and_then(Value::as_object) else {
            return Vec::new();
        };
        properties
            .iter()
            .filter_map(|(name, schema)| {
                let value = super::rules::string_constant(schema)?;
                Some(Tag {
                    property: name.clone(),
                    value: value.to_owned(),
                    required: required.contains(&name.as_str()),
                })
            })
            .collect()
    }
}

/// A property of a union branch fixed to one string.
struct Tag {
    property: String,
    value: String,
    required: bool,
}

/// The names in `properties` and the patterns of `patternProperties` of one schema object.
fn declared_here(object: &Map<String, Value>) -> (BTreeSet<String>, Vec<String>) {
    let names = object
        .get("properties")
        .and_then(Value::as_object)
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default();
    let patterns = object
        .get("patternProperties")
        .and_then(Value::as_object)
        .map(|patterns| patterns.keys().cloned().collect())
        .unwrap_or_default();
    (names, patterns)
}

/// Whether `pattern` may match `name`; a pattern this crate's engine cannot read counts as
/// matching, so nothing is refused on a guess.
fn may_match(pattern: &str, name: &str) -> bool {
    regex::Regex::new(pattern).map_or(true, |regex| regex.is_match(name))
}
