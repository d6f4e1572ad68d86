//! `solo60-gen scaffold` writes a file its authors commit and check with `cargo fmt --check`:
//! the real rustfmt must find nothing to change in the scaffold of any service in schemas/.

use std::fs;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_solo60-gen");

fn services() -> Vec<String> {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut services: Vec<String> = fs::read_dir(&schemas)
        .expect("schemas/")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("service.yaml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    services.sort();
    services
}

#[test]
fn every_scaffold_is_rustfmt_clean() {
    let services = services();
    assert!(services.len() >= 7, "services found: {services:?}");
    let temp = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for service in &services {
        let out = temp.path().join(format!("{service}.rs"));
        let written = Command::new(BIN)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["scaffold", service, "-o"])
            .arg(&out)
            .output()
            .expect("runs solo60-gen");
        assert!(
            written.status.success(),
            "{service}: {}",
            String::from_utf8_lossy(&written.stderr)
        );
        files.push(out);
    }
    let check = Command::new("rustfmt")
        .args(["--check", "--edition", "2021", "--color", "never"])
        .args(&files)
        .output()
        .expect("rustfmt is installed with the toolchain");
    assert!(
        check.status.success(),
        "rustfmt would change the scaffold:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}
