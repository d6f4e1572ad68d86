//! Contracts that parse and are valid JSON Schema but cannot be what their author meant;
//! each was generated without a word before lowering learned to refuse it.

use super::{replace, Case, Defect, Place, Run, MANIFEST, TYPES};

/// Makes `CreateWidgetRequest` closed by `keyword` while requiring `colour`, which it
/// does not declare.
fn closed_request_requiring_colour(keyword: &'static str, to: &'static str) -> Case {
    Case {
        run: Run::Generate,
        defect: replace(TYPES, r#""required": ["name", "price"],"#, to),
        file: TYPES,
        place: Place::LineOf(r#""required": ["name", "price", "colour"]"#),
        pointer: Some("/$defs/CreateWidgetRequest/required/2"),
        reason: match keyword {
            "additionalProperties" => "`additionalProperties: false` forbids",
            _ => "`unevaluatedProperties: false` forbids",
        },
    }
}

pub fn required_property_forbidden_by_additional_properties() -> Case {
    closed_request_requiring_colour(
        "additionalProperties",
        "\"required\": [\"name\", \"price\", \"colour\"],\n      \"additionalProperties\": false,",
    )
}

pub fn required_property_forbidden_by_unevaluated_properties() -> Case {
    closed_request_requiring_colour(
        "unevaluatedProperties",
        "\"required\": [\"name\", \"price\", \"colour\"],\n      \"unevaluatedProperties\": false,",
    )
}

pub fn keyed_retry_on_a_get() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            MANIFEST,
            "    response: types.schema.json#/$defs/Widget\n    errors:",
            "    response: types.schema.json#/$defs/Widget\n    retry: keyed\n    errors:",
        ),
        file: MANIFEST,
        place: Place::LineOf("    retry: keyed\n    errors:"),
        pointer: Some("/operations/getWidget/retry"),
        reason: "`retry: keyed` on a GET",
    }
}

pub fn caller_naming_no_service() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            MANIFEST,
            "    retry: keyed",
            "    retry: keyed\n    callers: [widgets]",
        ),
        file: MANIFEST,
        place: Place::LineOf("    callers: [widgets]"),
        pointer: Some("/operations/createWidget/callers/0"),
        reason: "`widgets`, which is no service here; did you mean `widget`?",
    }
}

pub fn error_code_off_the_manifest_schema_pattern() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(MANIFEST, "code: WIDGET_NOT_FOUND", "code: widget-not-found"),
        file: MANIFEST,
        place: Place::LineOf("        code: widget-not-found"),
        pointer: Some("/operations/getWidget/errors/0/code"),
        reason: "^[A-Z][A-Z0-9_]*$",
    }
}

pub fn status_off_the_manifest_schema_range() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(MANIFEST, "status: 201", "status: 302"),
        file: MANIFEST,
        place: Place::LineOf("    status: 302"),
        pointer: Some("/operations/createWidget/status"),
        reason: "302",
    }
}

pub fn service_name_off_the_manifest_schema_pattern() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(MANIFEST, "service: widget", "service: Widget"),
        file: MANIFEST,
        place: Place::LineOf("service: Widget"),
        pointer: Some("/service"),
        reason: "^[a-z][a-z0-9-]*$",
    }
}

pub fn one_of_tagged_but_for_one_branch() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            "\"$defs\": {\n",
            "\"$defs\": {\n    \"Finish\": {\n      \"oneOf\": [\n        \
             { \"type\": \"object\", \"properties\": { \"kind\": { \"const\": \"matte\" } }, \"required\": [\"kind\"] },\n        \
             { \"type\": \"object\", \"properties\": { \"kind\": { \"const\": \"gloss\" } }, \"required\": [\"kind\"] },\n        \
             { \"type\": \"object\", \"properties\": { \"kind\": { \"type\": \"string\" } }, \"required\": [\"kind\"] }\n      \
             ]\n    },\n",
        ),
        file: TYPES,
        place: Place::LineOf(r#"        { "type": "object", "properties": { "kind": { "type": "string" } }"#),
        pointer: Some("/$defs/Finish/oneOf/2"),
        reason: "branch 2 has no `const` for `kind`",
    }
}

pub fn query_property_with_no_query_string_form() -> Case {
    Case {
        run: Run::Generate,
        defect: Defect::Many(vec![
            replace(
                MANIFEST,
                "    response: types.schema.json#/$defs/Widget\n    errors:",
                "    query: types.schema.json#/$defs/WidgetFilter\n    \
                 response: types.schema.json#/$defs/Widget\n    errors:",
            ),
            query_schema(),
        ]),
        file: TYPES,
        place: Place::LineOf("\"where\": {"),
        pointer: Some("/$defs/WidgetFilter/properties/where"),
        reason: "no query-string form",
    }
}

/// The query schema [`query_property_with_no_query_string_form`] names: `where` is an
/// object.
fn query_schema() -> Defect {
    replace(
        TYPES,
        "\"$defs\": {\n",
        "\"$defs\": {\n    \"WidgetFilter\": {\n      \"type\": \"object\",\n      \
         \"properties\": {\n        \"name\": { \"type\": \"string\" },\n        \
         \"where\": {\n          \"type\": \"object\",\n          \
         \"properties\": { \"colour\": { \"type\": \"string\" } }\n        }\n      }\n    },\n",
    )
}

pub fn example_breaking_its_own_schema() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            "\"name\": \"Blue widget\",\n          \"price\": { \"amountMinor\": 4999, \"currency\": \"EUR\" },\n          \"labels\"",
            "\"name\": \"\",\n          \"price\": { \"amountMinor\": 4999, \"currency\": \"EUR\" },\n          \"labels\"",
        ),
        file: TYPES,
        place: Place::LineOf("        {\n          \"id\": \"5f0c7a52"),
        pointer: Some("/$defs/Widget/examples/0"),
        reason: "example 0 of `Widget` does not match its own schema: at /name",
    }
}

/// Runs a valid edit of the base contracts and returns what went wrong, if anything.
fn generates(defect: Defect) -> Result<(), String> {
    let outcome = super::run_case(&Case {
        run: Run::Generate,
        defect,
        file: TYPES,
        place: Place::LineOf(""),
        pointer: None,
        reason: "",
    });
    match (&outcome.setup_error, outcome.exit_code) {
        (Some(error), _) => Err(error.clone()),
        (None, Some(0)) => Ok(()),
        (None, code) => Err(format!("exit {code:?}: {}", outcome.stderr)),
    }
}

/// A definition added in front of the base contracts' own.
fn definition(text: &'static str) -> Defect {
    replace(TYPES, "\"$defs\": {\n", text)
}

#[test]
fn closed_object_requiring_a_name_its_pattern_properties_match_generates() {
    generates(definition(
        "\"$defs\": {\n    \"Extension\": {\n      \"type\": \"object\",\n      \
         \"required\": [\"x-colour\"],\n      \
         \"patternProperties\": { \"^x-\": { \"type\": \"string\" } },\n      \
         \"additionalProperties\": false\n    },\n",
    ))
    .unwrap_or_else(|problem| panic!("satisfiable, so accepted: {problem}"));
}

#[test]
fn unevaluated_properties_see_the_properties_of_all_of_branches() {
    generates(definition(
        "\"$defs\": {\n    \"Extension\": {\n      \"type\": \"object\",\n      \
         \"required\": [\"colour\"],\n      \
         \"allOf\": [{ \"properties\": { \"colour\": { \"type\": \"string\" } } }],\n      \
         \"unevaluatedProperties\": false\n    },\n",
    ))
    .unwrap_or_else(|problem| panic!("satisfiable, so accepted: {problem}"));
}

#[test]
fn any_of_says_a_union_is_untagged_on_purpose() {
    generates(definition(
        "\"$defs\": {\n    \"Finish\": {\n      \"anyOf\": [\n        \
         { \"type\": \"object\", \"properties\": { \"kind\": { \"const\": \"matte\" } }, \"required\": [\"kind\"] },\n        \
         { \"type\": \"object\", \"properties\": { \"kind\": { \"const\": \"gloss\" } }, \"required\": [\"kind\"] },\n        \
         { \"type\": \"object\", \"properties\": { \"kind\": { \"type\": \"string\" } }, \"required\": [\"kind\"] }\n      \
         ]\n    },\n",
    ))
    .unwrap_or_else(|problem| panic!("untagged on purpose, so accepted: {problem}"));
}
