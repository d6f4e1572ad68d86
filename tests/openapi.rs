//! The OpenAPI export: every seed service's document passes an independent validator
//! (`openapi-spec-validator` from PyPI, which also rejects a broken document), copies the
//! contract's schemas faithfully, names components without collisions, and stays in sync
//! with the committed `openapi/` folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use preconditions::needs;
use serde_json::{json, Value};
use solo60_gen::{Config, Error};

#[path = "support/registry.rs"]
mod registry;

const BIN: &str = env!("CARGO_BIN_EXE_solo60-gen");

/// The validator's version, pinned so a release cannot change what passes.
const VALIDATOR: &str = "openapi-spec-validator==0.7.1";

/// Where pip installs from when `PIP_INDEX_URL` and pip's configuration name nothing else.
const DEFAULT_INDEX: &str = "https://pypi.org/simple/";

/// How installing the validator went: once per test run, whatever the number of tests.
enum Setup {
    Ready(PathBuf),
    /// The package index cannot be reached and nothing local provides the package.
    Offline(String),
    Failed(String),
}

/// The validator's command, installing it into `.tools/openapi-spec-validator` (a venv,
/// git-ignored) when missing. Tests calling it are `#[needs(python_venv)]`. `None` after
/// reporting a skip, when the package index is unreachable outside CI; under CI that fails.
fn validator() -> Option<&'static Path> {
    static INSTALLED: OnceLock<Setup> = OnceLock::new();
    match INSTALLED.get_or_init(install_validator) {
        Setup::Ready(path) => Some(path.as_path()),
        Setup::Offline(reason) => {
            registry::skip(&format!(
                "openapi-spec-validator cannot be installed: {reason}"
            ));
            None
        }
        Setup::Failed(reason) => panic!("openapi-spec-validator cannot be installed: {reason}"),
    }
}

fn install_validator() -> Setup {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/openapi-spec-validator");
    let bin = venv.join("bin/openapi-spec-validator");
    let marker = venv.join(format!("{VALIDATOR}.installed"));
    if bin.is_file() && marker.is_file() {
        return Setup::Ready(bin);
    }
    let run = |program: &Path, args: &[&str]| -> Result<String, String> {
        let output = Command::new(program)
            .args(args)
            .output()
            .map_err(|error| format!("cannot run `{}`: {error}", program.display()))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(format!(
                "`{} {}` failed: {}",
                program.display(),
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    };
    let venv_arg = venv.to_string_lossy().into_owned();
    if let Err(reason) = run(Path::new("python3"), &["-m", "venv", &venv_arg]) {
        return Setup::Failed(reason);
    }
    let pip = venv.join("bin/pip");
    let index = std::env::var("PIP_INDEX_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .or_else(|| {
            run(&pip, &["config", "get", "global.index-url"])
                .ok()
                .map(|url| url.trim().to_owned())
        })
        .unwrap_or_else(|| DEFAULT_INDEX.to_owned());
    let install = ["install", "--quiet", "--disable-pip-version-check"];
    let outcome = match registry::reachable(&index) {
        Ok(()) => run(
            &pip,
            &[
                &install[..],
                &["--timeout", "15", "--retries", "1", VALIDATOR],
            ]
            .concat(),
        )
        .map_err(Setup::Failed),
        // Offline: local wheels (`PIP_FIND_LINKS`) may still provide it.
        Err(unreachable) => run(&pip, &[&install[..], &["--no-index", VALIDATOR]].concat())
            .map_err(|_| {
                Setup::Offline(format!(
                    "the package index {index} is unreachable ({unreachable}) and no local \
                     wheel provides {VALIDATOR}"
                ))
            }),
    };
    if let Err(setup) = outcome {
        return setup;
    }
    match fs::write(&marker, "") {
        Ok(()) => Setup::Ready(bin),
        Err(error) => Setup::Failed(error.to_string()),
    }
}

/// Runs the validator on `files`: `(passed, what it printed)`.
fn validate(validator: &Path, files: &[PathBuf]) -> (bool, String) {
    let output = Command::new(validator)
        .args(["--schema", "3.1"])
        .args(files)
        .output()
        .expect("the validator runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn seed_documents() -> solo60_gen::Output {
    Config::new()
        .render_openapi()
        .expect("seed contracts export")
}

fn document(service: &str) -> Value {
    let output = seed_documents();
    let text = &output.files[&format!("{service}.openapi.json")];
    serde_json::from_str(text).expect("valid JSON")
}

#[needs(python_venv)]
#[test]
fn every_seed_document_passes_openapi_spec_validator() {
    let output = seed_documents();
    assert_eq!(output.files.len(), 7, "one document per seed service");
    let dir = tempfile::tempdir().expect("temp dir");
    output
        .write(dir.path(), solo60_gen::StaleFiles::Keep)
        .expect("written");
    let Some(validator) = validator() else {
        return;
    };
    let files: Vec<PathBuf> = output
        .files
        .keys()
        .map(|name| dir.path().join(name))
        .collect();
    let (passed, text) = validate(validator, &files);
    assert!(passed, "{text}");
    for name in output.files.keys() {
        assert!(text.contains(&format!("{name}: OK")), "{name}:\n{text}");
    }
}

/// What is broken, and how.
type Breakage = (&'static str, fn(&mut Value));

#[needs(python_venv)]
#[test]
fn the_validator_rejects_broken_documents() {
    let Some(validator) = validator() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let breakages: [Breakage; 3] = [
        ("no info.version", |document| {
            document["info"].as_object_mut().unwrap().remove("version");
        }),
        ("a response without its description", |document| {
            document["paths"]["/internal/plans"]["get"]["responses"]["200"]
                .as_object_mut()
                .unwrap()
                .remove("description");
        }),
        ("a path parameter that is not required", |document| {
            document["paths"]["/internal/subscriptions/{subscriptionId}"]["get"]["parameters"][0]
                ["required"] = json!(false);
        }),
    ];
    for (what, breakage) in breakages {
        let mut broken = document("subscription");
        breakage(&mut broken);
        let file = dir.path().join("broken.openapi.json");
        fs::write(&file, serde_json::to_string_pretty(&broken).unwrap()).unwrap();
        let (passed, text) = validate(validator, &[file]);
        assert!(!passed, "{what} passed the validator:\n{text}");
    }
}

#[test]
fn the_committed_documents_are_up_to_date_and_byte_stable() {
    let first = seed_documents();
    let second = seed_documents();
    assert_eq!(first, second, "two exports are identical");
    for (name, text) in &first.files {
        assert!(text.ends_with("}\n"), "{name} ends with a newline");
    }
    let drift = first
        .diff(&Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi"))
        .expect("openapi/ readable");
    assert!(
        drift.is_clean(),
        "openapi/ is stale; run `cargo run -- generate --target openapi`:\n{}",
        drift.render()
    );
}

#[test]
fn subscription_document() {
    insta::assert_snapshot!(
        "subscription",
        seed_documents().files["subscription.openapi.json"]
    );
}

/// Every `$ref` in the document, with where it sits.
fn references(value: &Value, at: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let here = format!("{at}/{key}");
                if key == "$ref" {
                    if let Value::String(target) = child {
                        found.push((here.clone(), target.clone()));
                    }
                }
                references(child, &here, found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                references(item, &format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn every_reference_points_into_the_document() {
    for name in seed_documents().files.keys() {
        let service = name.trim_end_matches(".openapi.json");
        let document = document(service);
        let mut found = Vec::new();
        references(&document, "", &mut found);
        assert!(!found.is_empty());
        for (at, target) in found {
            let pointer = target
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{service}{at}: `{target}` leaves the document"));
            assert!(
                document.pointer(pointer).is_some(),
                "{service}{at}: `{target}` points at nothing"
            );
        }
        let schemas = document["components"]["schemas"].as_object().unwrap();
        for (component, schema) in schemas {
            let text = schema.to_string();
            for keyword in ["\"$id\"", "\"$schema\"", "\"$defs\"", "\"$anchor\""] {
                assert!(
                    !text.contains(keyword),
                    "{service}: component {component} keeps {keyword}"
                );
            }
        }
    }
}

/// `value` with every `$ref` to a `$defs` entry pointed at the component of that name.
fn as_components(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(target)) = object.get_mut("$ref") {
                let name = target.rsplit('/').next().unwrap().to_owned();
                *target = format!("#/components/schemas/{name}");
            }
            object.values_mut().for_each(as_components);
        }
        Value::Array(items) => items.iter_mut().for_each(as_components),
        _ => {}
    }
}

#[test]
fn components_are_the_contract_schemas_keyword_for_keyword() {
    let document = document("subscription");
    let schemas = document["components"]["schemas"].as_object().unwrap();
    let mut compared = 0;
    for file in [
        "schemas/subscription/types.schema.json",
        "schemas/common/common.schema.json",
    ] {
        let source: Value = serde_json::from_str(&fs::read_to_string(file).unwrap()).unwrap();
        for (name, definition) in source["$defs"].as_object().unwrap() {
            let Some(component) = schemas.get(name) else {
                continue;
            };
            let mut expected = definition.clone();
            as_components(&mut expected);
            assert_eq!(component, &expected, "{name} from {file}");
            compared += 1;
        }
    }
    // Every subscription definition is reachable, plus Money and Metadata from common.
    assert_eq!(compared, schemas.len() - 1, "all but Problem compared");
}

#[test]
fn operations_carry_the_platform_answers_headers_and_deprecation() {
    let subscription = document("subscription");
    let create = &subscription["paths"]["/internal/subscriptions"]["post"];
    let responses = create["responses"].as_object().unwrap();
    let statuses: Vec<&str> = responses.keys().map(String::as_str).collect();
    assert_eq!(
        statuses,
        ["201", "400", "401", "404", "409", "413", "415", "422", "500", "503", "504"]
    );
    assert!(responses["409"]["description"]
        .as_str()
        .unwrap()
        .contains("IDEMPOTENCY_KEY_IN_USE"));
    assert!(responses["409"]["description"]
        .as_str()
        .unwrap()
        .contains("SUBSCRIPTION_ALREADY_ACTIVE"));
    assert_eq!(
        responses["422"]["content"]["application/problem+json"]["schema"]["$ref"],
        "#/components/schemas/Problem"
    );
    assert!(create["parameters"]
        .as_array()
        .unwrap()
        .contains(&json!({ "$ref": "#/components/parameters/IdempotencyKey" })));
    assert_eq!(create["x-retry"], "keyed");

    let check = &subscription["paths"]["/internal/subscriptions/check-access"]["post"];
    assert!(
        check["responses"].get("403").is_some(),
        "callers restrict it"
    );
    assert_eq!(check["x-callers"], json!(["session", "gym"]));
    assert!(check.get("x-critical").is_none(), "critical is the default");
    let plans = &subscription["paths"]["/internal/plans"]["get"];
    assert_eq!(
        plans["x-critical"],
        json!(false),
        "listPlans is non-critical"
    );
    assert!(
        plans["responses"].get("403").is_none(),
        "anyone may call it"
    );
    let query: Vec<(&str, bool)> = plans["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|parameter| parameter["in"] == "query")
        .map(|parameter| {
            (
                parameter["name"].as_str().unwrap(),
                parameter["required"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        query,
        [
            ("tier", false),
            ("interval", false),
            ("includeInactive", false)
        ]
    );
    assert_eq!(subscription["security"], json!([{ "serviceApiKey": [] }]));

    let user = document("user");
    let get_user = &user["paths"]["/internal/users/{userId}"]["get"];
    assert_eq!(get_user["deprecated"], true);
    assert_eq!(get_user["x-deprecation"]["replacement"], "getUserV2");
    assert_eq!(get_user["x-deprecation"]["sunset"], "2027-05-31");
    for (status, response) in get_user["responses"].as_object().unwrap() {
        let headers = &response["headers"];
        assert!(headers.get("Deprecation").is_some(), "{status}");
        assert!(headers.get("Sunset").is_some(), "{status}");
        assert!(headers.get("x-correlation-id").is_some(), "{status}");
    }
    let v2 = &user["paths"]["/internal/v2/users/{userId}"]["get"];
    assert!(v2.get("deprecated").is_none());
    assert!(v2["responses"]["200"]["headers"]
        .get("Deprecation")
        .is_none());
}

/// A contracts folder in a temp dir: `files` are `(path, text)`.
fn contracts(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

const MANIFEST: &str = r#"
service: shop
baseUrlEnv: SHOP_API_URL
operations:
  getOrder:
    summary: One order.
    method: GET
    path: /internal/orders/{orderId}
    params: { orderId: { type: string, format: uuid } }
    response: types.schema.json#/$defs/Order
"#;

#[test]
fn shared_names_are_qualified_deterministically() {
    let types = r##"{
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$defs": {
        "Order": {
          "type": "object",
          "properties": {
            "total": { "$ref": "#/$defs/Money" },
            "fee": { "$ref": "../common/common.schema.json#/$defs/Money" },
            "problem": { "$ref": "#/$defs/Problem" },
            "note": { "$ref": "#note" }
          },
          "required": ["total"]
        },
        "Money": { "type": "integer", "minimum": 0 },
        "Problem": { "type": "string" },
        "Note": { "$anchor": "note", "type": "string", "maxLength": 10 }
      }
    }"##;
    let common = r##"{
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": "https://example.com/common.schema.json",
      "$defs": { "Money": { "type": "string", "pattern": "^[0-9]+$" } }
    }"##;
    let dir = contracts(&[
        ("shop/service.yaml", MANIFEST),
        ("shop/types.schema.json", types),
        ("common/common.schema.json", common),
    ]);
    let mut config = Config::new();
    config.schemas_dir(dir.path());
    let output = config.render_openapi().expect("exports");
    let document: Value = serde_json::from_str(&output.files["shop.openapi.json"]).unwrap();
    let schemas = document["components"]["schemas"].as_object().unwrap();
    let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "Note",
            "Order",
            "Problem",
            "common.Money",
            "shop.Money",
            "shop.Problem"
        ]
    );
    let properties = &schemas["Order"]["properties"];
    assert_eq!(
        properties["total"]["$ref"],
        "#/components/schemas/shop.Money"
    );
    assert_eq!(
        properties["fee"]["$ref"],
        "#/components/schemas/common.Money"
    );
    assert_eq!(
        properties["problem"]["$ref"],
        "#/components/schemas/shop.Problem"
    );
    assert_eq!(properties["note"]["$ref"], "#/components/schemas/Note");
    assert_eq!(
        schemas["Note"],
        json!({ "type": "string", "maxLength": 10 })
    );
    assert_eq!(
        schemas["Problem"]["required"],
        json!(["type", "title", "status", "code"])
    );
}

#[test]
fn a_schema_that_cannot_be_exported_is_named() {
    let types = r##"{
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$defs": {
        "Order": {
          "$dynamicAnchor": "node",
          "type": "object",
          "properties": { "children": { "type": "array", "items": { "$dynamicRef": "#node" } } }
        }
      }
    }"##;
    let dir = contracts(&[
        ("shop/service.yaml", MANIFEST),
        ("shop/types.schema.json", types),
    ]);
    let mut config = Config::new();
    config.schemas_dir(dir.path());
    let error = config.render_openapi().expect_err("refused");
    let Error::Contract(diagnostic) = &error else {
        panic!("not a contract error: {error}");
    };
    assert!(
        diagnostic.location.file.ends_with("shop/types.schema.json"),
        "{error}"
    );
    assert!(
        error.to_string().contains("cannot be exported to OpenAPI"),
        "{error}"
    );
}

#[test]
fn the_command_prints_one_document_or_writes_all() {
    let root = env!("CARGO_MANIFEST_DIR");
    let printed = Command::new(BIN)
        .args(["openapi", "subscription"])
        .current_dir(root)
        .output()
        .expect("runs");
    assert!(printed.status.success());
    assert_eq!(
        String::from_utf8(printed.stdout).unwrap(),
        seed_documents().files["subscription.openapi.json"]
    );
    let without_out = Command::new(BIN)
        .args(["openapi"])
        .current_dir(root)
        .output()
        .expect("runs");
    assert_eq!(without_out.status.code(), Some(2));
    let unknown = Command::new(BIN)
        .args(["openapi", "nosuch"])
        .current_dir(root)
        .output()
        .expect("runs");
    assert_eq!(unknown.status.code(), Some(2));
    let check = Command::new(BIN)
        .args(["check", "--target", "openapi"])
        .current_dir(root)
        .output()
        .expect("runs");
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_string_lossy().into_owned();
    let stale = Command::new(BIN)
        .args(["check", "--target", "openapi", "--out", &out])
        .current_dir(root)
        .output()
        .expect("runs");
    assert_eq!(stale.status.code(), Some(1), "an empty folder is stale");
    assert!(String::from_utf8_lossy(&stale.stdout).contains("+++ b/user.openapi.json"));

    let generate = Command::new(BIN)
        .args(["generate", "--target", "openapi", "--out", &out])
        .current_dir(root)
        .output()
        .expect("runs");
    assert!(generate.status.success());
    let gone = dir.path().join("retired.openapi.json");
    fs::write(&gone, "{}\n").unwrap();
    fs::write(dir.path().join("notes.md"), "kept\n").unwrap();
    let stale = Command::new(BIN)
        .args(["check", "--target", "openapi", "--out", &out])
        .current_dir(root)
        .output()
        .expect("runs");
    assert_eq!(stale.status.code(), Some(1), "a retired document is stale");
    assert!(String::from_utf8_lossy(&stale.stdout).contains("retired.openapi.json"));
    let generate = Command::new(BIN)
        .args(["generate", "--target", "openapi", "--out", &out])
        .current_dir(root)
        .output()
        .expect("runs");
    assert!(generate.status.success());
    assert!(!gone.exists(), "generate removes the retired document");
    assert!(dir.path().join("notes.md").exists(), "other files stay");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 8);
}

/// The error exporting `types` (as `shop/types.schema.json`) under [`MANIFEST`] plus `extra`
/// manifest lines.
fn export_error(types: &str, extra: &str) -> Error {
    let manifest = format!("{MANIFEST}{extra}");
    let dir = contracts(&[
        ("shop/service.yaml", &manifest),
        ("shop/types.schema.json", types),
    ]);
    let mut config = Config::new();
    config.schemas_dir(dir.path());
    config.render_openapi().expect_err("refused")
}

#[test]
fn an_older_draft_or_a_query_without_properties_is_refused_with_its_place() {
    let draft7 = r##"{
      "$schema": "http://json-schema.org/draft-07/schema#",
      "definitions": { "Order": { "type": "object", "properties": { "id": { "type": "string" } } } },
      "$defs": { "Order": { "$ref": "#/definitions/Order" } }
    }"##;
    let error = export_error(draft7, "");
    let text = error.to_string();
    assert!(text.contains("shop/types.schema.json"), "{text}");
    assert!(
        text.contains("OpenAPI 3.1 carries JSON Schema 2020-12"),
        "{text}"
    );

    let types = r##"{
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$defs": {
        "Order": { "type": "object", "properties": { "id": { "type": "string" } } },
        "Query": { "type": "object", "allOf": [{ "properties": { "q": { "type": "string" } } }] }
      }
    }"##;
    let listing = "  listOrders:\n    summary: Orders.\n    method: GET\n    path: /internal/orders\n    query: types.schema.json#/$defs/Query\n    response: types.schema.json#/$defs/Order\n";
    let error = export_error(types, listing);
    let text = error.to_string();
    assert!(
        text.contains("shop/types.schema.json") && text.contains("/$defs/Query"),
        "{text}"
    );
    assert!(text.contains("`properties`"), "{text}");
}

#[test]
fn the_correlation_id_is_any_string_in_and_a_valid_one_out() {
    let document = document("subscription");
    let components = &document["components"];
    assert_eq!(
        components["parameters"]["CorrelationId"]["schema"],
        json!({ "type": "string" }),
        "the server replaces an invalid id instead of refusing the request"
    );
    assert_eq!(components["parameters"]["CorrelationId"]["required"], false);
    assert_eq!(
        components["headers"]["CorrelationId"]["schema"]["pattern"],
        "^[A-Za-z0-9._:-]{1,128}$"
    );
    assert_eq!(components["headers"]["CorrelationId"]["required"], true);
}
