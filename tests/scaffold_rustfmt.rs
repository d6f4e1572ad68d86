//! `solo60-gen scaffold` writes a file its authors commit and check with `cargo fmt --check`:
//! the real rustfmt must find nothing to change in the scaffold of any service in schemas/.

use std::process::Command;

mod support;

#[test]
fn every_scaffold_is_rustfmt_clean() {
    let services = support::seed_services();
    assert!(services.len() >= 7, "services found: {services:?}");
    let temp = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for service in &services {
        files.push(support::write_scaffold(service, temp.path()));
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
