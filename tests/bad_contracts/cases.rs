//! The table's cases, one function each: the defect, and where and what the message must
//! name.

use std::fmt::Write as _;

use super::*;

pub use super::intent_cases::{
    caller_naming_no_service, error_code_off_the_manifest_schema_pattern,
    example_breaking_its_own_schema, keyed_retry_on_a_get, one_of_tagged_but_for_one_branch,
    query_property_with_no_query_string_form, required_property_forbidden_by_additional_properties,
    required_property_forbidden_by_unevaluated_properties,
    service_name_off_the_manifest_schema_pattern, status_off_the_manifest_schema_range,
};

pub fn manifest_yaml_syntax_error() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            MANIFEST,
            "summary: Fetch one widget by id.",
            "summary: Fetch: one widget by id.",
        ),
        file: MANIFEST,
        place: Place::LineOf("    summary: Fetch: one"),
        pointer: None,
        reason: "mapping values are not allowed",
    }
}

pub fn schema_json_trailing_comma() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(TYPES, r#""format": "uuid""#, r#""format": "uuid","#),
        file: TYPES,
        // The comma's line, or that of the `}` where serde_json notices it was trailing.
        place: Place::Between {
            first: r#""format": "uuid","#,
            last: "        },\n        \"name\"",
        },
        pointer: None,
        reason: "trailing comma",
    }
}

pub fn ref_to_unknown_document() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            r#""../common/common.schema.json#/$defs/Money""#,
            r#""../common/currency.schema.json#/$defs/Money""#,
        ),
        file: TYPES,
        place: Place::LineOf(r#"          "$ref": "../common/currency"#),
        pointer: Some("/$defs/CreateWidgetRequest/properties/price/$ref"),
        reason: "currency.schema.json",
    }
}

pub fn ref_to_missing_pointer() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            "common/common.schema.json#/$defs/Money\"\n        },\n        \"labels\"",
            "common/common.schema.json#/$defs/Monee\"\n        },\n        \"labels\"",
        ),
        file: TYPES,
        place: Place::LineOf(r#"          "$ref": "https://contracts.solo60.dev/common"#),
        pointer: Some("/$defs/Widget/properties/price/$ref"),
        reason: "/$defs/Monee",
    }
}

pub fn ref_to_unknown_anchor() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            r#""../common/common.schema.json#/$defs/Money""#,
            r#""../common/common.schema.json#money""#,
        ),
        file: TYPES,
        place: Place::LineOf(r#"          "$ref": "../common/common.schema.json#money"#),
        pointer: Some("/$defs/CreateWidgetRequest/properties/price/$ref"),
        reason: "anchor `money`",
    }
}

pub fn duplicate_operation_id() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            MANIFEST,
            "  createWidget:\n    summary: Create a widget.",
            "  getWidget:\n    summary: Create a widget.",
        ),
        file: MANIFEST,
        place: Place::LineOf("  getWidget:\n    summary: Create"),
        pointer: Some("/operations/getWidget"),
        reason: "getWidget",
    }
}

pub fn operation_ids_with_same_method_name() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            MANIFEST,
            "  createWidget:\n",
            "  get_widget:\n    summary: Fetch one widget by id, again.\n    \
             method: GET\n    path: /internal/widget/{widgetId}\n    params:\n      \
             widgetId: { type: string, format: uuid }\n    \
             response: types.schema.json#/$defs/Widget\n\n  createWidget:\n",
        ),
        file: MANIFEST,
        place: Place::LineOf("  get_widget:"),
        pointer: Some("/operations/get_widget"),
        reason: "get_widget",
    }
}

pub fn fallback_method_named_like_an_operation() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            MANIFEST,
            "  getWidget:\n    summary: Fetch one widget by id.\n",
            "  getWidgetOr:\n    summary: Fetch one widget or another.\n    \
             method: GET\n    path: /internal/widgets/either/{widgetId}\n    params:\n      \
             widgetId: { type: string, format: uuid }\n    \
             response: types.schema.json#/$defs/Widget\n\n  \
             getWidget:\n    summary: Fetch one widget by id.\n    critical: false\n",
        ),
        file: MANIFEST,
        place: Place::LineOf("    critical: false"),
        pointer: Some("/operations/getWidget/critical"),
        reason: "get_widget_or",
    }
}

pub fn path_param_not_declared() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            MANIFEST,
            "path: /internal/widgets/{widgetId}\n",
            "path: /internal/widgets/{widgetId}/parts/{partId}\n",
        ),
        file: MANIFEST,
        place: Place::LineOf("    path: /internal/widgets/{widgetId}/parts"),
        pointer: Some("/operations/getWidget/path"),
        reason: "`partId`",
    }
}

pub fn declared_param_not_in_path() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            MANIFEST,
            "      widgetId: { type: string, format: uuid }\n",
            "      widgetId: { type: string, format: uuid }\n      partId: { type: string }\n",
        ),
        file: MANIFEST,
        place: Place::LineOf("      partId:"),
        pointer: Some("/operations/getWidget/params/partId"),
        reason: "`partId`",
    }
}

pub fn path_outside_internal() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            MANIFEST,
            "path: /internal/widgets\n",
            "path: /api/widgets\n",
        ),
        file: MANIFEST,
        place: Place::LineOf("    path: /api/widgets"),
        pointer: Some("/operations/createWidget/path"),
        reason: "/internal/",
    }
}

pub fn invalid_pattern_regex() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            r#""pattern": "^[A-Za-z0-9 ]+$""#,
            r#""pattern": "^[A-Za-z0-9 +$""#,
        ),
        file: TYPES,
        place: Place::LineOf(r#"          "pattern": "^[A-Za-z0-9 +$""#),
        pointer: Some("/$defs/Widget/properties/name/pattern"),
        reason: "^[A-Za-z0-9 +$",
    }
}

pub fn invalid_pattern_properties_regex() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            r#""additionalProperties": { "type": "string" }"#,
            r#""patternProperties": { "^(colour": { "type": "string" } }"#,
        ),
        file: TYPES,
        place: Place::LineOf(r#"          "patternProperties""#),
        pointer: Some("/$defs/Widget/properties/labels/patternProperties/^(colour"),
        reason: "^(colour",
    }
}

pub fn unsupported_keyword() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            r#""description": "A widget.","#,
            "\"description\": \"A widget.\",\n      \"$recursiveRef\": \"#\",",
        ),
        file: TYPES,
        place: Place::LineOf(r#"      "$recursiveRef""#),
        pointer: Some("/$defs/Widget/$recursiveRef"),
        reason: "unsupported keyword `$recursiveRef`",
    }
}

pub fn object_without_type() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            "\"description\": \"A widget.\",\n      \"type\": \"object\",",
            "\"description\": \"A widget.\",",
        ),
        file: TYPES,
        place: Place::LineOf(r#"    "Widget""#),
        pointer: Some("/$defs/Widget"),
        // Non-objects would be valid: contracts say `type: object` outright.
        reason: "add `\"type\": \"object\"`",
    }
}

pub fn unknown_keyword_typo() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(TYPES, r#""maxLength": 80,"#, r#""maxLenght": 80,"#),
        file: TYPES,
        place: Place::LineOf(r#"          "maxLenght""#),
        pointer: Some("/$defs/Widget/properties/name/maxLenght"),
        // Not "unsupported", which says the keyword exists but is not implemented.
        reason: "unknown keyword `maxLenght`",
    }
}

pub fn min_length_is_a_string() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(TYPES, r#""minLength": 1,"#, r#""minLength": "3","#),
        file: TYPES,
        place: Place::LineOf(r#"          "minLength": "3""#),
        pointer: Some("/$defs/Widget/properties/name/minLength"),
        reason: "minLength",
    }
}

pub fn required_is_a_string() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            r#""required": ["id", "name", "price"]"#,
            r#""required": "id""#,
        ),
        file: TYPES,
        place: Place::LineOf(r#"      "required": "id""#),
        pointer: Some("/$defs/Widget/required"),
        reason: "required",
    }
}

pub fn unknown_format() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(TYPES, r#""format": "uuid""#, r#""format": "colour""#),
        file: TYPES,
        place: Place::LineOf(r#"          "format": "colour""#),
        pointer: Some("/$defs/Widget/properties/id/format"),
        reason: "colour",
    }
}

pub fn yaml_alias_bomb() -> Case {
    Case {
        run: Run::Generate,
        defect: Defect::Write {
            file: "schemas/widget/laughs.schema.yaml",
            contents: alias_bomb(),
        },
        file: "schemas/widget/laughs.schema.yaml",
        place: Place::Between {
            first: "      - &a",
            last: "      - &i",
        },
        pointer: None,
        reason: "alias",
    }
}

pub fn json_nesting_1000_deep() -> Case {
    Case {
        run: Run::Generate,
        defect: Defect::Write {
            file: "schemas/widget/deep.schema.json",
            contents: deep_nesting(1000),
        },
        file: "schemas/widget/deep.schema.json",
        place: Place::LineOf(DEEP_LIMIT_LINE),
        pointer: None,
        reason: "nest|deep",
    }
}

pub fn ref_cycle_without_content() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            "\"$defs\": {\n",
            "\"$defs\": {\n    \"A\": { \"$ref\": \"#/$defs/B\" },\n    \
             \"B\": { \"$ref\": \"#/$defs/A\" },\n",
        ),
        file: TYPES,
        place: Place::LineOf(r#"    "A": "#),
        pointer: Some("/$defs/A"),
        // Names the other member of the cycle, not just the one where it was noticed.
        reason: "`B`|/$defs/B",
    }
}

pub fn manifest_unknown_key() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(MANIFEST, "retry: keyed", "retyr: safe"),
        file: MANIFEST,
        place: Place::LineOf("    retyr: safe"),
        pointer: Some("/operations/createWidget/retyr"),
        reason: "unknown field `retyr`",
    }
}

pub fn manifest_unknown_method() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(MANIFEST, "method: GET", "method: FETCH"),
        file: MANIFEST,
        place: Place::LineOf("    method: FETCH"),
        pointer: Some("/operations/getWidget/method"),
        reason: "FETCH",
    }
}

pub fn schema_duplicate_json_key() -> Case {
    Case {
        run: Run::Generate,
        defect: replace(
            TYPES,
            r#""maxLength": 80,"#,
            "\"maxLength\": 80,\n          \"maxLength\": 64,",
        ),
        file: TYPES,
        place: Place::LineOf(r#"          "maxLength": 64"#),
        pointer: Some("/$defs/Widget/properties/name/maxLength"),
        reason: "duplicate key `maxLength`",
    }
}

pub fn check_ref_to_unknown_document() -> Case {
    Case {
        run: Run::Check,
        ..ref_to_unknown_document()
    }
}

pub fn check_manifest_yaml_syntax_error() -> Case {
    Case {
        run: Run::Check,
        ..manifest_yaml_syntax_error()
    }
}

pub fn types_invalid_pattern_regex() -> Case {
    Case {
        run: Run::Types,
        defect: Defect::Write {
            file: STANDALONE,
            contents: r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Settings",
  "type": "object",
  "properties": {
    "host": {
      "type": "string",
      "pattern": "^[a-z"
    }
  },
  "required": ["host"]
}
"#
            .to_owned(),
        },
        file: STANDALONE,
        place: Place::LineOf(r#"      "pattern": "^[a-z""#),
        pointer: Some("/properties/host/pattern"),
        reason: "^[a-z",
    }
}

/// A schema document whose `examples` hold a "billion laughs": anchors `a`..`i`, each a list
/// of nine aliases of the one before (9^9 strings once expanded).
fn alias_bomb() -> String {
    let mut text = String::from(
        "$schema: https://json-schema.org/draft/2020-12/schema\n\
         $id: https://contracts.solo60.dev/widget/laughs.schema.yaml\n\
         description: A billion laughs.\n\
         $defs:\n  \
           Laughs:\n    \
             description: Expands to 9^9 strings.\n    \
             type: array\n    \
             examples:\n      \
               - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for (previous, anchor) in ('a'..='h').zip('b'..='i') {
        let aliases = vec![format!("*{previous}"); 9].join(", ");
        writeln!(text, "      - &{anchor} [{aliases}]").expect("write to String");
    }
    text
}

/// Where the nesting limit bites in [`deep_nesting`]: serde_json refuses more than 128
/// nested containers; the document itself takes three and each level two more, on one line.
const DEEP_LIMIT_LINE: &str = "\"properties\": {\"n62\":";

/// A schema whose `Deep` definition nests `properties` `levels` levels deep, one level per
/// line, each property named after its depth (`n0`, `n1`, ...).
fn deep_nesting(levels: usize) -> String {
    let mut text = String::from(
        "{\n\"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n\
         \"$id\": \"https://contracts.solo60.dev/widget/deep.schema.json\",\n\
         \"$defs\": {\"Deep\": {\"description\": \"Too deep.\", \"type\": \"object\",\n",
    );
    for level in 0..levels {
        writeln!(
            text,
            "\"properties\": {{\"n{level}\": {{\"type\": \"object\","
        )
        .expect("write to String");
    }
    text.push_str("\"description\": \"The bottom.\"\n");
    for _ in 0..levels {
        text.push_str("}}\n");
    }
    text.push_str("}}}\n");
    text
}
