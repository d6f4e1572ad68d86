//! Snapshots of the emitted code: one per focused schema (one concept each), one per seed
//! service, and TypeScript for two services. A change to the generator shows up here as a
//! reviewable diff.

use std::fs;
use std::path::Path;

use solo60_gen::{types_module, Config, TypesConfig};

#[test]
fn focused_schemas() {
    let roots = fs::read_to_string("tests/focused/roots.txt").expect("roots.txt");
    let mut seen = 0;
    for line in roots.lines().filter(|line| !line.starts_with('#')) {
        let mut parts = line.split_whitespace();
        let (Some(file), Some(root)) = (parts.next(), parts.next()) else {
            continue;
        };
        let config = TypesConfig {
            root_name: root.to_owned(),
            ..Default::default()
        };
        let code = types_module(&Path::new("tests/focused/schemas").join(file), &config)
            .unwrap_or_else(|error| panic!("{file}: {error}"));
        insta::assert_snapshot!(format!("focused__{}", file.trim_end_matches(".json")), code);
        seen += 1;
    }
    let on_disk = fs::read_dir("tests/focused/schemas")
        .expect("schemas")
        .count();
    assert_eq!(seen, on_disk, "every focused schema is listed in roots.txt");
}

#[test]
fn seed_services() {
    let rendered = Config::new()
        .render_crates()
        .expect("seed contracts generate");
    let mut by_service: std::collections::BTreeMap<&str, String> = Default::default();
    for (path, contents) in &rendered.output.files {
        if !path.ends_with(".rs") {
            continue;
        }
        let service = path.split('/').next().unwrap_or_default();
        let text = by_service.entry(service).or_default();
        text.push_str(&format!("===== {path}\n{contents}"));
    }
    assert_eq!(by_service.len(), 7);
    for (service, code) in by_service {
        insta::assert_snapshot!(format!("seed__{service}"), code);
    }
}

#[test]
fn typescript_packages() {
    let output = Config::new()
        .render_typescript()
        .expect("seed contracts generate TypeScript");
    let file = |path: &str| {
        output
            .files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .clone()
    };
    // The subscription service's schemas and client; the gym's schemas, for recursion.
    insta::assert_snapshot!(
        "typescript__subscription",
        format!(
            "===== src/schemas.ts\n{}===== src/client.ts\n{}",
            file("subscription/src/schemas.ts"),
            file("subscription/src/client.ts")
        )
    );
    insta::assert_snapshot!("typescript__gym_schemas", file("gym/src/schemas.ts"));
    // The shared runtime package, and how a service package stands on it.
    insta::assert_snapshot!(
        "typescript__runtime",
        [
            "runtime/package.json",
            "runtime/src/index.ts",
            "subscription/package.json",
            "subscription/src/index.ts",
        ]
        .iter()
        .map(|path| format!("===== {path}\n{}", file(path)))
        .collect::<String>()
    );
}
