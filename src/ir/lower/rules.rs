//! Lowering one schema object's keywords into [`Rules`].

use serde_json::{Map, Value};

use super::keywords::{self, ANNOTATIONS, KNOWN_FORMATS, NUMERIC_FORMATS, UNSUPPORTED};
use super::{child, Formats, Lowerer, UnknownKeywords};
use crate::error::{ContractError, Error};
use crate::ir::naming::type_name;
use crate::ir::schema::{Condition, Discriminator, JsonType, Rules, Schema};
use crate::ir::types::TypeExpr;
use crate::load::{Dialect, SchemaRef};

/// A schema object's rules plus the Rust types found for its parts.
#[derive(Debug, Default)]
pub(crate) struct Lowered {
    pub rules: Rules,
    /// Type of each entry of `properties`, in order.
    pub property_types: Vec<(String, TypeExpr)>,
    pub items_type: Option<TypeExpr>,
    /// Type of `additionalProperties` when it is a schema other than `false`.
    pub additional_type: Option<TypeExpr>,
    pub any_of_types: Vec<TypeExpr>,
    pub one_of_types: Vec<TypeExpr>,
    /// For each `allOf` branch: its type when it is a `$ref`, or its inline object parts.
    pub all_of_parts: Vec<AllOfPart>,
    /// `$ref` beside other keywords (2019-09 and later).
    pub reference_type: Option<TypeExpr>,
}

/// One `allOf` branch as merging sees it.
#[derive(Debug)]
pub(crate) enum AllOfPart {
    Type(TypeExpr),
    Inline(Box<Lowered>, Map<String, Value>),
}

impl Lowerer<'_> {
    pub(crate) fn rules(
        &mut self,
        at: &SchemaRef,
        object: &Map<String, Value>,
        hint: &str,
    ) -> Result<Lowered, Error> {
        let dialect = self.store.dialect(at.doc);
        let mut lowered = Lowered::default();
        // `$ref` and `$dynamicRef` side by side: the second applies like an `allOf` branch.
        let mut second_reference = None;
        for keyword in reference_keywords(dialect) {
            let Some(reference) = object.get(*keyword) else {
                continue;
            };
            let reference = keywords::string(keyword, reference)
                .map_err(|kind| self.error(&child(at, keyword), kind))?;
            let target = self.resolve_reference(at, keyword, reference)?;
            let hint = self.hint_for(&target);
            let id = self.named_type(&target, &hint)?;
            if lowered.rules.reference.is_none() {
                lowered.rules.reference = Some(id);
                lowered.reference_type = Some(TypeExpr::Named(id));
            } else {
                second_reference = Some(id);
            }
            if dialect.ref_overrides_siblings() {
                return Ok(lowered);
            }
        }
        let items_is_array = matches!(object.get("items"), Some(Value::Array(_)));
        for (keyword, value) in object {
            let here = child(at, keyword);
            let fail = |kind| self.error(&here, kind);
            match keyword.as_str() {
                "$ref" => {}
                "$dynamicRef" if dialect == Dialect::Draft2020 => {}
                "type" => lowered.rules.types = Some(types(value).map_err(fail)?),
                "enum" => {
                    let values = value.as_array().ok_or_else(|| {
                        fail(ContractError::WrongKeywordType {
                            keyword: "enum".into(),
                            expected: "an array",
                        })
                    })?;
                    lowered.rules.enumeration = Some(values.clone());
                }
                "const" => lowered.rules.constant = Some(value.clone()),
                "minLength" => {
                    lowered.rules.string.min_length =
                        Some(keywords::count(keyword, value).map_err(fail)?)
                }
                "maxLength" => {
                    lowered.rules.string.max_length =
                        Some(keywords::count(keyword, value).map_err(fail)?)
                }
                "pattern" => {
                    let pattern = keywords::string(keyword, value).map_err(fail)?;
                    lowered.rules.string.pattern =
                        Some(keywords::pattern_rule(pattern).map_err(fail)?);
                }
                "format" => {
                    let format = keywords::string(keyword, value).map_err(fail)?;
                    if KNOWN_FORMATS.contains(&format) {
                        if self.formats == Formats::Assert {
                            lowered.rules.string.format = Some(format.to_owned());
                        }
                    } else if !NUMERIC_FORMATS.contains(&format)
                        && self.unknown_keywords == UnknownKeywords::Reject
                    {
                        return Err(fail(ContractError::UnknownFormat(format.to_owned())));
                    }
                }
                "minimum" => {
                    lowered.rules.number.minimum =
                        Some(keywords::number(keyword, value).map_err(fail)?)
                }
                "maximum" => {
                    lowered.rules.number.maximum =
                        Some(keywords::number(keyword, value).map_err(fail)?)
                }
                "exclusiveMinimum" => {
                    lowered.rules.number.exclusive_minimum =
                        Some(keywords::number(keyword, value).map_err(fail)?)
                }
                "exclusiveMaximum" => {
                    lowered.rules.number.exclusive_maximum =
                        Some(keywords::number(keyword, value).map_err(fail)?)
                }
                "multipleOf" => {
                    lowered.rules.number.multiple_of =
                        Some(keywords::positive_number(keyword, value).map_err(fail)?)
                }
                "items" if items_is_array => {
                    if dialect != Dialect::Draft7 {
                        return Err(fail(ContractError::WrongKeywordType {
                            keyword: "items".into(),
                            expected: "a schema (use `prefixItems` for tuples)",
                        }));
                    }
                    lowered.rules.array.prefix_items =
                        self.schema_list(&here, value, &format!("{hint}Item"))?;
                }
                "items" => {
                    let (schema, ty) = self.subschema(&here, &format!("{hint}Item"))?;
                    lowered.rules.array.items = Some(schema);
                    lowered.items_type = Some(ty);
                }
                "prefixItems" => {
                    lowered.rules.array.prefix_items =
                        self.schema_list(&here, value, &format!("{hint}Item"))?;
                }
                "additionalItems" => {
                    if items_is_array {
                        let schema = self.validation_subschema(&here, &format!("{hint}Item"))?;
                        lowered.rules.array.items = Some(schema);
                    }
                }
                "minItems" => {
                    lowered.rules.array.min_items =
                        Some(keywords::count(keyword, value).map_err(fail)?)
                }
                "maxItems" => {
                    lowered.rules.array.max_items =
                        Some(keywords::count(keyword, value).map_err(fail)?)
                }
                "uniqueItems" => {
                    lowered.rules.array.unique_items =
                        keywords::boolean(keyword, value).map_err(fail)?
                }
                "contains" => {
                    let schema = self.validation_subschema(&here, &format!("{hint}Contains"))?;
                    lowered.rules.array.contains = Some(schema);
                }
                "minContains" => {
                    lowered.rules.array.min_contains =
                        Some(keywords::count(keyword, value).map_err(fail)?)
                }
                "maxContains" => {
                    lowered.rules.array.max_contains =
                        Some(keywords::count(keyword, value).map_err(fail)?)
                }
                "properties" => {
                    let entries = schema_map(keyword, value).map_err(fail)?;
                    for name in entries.keys() {
                        let (schema, ty) = self.subschema(
                            &child(&here, name),
                            &format!("{hint}{}", type_name(name)),
                        )?;
                        lowered.rules.object.properties.push((name.clone(), schema));
                        lowered.property_types.push((name.clone(), ty));
                    }
                }
                "required" => {
                    lowered.rules.object.required =
                        keywords::string_list(keyword, value).map_err(fail)?
                }
                "patternProperties" => {
                    let entries = schema_map(keyword, value).map_err(fail)?;
                    for pattern in entries.keys() {
                        let rule = keywords::pattern_rule(pattern)
                            .map_err(|kind| self.error(&child(&here, pattern), kind))?;
                        let schema = self.validation_subschema(
                            &child(&here, pattern),
                            &format!("{hint}Value"),
                        )?;
                        lowered.rules.object.pattern_properties.push((rule, schema));
                    }
                }
                "additionalProperties" => {
                    let (schema, ty) = self.subschema(&here, &format!("{hint}Value"))?;
                    if schema != Schema::Nothing {
                        lowered.additional_type = Some(ty);
                    }
                    lowered.rules.object.additional = Some(schema);
                }
                "unevaluatedProperties" if dialect != Dialect::Draft7 => {
                    let schema = self.validation_subschema(&here, &format!("{hint}Value"))?;
                    lowered.rules.object.unevaluated = Some(schema);
                }
                "unevaluatedItems" if dialect != Dialect::Draft7 => {
                    let schema = self.validation_subschema(&here, &format!("{hint}Item"))?;
                    lowered.rules.array.unevaluated = Some(schema);
                }
                "propertyNames" => {
                    let schema = self.validation_subschema(&here, &format!("{hint}Name"))?;
                    lowered.rules.object.property_names = Some(schema);
                }
                "minProperties" => {
                    lowered.rules.object.min_properties =
                        Some(keywords::count(keyword, value).map_err(fail)?)
                }
                "maxProperties" => {
                    lowered.rules.object.max_properties =
                        Some(keywords::count(keyword, value).map_err(fail)?)
                }
                "dependentRequired" => {
                    let entries = value.as_object().ok_or_else(|| {
                        fail(ContractError::WrongKeywordType {
                            keyword: keyword.clone(),
                            expected: "an object of string arrays",
                        })
                    })?;
                    for (name, list) in entries {
                        let names = keywords::string_list(keyword, list)
                            .map_err(|kind| self.error(&child(&here, name), kind))?;
                        lowered
                            .rules
                            .object
                            .dependent_required
                            .push((name.clone(), names));
                    }
                }
                "dependentSchemas" => {
                    let entries = schema_map(keyword, value).map_err(fail)?;
                    for name in entries.keys() {
                        let schema = self.validation_subschema(&child(&here, name), hint)?;
                        lowered
                            .rules
                            .object
                            .dependent_schemas
                            .push((name.clone(), schema));
                    }
                }
                "dependencies" if dialect == Dialect::Draft7 => {
                    let entries = value.as_object().ok_or_else(|| {
                        fail(ContractError::WrongKeywordType {
                            keyword: keyword.clone(),
                            expected: "an object",
                        })
                    })?;
                    for (name, dependency) in entries {
                        if dependency.is_array() {
                            let names = keywords::string_list(keyword, dependency)
                                .map_err(|kind| self.error(&child(&here, name), kind))?;
                            lowered
                                .rules
                                .object
                                .dependent_required
                                .push((name.clone(), names));
                        } else {
                            let schema = self.validation_subschema(&child(&here, name), hint)?;
                            lowered
                                .rules
                                .object
                                .dependent_schemas
                                .push((name.clone(), schema));
                        }
                    }
                }
                "allOf" => {
                    let branches = schema_array(keyword, value).map_err(fail)?;
                    for (index, branch) in branches.iter().enumerate() {
                        let branch_at = child(&here, &index.to_string());
                        match branch {
                            Value::Object(branch_object)
                                if branch_object.contains_key("properties")
                                    && !branch_object.contains_key("$ref") =>
                            {
                                let inner = self.rules(&branch_at, branch_object, hint)?;
                                lowered
                                    .rules
                                    .all_of
                                    .push(Schema::Rules(Box::new(inner.rules.clone())));
                                lowered.all_of_parts.push(AllOfPart::Inline(
                                    Box::new(inner),
                                    branch_object.clone(),
                                ));
                            }
                            _ => {
                                let (schema, ty) = self
                                    .subschema(&branch_at, &format!("{hint}Part{}", index + 1))?;
                                lowered.rules.all_of.push(schema);
                                lowered.all_of_parts.push(AllOfPart::Type(ty));
                            }
                        }
                    }
                }
                "anyOf" => {
                    let (schemas, types) = self.branches(&here, value, hint)?;
                    lowered.rules.any_of = schemas;
                    lowered.any_of_types = types;
                }
                "oneOf" => {
                    let (schemas, types) = self.branches(&here, value, hint)?;
                    lowered.rules.discriminator = self.discriminator(&here, value);
                    if lowered.rules.discriminator.is_none() && self.checks_intent() {
                        self.check_tagged_union(&here, value)?;
                    }
                    lowered.rules.one_of = schemas;
                    lowered.one_of_types = types;
                }
                "not" => {
                    let schema = self.validation_subschema(&here, &format!("{hint}Not"))?;
                    lowered.rules.not = Some(schema);
                }
                "if" => {
                    let test = self.validation_subschema(&here, &format!("{hint}If"))?;
                    let then = match object.get("then") {
                        Some(_) => Some(
                            self.validation_subschema(&child(at, "then"), &format!("{hint}Then"))?,
                        ),
                        None => None,
                    };
                    let otherwise = match object.get("else") {
                        Some(_) => Some(
                            self.validation_subschema(&child(at, "else"), &format!("{hint}Else"))?,
                        ),
                        None => None,
                    };
                    lowered.rules.condition = Some(Condition {
                        test,
                        then,
                        otherwise,
                    });
                }
                "then" | "else" => {}
                "$defs" | "definitions" => {
                    schema_map(keyword, value).map_err(fail)?;
                }
                other if ANNOTATIONS.contains(&other) || other.starts_with("x-") => {}
                other if UNSUPPORTED.contains(&other) => {
                    return Err(fail(ContractError::UnsupportedKeyword(other.to_owned())))
                }
                other => {
                    if self.unknown_keywords == UnknownKeywords::Reject {
                        return Err(fail(ContractError::UnknownKeyword {
                            keyword: other.to_owned(),
                            suggestion: keywords::closest_keyword(other),
                        }));
                    }
                }
            }
        }
        lowered
            .rules
            .all_of
            .extend(second_reference.map(Schema::reference));
        if self.checks_intent() {
            self.check_required_can_be_present(at, object)?;
        }
        Ok(lowered)
    }

    fn schema_list(
        &mut self,
        at: &SchemaRef,
        value: &Value,
        hint: &str,
    ) -> Result<Vec<Schema>, Error> {
        let keyword = at.pointer.rsplit('/').next().unwrap_or("").to_owned();
        let items = schema_array(&keyword, value).map_err(|kind| self.error(at, kind))?;
        let mut schemas = Vec::with_capacity(items.len());
        for index in 0..items.len() {
            schemas.push(self.validation_subschema(&child(at, &index.to_string()), hint)?);
        }
        Ok(schemas)
    }

    fn branches(
        &mut self,
        at: &SchemaRef,
        value: &Value,
        hint: &str,
    ) -> Result<(Vec<Schema>, Vec<TypeExpr>), Error> {
        let keyword = at.pointer.rsplit('/').next().unwrap_or("").to_owned();
        let items = schema_array(&keyword, value).map_err(|kind| self.error(at, kind))?;
        let mut schemas = Vec::with_capacity(items.len());
        let mut types = Vec::with_capacity(items.len());
        for index in 0..items.len() {
            let (schema, ty) = self.subschema(
                &child(at, &index.to_string()),
                &format!("{hint}Variant{}", index + 1),
            )?;
            schemas.push(schema);
            types.push(ty);
        }
        Ok((schemas, types))
    }

    /// A property present in every `oneOf` branch, required there, with a distinct constant
    /// string in each.
    fn discriminator(&self, at: &SchemaRef, value: &Value) -> Option<Discriminator> {
        let branches = value.as_array()?;
        if branches.len() < 2 {
            return None;
        }
        let mut tags_per_branch = Vec::with_capacity(branches.len());
        for index in 0..branches.len() {
            tags_per_branch.push(self.constant_properties(&child(at, &index.to_string()))?);
        }
        let first = tags_per_branch.first()?;
        'candidates: for (property, _) in first {
            let mut entries = Vec::with_capacity(branches.len());
            for (index, tags) in tags_per_branch.iter().enumerate() {
                let Some((_, tag)) = tags.iter().find(|(name, _)| name == property) else {
                    continue 'candidates;
                };
                if entries
                    .iter()
                    .any(|(seen, _): &(String, usize)| seen == tag)
                {
                    continue 'candidates;
                }
                entries.push((tag.clone(), index));
            }
            return Some(Discriminator {
                property: property.clone(),
                branches: entries,
            });
        }
        None
    }

    /// Required properties whose schema is one constant string, following `$ref`s.
    pub(crate) fn constant_properties(&self, at: &SchemaRef) -> Option<Vec<(String, String)>> {
        let (_, object) = self.follow_references(at)?;
        let required: Vec<&str> = object
            .get("required")?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let properties = object.get("properties")?.as_object()?;
        let mut found = Vec::new();
        for (name, schema) in properties {
            if !required.contains(&name.as_str()) {
                continue;
            }
            if let Some(constant) = string_constant(schema) {
                found.push((name.clone(), constant.to_owned()));
            }
        }
        Some(found)
    }

    /// The schema object at `at`, after following reference-only schemas (at most 64 hops).
    pub(crate) fn follow_references(
        &self,
        at: &SchemaRef,
    ) -> Option<(SchemaRef, &Map<String, Value>)> {
        let store = self.store;
        let mut current = at.clone();
        for _ in 0..64 {
            let object = store.value(&current)?.as_object()?;
            let Some(keyword) = self.reference_only(&current, object) else {
                return Some((current, object));
            };
            let reference = object.get(keyword)?.as_str()?;
            current = self.resolve_reference(&current, keyword, reference).ok()?;
        }
        None
    }
}

fn types(value: &Value) -> Result<Vec<JsonType>, ContractError> {
    let wrong = || ContractError::WrongKeywordType {
        keyword: "type".into(),
        expected: "a type name or an array of type names",
    };
    let mut found = match value {
        Value::String(name) => vec![JsonType::parse(name).ok_or_else(wrong)?],
        Value::Array(names) => names
            .iter()
            .map(|name| name.as_str().and_then(JsonType::parse).ok_or_else(wrong))
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(wrong()),
    };
    found.sort();
    found.dedup();
    Ok(found)
}

fn schema_map<'v>(
    keyword: &str,
    value: &'v Value,
) -> Result<&'v Map<String, Value>, ContractError> {
    let wrong = || ContractError::WrongKeywordType {
        keyword: keyword.to_owned(),
        expected: "an object whose values are schemas",
    };
    let entries = value.as_object().ok_or_else(wrong)?;
    if entries
        .values()
        .all(|entry| entry.is_object() || entry.is_boolean())
    {
        Ok(entries)
    } else {
        Err(wrong())
    }
}

fn schema_array<'v>(keyword: &str, value: &'v Value) -> Result<&'v Vec<Value>, ContractError> {
    let wrong = || ContractError::WrongKeywordType {
        keyword: keyword.to_owned(),
        expected: "a non-empty array of schemas",
    };
    let items = value.as_array().ok_or_else(wrong)?;
    if !items.is_empty()
        && items
            .iter()
            .all(|item| item.is_object() || item.is_boolean())
    {
        Ok(items)
    } else {
        Err(wrong())
    }
}

/// The keywords that apply another schema by reference in `dialect`.
pub(crate) fn reference_keywords(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::Draft2020 => &["$ref", "$dynamicRef"],
        Dialect::Draft7 | Dialect::Draft2019 => &["$ref"],
    }
}

/// The one string a property schema allows, by `const` or a one-value `enum`: how tagged
/// `oneOf` branches name their tag.
pub(super) fn string_constant(schema: &Value) -> Option<&str> {
    schema.get("const").and_then(Value::as_str).or_else(|| {
        match schema
            .get("enum")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) => only.as_str(),
            _ => None,
        }
    })
}
