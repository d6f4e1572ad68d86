//! `solo60-gen diff`, the breaking-change detector, pinned by a table of contract edits.
//!
//! Every case starts from the small valid contracts in `tests/fixtures/diff/base/schemas`
//! (services `widget` and `gadget`, plus `common/`), makes ONE change (a textual edit or a
//! new file) and lists every line the diff must report as `(level, needle)`: the needle is a
//! substring of the line's `location` and `what`. The match is exact both ways: each
//! expectation matches at least one line, and each line (breaking or not) matches an
//! expectation, so an unexpected breaking line fails the case.
//!
//! The CLI tests at the end run the real binary against a scratch git repository.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use solo60_gen::diff::{diff_services_at, load_services, Breaks, ContractDiff, Level};
use solo60_gen::ir::calendar::Date;

const BIN: &str = env!("CARGO_BIN_EXE_solo60-gen");
const BASE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/diff/base/schemas"
);
/// The day sunsets are judged against, unless a case says otherwise: before every sunset
/// of the fixture.
const TODAY: &str = "2026-06-01";

const TYPES: &str = "widget/types.schema.json";
const MANIFEST: &str = "widget/service.yaml";
const COMMON: &str = "common/common.schema.json";
const GADGET_TYPES: &str = "gadget/types.schema.yaml";
const GADGET_MANIFEST: &str = "gadget/service.yaml";

const W: Level = Level::WireBreaking;
const R: Level = Level::RustBreaking;
const C: Level = Level::Compatible;
const D: Level = Level::Deprecation;

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/// One change to the base contracts. Paths are relative to the contracts folder.
enum Edit {
    /// Replaces the one occurrence of `from` in `file` with `to`.
    Replace {
        file: &'static str,
        from: &'static str,
        to: &'static str,
    },
    /// Replaces the last occurrence of `from` in `file` with `to`.
    ReplaceLast {
        file: &'static str,
        from: &'static str,
        to: &'static str,
    },
    /// Creates (or overwrites) `file`.
    Write {
        file: &'static str,
        contents: &'static str,
    },
    /// Adds `text` at the end of `file`.
    Append {
        file: &'static str,
        text: &'static str,
    },
    /// Removes a folder with everything in it.
    RemoveFolder(&'static str),
}

fn replace(file: &'static str, from: &'static str, to: &'static str) -> Edit {
    Edit::Replace { file, from, to }
}

struct Case {
    name: &'static str,
    edits: Vec<Edit>,
    /// `YYYY-MM-DD`, for sunsets.
    today: &'static str,
    expect: Vec<(Level, &'static str)>,
    /// Whose builds the whole diff breaks, where the case pins it.
    breaks: Option<Breaks>,
}

fn case(name: &'static str, edits: Vec<Edit>, expect: Vec<(Level, &'static str)>) -> Case {
    Case {
        name,
        edits,
        today: TODAY,
        expect,
        breaks: None,
    }
}

impl Case {
    fn on(mut self, today: &'static str) -> Case {
        self.today = today;
        self
    }

    /// Expects the diff to break exactly `breaks`' builds.
    fn breaking(mut self, breaks: Breaks) -> Case {
        self.breaks = Some(breaks);
        self
    }
}

// Lines of the fixture the table edits, spelled once.
const REQUEST_NAME: &str =
    r#""Requested display name.", "type": "string", "minLength": 1, "maxLength": 80"#;
const RESPONSE_NAME: &str = r#""Display name.", "type": "string", "minLength": 1, "maxLength": 80"#;
const REQUEST_RUSH: &str = r#""rush": { "description": "Build it before the others.", "type": "boolean", "default": false }"#;
const REQUEST_REQUIRED: &str = r#""required": ["name", "colour", "size", "price"]"#;
const RESPONSE_CREATED_AT: &str =
    r#""createdAt": { "description": "Creation time.", "type": "string", "format": "date-time" }"#;
const RESPONSE_REQUIRED: &str =
    r#""required": ["id", "name", "colour", "state", "size", "price", "createdAt"]"#;
const RESPONSE_NOTE: &str = r#""note": { "description": "A note for staff.", "type": "string" }"#;
const REQUEST_NOTE: &str =
    r#""note": { "description": "A note from the requester.", "type": "string" }"#;
const DIMENSIONS: &str = r#",
    "Dimensions": {
      "description": "No operation uses this type, but the generated crate exports it.",
      "type": "object",
      "properties": {
        "width": { "description": "Width in millimetres.", "type": "integer" },
        "height": { "description": "Height in millimetres.", "type": "integer" }
      },
      "required": ["width", "height"]
    }"#;
const LIST_WIDGETS: &str = "  listWidgets:
    summary: List widgets.
    method: GET
    path: /internal/widgets
    query: types.schema.json#/$defs/ListWidgetsQuery
    response: types.schema.json#/$defs/WidgetList
";
const ARCHIVE_WIDGET: &str = "  archiveWidget:
    summary: Archive a widget.
    method: POST
    path: /internal/widgets/{widgetId}/archive
    params:
      widgetId: { type: string, format: uuid }
    request: types.schema.json#/$defs/ArchiveWidgetRequest
    deprecated:
      since: 2025-01-01
      sunset: 2099-12-31
      replacement: deleteWidget
      note: Delete instead; archived widgets were never read back.
";
const GET_WIDGET_ERRORS: &str = "    errors:
      - status: 404
        code: WIDGET_NOT_FOUND
        description: No widget has this id.
";
const GET_WIDGET_V2: &str = "  getWidgetV2:
    summary: Fetch one widget by id, with its serial number.
    method: GET
    path: /internal/v2/widgets/{widgetId}
    params:
      widgetId: { type: string, format: uuid }
    response: types.schema.json#/$defs/WidgetV2
    version: 2
    versionOf: getWidget

  createWidget:";
const WIDGET_V2_TYPE: &str = r#""WidgetV2": {
      "description": "A widget, as version 2 answers it.",
      "type": "object",
      "properties": {
        "id": { "description": "Widget id (v2).", "type": "string", "format": "uuid" },
        "name": { "description": "Display name (v2).", "type": "string", "minLength": 1 },
        "serialNumber": { "description": "Serial number.", "type": "string" }
      },
      "required": ["id", "name", "serialNumber"]
    },
    "Dimensions": {"#;
const GET_GADGET: &str = "  getGadget:
    summary: Fetch one gadget by its serial number.
    method: GET
    path: /internal/gadgets/{serial}
    params:
      serial: { type: integer, minimum: 1 }
    response: types.schema.yaml#/$defs/Gadget
    deprecated:
      since: 2026-01-01
      sunset: 2099-06-30
      replacement: getGadgetV2

";
const GADGET_V2_TYPE: &str = "  GadgetV2:
    description: A gadget, as version 2 answers it.
    type: object
    properties:
      serial: { description: Serial number (v2)., type: integer, minimum: 1 }
      label: { description: Printed label., type: string }
      price: { $ref: \"../common/common.schema.json#/$defs/Money\" }
    required: [serial, label, price]
";
const GADGET_V2_WITH_BASE: &str = "  GadgetV2:
    description: A gadget, as version 2 answers it.
    allOf:
      - $ref: \"#/$defs/GadgetCore\"
      - type: object
        properties:
          price: { $ref: \"../common/common.schema.json#/$defs/Money\" }
        required: [price]

  GadgetCore:
    description: What every gadget has.
    type: object
    properties:
      serial: { description: Serial number (v2)., type: integer, minimum: 1 }
      label: { description: Printed label., type: string }
    required: [serial, label]
";
const THIRD_SERVICE_MANIFEST: &str = "service: sprocket
description: A service that did not exist before.
baseUrlEnv: SPROCKET_API_URL
operations:
  pingSprocket:
    summary: Answer with nothing.
    method: POST
    path: /internal/sprockets/ping
";

fn table() -> Vec<Case> {
    vec![
        case("no change: an empty diff", vec![], vec![]),
        // --- Properties: added, removed, required or not, in both directions ----------------
        case(
            "request: new required property",
            vec![
                replace(TYPES, REQUEST_RUSH, concat!(r#""rush": { "description": "Build it before the others.", "type": "boolean", "default": false }"#, r#", "sku": { "description": "Stock unit.", "type": "string" }"#)),
                replace(TYPES, REQUEST_REQUIRED, r#""required": ["name", "colour", "size", "price", "sku"]"#),
            ],
            vec![
                (W, "request CreateWidgetRequest.sku new required property `sku`"),
                (R, "field `CreateWidgetRequest::sku: String` added"),
            ],
        )
        .breaking(Breaks::Callers),
        case(
            "request: new optional property",
            vec![replace(TYPES, REQUEST_RUSH, concat!(r#""rush": { "description": "Build it before the others.", "type": "boolean", "default": false }"#, r#", "sku": { "description": "Stock unit.", "type": "string" }"#))],
            vec![
                (C, "new optional property `sku`"),
                (C, "field `CreateWidgetRequest::sku: Option<String>` added"),
            ],
        )
        .breaking(Breaks::Nobody),
        case(
            "response: new optional property",
            vec![replace(TYPES, RESPONSE_CREATED_AT, concat!(r#""createdAt": { "description": "Creation time.", "type": "string", "format": "date-time" }"#, r#", "sku": { "description": "Stock unit.", "type": "string" }"#))],
            vec![
                (C, "new optional property `sku`"),
                (C, "field `Widget::sku: Option<String>` added"),
            ],
        )
        .breaking(Breaks::Nobody),
        case(
            "response: new required property",
            vec![
                replace(TYPES, RESPONSE_CREATED_AT, concat!(r#""createdAt": { "description": "Creation time.", "type": "string", "format": "date-time" }"#, r#", "sku": { "description": "Stock unit.", "type": "string" }"#)),
                replace(TYPES, RESPONSE_REQUIRED, r#""required": ["id", "name", "colour", "state", "size", "price", "createdAt", "sku"]"#),
            ],
            vec![
                (C, "new required property `sku`"),
                (R, "field `Widget::sku: String` added"),
            ],
        )
        .breaking(Breaks::Implementers),
        case(
            "response: property removed",
            vec![replace(TYPES, concat!(r#""note": { "description": "A note for staff.", "type": "string" }"#, ","), "")],
            vec![
                (W, ".note property `note` removed"),
                (R, "field `Widget::note` removed"),
            ],
        ),
        case(
            "request: property removed (unknown properties are ignored)",
            vec![replace(TYPES, concat!(r#""note": { "description": "A note from the requester.", "type": "string" }"#, ","), "")],
            vec![
                (C, "CreateWidgetRequest.note property `note` removed"),
                (R, "field `CreateWidgetRequest::note` removed"),
            ],
        ),
        case(
            "request: property removed while additionalProperties is false",
            vec![replace(TYPES, r#""reason": { "description": "Why it goes.", "type": "string" },"#, "")],
            vec![
                (W, "ArchiveWidgetRequest.reason property `reason` removed"),
                (R, "field `ArchiveWidgetRequest::reason` removed"),
            ],
        ),
        case(
            "request: optional property became required",
            vec![replace(TYPES, REQUEST_REQUIRED, r#""required": ["name", "colour", "size", "price", "note"]"#)],
            vec![
                (W, "property `note` became required"),
                (R, "field `CreateWidgetRequest::note` became required: `Option<String>` → `String`"),
            ],
        ),
        case(
            "request: required property became optional",
            vec![replace(TYPES, REQUEST_REQUIRED, r#""required": ["name", "colour", "price"]"#)],
            vec![
                (C, "property `size` became optional"),
                (R, "field `CreateWidgetRequest::size` became optional: `i64` → `Option<i64>`"),
            ],
        ),
        case(
            "response: required property became optional",
            vec![replace(TYPES, RESPONSE_REQUIRED, r#""required": ["id", "name", "colour", "size", "price", "createdAt"]"#)],
            vec![
                (W, "property `state` became optional"),
                (R, "field `Widget::state` became optional: `WidgetState` → `Option<WidgetState>`"),
            ],
        ),
        case(
            "response: optional property became required",
            vec![replace(TYPES, RESPONSE_REQUIRED, r#""required": ["id", "name", "colour", "state", "size", "price", "createdAt", "note"]"#)],
            vec![
                (C, "property `note` became required"),
                (R, "field `Widget::note` became required"),
            ],
        ),
        // --- Enumerations -----------------------------------------------------------------------
        case(
            "request: enum value removed",
            vec![replace(TYPES, r#"["matte", "gloss", "satin"]"#, r#"["matte", "gloss"]"#)],
            vec![
                (W, r#"CreateWidgetRequest.finish enum value "satin" removed"#),
                (R, "variant `Finish::Satin` (\"satin\") removed"),
            ],
        ),
        case(
            "request: enum value added (wire compatible, a new Rust variant)",
            vec![replace(TYPES, r#"["matte", "gloss", "satin"]"#, r#"["matte", "gloss", "satin", "brushed"]"#)],
            vec![
                (C, r#"enum value "brushed" added"#),
                (R, "variant `Finish::Brushed` (\"brushed\") added"),
            ],
        )
        .breaking(Breaks::Implementers),
        case(
            "response: enum value added",
            vec![replace(TYPES, r#"["draft", "active", "archived"]"#, r#"["draft", "active", "archived", "retired"]"#)],
            vec![
                (W, r#".state enum value "retired" added"#),
                (R, "variant `WidgetState::Retired` (\"retired\") added"),
            ],
        )
        .breaking(Breaks::Callers),
        case(
            "response: enum value removed",
            vec![replace(TYPES, r#"["draft", "active", "archived"]"#, r#"["draft", "active"]"#)],
            vec![
                (C, r#"enum value "archived" removed"#),
                (R, "variant `WidgetState::Archived` (\"archived\") removed"),
            ],
        ),
        case(
            "enum used both ways: the same new value is compatible in, breaking out",
            vec![replace(TYPES, r#"["red", "green", "blue"]"#, r#"["red", "green", "blue", "black"]"#)],
            vec![
                (C, r#"request CreateWidgetRequest.colour enum value "black" added"#),
                (C, r#"query ListWidgetsQuery.colour enum value "black" added"#),
                (W, r#"Widget.colour enum value "black" added"#),
                (W, r#"WidgetList.items[].colour enum value "black" added"#),
                (R, "variant `Colour::Black` (\"black\") added"),
            ],
        ),
        // --- String, number and array bounds ----------------------------------------------------
        case(
            "request: maxLength tightened",
            vec![replace(TYPES, REQUEST_NAME, r#""Requested display name.", "type": "string", "minLength": 1, "maxLength": 40"#)],
            vec![(W, "CreateWidgetRequest.name maxLength 80 → 40")],
        ),
        case(
            "request: maxLength loosened",
            vec![replace(TYPES, REQUEST_NAME, r#""Requested display name.", "type": "string", "minLength": 1, "maxLength": 120"#)],
            vec![(C, "CreateWidgetRequest.name maxLength 80 → 120")],
        ),
        case(
            "response: maxLength loosened",
            vec![replace(TYPES, RESPONSE_NAME, r#""Display name.", "type": "string", "minLength": 1, "maxLength": 120"#)],
            vec![(W, "maxLength 80 → 120")],
        ),
        case(
            "response: maxLength tightened",
            vec![replace(TYPES, RESPONSE_NAME, r#""Display name.", "type": "string", "minLength": 1, "maxLength": 40"#)],
            vec![(C, "maxLength 80 → 40")],
        ),
        case(
            "request: minLength raised",
            vec![replace(TYPES, REQUEST_NAME, r#""Requested display name.", "type": "string", "minLength": 3, "maxLength": 80"#)],
            vec![(W, "CreateWidgetRequest.name minLength 1 → 3")],
        ),
        case(
            "request: minimum raised",
            vec![replace(TYPES, r#""Requested size in millimetres.", "type": "integer", "minimum": 1"#, r#""Requested size in millimetres.", "type": "integer", "minimum": 10"#)],
            vec![(W, "CreateWidgetRequest.size minimum 1 → minimum 10")],
        ),
        case(
            "response: minimum lowered",
            vec![replace(TYPES, r#""Size in millimetres.", "type": "integer", "minimum": 1"#, r#""Size in millimetres.", "type": "integer", "minimum": 0"#)],
            vec![(W, ".size minimum 1 → minimum 0")],
        ),
        case(
            "request: the same maximum made exclusive",
            vec![replace(TYPES, r#""Requested size in millimetres.", "type": "integer", "minimum": 1, "maximum": 1000"#, r#""Requested size in millimetres.", "type": "integer", "minimum": 1, "exclusiveMaximum": 1000"#)],
            vec![(W, "maximum 1000 → exclusiveMaximum 1000")],
        ),
        case(
            "request: pattern added",
            vec![replace(TYPES, r#""Requested catalogue code.", "type": "string""#, r#""Requested catalogue code.", "type": "string", "pattern": "^[A-Z]{2}[0-9]{4}$""#)],
            vec![(W, "CreateWidgetRequest.code pattern `^[A-Z]{2}[0-9]{4}$` added")],
        ),
        case(
            "response: pattern removed",
            vec![replace(TYPES, r#""Catalogue code.", "type": "string", "pattern": "^[A-Z]{2}[0-9]{4}$""#, r#""Catalogue code.", "type": "string""#)],
            vec![(W, ".code pattern `^[A-Z]{2}[0-9]{4}$` removed")],
        ),
        case(
            "request: format added",
            vec![replace(TYPES, REQUEST_NOTE, r#""note": { "description": "A note from the requester.", "type": "string", "format": "email" }"#)],
            vec![(W, "CreateWidgetRequest.note format `email` added")],
        ),
        case(
            "response: format removed",
            vec![replace(TYPES, RESPONSE_CREATED_AT, r#""createdAt": { "description": "Creation time.", "type": "string" }"#)],
            vec![(W, ".createdAt format `date-time` removed")],
        ),
        case(
            "request: maxItems lowered",
            vec![replace(TYPES, r#""Requested search tags.", "type": "array", "items": { "type": "string" }, "maxItems": 10"#, r#""Requested search tags.", "type": "array", "items": { "type": "string" }, "maxItems": 5"#)],
            vec![(W, "CreateWidgetRequest.tags maxItems 10 → 5")],
        ),
        case(
            "query: maximum lowered",
            vec![replace(TYPES, r#""Page size.", "type": "integer", "minimum": 1, "maximum": 100"#, r#""Page size.", "type": "integer", "minimum": 1, "maximum": 50"#)],
            vec![(W, "query ListWidgetsQuery.limit maximum 100 → maximum 50")],
        ),
        case(
            "shared type: one edit, compatible in requests, breaking in responses",
            vec![replace(COMMON, r#""Amount in minor units.", "type": "integer", "minimum": 0"#, r#""Amount in minor units.", "type": "integer""#)],
            vec![
                (C, "request CreateWidgetRequest.price.amountMinor minimum 0 removed"),
                (W, "response Widget.price.amountMinor minimum 0 removed"),
                (W, "response WidgetList.items[].price.amountMinor minimum 0 removed"),
                (W, "Gadget.price.amountMinor minimum 0 removed"),
                (W, "GadgetV2.price.amountMinor minimum 0 removed"),
            ],
        ),
        // --- Types narrowed and widened ---------------------------------------------------------
        case(
            "request: type narrowed from number to integer",
            vec![replace(TYPES, r#""Requested weight in grams.", "type": "number""#, r#""Requested weight in grams.", "type": "integer""#)],
            vec![
                (W, "CreateWidgetRequest.weight type narrowed from number to integer"),
                (R, "field `CreateWidgetRequest::weight` changes Rust type: `Option<f64>` → `Option<i64>`"),
            ],
        ),
        case(
            "request: type widened from integer to number",
            vec![replace(TYPES, r#""Requested size in millimetres.", "type": "integer""#, r#""Requested size in millimetres.", "type": "number""#)],
            vec![
                (C, "CreateWidgetRequest.size type widened from integer to number"),
                (R, "field `CreateWidgetRequest::size` changes Rust type: `i64` → `f64`"),
            ],
        ),
        case(
            "response: type widened from integer to number",
            vec![replace(TYPES, r#""Size in millimetres.", "type": "integer""#, r#""Size in millimetres.", "type": "number""#)],
            vec![
                (W, ".size type widened from integer to number"),
                (R, "field `Widget::size` changes Rust type: `i64` → `f64`"),
            ],
        ),
        case(
            "request: type changed from string to boolean",
            vec![replace(TYPES, r#""Requested catalogue code.", "type": "string""#, r#""Requested catalogue code.", "type": "boolean""#)],
            vec![
                (W, "CreateWidgetRequest.code type changed from string to boolean"),
                (R, "field `CreateWidgetRequest::code` changes Rust type: `Option<String>` → `Option<bool>`"),
            ],
        ),
        case(
            "response: array items change type",
            vec![replace(TYPES, r#""Search tags.", "type": "array", "items": { "type": "string" }"#, r#""Search tags.", "type": "array", "items": { "type": "integer" }"#)],
            vec![
                (W, ".tags[] type changed from string to integer"),
                (R, "field `Widget::tags` changes Rust type: `Option<Vec<String>>` → `Option<Vec<i64>>`"),
            ],
        ),
        case(
            "response: map values change type",
            vec![replace(TYPES, r#""Free-form labels by key.", "type": "object", "additionalProperties": { "type": "string" }"#, r#""Free-form labels by key.", "type": "object", "additionalProperties": { "type": "integer" }"#)],
            vec![
                (W, ".labels.* type changed from string to integer"),
                (R, "`Option<BTreeMap<String, String>>` → `Option<BTreeMap<String, i64>>`"),
            ],
        ),
        // --- Nullable ---------------------------------------------------------------------------
        case(
            "response: nullable added (type list)",
            vec![replace(TYPES, RESPONSE_NOTE, r#""note": { "description": "A note for staff.", "type": ["string", "null"] }"#)],
            vec![
                (W, ".note now accepts null"),
                (R, "field `Widget::note` changes Rust type: `Option<String>` → `Option<Option<String>>`"),
            ],
        ),
        case(
            "request: nullable added (type list)",
            vec![replace(TYPES, REQUEST_NOTE, r#""note": { "description": "A note from the requester.", "type": ["string", "null"] }"#)],
            vec![
                (C, "CreateWidgetRequest.note now accepts null"),
                (R, "field `CreateWidgetRequest::note` changes Rust type: `Option<String>` → `Option<Option<String>>`"),
            ],
        ),
        case(
            "response: nullable added (anyOf with null)",
            vec![replace(TYPES, r#"{ "description": "Weight in grams.", "type": "number", "minimum": 0 }"#, r#"{ "description": "Weight in grams.", "anyOf": [{ "type": "number", "minimum": 0 }, { "type": "null" }] }"#)],
            vec![
                (W, ".weight now accepts null"),
                (R, "field `Widget::weight` changes Rust type: `Option<f64>` → `Option<Option<f64>>`"),
            ],
        ),
        case(
            "response: null no longer sent",
            vec![replace(GADGET_TYPES, r#"type: [string, "null"]"#, "type: string")],
            vec![
                (C, "response Gadget.label no longer accepts null"),
                (R, "field `Gadget::label` changes Rust type: `Option<String>` → `String`"),
            ],
        ),
        // --- additionalProperties ---------------------------------------------------------------
        case(
            "request: additionalProperties true → false",
            vec![replace(TYPES, REQUEST_REQUIRED, r#""required": ["name", "colour", "size", "price"], "additionalProperties": false"#)],
            vec![(W, "request CreateWidgetRequest additionalProperties: false added")],
        ),
        case(
            "response: additionalProperties true → false",
            vec![replace(TYPES, RESPONSE_REQUIRED, r#""required": ["id", "name", "colour", "state", "size", "price", "createdAt"], "additionalProperties": false"#)],
            vec![(C, "additionalProperties: false added")],
        ),
        case(
            "request: additionalProperties false → true",
            vec![replace(TYPES, r#""additionalProperties": false"#, r#""additionalProperties": true"#)],
            vec![
                (C, "request ArchiveWidgetRequest additionalProperties: false removed"),
                (C, "`ArchiveWidgetRequest` gains a map of additional properties"),
            ],
        ),
        // --- Defaults and deprecated properties -------------------------------------------------
        case(
            "request: default changed",
            vec![replace(TYPES, REQUEST_RUSH, r#""rush": { "description": "Build it before the others.", "type": "boolean", "default": true }"#)],
            vec![(W, "default of `rush` false → true")],
        ),
        case(
            "response: property deprecated",
            vec![replace(TYPES, RESPONSE_NOTE, r#""note": { "description": "A note for staff.", "type": "string", "deprecated": true }"#)],
            vec![(D, ".note property `note` deprecated")],
        ),
        case(
            "refactor: properties moved into an allOf base type (the wire is unchanged, `new`'s arguments reorder)",
            vec![replace(GADGET_TYPES, GADGET_V2_TYPE, GADGET_V2_WITH_BASE)],
            vec![(R, "`GadgetV2::new` arguments reordered: (serial, label, price) → (price, serial, label)")],
        )
        .breaking(Breaks::Implementers),
        // --- Tagged unions (oneOf told apart by `kind`), sent both ways ------------------------
        case(
            "union: new variant, compatible in a request, breaking in a response",
            vec![
                replace(GADGET_TYPES, "      - $ref: \"#/$defs/CrankPower\"\n", "      - $ref: \"#/$defs/CrankPower\"\n      - $ref: \"#/$defs/SolarPower\"\n"),
                Edit::Append {
                    file: GADGET_TYPES,
                    text: "\n  SolarPower:\n    description: Runs on sunlight.\n    type: object\n    properties:\n      kind: { const: solar }\n    required: [kind]\n",
                },
            ],
            vec![
                (C, "request GadgetPower (kind=solar) variant `kind: solar` added"),
                (W, "response Gadget.power (kind=solar) variant `kind: solar` added"),
                (R, "variant `GadgetPower::Solar` added"),
            ],
        ),
        case(
            "union: a variant's property tightened",
            vec![replace(GADGET_TYPES, "cells: { description: How many cells., type: integer, minimum: 1 }", "cells: { description: How many cells., type: integer, minimum: 2 }")],
            vec![
                (W, "request GadgetPower (kind=battery).cells minimum 1 → minimum 2"),
                (C, "response Gadget.power (kind=battery).cells minimum 1 → minimum 2"),
            ],
        ),
        case(
            "union: variant removed",
            vec![replace(GADGET_TYPES, "      - $ref: \"#/$defs/MainsPower\"\n", "")],
            vec![
                (W, "request GadgetPower (kind=mains) variant `kind: mains` removed"),
                (C, "response Gadget.power (kind=mains) variant `kind: mains` removed"),
                (R, "variant `GadgetPower::Mains` removed"),
            ],
        ),
        // --- Rust-only changes ------------------------------------------------------------------
        case(
            "Rust: type renamed in place",
            vec![
                replace(TYPES, r#""Finish": {"#, r#""SurfaceFinish": {"#),
                replace(TYPES, r##""$ref": "#/$defs/Finish""##, r##""$ref": "#/$defs/SurfaceFinish""##),
            ],
            vec![(R, "CreateWidgetRequest.finish type `Finish` renamed to `SurfaceFinish`")],
        ),
        case(
            "Rust: integer width changed (int32)",
            vec![replace(TYPES, r#""Requested size in millimetres.", "type": "integer""#, r#""Requested size in millimetres.", "type": "integer", "format": "int32""#)],
            vec![(R, "field `CreateWidgetRequest::size` changes Rust type: `i64` → `i32`")],
        ),
        case(
            "Rust: String becomes Uuid (a format narrows a response: compatible on the wire)",
            vec![replace(TYPES, RESPONSE_NOTE, r#""note": { "description": "A note for staff.", "type": "string", "format": "uuid" }"#)],
            vec![
                (C, ".note format `uuid` added"),
                (R, "field `Widget::note` changes Rust type: `Option<String>` → `Option<Uuid>`"),
            ],
        ),
        case(
            "Rust: field renamed when a new property claims its name",
            vec![replace(TYPES, r#""tags": { "description": "Search tags.""#, r#""Tags": { "description": "Legacy tags.", "type": "string" }, "tags": { "description": "Search tags.""#)],
            vec![
                (C, "new optional property `Tags`"),
                (R, "field `Widget::tags` renamed to `Widget::tags2`"),
                (C, "field `Widget::tags: Option<String>` added"),
            ],
        ),
        case(
            "Rust: a type no operation uses gains a field",
            vec![replace(TYPES, r#""height": { "description": "Height in millimetres.", "type": "integer" }"#, r#""height": { "description": "Height in millimetres.", "type": "integer" }, "depth": { "type": "integer" }"#)],
            vec![(C, "type Dimensions.depth field `Dimensions::depth: Option<i64>` added")],
        ),
        case(
            "Rust: a type no operation uses is removed",
            vec![replace(TYPES, DIMENSIONS, "")],
            vec![(R, "type `Dimensions` removed")],
        ),
        // --- Operations -------------------------------------------------------------------------
        case(
            "operation id renamed (same route)",
            vec![replace(MANIFEST, "  createWidget:", "  makeWidget:")],
            vec![(R, "operation id `createWidget` renamed to `makeWidget`")],
        ),
        case(
            "operation removed",
            vec![replace(MANIFEST, LIST_WIDGETS, "")],
            vec![(W, "operation removed without being deprecated first")],
        )
        .breaking(Breaks::CallersAndImplementers),
        case(
            "new operation",
            vec![replace(MANIFEST, "  createWidget:", "  countWidgets:\n    summary: Count widgets.\n    method: GET\n    path: /internal/widgets/count\n    response: types.schema.json#/$defs/WidgetList\n\n  createWidget:")],
            vec![(R, "new operation `GET /internal/widgets/count`")],
        )
        .breaking(Breaks::Implementers),
        case(
            "method changed",
            vec![replace(MANIFEST, "    method: GET\n    path: /internal/widgets/{widgetId}\n", "    method: PUT\n    path: /internal/widgets/{widgetId}\n")],
            vec![(W, "route method GET → PUT")],
        ),
        case(
            "path changed",
            vec![replace(MANIFEST, "    method: GET\n    path: /internal/widgets/{widgetId}\n", "    method: GET\n    path: /internal/widgets/by-id/{widgetId}\n")],
            vec![(W, "path `/internal/widgets/{widgetId}` → `/internal/widgets/by-id/{widgetId}`")],
        ),
        case(
            "path parameter renamed (same route)",
            vec![replace(MANIFEST, "    path: /internal/widgets/{widgetId}\n    params:\n      widgetId: { type: string, format: uuid }\n    response:", "    path: /internal/widgets/{id}\n    params:\n      id: { type: string, format: uuid }\n    response:")],
            vec![(C, "path parameters renamed")],
        ),
        case(
            "path parameter narrowed",
            vec![replace(GADGET_MANIFEST, "serial: { type: integer, minimum: 1 }\n    response: types.schema.yaml#/$defs/Gadget\n", "serial: { type: integer, minimum: 100 }\n    response: types.schema.yaml#/$defs/Gadget\n")],
            vec![(W, "path serial minimum 1 → minimum 100")],
        ),
        case(
            "path parameter type changed",
            vec![replace(MANIFEST, "widgetId: { type: string, format: uuid }\n    response:", "widgetId: { type: integer }\n    response:")],
            vec![
                (W, "path widgetId type changed from string to integer"),
                (R, "path parameter `widget_id` changes Rust type: `Uuid` → `i64`"),
            ],
        ),
        case(
            "success status changed",
            vec![replace(MANIFEST, "    status: 201\n", "    status: 200\n")],
            vec![(W, "success status 201 → 200")],
        ),
        case(
            "response body removed",
            vec![replace(MANIFEST, "    response: types.schema.json#/$defs/Widget\n    errors:", "    errors:")],
            vec![
                (W, "success status 200 → 204"),
                (W, "response body `Widget` removed"),
                (R, "client method and server trait method `get_widget` return `()` instead of `Widget`"),
            ],
        ),
        case(
            "request body added",
            vec![Edit::ReplaceLast {
                file: MANIFEST,
                from: "      widgetId: { type: string, format: uuid }\n",
                to: "      widgetId: { type: string, format: uuid }\n    request: types.schema.json#/$defs/ArchiveWidgetRequest\n",
            }],
            vec![
                (W, "request body `ArchiveWidgetRequest` added"),
                (R, "client method and server trait method `delete_widget` gain a `request` argument"),
            ],
        ),
        case(
            "query: new required parameter",
            vec![replace(TYPES, "\"limit\": { \"description\": \"Page size.\", \"type\": \"integer\", \"minimum\": 1, \"maximum\": 100 }\n      }", "\"limit\": { \"description\": \"Page size.\", \"type\": \"integer\", \"minimum\": 1, \"maximum\": 100 },\n        \"cursor\": { \"description\": \"Where to resume.\", \"type\": \"string\" }\n      },\n      \"required\": [\"cursor\"]")],
            vec![
                (W, "query ListWidgetsQuery.cursor new required property `cursor`"),
                (R, "field `ListWidgetsQuery::cursor: String` added"),
            ],
        ),
        case(
            "callers narrowed",
            vec![replace(MANIFEST, "callers: [shop, warehouse]", "callers: [shop]")],
            vec![(W, "caller `warehouse` removed")],
        ),
        case(
            "callers widened",
            vec![replace(MANIFEST, "callers: [shop, warehouse]", "callers: [shop, warehouse, audit]")],
            vec![(C, "caller `audit` added")],
        ),
        case(
            "callers restricted from anyone",
            vec![replace(MANIFEST, "    response: types.schema.json#/$defs/WidgetList\n", "    response: types.schema.json#/$defs/WidgetList\n    callers: [shop]\n")],
            vec![(W, "callers restricted to shop")],
        ),
        case(
            "marked non-critical: the client gains fallback methods",
            vec![replace(MANIFEST, "    response: types.schema.json#/$defs/WidgetList\n", "    response: types.schema.json#/$defs/WidgetList\n    critical: false\n")],
            vec![(C, "critical marked non-critical")],
        ),
        case(
            "critical stated explicitly: no change",
            vec![replace(MANIFEST, "    response: types.schema.json#/$defs/WidgetList\n", "    response: types.schema.json#/$defs/WidgetList\n    critical: true\n")],
            vec![],
        ),
        case(
            "retry policy keyed → unsafe",
            vec![replace(MANIFEST, "retry: keyed", "retry: unsafe")],
            vec![(W, "retry policy keyed → unsafe")],
        ),
        case(
            "retry policy unsafe → safe",
            vec![replace(MANIFEST, "    request: types.schema.json#/$defs/ArchiveWidgetRequest\n", "    request: types.schema.json#/$defs/ArchiveWidgetRequest\n    retry: safe\n")],
            vec![(C, "retry policy unsafe → safe")],
        ),
        case(
            "error added",
            vec![replace(MANIFEST, GET_WIDGET_ERRORS, "    errors:\n      - status: 404\n        code: WIDGET_NOT_FOUND\n        description: No widget has this id.\n      - status: 410\n        code: WIDGET_GONE\n")],
            vec![(W, "new error 410 WIDGET_GONE")],
        ),
        case(
            "error no longer documented",
            vec![replace(MANIFEST, GET_WIDGET_ERRORS, "")],
            vec![(C, "error 404 WIDGET_NOT_FOUND no longer documented")],
        ),
        // --- Versions, deprecation and sunsets --------------------------------------------------
        case(
            "v2 added next to v1: wire-compatible, the server trait gains a method, the differences listed",
            vec![
                replace(MANIFEST, "\n  createWidget:", GET_WIDGET_V2),
                replace(TYPES, r#""Dimensions": {"#, WIDGET_V2_TYPE),
            ],
            vec![
                (R, "new operation `GET /internal/v2/widgets/{widgetId}`: version 2 of `getWidget`"),
                (C, "route v2 changes vs v1 `getWidget`: path"),
                (C, "v2 changes vs v1 `getWidget`: new required property `serialNumber` (compatible)"),
                (C, "v2 changes vs v1 `getWidget`: property `state` removed (wire-breaking in place)"),
                (C, "v2 changes vs v1 `getWidget`:"),
            ],
        ),
        case(
            "v2 added, v1 changed in place",
            vec![
                replace(MANIFEST, "\n  createWidget:", GET_WIDGET_V2),
                replace(TYPES, r#""Dimensions": {"#, WIDGET_V2_TYPE),
                replace(MANIFEST, "    method: GET\n    path: /internal/widgets/{widgetId}\n", "    method: GET\n    path: /internal/widgets/by-id/{widgetId}\n"),
            ],
            vec![
                (W, "route path `/internal/widgets/{widgetId}` → `/internal/widgets/by-id/{widgetId}`"),
                (R, "new operation `GET /internal/v2/widgets/{widgetId}`: version 2 of `getWidget`"),
                (C, "v2 changes vs v1 `getWidget`:"),
            ],
        ),
        case(
            "v1 changed in place next to an existing v2",
            vec![replace(GADGET_TYPES, "serial: { description: Serial number., type: integer, minimum: 1 }", "serial: { description: Serial number., type: integer, minimum: 1, maximum: 99999 }")],
            vec![(C, "response Gadget.serial maximum 99999 added")],
        ),
        case(
            "v1 removed before its sunset, v2 kept",
            vec![
                replace(GADGET_MANIFEST, GET_GADGET, ""),
                replace(GADGET_MANIFEST, "    version: 2\n    versionOf: getGadget\n", ""),
            ],
            vec![
                (W, "operation removed before its sunset 2099-06-30"),
                (C, "version 2 → 1"),
            ],
        ),
        case(
            "deprecated operation removed before its sunset",
            vec![replace(MANIFEST, ARCHIVE_WIDGET, "")],
            vec![(W, "operation removed before its sunset 2099-12-31")],
        ),
        case(
            "deprecated operation removed after its sunset: still breaking, and said so",
            vec![replace(MANIFEST, ARCHIVE_WIDGET, "")],
            vec![
                (W, "operation removed after its sunset 2099-12-31"),
                (D, "sunset 2099-06-30 has passed"),
            ],
        )
        .on("2100-01-01"),
        case(
            "sunsets passed, operations still there: warnings only",
            vec![],
            vec![(D, "sunset 2099-12-31 has passed"), (D, "sunset 2099-06-30 has passed")],
        )
        .on("2100-01-01"),
        case(
            "operation deprecated",
            vec![Edit::ReplaceLast {
                file: MANIFEST,
                from: "      widgetId: { type: string, format: uuid }\n",
                to: "      widgetId: { type: string, format: uuid }\n    deprecated:\n      since: 2026-05-01\n      sunset: 2027-05-01\n      replacement: archiveWidget\n",
            }],
            vec![(D, "operation deprecated (since 2026-05-01; sunset 2027-05-01; use `archiveWidget`)")],
        ),
        case(
            "sunset moved earlier",
            vec![replace(MANIFEST, "sunset: 2099-12-31", "sunset: 2030-01-01")],
            vec![(D, "sunset moved to 2030-01-01 (was 2099-12-31)")],
        ),
        // --- Services ---------------------------------------------------------------------------
        case(
            "new service",
            vec![Edit::Write {
                file: "sprocket/service.yaml",
                contents: THIRD_SERVICE_MANIFEST,
            }],
            vec![(C, "new service with 1 operation(s)")],
        ),
        case(
            "service removed",
            vec![Edit::RemoveFolder("gadget")],
            vec![(W, "service removed with its 3 operation(s)")],
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Running the table
// ---------------------------------------------------------------------------------------------

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create the copy");
    for entry in fs::read_dir(from).expect("read the fixture") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// Applies the edits to a copy of the base contracts; an edit that does not apply is a
/// defect of the table, reported as the case's failure.
fn apply(dir: &Path, edits: &[Edit]) -> Result<(), String> {
    for edit in edits {
        match edit {
            Edit::Replace { file, from, to } => {
                let path = dir.join(file);
                let text = fs::read_to_string(&path).map_err(|error| format!("{file}: {error}"))?;
                match text.matches(from).count() {
                    1 => fs::write(&path, text.replacen(from, to, 1))
                        .map_err(|error| format!("{file}: {error}"))?,
                    count => {
                        return Err(format!(
                            "edit of {file}: expected one occurrence of {from:?}, found {count}"
                        ))
                    }
                }
            }
            Edit::ReplaceLast { file, from, to } => {
                let path = dir.join(file);
                let text = fs::read_to_string(&path).map_err(|error| format!("{file}: {error}"))?;
                let at = text
                    .rfind(from)
                    .ok_or_else(|| format!("edit of {file}: no occurrence of {from:?}"))?;
                let edited = format!("{}{to}{}", &text[..at], &text[at + from.len()..]);
                fs::write(&path, edited).map_err(|error| format!("{file}: {error}"))?;
            }
            Edit::Append { file, text } => {
                let path = dir.join(file);
                let mut contents =
                    fs::read_to_string(&path).map_err(|error| format!("{file}: {error}"))?;
                contents.push_str(text);
                fs::write(&path, contents).map_err(|error| format!("{file}: {error}"))?;
            }
            Edit::Write { file, contents } => {
                let path = dir.join(file);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(|error| error.to_string())?;
                }
                fs::write(&path, contents).map_err(|error| format!("{file}: {error}"))?;
            }
            Edit::RemoveFolder(folder) => fs::remove_dir_all(dir.join(folder))
                .map_err(|error| format!("{folder}: {error}"))?,
        }
    }
    Ok(())
}

fn render_lines(diff: &ContractDiff) -> String {
    let mut text = String::new();
    for change in &diff.changes {
        let _ = writeln!(
            text,
            "      {:?} [{}{}] {} {}",
            change.level,
            change.service,
            change
                .operation
                .as_deref()
                .map(|id| format!(" {id}"))
                .unwrap_or_default(),
            change.location,
            change.what
        );
    }
    text
}

/// Runs one case; the failure message lists every line the diff reported.
fn run(case: &Case, base: &[solo60_gen::ir::ServiceIr]) -> Result<ContractDiff, String> {
    let scratch = tempfile::tempdir().map_err(|error| error.to_string())?;
    let dir = scratch.path().join("schemas");
    copy_dir(Path::new(BASE), &dir);
    apply(&dir, &case.edits)?;
    let head = load_services(&dir).map_err(|error| format!("the edited contracts: {error}"))?;
    let today = Date::parse(case.today).ok_or("bad `today`")?;
    let diff = diff_services_at(base, &head, today);
    let haystack =
        |change: &solo60_gen::diff::Change| format!("{} {}", change.location, change.what);
    let mut problems = Vec::new();
    for (level, needle) in &case.expect {
        if !diff
            .changes
            .iter()
            .any(|change| change.level == *level && haystack(change).contains(needle))
        {
            problems.push(format!("missing {level:?} line with {needle:?}"));
        }
    }
    for change in &diff.changes {
        if !case
            .expect
            .iter()
            .any(|(level, needle)| change.level == *level && haystack(change).contains(needle))
        {
            problems.push(format!(
                "unexpected {:?} line: {} ({})",
                change.level,
                haystack(change),
                change.why
            ));
        }
    }
    if let Some(breaks) = case.breaks {
        if diff.breaks() != breaks {
            problems.push(format!("breaks {:?}, expected {breaks:?}", diff.breaks()));
        }
    }
    for change in &diff.changes {
        let consistent = match change.level {
            Level::RustBreaking => change.breaks != Breaks::Nobody,
            Level::Compatible | Level::Deprecation => change.breaks == Breaks::Nobody,
            Level::WireBreaking => true,
        };
        if !consistent {
            problems.push(format!(
                "{:?} line breaking {:?}: {}",
                change.level,
                change.breaks,
                haystack(change)
            ));
        }
    }
    let breaking = case.expect.iter().any(|(level, _)| level.is_breaking());
    if diff.is_breaking() != breaking {
        problems.push(format!(
            "is_breaking() is {}, expected {breaking}",
            diff.is_breaking()
        ));
    }
    if problems.is_empty() {
        Ok(diff)
    } else {
        Err(format!(
            "{}\n    lines:\n{}",
            problems.join("\n    "),
            render_lines(&diff)
        ))
    }
}

#[test]
fn every_contract_change_is_classified_as_the_table_says() {
    let base = load_services(Path::new(BASE)).expect("the base fixture loads and lowers");
    let table = table();
    assert!(table.len() >= 45, "the table has {} cases", table.len());
    let mut failures = Vec::new();
    for case in &table {
        if let Err(problem) = run(case, &base) {
            failures.push(format!("- {}: {problem}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

#[test]
fn the_same_edit_breaks_a_response_but_not_a_request() {
    // `minimum` removed from `Money.amountMinor`, which both directions carry.
    let base = load_services(Path::new(BASE)).expect("the base fixture loads");
    let case = table()
        .into_iter()
        .find(|case| case.name.starts_with("shared type"))
        .expect("the shared-type case");
    let diff = run(&case, &base).expect("the case passes");
    let level_at = |prefix: &str| {
        diff.changes
            .iter()
            .filter(|change| change.location.starts_with(prefix))
            .map(|change| change.level)
            .collect::<Vec<_>>()
    };
    assert_eq!(level_at("request "), vec![C]);
    assert!(level_at("response ").iter().all(|level| *level == W));
}

#[test]
fn reports_are_deterministic_and_render_as_text_and_json() {
    let base = load_services(Path::new(BASE)).expect("the base fixture loads");
    let case = table()
        .into_iter()
        .find(|case| {
            case.name == "enum used both ways: the same new value is compatible in, breaking out"
        })
        .expect("the case");
    let first = run(&case, &base).expect("the case passes");
    let second = run(&case, &base).expect("the case passes again");
    assert_eq!(first, second);
    let text = first.render_text();
    assert!(text.starts_with("service widget\n"), "{text}");
    assert!(text.contains("  operation createWidget (v1)\n"), "{text}");
    assert!(
        text.contains(
            "    compatible     request CreateWidgetRequest.colour: enum value \"black\" added — "
        ),
        "{text}"
    );
    assert!(text.trim_end().ends_with(": BREAKING"), "{text}");
    let json = first.to_json();
    assert_eq!(json["breaking"], true);
    assert_eq!(json["summary"]["rust-breaking"], first.count(R));
    let change = &json["changes"][0];
    for field in [
        "service",
        "operation",
        "version",
        "location",
        "what",
        "why",
        "level",
        "breaks",
    ] {
        assert!(change.get(field).is_some(), "field {field} in {change}");
    }
    assert_eq!(
        solo60_gen::diff::diff_services(&base, &base).render_text(),
        "no contract changes\n"
    );
}

#[test]
fn reports_say_whose_build_each_change_breaks() {
    let base = load_services(Path::new(BASE)).expect("the base fixture loads");
    let case = table()
        .into_iter()
        .find(|case| case.name == "new operation")
        .expect("the case");
    let diff = run(&case, &base).expect("the case passes");
    let text = diff.render_text();
    assert!(
        text.contains("server trait gains the required method `count_widgets`"),
        "{text}"
    );
    assert!(text.contains("[breaks implementers]\n"), "{text}");
    assert!(
        text.contains("0 break callers' builds, 1 break implementers' builds"),
        "{text}"
    );
    let json = diff.to_json();
    assert_eq!(json["changes"][0]["breaks"], "implementers");
    assert_eq!(json["changes"][0]["level"], "rust-breaking");
    assert_eq!(json["breaks"]["callers"], 0);
    assert_eq!(json["breaks"]["implementers"], 1);
}

// ---------------------------------------------------------------------------------------------
// The command line, against a scratch git repository
// ---------------------------------------------------------------------------------------------

/// Runs git in `dir` with a fixed identity, failing the test on error.
fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Diff Test")
        .env("GIT_AUTHOR_EMAIL", "diff@example.com")
        .env("GIT_COMMITTER_NAME", "Diff Test")
        .env("GIT_COMMITTER_EMAIL", "diff@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn solo60_gen(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every file under `dir` (but `.git`) with its contents, to prove nothing changed.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).expect("read a folder") {
            let path = entry.expect("an entry").path();
            if path.file_name().is_some_and(|name| name == ".git") {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                let contents = fs::read(&path).expect("read a file");
                files.push((path, contents));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn cli_compares_a_git_revision_with_the_work_tree_without_touching_it() {
    let repo = tempfile::tempdir().expect("a scratch directory");
    let root = repo.path();
    copy_dir(Path::new(BASE), &root.join("schemas"));
    git(root, &["init", "--quiet"]);
    git(root, &["add", "schemas"]);
    git(root, &["commit", "--quiet", "-m", "base contracts"]);

    let help = solo60_gen(root, &["diff", "--help"]);
    assert_eq!(help.code, Some(0));
    assert!(help.stdout.contains("Example"), "{}", help.stdout);

    // No edits: nothing to report, exit 0.
    let clean = solo60_gen(root, &["diff", "HEAD"]);
    assert_eq!(clean.code, Some(0), "{}{}", clean.stdout, clean.stderr);
    assert_eq!(clean.stdout, "no contract changes\n");

    // A breaking edit in the work tree: exit 1, and the report names it.
    let types = root.join("schemas").join(TYPES);
    let text = fs::read_to_string(&types).expect("the types file");
    fs::write(
        &types,
        text.replace(
            REQUEST_REQUIRED,
            r#""required": ["name", "colour", "size", "price", "note"]"#,
        ),
    )
    .expect("edit the work tree");
    let before = snapshot(root);
    let breaking = solo60_gen(root, &["diff", "HEAD"]);
    assert_eq!(
        breaking.code,
        Some(1),
        "{}{}",
        breaking.stdout,
        breaking.stderr
    );
    assert!(
        breaking.stdout.contains("service widget"),
        "{}",
        breaking.stdout
    );
    assert!(
        breaking.stdout.contains(
            "wire-breaking  request CreateWidgetRequest.note: property `note` became required"
        ),
        "{}",
        breaking.stdout
    );

    let json = solo60_gen(root, &["diff", "HEAD", "--format", "json"]);
    assert_eq!(json.code, Some(1), "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON output");
    assert_eq!(report["breaking"], true);
    assert!(report["changes"].as_array().is_some_and(|changes| changes
        .iter()
        .any(|change| change["level"] == "wire-breaking")));

    // Two revisions, and a directory against a revision.
    git(root, &["commit", "--quiet", "-am", "note required"]);
    let revisions = solo60_gen(root, &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(
        revisions.code,
        Some(1),
        "{}{}",
        revisions.stdout,
        revisions.stderr
    );
    let same = solo60_gen(root, &["diff", "HEAD", "schemas"]);
    assert_eq!(same.code, Some(0), "{}{}", same.stdout, same.stderr);

    // Unknown revisions and broken contracts are bad input.
    let unknown = solo60_gen(root, &["diff", "no-such-rev"]);
    assert_eq!(unknown.code, Some(2), "{}", unknown.stdout);
    assert!(
        unknown.stderr.starts_with("error: ") && unknown.stderr.contains("no-such-rev"),
        "{}",
        unknown.stderr
    );
    fs::write(&types, "{ not json").expect("break the work tree");
    let broken = solo60_gen(root, &["diff", "HEAD"]);
    assert_eq!(broken.code, Some(2), "{}", broken.stdout);
    assert!(
        broken.stderr.contains("head contracts")
            && broken.stderr.contains("widget/types.schema.json"),
        "{}",
        broken.stderr
    );
    let restored: Vec<u8> = before
        .iter()
        .find(|(path, _)| *path == types)
        .map(|(_, contents)| contents.clone())
        .expect("the types file was snapshotted");
    fs::write(&types, restored).expect("restore the work tree");

    // The work tree is exactly as it was: the revision was read from git's objects.
    assert_eq!(snapshot(root), before);
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(root)
        .output()
        .expect("git status");
    assert_eq!(String::from_utf8_lossy(&status.stdout), "");
}

#[test]
fn marking_an_operation_critical_again_removes_its_fallback_methods() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let dir = scratch.path().join("schemas");
    copy_dir(Path::new(BASE), &dir);
    let non_critical = [replace(
        MANIFEST,
        "    response: types.schema.json#/$defs/WidgetList\n",
        "    response: types.schema.json#/$defs/WidgetList\n    critical: false\n",
    )];
    apply(&dir, &non_critical).expect("the edit applies");
    let base = load_services(&dir).expect("the non-critical contracts");
    let head = load_services(Path::new(BASE)).expect("the base fixture");
    let diff = diff_services_at(&base, &head, Date::parse(TODAY).expect("a date"));
    let lines: Vec<_> = diff
        .changes
        .iter()
        .map(|change| {
            (
                change.level,
                change.location.to_string(),
                change.what.clone(),
            )
        })
        .collect();
    assert_eq!(lines.len(), 1, "{}", render_lines(&diff));
    let (level, location, what) = &lines[0];
    assert_eq!(*level, R);
    assert_eq!(
        (location.as_str(), what.as_str()),
        ("critical", "marked critical again")
    );
    assert!(diff.is_breaking());
}
