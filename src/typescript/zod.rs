//! Zod expressions for the IR's validation schemas: the same keywords the Rust validation
//! checks, written with Zod's own checks where their meaning matches and with the checks of
//! `@solo60/runtime` (its `constraints.ts`) where it does not (lengths in code points,
//! formats as the Rust runtime reads them, unique items, exactly-one-of).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::literal;
use crate::error::{ContractError, Error, Location};
use crate::ir::schema::{ArrayRules, NumberRules, ObjectRules, StringRules};
use crate::ir::types::IntegerWidth;
use crate::ir::{JsonType, Rules, Schema, Shape, TypeDef, TypeExpr, TypeId};

/// The name of the constant holding a type's schema.
pub fn schema_name(type_name: &str) -> String {
    format!("{type_name}Schema")
}

/// Writes the Zod schema of one named type at a time.
pub struct ZodWriter<'a> {
    pub types: &'a [TypeDef],
    /// Types whose constants are declared before the one being written; references to any
    /// other go through `z.lazy`.
    pub declared: &'a BTreeSet<TypeId>,
    /// Types on a reference cycle: their constants carry an explicit `z.ZodType<T>`, which
    /// `z.discriminatedUnion` cannot take apart.
    pub recursive: &'a BTreeSet<TypeId>,
}

/// What the IR keeps on the type half only and Zod needs: the defaults and Rust types
/// (for integer widths) of the type's own properties.
#[derive(Default)]
struct PropertyHints<'a> {
    defaults: BTreeMap<&'a str, &'a Value>,
    types: BTreeMap<&'a str, &'a TypeExpr>,
}

impl<'a> PropertyHints<'a> {
    fn of(def: &'a TypeDef) -> Self {
        let mut hints = PropertyHints::default();
        let fields = match &def.shape {
            Shape::Struct(shape) => shape.fields.iter().collect::<Vec<_>>(),
            Shape::Tagged(shape) => shape.variants.iter().flat_map(|v| &v.fields).collect(),
            _ => Vec::new(),
        };
        for field in fields {
            if let crate::ir::Presence::Defaulted(value) = &field.presence {
                hints.defaults.insert(&field.wire_name, value);
            }
            hints.types.insert(&field.wire_name, &field.ty);
        }
        hints
    }
}

const NO_HINTS: Option<&PropertyHints<'_>> = None;

impl ZodWriter<'_> {
    /// The Zod expression of `def`'s schema, on one line (`layout` breaks it).
    pub fn type_schema(&self, def: &TypeDef) -> Result<String, Error> {
        let hints = PropertyHints::of(def);
        let rust = match &def.shape {
            Shape::Newtype(ty) => Some(ty),
            _ => None,
        };
        self.schema(&def.schema, Some(&hints), rust)
            .map_err(|reason| unsupported(def, reason))
    }

    /// The Zod expression of a schema outside any named type (a path parameter's).
    pub fn inline_schema(&self, schema: &Schema) -> Result<String, String> {
        self.schema(schema, NO_HINTS, None)
    }

    /// Whether a reference to `id` may be a `z.discriminatedUnion` option: a plain object
    /// schema declared before.
    fn is_plain_object(&self, id: TypeId) -> bool {
        if !self.declared.contains(&id) || self.recursive.contains(&id) {
            return false;
        }
        match &self.types[id.0].schema {
            Schema::Rules(rules) => is_object_rules(rules),
            _ => false,
        }
    }

    fn reference(&self, id: TypeId) -> String {
        let name = schema_name(&self.types[id.0].name);
        if self.declared.contains(&id) {
            name
        } else {
            format!("z.lazy(() => {name})")
        }
    }

    fn schema(
        &self,
        schema: &Schema,
        hints: Option<&PropertyHints<'_>>,
        rust: Option<&TypeExpr>,
    ) -> Result<String, String> {
        match schema {
            Schema::Any => Ok("z.unknown()".to_owned()),
            Schema::Nothing => Ok("z.never()".to_owned()),
            Schema::Rules(rules) => self.rules(rules, hints, rust),
        }
    }

    fn rules(
        &self,
        rules: &Rules,
        hints: Option<&PropertyHints<'_>>,
        rust: Option<&TypeExpr>,
    ) -> Result<String, String> {
        if rules.not.is_some() {
            return Err("`not`".to_owned());
        }
        if rules.condition.is_some() {
            return Err("`if`/`then`/`else`".to_owned());
        }
        let mut parts = Vec::new();
        if let Some(id) = rules.reference {
            parts.push(self.reference(id));
        }
        if let Some(base) = self.base(rules, hints, rust)? {
            parts.push(base);
        }
        for branch in &rules.all_of {
            parts.push(self.schema(branch, hints, None)?);
        }
        if !rules.any_of.is_empty() {
            parts.push(self.any_of(&rules.any_of)?);
        }
        if !rules.one_of.is_empty() {
            parts.push(self.one_of(rules)?);
        }
        let mut parts = parts.into_iter();
        let Some(first) = parts.next() else {
            return Ok("z.unknown()".to_owned());
        };
        // Every part must hold, as JSON Schema applies sibling keywords to the same value.
        Ok(parts.fold(first, |all, part| format!("z.intersection({all}, {part})")))
    }

    /// The part of a schema that is not a reference or a composition.
    fn base(
        &self,
        rules: &Rules,
        hints: Option<&PropertyHints<'_>>,
        rust: Option<&TypeExpr>,
    ) -> Result<Option<String>, String> {
        if let Some(constant) = &rules.constant {
            return Ok(Some(constant_expr(constant)));
        }
        if let Some(values) = &rules.enumeration {
            let allowed: Vec<&Value> = values
                .iter()
                .filter(|value| {
                    rules
                        .types
                        .as_ref()
                        .is_none_or(|types| types.iter().any(|ty| has_type(value, *ty)))
                })
                .collect();
            return Ok(Some(enum_expr(&allowed)));
        }
        match &rules.types {
            Some(types) => self.typed(types, rules, hints, rust).map(Some),
            None => self.untyped(rules, hints),
        }
    }

    fn typed(
        &self,
        types: &[JsonType],
        rules: &Rules,
        hints: Option<&PropertyHints<'_>>,
        rust: Option<&TypeExpr>,
    ) -> Result<String, String> {
        let mut branches = Vec::new();
        for ty in types {
            let branch = match ty {
                JsonType::Null => continue,
                // `number` already admits every integer.
                JsonType::Integer if types.contains(&JsonType::Number) => continue,
                JsonType::Integer => number_expr(&rules.number, true, is_int32(rust)),
                JsonType::Number => number_expr(&rules.number, false, false),
                JsonType::String => string_expr(&rules.string)?,
                JsonType::Boolean => "z.boolean()".to_owned(),
                JsonType::Array => self.array_expr(&rules.array, element(rust))?,
                JsonType::Object => self.object_expr(&rules.object, hints)?,
            };
            branches.push(branch);
        }
        let nullable = types.contains(&JsonType::Null);
        Ok(match (branches.len(), nullable) {
            (0, _) => "z.null()".to_owned(),
            (1, false) => branches.remove(0),
            (1, true) => format!("{}.nullable()", branches.remove(0)),
            (_, nullable) => {
                let union = format!("z.union([{}])", branches.join(", "));
                if nullable {
                    format!("{union}.nullable()")
                } else {
                    union
                }
            }
        })
    }

    /// Keywords for one JSON type without `type`: they constrain values of that type and
    /// let every other value through, as JSON Schema says.
    fn untyped(
        &self,
        rules: &Rules,
        hints: Option<&PropertyHints<'_>>,
    ) -> Result<Option<String>, String> {
        let mut constrained = Vec::new();
        let mut kinds = Vec::new();
        if !rules.string.is_empty() {
            constrained.push(string_expr(&rules.string)?);
            kinds.push("string");
        }
        if !rules.number.is_empty() {
            constrained.push(number_expr(&rules.number, false, false));
            kinds.push("number");
        }
        if !rules.array.is_empty() {
            constrained.push(self.array_expr(&rules.array, None)?);
            kinds.push("array");
        }
        if !rules.object.is_empty() {
            constrained.push(self.object_expr(&rules.object, hints)?);
            kinds.push("object");
        }
        if constrained.is_empty() {
            return Ok(None);
        }
        let kinds: Vec<String> = kinds.iter().map(|kind| literal::string(kind)).collect();
        constrained.push(format!("otherThan([{}])", kinds.join(", ")));
        Ok(Some(format!("z.union([{}])", constrained.join(", "))))
    }

    /// `items` is the Rust type of the elements, where known.
    fn array_expr(
        &self,
        array: &ArrayRules,
        items_rust: Option<&TypeExpr>,
    ) -> Result<String, String> {
        if !array.prefix_items.is_empty() {
            return Err("`prefixItems`".to_owned());
        }
        if array.contains.is_some() || array.min_contains.is_some() || array.max_contains.is_some()
        {
            return Err("`contains`".to_owned());
        }
        if array.unevaluated.is_some() {
            return Err("`unevaluatedItems`".to_owned());
        }
        let items = match &array.items {
            Some(items) => self.schema(items, NO_HINTS, items_rust)?,
            None => "z.unknown()".to_owned(),
        };
        let mut expr = format!("z.array({items})");
        if let Some(min) = array.min_items {
            expr.push_str(&format!(".min({min})"));
        }
        if let Some(max) = array.max_items {
            expr.push_str(&format!(".max({max})"));
        }
        if array.unique_items {
            expr.push_str(".refine(uniqueItems, \"items must be unique\")");
        }
        Ok(expr)
    }

    fn object_expr(
        &self,
        object: &ObjectRules,
        hints: Option<&PropertyHints<'_>>,
    ) -> Result<String, String> {
        if !object.pattern_properties.is_empty() {
            return Err("`patternProperties`".to_owned());
        }
        if object
            .property_names
            .as_ref()
            .is_some_and(|names| *names != Schema::Any)
        {
            return Err("`propertyNames`".to_owned());
        }
        if !object.dependent_required.is_empty() || !object.dependent_schemas.is_empty() {
            return Err("`dependentRequired`/`dependentSchemas`".to_owned());
        }
        if object.unevaluated.is_some() {
            return Err("`unevaluatedProperties`".to_owned());
        }
        let mut expr = if object.properties.is_empty() && object.required.is_empty() {
            match &object.additional {
                Some(Schema::Nothing) => "z.strictObject({})".to_owned(),
                Some(values) => format!(
                    "z.record(z.string(), {})",
                    self.schema(values, NO_HINTS, None)?
                ),
                None => "z.record(z.string(), z.unknown())".to_owned(),
            }
        } else {
            let mut fields = Vec::new();
            for (name, schema) in &object.properties {
                let rust = hints.and_then(|hints| hints.types.get(name.as_str()).copied());
                let mut value = self.schema(schema, NO_HINTS, rust)?;
                if !object.required.contains(name) {
                    match hints.and_then(|hints| hints.defaults.get(name.as_str())) {
                        Some(default) => {
                            value.push_str(&format!(".default({})", literal::json(default)))
                        }
                        None => value.push_str(".optional()"),
                    }
                }
                fields.push(format!("{}: {value}", literal::property_key(name)));
            }
            // Required but not listed: present, and held to `additionalProperties` like
            // any unlisted property (Zod's object keys are required unless marked
            // optional, `z.unknown()` ones included).
            for name in &object.required {
                if !object.properties.iter().any(|(known, _)| known == name) {
                    let value = match &object.additional {
                        Some(values) => self.schema(values, NO_HINTS, None)?,
                        None => "z.unknown()".to_owned(),
                    };
                    fields.push(format!("{}: {value}", literal::property_key(name)));
                }
            }
            // One line; `layout` gives each property its own.
            let body = format!("{{ {} }}", fields.join(", "));
            match &object.additional {
                Some(Schema::Nothing) => format!("z.strictObject({body})"),
                Some(values) => format!(
                    "z.object({body}).catchall({})",
                    self.schema(values, NO_HINTS, None)?
                ),
                None => format!("z.object({body})"),
            }
        };
        if let Some(min) = object.min_properties {
            expr.push_str(&format!(
                ".refine((value) => Object.keys(value).length >= {min}, \"must have at least {min} propert{}\")",
                if min == 1 { "y" } else { "ies" }
            ));
        }
        if let Some(max) = object.max_properties {
            expr.push_str(&format!(
                ".refine((value) => Object.keys(value).length <= {max}, \"must have at most {max} propert{}\")",
                if max == 1 { "y" } else { "ies" }
            ));
        }
        Ok(expr)
    }

    fn any_of(&self, branches: &[Schema]) -> Result<String, String> {
        let is_null =
            |schema: &Schema| matches!(schema, Schema::Rules(rules) if **rules == null_rules());
        let (nulls, others): (Vec<&Schema>, Vec<&Schema>) =
            branches.iter().partition(|b| is_null(b));
        let mut written = Vec::new();
        for branch in &others {
            written.push(self.schema(branch, NO_HINTS, None)?);
        }
        let union = match written.len() {
            0 => "z.null()".to_owned(),
            1 => written.remove(0),
            _ => format!("z.union([{}])", written.join(", ")),
        };
        Ok(if !nulls.is_empty() && !others.is_empty() {
            format!("{union}.nullable()")
        } else {
            union
        })
    }

    fn one_of(&self, rules: &Rules) -> Result<String, String> {
        let mut written = Vec::new();
        for branch in &rules.one_of {
            written.push(self.schema(branch, NO_HINTS, None)?);
        }
        if written.len() == 1 {
            return Ok(written.remove(0));
        }
        let all_plain_objects = rules.one_of.iter().all(|branch| match branch {
            Schema::Rules(branch) => match branch.reference {
                Some(id) => **branch == reference_only(id) && self.is_plain_object(id),
                None => is_object_rules(branch),
            },
            _ => false,
        });
        match &rules.discriminator {
            // The tag picks the branch, so exactly one can match by construction.
            Some(discriminator) if all_plain_objects => Ok(format!(
                "z.discriminatedUnion({}, [{}])",
                literal::string(&discriminator.property),
                written.join(", ")
            )),
            _ => Ok(format!("exactlyOne([{}])", written.join(", "))),
        }
    }
}

/// The Rust type without its `Option` for `null`.
fn non_null(rust: Option<&TypeExpr>) -> Option<&TypeExpr> {
    match rust {
        Some(TypeExpr::Nullable(inner)) => Some(inner),
        other => other,
    }
}

/// Whether the Rust type is an `i32` (`format: int32`), whose range Zod must check too.
fn is_int32(rust: Option<&TypeExpr>) -> bool {
    non_null(rust) == Some(&TypeExpr::Integer(IntegerWidth::I32))
}

/// The Rust type of an array's elements.
fn element(rust: Option<&TypeExpr>) -> Option<&TypeExpr> {
    match non_null(rust) {
        Some(TypeExpr::Array(item)) => Some(item),
        _ => None,
    }
}

fn reference_only(id: TypeId) -> Rules {
    Rules {
        reference: Some(id),
        ..Rules::default()
    }
}

fn null_rules() -> Rules {
    Rules {
        types: Some(vec![JsonType::Null]),
        ..Rules::default()
    }
}

/// An object schema with nothing but object keywords: Zod writes it as one `z.object`.
fn is_object_rules(rules: &Rules) -> bool {
    rules.types.as_deref() == Some(&[JsonType::Object])
        && !rules.object.properties.is_empty()
        && rules.reference.is_none()
        && rules.all_of.is_empty()
        && rules.any_of.is_empty()
        && rules.one_of.is_empty()
        && rules.enumeration.is_none()
        && rules.constant.is_none()
}

fn has_type(value: &Value, ty: JsonType) -> bool {
    match (value, ty) {
        (Value::Null, JsonType::Null) => true,
        (Value::Bool(_), JsonType::Boolean) => true,
        (Value::Number(n), JsonType::Integer) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        (Value::Number(_), JsonType::Number) => true,
        (Value::String(_), JsonType::String) => true,
        (Value::Array(_), JsonType::Array) => true,
        (Value::Object(_), JsonType::Object) => true,
        _ => false,
    }
}

fn constant_expr(value: &Value) -> String {
    match value {
        Value::Null => "z.null()".to_owned(),
        Value::Array(_) | Value::Object(_) => {
            format!("equalTo({})", literal::json(value))
        }
        scalar => format!("z.literal({})", literal::json(scalar)),
    }
}

fn enum_expr(values: &[&Value]) -> String {
    if values.is_empty() {
        return "z.never()".to_owned();
    }
    if values.iter().all(|value| value.is_string()) {
        let listed: Vec<String> = values.iter().map(|value| literal::json(value)).collect();
        return format!("z.enum([{}])", listed.join(", "));
    }
    let options: Vec<String> = values.iter().map(|value| constant_expr(value)).collect();
    if options.len() == 1 {
        return options.into_iter().collect();
    }
    format!("z.union([{}])", options.join(", "))
}

fn number_expr(number: &NumberRules, integer: bool, int32: bool) -> String {
    let mut expr = match (integer, int32) {
        (true, true) => "z.int32()",
        (true, false) => "z.int()",
        _ => "z.number()",
    }
    .to_owned();
    let checks = [
        ("min", &number.minimum),
        ("max", &number.maximum),
        ("gt", &number.exclusive_minimum),
        ("lt", &number.exclusive_maximum),
        ("multipleOf", &number.multiple_of),
    ];
    for (method, bound) in checks {
        if let Some(bound) = bound {
            expr.push_str(&format!(".{method}({bound})"));
        }
    }
    expr
}

/// String formats and the check each uses: a Zod built-in where it reads the format as
/// the Rust runtime does, a `@solo60/runtime` check otherwise.
fn string_expr(string: &StringRules) -> Result<String, String> {
    let (base, check) = match string.format.as_deref() {
        None => ("z.string()", None),
        Some("uuid") => ("z.guid()", None),
        Some("ipv4") => ("z.ipv4()", None),
        Some("ipv6") => ("z.ipv6()", None),
        Some("date-time") => ("z.string()", Some("isDateTime")),
        Some("date") => ("z.string()", Some("isDate")),
        Some("time") => ("z.string()", Some("isTime")),
        Some("email") => ("z.string()", Some("isEmail")),
        Some("hostname") => ("z.string()", Some("isHostname")),
        Some("uri") => ("z.string()", Some("isUri")),
        Some("uri-reference") => ("z.string()", Some("isUriReference")),
        Some(other) => return Err(format!("`format: {other}`")),
    };
    let mut expr = base.to_owned();
    if let Some(min) = string.min_length {
        expr.push_str(&format!(
            ".refine((value) => codePoints(value) >= {min}, \"must be at least {min} character{} long\")",
            if min == 1 { "" } else { "s" }
        ));
    }
    if let Some(max) = string.max_length {
        expr.push_str(&format!(
            ".refine((value) => codePoints(value) <= {max}, \"must be at most {max} character{} long\")",
            if max == 1 { "" } else { "s" }
        ));
    }
    if let Some(pattern) = &string.pattern {
        let message = format!("must match the pattern {}", pattern.source);
        expr.push_str(&format!(
            ".regex(new RegExp({}, \"u\"), {})",
            literal::string(&pattern.source),
            literal::string(&message)
        ));
    }
    if let (Some(check), Some(format)) = (check, &string.format) {
        expr.push_str(&format!(
            ".refine({check}, {})",
            literal::string(&format!("must be a valid {format}"))
        ));
    }
    Ok(expr)
}

fn unsupported(def: &TypeDef, what: String) -> Error {
    let (file, pointer) = def
        .source
        .split_once('#')
        .map_or((def.source.as_str(), ""), |(file, pointer)| (file, pointer));
    Error::contract(
        Location {
            file: file.to_owned(),
            position: None,
            pointer: pointer.to_owned(),
        },
        ContractError::Unsupported(format!(
            "{what} (in `{}`) has no TypeScript/Zod form yet",
            def.name
        )),
    )
}
