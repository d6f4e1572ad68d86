//! The wire half of a type comparison: what JSON a position accepts, keyword by keyword.
//!
//! Every difference is classified by its [`Effect`] on the set of valid values, then by the
//! direction the values travel: a request breaks when the contract narrows, a response
//! when it widens. Whatever cannot be classified is [`Effect::Changed`], which breaks both
//! ways — the detector would rather raise a false alarm than miss a break.

use serde_json::Value;

use crate::ir::schema::{JsonType, ObjectRules, Rules, Schema};
use crate::ir::{TypeDef, TypeId};

use super::bounds::{self, Effect};
use super::change::Level;
use super::types::{Direction, Place, TypeComparison, MAX_DEREF_DEPTH};

/// What `additionalProperties` allows, as far as adding and removing properties matters.
enum Extra<'s> {
    /// Absent or `true`: unknown properties are accepted (and ignored).
    Free,
    /// `false`: unknown properties are refused.
    Forbidden,
    /// A schema the values of unknown properties must match.
    Checked(&'s Schema),
}

fn extra(rules: &Rules) -> Extra<'_> {
    match &rules.object.additional {
        None | Some(Schema::Any) => Extra::Free,
        Some(Schema::Nothing) => Extra::Forbidden,
        Some(schema) => Extra::Checked(schema),
    }
}

/// For `anyOf`/`oneOf` of one schema and `{"type": "null"}` with nothing beside it (the
/// usual spelling of "nullable"): the non-null branch.
fn nullable_union(rules: &Rules) -> Option<&Schema> {
    if rules.any_of.len() != 2 && rules.one_of.len() != 2 {
        return None;
    }
    let is_null = |schema: &Schema| match schema {
        Schema::Rules(rules) => {
            rules.types.as_deref() == Some(&[JsonType::Null][..])
                && Rules {
                    types: None,
                    ..(**rules).clone()
                } == Rules::default()
        }
        _ => false,
    };
    let (branches, rest) = if !rules.any_of.is_empty() {
        (
            &rules.any_of,
            Rules {
                any_of: Vec::new(),
                ..rules.clone()
            },
        )
    } else if !rules.one_of.is_empty() {
        (
            &rules.one_of,
            Rules {
                one_of: Vec::new(),
                discriminator: None,
                ..rules.clone()
            },
        )
    } else {
        return None;
    };
    if rest != Rules::default() {
        return None;
    }
    match branches.as_slice() {
        [value, null] | [null, value] if is_null(null) && !is_null(value) => Some(value),
        _ => None,
    }
}

/// Whether `schema` lets `null` through, following references (bounded by `depth`).
fn admits_null(types: &[TypeDef], schema: &Schema, depth: usize) -> bool {
    let rules = match schema {
        Schema::Any => return true,
        Schema::Nothing => return false,
        Schema::Rules(rules) => rules,
    };
    if nullable_union(rules).is_some() {
        return true;
    }
    if let Some(types) = &rules.types {
        return types.contains(&JsonType::Null);
    }
    if let Some(values) = &rules.enumeration {
        return values.contains(&Value::Null);
    }
    if let Some(constant) = &rules.constant {
        return constant.is_null();
    }
    match rules.reference {
        Some(id) if depth < MAX_DEREF_DEPTH => types
            .get(id.0)
            .is_some_and(|def| admits_null(types, &def.schema, depth + 1)),
        Some(_) => false,
        None => true,
    }
}

/// `rules` without `null` among its types.
fn without_null(rules: &Rules) -> Rules {
    let mut copy = rules.clone();
    if let Some(types) = &mut copy.types {
        types.retain(|ty| *ty != JsonType::Null);
    }
    copy
}

/// `rules` with the `allOf` branches that only list properties (a `$ref` to an object
/// type, or an inline object) merged into it, so that moving properties into or out of a
/// shared base type is not mistaken for removing and adding them. Branches that do more
/// stay in `allOf` and are compared branch by branch.
fn flatten_all_of(types: &[TypeDef], rules: &Rules, depth: usize) -> Rules {
    if rules.all_of.is_empty() || depth >= MAX_DEREF_DEPTH {
        return rules.clone();
    }
    let mut flat = Rules {
        all_of: Vec::new(),
        ..rules.clone()
    };
    for branch in &rules.all_of {
        let part = match branch {
            Schema::Any => continue,
            Schema::Nothing => None,
            Schema::Rules(branch_rules) => match branch_rules.reference {
                Some(id) if is_bare_reference(branch_rules) => {
                    match types.get(id.0).map(|def| &def.schema) {
                        Some(Schema::Rules(target)) => {
                            Some(flatten_all_of(types, target, depth + 1))
                        }
                        Some(Schema::Any) => continue,
                        _ => None,
                    }
                }
                _ => Some(flatten_all_of(types, branch_rules, depth + 1)),
            },
        };
        match part {
            Some(part) if mergeable(&part, &flat) => {
                if flat.types.is_none() {
                    flat.types = part.types;
                }
                for (name, schema) in part.object.properties {
                    flat.object.properties.push((name, schema));
                }
                for name in part.object.required {
                    if !flat.object.required.contains(&name) {
                        flat.object.required.push(name);
                    }
                }
            }
            _ => flat.all_of.push(branch.clone()),
        }
    }
    flat
}

/// Whether an `allOf` branch can be merged into its parent without changing what the
/// parent accepts: it lists properties (and `type: object`) only, names none the parent
/// lists, and the parent does not refuse unlisted properties (`additionalProperties`
/// would then apply to the merged ones too).
fn mergeable(part: &Rules, into: &Rules) -> bool {
    let rest = Rules {
        types: None,
        object: ObjectRules {
            properties: Vec::new(),
            required: Vec::new(),
            ..part.object.clone()
        },
        ..part.clone()
    };
    rest == Rules::default()
        && part
            .types
            .as_ref()
            .is_none_or(|types| types.as_slice() == [JsonType::Object])
        && into
            .types
            .as_ref()
            .is_none_or(|types| types.as_slice() == [JsonType::Object])
        && matches!(into.object.additional, None | Some(Schema::Any))
        && part.object.properties.iter().all(|(name, _)| {
            !into
                .object
                .properties
                .iter()
                .any(|(other, _)| other == name)
        })
}

/// Whether `rules` is a bare `$ref` (nothing beside the reference).
fn is_bare_reference(rules: &Rules) -> bool {
    Rules {
        reference: None,
        ..rules.clone()
    } == Rules::default()
}

fn values_text(values: &[&Value]) -> String {
    values
        .iter()
        .map(|value| value.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'a> TypeComparison<'a> {
    /// Compares the schemas of two named types, once per pair and direction.
    pub(crate) fn wire_named(
        &mut self,
        at: &Place,
        base: TypeId,
        head: TypeId,
        direction: Direction,
    ) {
        if !self.wire_seen.insert((base.0, head.0, direction)) {
            return;
        }
        let (base_types, head_types) = (self.base, self.head);
        if let (Some(base), Some(head)) = (base_types.get(base.0), head_types.get(head.0)) {
            self.wire_schema(at, &base.schema, &head.schema, direction);
        }
    }

    pub(crate) fn wire_schema(
        &mut self,
        at: &Place,
        base: &Schema,
        head: &Schema,
        direction: Direction,
    ) {
        match (base, head) {
            (Schema::Any, Schema::Any) | (Schema::Nothing, Schema::Nothing) => {}
            (Schema::Nothing, _) => self.wire(
                at,
                direction,
                Effect::Widened,
                "was `false` (no value valid), now accepts values".to_owned(),
                None,
            ),
            (_, Schema::Nothing) => self.wire(
                at,
                direction,
                Effect::Narrowed,
                "became `false`: no value is valid".to_owned(),
                None,
            ),
            (Schema::Any, Schema::Rules(head)) => {
                self.wire_rules(at, &Rules::default(), head, direction)
            }
            (Schema::Rules(base), Schema::Any) => {
                self.wire_rules(at, base, &Rules::default(), direction)
            }
            (Schema::Rules(base), Schema::Rules(head)) => {
                self.wire_rules(at, base, head, direction)
            }
        }
    }

    /// Records a wire finding; `breaking_why` replaces the general reason when the
    /// finding breaks someone.
    fn wire(
        &mut self,
        at: &Place,
        direction: Direction,
        effect: Effect,
        what: String,
        breaking_why: Option<String>,
    ) {
        let level = effect.level(direction);
        let why = match breaking_why {
            Some(why) if level.is_breaking() => why,
            _ => effect.why(direction).to_owned(),
        };
        self.report(level, at, what, why);
    }

    /// Whether two subschemas accept exactly the same values, as far as this comparison
    /// can tell; reports nothing.
    fn equivalent(&self, base: &Schema, head: &Schema) -> bool {
        let mut scratch = self.scratch();
        scratch.wire_schema(&Place::new(""), base, head, Direction::Request);
        scratch.findings.is_empty()
    }

    fn wire_rules(&mut self, at: &Place, base: &Rules, head: &Rules, direction: Direction) {
        if self.nullable_unions(at, base, head, direction) {
            return;
        }
        let (flat_base, flat_head);
        let (base, head) = if base.all_of.is_empty() && head.all_of.is_empty() {
            (base, head)
        } else {
            flat_base = flatten_all_of(self.base, base, self.depth);
            flat_head = flatten_all_of(self.head, head, self.depth);
            (&flat_base, &flat_head)
        };
        if self.references(at, base, head, direction) {
            return;
        }
        if !self.types(at, base, head, direction) {
            // No JSON type in common: every other keyword compares unrelated values.
            return;
        }
        self.values(at, base, head, direction);
        self.strings(at, base, head, direction);
        self.numbers(at, base, head, direction);
        self.arrays(at, base, head, direction);
        self.objects(at, base, head, direction);
        self.compositions(at, base, head, direction);
    }

    /// Handles `anyOf: [X, {type: null}]` on either side; true when it compared everything.
    fn nullable_unions(
        &mut self,
        at: &Place,
        base: &Rules,
        head: &Rules,
        direction: Direction,
    ) -> bool {
        let (base_types, head_types) = (self.base, self.head);
        match (nullable_union(base), nullable_union(head)) {
            (Some(base), Some(head)) => self.wire_schema(at, base, head, direction),
            (Some(base_value), None) => {
                let head_schema = Schema::Rules(Box::new(head.clone()));
                if !admits_null(head_types, &head_schema, 0) {
                    self.no_longer_null(at, direction);
                }
                let head_value = Schema::Rules(Box::new(without_null(head)));
                self.wire_schema(at, base_value, &head_value, direction);
            }
            (None, Some(head_value)) => {
                let base_schema = Schema::Rules(Box::new(base.clone()));
                if !admits_null(base_types, &base_schema, 0) {
                    self.now_null(at, direction);
                }
                let base_value = Schema::Rules(Box::new(without_null(base)));
                self.wire_schema(at, &base_value, head_value, direction);
            }
            (None, None) => return false,
        }
        true
    }

    fn now_null(&mut self, at: &Place, direction: Direction) {
        self.wire(
            at,
            direction,
            Effect::Widened,
            "now accepts null (nullable added)".to_owned(),
            Some("callers built on the old contract expect a value and may now get null".into()),
        );
    }

    fn no_longer_null(&mut self, at: &Place, direction: Direction) {
        self.wire(
            at,
            direction,
            Effect::Narrowed,
            "no longer accepts null".to_owned(),
            Some("callers that send null are refused".into()),
        );
    }

    /// Compares `$ref`s; true when nothing else is left to compare.
    fn references(&mut self, at: &Place, base: &Rules, head: &Rules, direction: Direction) -> bool {
        let (base_types, head_types) = (self.base, self.head);
        match (base.reference, head.reference) {
            (Some(base_id), Some(head_id)) => {
                self.wire_named(at, base_id, head_id, direction);
                false
            }
            (None, None) => false,
            (Some(base_id), None) => {
                match base_types.get(base_id.0) {
                    Some(def) if is_bare_reference(base) && self.depth < MAX_DEREF_DEPTH => {
                        self.depth += 1;
                        let head_schema = Schema::Rules(Box::new(head.clone()));
                        self.wire_schema(at, &def.schema, &head_schema, direction);
                        self.depth -= 1;
                    }
                    _ => self.wire(
                        at,
                        direction,
                        Effect::Changed,
                        "a `$ref` with other keywords became an inline schema".to_owned(),
                        None,
                    ),
                }
                true
            }
            (None, Some(head_id)) => {
                match head_types.get(head_id.0) {
                    Some(def) if is_bare_reference(head) && self.depth < MAX_DEREF_DEPTH => {
                        self.depth += 1;
                        let base_schema = Schema::Rules(Box::new(base.clone()));
                        self.wire_schema(at, &base_schema, &def.schema, direction);
                        self.depth -= 1;
                    }
                    _ => self.wire(
                        at,
                        direction,
                        Effect::Changed,
                        "an inline schema became a `$ref` with other keywords".to_owned(),
                        None,
                    ),
                }
                true
            }
        }
    }

    /// Compares the `type` keyword; false when the two sides share no type at all.
    fn types(&mut self, at: &Place, base: &Rules, head: &Rules, direction: Direction) -> bool {
        match (&base.types, &head.types) {
            (None, None) => true,
            (None, Some(head_types)) => {
                self.wire(
                    at,
                    direction,
                    Effect::Narrowed,
                    format!("`type` added: only {}", bounds::describe_types(head_types)),
                    None,
                );
                true
            }
            (Some(base_types), None) => {
                self.wire(
                    at,
                    direction,
                    Effect::Widened,
                    format!(
                        "`type` {} removed: any JSON type accepted",
                        bounds::describe_types(base_types)
                    ),
                    None,
                );
                true
            }
            (Some(base_types), Some(head_types)) => {
                let base_null = base_types.contains(&JsonType::Null);
                let head_null = head_types.contains(&JsonType::Null);
                if head_null && !base_null {
                    self.now_null(at, direction);
                } else if base_null && !head_null {
                    self.no_longer_null(at, direction);
                }
                let base_set = bounds::non_null_types(Some(base_types));
                let head_set = bounds::non_null_types(Some(head_types));
                let lost = base_set.iter().any(|ty| !bounds::admits(&head_set, *ty));
                let gained = head_set.iter().any(|ty| !bounds::admits(&base_set, *ty));
                let common = base_set.iter().any(|ty| bounds::admits(&head_set, *ty))
                    || head_set.iter().any(|ty| bounds::admits(&base_set, *ty));
                let change = format!(
                    "{} to {}",
                    bounds::describe_types(&base_set),
                    bounds::describe_types(&head_set)
                );
                match (lost, gained) {
                    (false, false) => {}
                    (true, true) => self.wire(
                        at,
                        direction,
                        Effect::Changed,
                        format!("type changed from {change}"),
                        None,
                    ),
                    (true, false) => self.wire(
                        at,
                        direction,
                        Effect::Narrowed,
                        format!("type narrowed from {change}"),
                        None,
                    ),
                    (false, true) => self.wire(
                        at,
                        direction,
                        Effect::Widened,
                        format!("type widened from {change}"),
                        None,
                    ),
                }
                common || base_set.is_empty() || head_set.is_empty()
            }
        }
    }

    /// `enum` and `const`.
    fn values(&mut self, at: &Place, base: &Rules, head: &Rules, direction: Direction) {
        match (&base.enumeration, &head.enumeration) {
            (None, None) => {}
            (None, Some(head_values)) => self.wire(
                at,
                direction,
                Effect::Narrowed,
                format!(
                    "`enum` added: only {}",
                    values_text(&head_values.iter().collect::<Vec<_>>())
                ),
                None,
            ),
            (Some(_), None) => self.wire(
                at,
                direction,
                Effect::Widened,
                "`enum` removed: any value of the type accepted".to_owned(),
                None,
            ),
            (Some(base_values), Some(head_values)) => {
                let removed: Vec<&Value> = base_values
                    .iter()
                    .filter(|value| !head_values.contains(value))
                    .collect();
                let added: Vec<&Value> = head_values
                    .iter()
                    .filter(|value| !base_values.contains(value))
                    .collect();
                if !removed.is_empty() {
                    let text = values_text(&removed);
                    self.wire(
                        at,
                        direction,
                        Effect::Narrowed,
                        format!("enum value {text} removed"),
                        Some(format!("callers that send {text} are refused")),
                    );
                }
                if !added.is_empty() {
                    let text = values_text(&added);
                    self.wire(
                        at,
                        direction,
                        Effect::Widened,
                        format!("enum value {text} added"),
                        Some(format!(
                            "callers built on the old contract refuse or mishandle {text}"
                        )),
                    );
                }
            }
        }
        match (&base.constant, &head.constant) {
            (None, None) => {}
            (None, Some(value)) => self.wire(
                at,
                direction,
                Effect::Narrowed,
                format!("`const` {value} added"),
                None,
            ),
            (Some(value), None) => self.wire(
                at,
                direction,
                Effect::Widened,
                format!("`const` {value} removed"),
                None,
            ),
            (Some(base_value), Some(head_value)) if base_value != head_value => self.wire(
                at,
                direction,
                Effect::Changed,
                format!("`const` {base_value} → {head_value}"),
                None,
            ),
            _ => {}
        }
    }

    fn count(
        &mut self,
        at: &Place,
        direction: Direction,
        keyword: &str,
        base: Option<u64>,
        head: Option<u64>,
        effect: Option<Effect>,
    ) {
        if let Some(effect) = effect {
            self.wire(
                at,
                direction,
                effect,
                bounds::describe_count(keyword, base, head),
                None,
            );
        }
    }

    /// A keyword whose value is a text (`pattern`, `format`): added narrows, removed
    /// widens, changed is both.
    fn text_keyword(
        &mut self,
        at: &Place,
        direction: Direction,
        keyword: &str,
        base: Option<&str>,
        head: Option<&str>,
    ) {
        let (effect, what) = match (base, head) {
            (None, Some(head)) => (Effect::Narrowed, format!("{keyword} `{head}` added")),
            (Some(base), None) => (Effect::Widened, format!("{keyword} `{base}` removed")),
            (Some(base), Some(head)) if base != head => {
                (Effect::Changed, format!("{keyword} `{base}` → `{head}`"))
            }
            _ => return,
        };
        self.wire(at, direction, effect, what, None);
    }

    fn strings(&mut self, at: &Place, base: &Rules, head: &Rules, direction: Direction) {
        let (base, head) = (&base.string, &head.string);
        self.count(
            at,
            direction,
            "minLength",
            base.min_length,
            head.min_length,
            bounds::lower_count(base.min_length, head.min_length),
        );
        self.count(
            at,
            direction,
            "maxLength",
            base.max_length,
            head.max_length,
            bounds::upper_count(base.max_length, head.max_length),
        );
        self.text_keyword(
            at,
            direction,
            "pattern",
            base.pattern.as_ref().map(|pattern| pattern.source.as_str()),
            head.pattern.as_ref().map(|pattern| pattern.source.as_str()),
        );
        self.text_keyword(
            at,
            direction,
            "format",
            base.format.as_deref(),
            head.format.as_deref(),
        );
    }

    fn numbers(&mut self, at: &Place, base: &Rules, head: &Rules, direction: Direction) {
        let (base, head) = (&base.number, &head.number);
        let (base_lower, head_lower) = (bounds::lower_limit(base), bounds::lower_limit(head));
        if let Some(effect) = bounds::compare_lower(&base_lower, &head_lower) {
            let what = bounds::describe_limits(&base_lower, &head_lower);
            self.wire(at, direction, effect, what, None);
        }
        let (base_upper, head_upper) = (bounds::upper_limit(base), bounds::upper_limit(head));
        if let Some(effect) = bounds::compare_upper(&base_upper, &head_upper) {
            let what = bounds::describe_limits(&base_upper, &head_upper);
            self.wire(at, direction, effect, what, None);
        }
        let (base_step, head_step) = (base.multiple_of.as_ref(), head.multiple_of.as_ref());
        if let Some(effect) = bounds::compare_multiple_of(base_step, head_step) {
            let show = |step: Option<&serde_json::Number>| {
                step.map_or_else(|| "none".to_owned(), ToString::to_string)
            };
            let what = format!("multipleOf {} → {}", show(base_step), show(head_step));
            self.wire(at, direction, effect, what, None);
        }
    }

    fn arrays(&mut self, at: &Place, base: &Rules, head: &Rules, direction: Direction) {
        let (base, head) = (&base.array, &head.array);
        self.count(
            at,
            direction,
            "minItems",
            base.min_items,
            head.min_items,
            bounds::lower_count(base.min_items, head.min_items),
        );
        self.count(
            at,
            direction,
            "maxItems",
            base.max_items,
            head.max_items,
            bounds::upper_count(base.max_items, head.max_items),
        );
        if base.unique_items != head.unique_items {
            let (effect, what) = if head.unique_items {
                (Effect::Narrowed, "uniqueItems added")
            } else {
                (Effect::Widened, "uniqueItems removed")
            };
            self.wire(at, direction, effect, what.to_owned(), None);
        }
        let shared = base.prefix_items.len().min(head.prefix_items.len());
        for index in 0..shared {
            self.wire_schema(
                &at.branch("prefixItems", index),
                &base.prefix_items[index],
                &head.prefix_items[index],
                direction,
            );
        }
        if base.prefix_items.len() != head.prefix_items.len() {
            self.wire(
                at,
                direction,
                Effect::Changed,
                format!(
                    "prefixItems: {} → {} positions",
                    base.prefix_items.len(),
                    head.prefix_items.len()
                ),
                None,
            );
        }
        match (&base.items, &head.items) {
            (None, None) => {}
            (base_items, head_items) => self.wire_schema(
                &at.item(),
                base_items.as_ref().unwrap_or(&Schema::Any),
                head_items.as_ref().unwrap_or(&Schema::Any),
                direction,
            ),
        }
        self.opaque(
            at,
            direction,
            "contains",
            base.contains.as_ref(),
            head.contains.as_ref(),
        );
        self.count(
            at,
            direction,
            "minContains",
            base.min_contains,
            head.min_contains,
            bounds::lower_count(base.min_contains, head.min_contains),
        );
        self.count(
            at,
            direction,
            "maxContains",
            base.max_contains,
            head.max_contains,
            bounds::upper_count(base.max_contains, head.max_contains),
        );
        self.opaque(
            at,
            direction,
            "unevaluatedItems",
            base.unevaluated.as_ref(),
            head.unevaluated.as_ref(),
        );
    }

    /// A keyword whose subschema restricts the value in a way we do not take apart
    /// (`not`, `contains`, `propertyNames`, `unevaluated*`, `if`): added narrows, removed
    /// widens, any change is both.
    fn opaque(
        &mut self,
        at: &Place,
        direction: Direction,
        keyword: &str,
        base: Option<&Schema>,
        head: Option<&Schema>,
    ) {
        let (effect, what) = match (base, head) {
            (None, None) => return,
            (None, Some(_)) => (Effect::Narrowed, format!("`{keyword}` added")),
            (Some(_), None) => (Effect::Widened, format!("`{keyword}` removed")),
            (Some(base), Some(head)) => {
                if self.equivalent(base, head) {
                    return;
                }
                (Effect::Changed, format!("`{keyword}` changed"))
            }
        };
        self.wire(at, direction, effect, what, None);
    }

    fn objects(&mut self, at: &Place, base: &Rules, head: &Rules, direction: Direction) {
        self.properties(at, base, head, direction);
        let (base_object, head_object) = (&base.object, &head.object);
        let listed = |name: &String| {
            base_object
                .properties
                .iter()
                .any(|(other, _)| other == name)
                || head_object
                    .properties
                    .iter()
                    .any(|(other, _)| other == name)
        };
        for name in head_object.required.iter().filter(|name| !listed(name)) {
            if !base_object.required.contains(name) {
                self.wire(
                    at,
                    direction,
                    Effect::Narrowed,
                    format!("`{name}` now required"),
                    Some(format!("callers that omit `{name}` are refused")),
                );
            }
        }
        for name in base_object.required.iter().filter(|name| !listed(name)) {
            if !head_object.required.contains(name) {
                self.wire(
                    at,
                    direction,
                    Effect::Widened,
                    format!("`{name}` no longer required"),
                    Some(format!("`{name}` may now be absent")),
                );
            }
        }
        match (extra(base), extra(head)) {
            (Extra::Free, Extra::Free) | (Extra::Forbidden, Extra::Forbidden) => {}
            (Extra::Free, Extra::Forbidden) => self.wire(
                at,
                direction,
                Effect::Narrowed,
                "additionalProperties: false added".to_owned(),
                Some("callers that send properties the contract does not list are refused".into()),
            ),
            (Extra::Forbidden, Extra::Free) => self.wire(
                at,
                direction,
                Effect::Widened,
                "additionalProperties: false removed".to_owned(),
                Some(
                    "callers built on the old contract refuse answers with unlisted properties"
                        .into(),
                ),
            ),
            (base_extra, head_extra) => {
                let as_schema = |extra: Extra<'_>| match extra {
                    Extra::Free => Schema::Any,
                    Extra::Forbidden => Schema::Nothing,
                    Extra::Checked(schema) => schema.clone(),
                };
                self.wire_schema(
                    &at.value(),
                    &as_schema(base_extra),
                    &as_schema(head_extra),
                    direction,
                );
            }
        }
        for (rule, head_schema) in &head_object.pattern_properties {
            let place = Place::new(format!("{} /{}/", at.as_str(), rule.source));
            match base_object
                .pattern_properties
                .iter()
                .find(|(base_rule, _)| base_rule.source == rule.source)
            {
                Some((_, base_schema)) => {
                    self.wire_schema(&place, base_schema, head_schema, direction)
                }
                None => self.wire(
                    at,
                    direction,
                    Effect::Narrowed,
                    format!("patternProperties `{}` added", rule.source),
                    None,
                ),
            }
        }
        for (rule, _) in &base_object.pattern_properties {
            if !head_object
                .pattern_properties
                .iter()
                .any(|(head_rule, _)| head_rule.source == rule.source)
            {
                self.wire(
                    at,
                    direction,
                    Effect::Widened,
                    format!("patternProperties `{}` removed", rule.source),
                    None,
                );
            }
        }
        self.opaque(
            at,
            direction,
            "propertyNames",
            base_object.property_names.as_ref(),
            head_object.property_names.as_ref(),
        );
        self.count(
            at,
            direction,
            "minProperties",
            base_object.min_properties,
            head_object.min_properties,
            bounds::lower_count(base_object.min_properties, head_object.min_properties),
        );
        self.count(
            at,
            direction,
            "maxProperties",
            base_object.max_properties,
            head_object.max_properties,
            bounds::upper_count(base_object.max_properties, head_object.max_properties),
        );
        if base_object.dependent_required != head_object.dependent_required {
            let mentions = |list: &[(String, Vec<String>)], key: &str, name: &String| {
                list.iter()
                    .any(|(other, names)| other == key && names.contains(name))
            };
            let gained = head_object.dependent_required.iter().any(|(key, names)| {
                names
                    .iter()
                    .any(|name| !mentions(&base_object.dependent_required, key, name))
            });
            let lost = base_object.dependent_required.iter().any(|(key, names)| {
                names
                    .iter()
                    .any(|name| !mentions(&head_object.dependent_required, key, name))
            });
            let effect = match (gained, lost) {
                (true, true) => Some(Effect::Changed),
                (true, false) => Some(Effect::Narrowed),
                (false, true) => Some(Effect::Widened),
                (false, false) => None,
            };
            if let Some(effect) = effect {
                self.wire(
                    at,
                    direction,
                    effect,
                    "dependentRequired changed".to_owned(),
                    None,
                );
            }
        }
        for (key, head_schema) in &head_object.dependent_schemas {
            let base_schema = base_object
                .dependent_schemas
                .iter()
                .find(|(other, _)| other == key)
                .map(|(_, schema)| schema);
            self.opaque(
                at,
                direction,
                &format!("dependentSchemas.{key}"),
                base_schema,
                Some(head_schema),
            );
        }
        for (key, base_schema) in &base_object.dependent_schemas {
            if !head_object
                .dependent_schemas
                .iter()
                .any(|(other, _)| other == key)
            {
                self.opaque(
                    at,
                    direction,
                    &format!("dependentSchemas.{key}"),
                    Some(base_schema),
                    None,
                );
            }
        }
        self.opaque(
            at,
            direction,
            "unevaluatedProperties",
            base_object.unevaluated.as_ref(),
            head_object.unevaluated.as_ref(),
        );
    }

    /// The listed properties: added, removed, required or not, and their own schemas.
    fn properties(&mut self, at: &Place, base: &Rules, head: &Rules, direction: Direction) {
        let (base_object, head_object) = (&base.object, &head.object);
        for (name, base_schema) in &base_object.properties {
            let place = at.property(name);
            let base_required = base_object.required.contains(name);
            let head_required = head_object.required.contains(name);
            let Some((_, head_schema)) = head_object
                .properties
                .iter()
                .find(|(other, _)| other == name)
            else {
                self.removed_property(&place, name, base_required, base_schema, head, direction);
                continue;
            };
            if head_required && !base_required {
                self.wire(
                    &place,
                    direction,
                    Effect::Narrowed,
                    format!("property `{name}` became required"),
                    Some(format!("callers that omit `{name}` are refused")),
                );
            } else if base_required && !head_required {
                self.wire(
                    &place,
                    direction,
                    Effect::Widened,
                    format!("property `{name}` became optional"),
                    Some(format!(
                        "`{name}` may now be absent: callers that rely on it break"
                    )),
                );
            }
            self.wire_schema(&place, base_schema, head_schema, direction);
        }
        for (name, head_schema) in &head_object.properties {
            if base_object
                .properties
                .iter()
                .any(|(other, _)| other == name)
            {
                continue;
            }
            let head_required = head_object.required.contains(name);
            self.added_property(
                &at.property(name),
                name,
                head_required,
                head_schema,
                base,
                direction,
            );
        }
    }

    fn removed_property(
        &mut self,
        place: &Place,
        name: &str,
        was_required: bool,
        base_schema: &Schema,
        head: &Rules,
        direction: Direction,
    ) {
        let what = format!("property `{name}` removed");
        match (direction, extra(head)) {
            (Direction::Response, _) => {
                let why = if was_required {
                    format!("callers that read `{name}` no longer get it")
                } else {
                    format!(
                        "callers that read `{name}` no longer get it, and the name is free \
                         to carry anything"
                    )
                };
                self.report(Level::WireBreaking, place, what, why);
            }
            (Direction::Request, Extra::Forbidden) => self.report(
                Level::WireBreaking,
                place,
                what,
                format!(
                    "additionalProperties is false: callers that still send `{name}` are refused"
                ),
            ),
            (Direction::Request, Extra::Free) => self.report(
                Level::Compatible,
                place,
                what,
                format!(
                    "unknown properties are ignored: callers that still send `{name}` are \
                     accepted (the value is no longer read)"
                ),
            ),
            (Direction::Request, Extra::Checked(additional)) => {
                let additional = additional.clone();
                self.report(
                    Level::Compatible,
                    place,
                    what,
                    "what callers still send under this name is checked against \
                     additionalProperties now",
                );
                self.wire_schema(place, base_schema, &additional, direction);
            }
        }
    }

    fn added_property(
        &mut self,
        place: &Place,
        name: &str,
        required: bool,
        head_schema: &Schema,
        base: &Rules,
        direction: Direction,
    ) {
        let kind = if required { "required" } else { "optional" };
        let what = format!("new {kind} property `{name}`");
        match (direction, required, extra(base)) {
            (Direction::Request, true, _) => self.report(
                Level::WireBreaking,
                place,
                what,
                format!("callers built on the old contract do not send `{name}` and are refused"),
            ),
            (Direction::Response, _, Extra::Forbidden) => self.report(
                Level::WireBreaking,
                place,
                what,
                format!(
                    "the old contract says additionalProperties: false, so callers built on it \
                     refuse answers that carry `{name}`"
                ),
            ),
            (Direction::Request, false, _) => self.report(
                Level::Compatible,
                place,
                what,
                format!("callers that do not send `{name}` are unaffected"),
            ),
            (Direction::Response, _, _) => self.report(
                Level::Compatible,
                place,
                what,
                "callers built on the old contract ignore properties they do not know",
            ),
        }
        if let Extra::Checked(additional) = extra(base) {
            // The name was allowed before, with values checked by `additionalProperties`.
            let additional = additional.clone();
            self.wire_schema(place, &additional, head_schema, direction);
        }
    }

    fn compositions(&mut self, at: &Place, base: &Rules, head: &Rules, direction: Direction) {
        // allOf: every branch applies to the same value, so each is compared in place.
        let shared = base.all_of.len().min(head.all_of.len());
        for index in 0..shared {
            self.wire_schema(at, &base.all_of[index], &head.all_of[index], direction);
        }
        if head.all_of.len() > shared {
            self.wire(
                at,
                direction,
                Effect::Narrowed,
                format!("allOf: {} branch(es) added", head.all_of.len() - shared),
                None,
            );
        }
        if base.all_of.len() > shared {
            self.wire(
                at,
                direction,
                Effect::Widened,
                format!("allOf: {} branch(es) removed", base.all_of.len() - shared),
                None,
            );
        }
        let shared = base.any_of.len().min(head.any_of.len());
        for index in 0..shared {
            self.wire_schema(
                &at.branch("anyOf", index),
                &base.any_of[index],
                &head.any_of[index],
                direction,
            );
        }
        if head.any_of.len() > shared {
            self.wire(
                at,
                direction,
                Effect::Widened,
                format!("anyOf: {} branch(es) added", head.any_of.len() - shared),
                Some(
                    "answers can now take a form callers built on the old contract do not know"
                        .into(),
                ),
            );
        }
        if base.any_of.len() > shared {
            self.wire(
                at,
                direction,
                Effect::Narrowed,
                format!("anyOf: {} branch(es) removed", base.any_of.len() - shared),
                None,
            );
        }
        self.one_of(at, base, head, direction);
        self.opaque(at, direction, "not", base.not.as_ref(), head.not.as_ref());
        let condition_changed = match (&base.condition, &head.condition) {
            (None, None) => false,
            (Some(base), Some(head)) => {
                let same = |base: &Option<Schema>, head: &Option<Schema>| match (base, head) {
                    (None, None) => true,
                    (Some(base), Some(head)) => self.equivalent(base, head),
                    _ => false,
                };
                !(self.equivalent(&base.test, &head.test)
                    && same(&base.then, &head.then)
                    && same(&base.otherwise, &head.otherwise))
            }
            _ => true,
        };
        if condition_changed {
            self.wire(
                at,
                direction,
                Effect::Changed,
                "`if`/`then`/`else` changed".to_owned(),
                None,
            );
        }
    }

    /// `oneOf`: by tag value when both sides are discriminated by the same property,
    /// by position otherwise.
    fn one_of(&mut self, at: &Place, base: &Rules, head: &Rules, direction: Direction) {
        if base.one_of.is_empty() && head.one_of.is_empty() {
            return;
        }
        if let (Some(base_tags), Some(head_tags)) = (&base.discriminator, &head.discriminator) {
            if base_tags.property == head_tags.property {
                let property = &base_tags.property;
                for (tag, base_index) in &base_tags.branches {
                    let place = Place::new(format!("{} ({property}={tag})", at.as_str()));
                    match head_tags.branches.iter().find(|(other, _)| other == tag) {
                        Some((_, head_index)) => {
                            if let (Some(base_branch), Some(head_branch)) =
                                (base.one_of.get(*base_index), head.one_of.get(*head_index))
                            {
                                self.wire_schema(&place, base_branch, head_branch, direction);
                            }
                        }
                        None => self.wire(
                            &place,
                            direction,
                            Effect::Narrowed,
                            format!("variant `{property}: {tag}` removed"),
                            Some(format!("callers that send `{property}: {tag}` are refused")),
                        ),
                    }
                }
                for (tag, _) in &head_tags.branches {
                    if !base_tags.branches.iter().any(|(other, _)| other == tag) {
                        let place = Place::new(format!("{} ({property}={tag})", at.as_str()));
                        self.wire(
                            &place,
                            direction,
                            Effect::Widened,
                            format!("variant `{property}: {tag}` added"),
                            Some(format!(
                                "callers built on the old contract refuse or mishandle \
                                 `{property}: {tag}`"
                            )),
                        );
                    }
                }
                return;
            }
        }
        let shared = base.one_of.len().min(head.one_of.len());
        for index in 0..shared {
            self.wire_schema(
                &at.branch("oneOf", index),
                &base.one_of[index],
                &head.one_of[index],
                direction,
            );
        }
        if base.one_of.len() != head.one_of.len() {
            self.wire(
                at,
                direction,
                Effect::Changed,
                format!(
                    "oneOf: {} → {} branches",
                    base.one_of.len(),
                    head.one_of.len()
                ),
                None,
            );
        }
    }
}
