//! One contract change, three outputs: adding a constrained property to a request shows up
//! in the Rust crate, the TypeScript package and the OpenAPI document alike. The snapshot is
//! what a reviewer reads: the unified diff of each output, before and after the edit.

mod support;

use std::fs;
use std::path::Path;

use serde_json::{json, Value};
use solo60_gen::{Config, Output};

use support::{copy_tree, Order};

/// The seed contracts with `CheckSubscriptionAccessRequest` given an optional `promoCode`
/// (at most 32 upper-case letters and digits) when `with_promo_code`.
fn contracts(dir: &Path, with_promo_code: bool) {
    copy_tree(Path::new("schemas"), dir, Order::Sorted);
    if !with_promo_code {
        return;
    }
    let path = dir.join("subscription/types.schema.json");
    let mut schema: Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("read types")).expect("json");
    let properties = schema["$defs"]["CheckSubscriptionAccessRequest"]["properties"]
        .as_object_mut()
        .expect("the request has properties");
    properties.insert(
        "promoCode".to_owned(),
        json!({
            "description": "A campaign code that unlocks the feature for a trial.",
            "type": "string",
            "maxLength": 32,
            "pattern": "^[A-Z0-9]+$"
        }),
    );
    let text = serde_json::to_string_pretty(&schema).expect("serialize");
    fs::write(&path, text + "\n").expect("write types");
}

/// The three outputs for the subscription service from the contracts in `dir`.
fn render(dir: &Path) -> [(&'static str, Output); 3] {
    let mut config = Config::new();
    config.schemas_dir(dir).service("subscription");
    [
        ("rust", config.render_crates().expect("crates").output),
        (
            "typescript",
            config.render_typescript().expect("typescript"),
        ),
        ("openapi", config.render_openapi().expect("openapi")),
    ]
}

#[test]
fn a_new_request_property_shows_up_in_rust_typescript_and_openapi() {
    let before_dir = tempfile::tempdir().expect("tempdir");
    let after_dir = tempfile::tempdir().expect("tempdir");
    contracts(before_dir.path(), false);
    contracts(after_dir.path(), true);
    let written = tempfile::tempdir().expect("tempdir");

    let mut review = String::new();
    for ((target, before), (_, after)) in render(before_dir.path())
        .into_iter()
        .zip(render(after_dir.path()))
    {
        let out = written.path().join(target);
        before
            .write(&out, solo60_gen::output::StaleFiles::Remove)
            .expect("write the output from before the change");
        let drift = after.diff(&out).expect("compare");
        let diff = drift.render();
        assert!(
            drift.stale.is_empty(),
            "{target}: adding a property removes no file"
        );
        assert!(
            diff.contains("promoCode"),
            "{target}: the new property is missing from the diff:\n{diff}"
        );
        assert!(
            diff.contains("32") && diff.contains("A-Z0-9"),
            "{target}: the property's maxLength and pattern are missing from the diff:\n{diff}"
        );
        review.push_str(&format!("##### {target}\n{diff}\n"));
    }
    insta::assert_snapshot!("contract_change__promo_code", review);
}
