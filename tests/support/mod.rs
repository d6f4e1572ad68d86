//! Helpers shared by the integration tests.

use std::fs;
use std::path::{Path, PathBuf};

/// In which order directory entries are created, to show output does not depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // each test binary uses the orders it needs
pub enum Order {
    Sorted,
    Reversed,
}

/// Copies the tree `from` into `to`, creating entries in `order`.
#[allow(dead_code)] // not every test binary copies trees
pub fn copy_tree(from: &Path, to: &Path, order: Order) {
    fs::create_dir_all(to).expect("create dir");
    let mut entries: Vec<PathBuf> = fs::read_dir(from)
        .expect("read dir")
        .map(|entry| entry.expect("entry").path())
        .collect();
    entries.sort();
    if order == Order::Reversed {
        entries.reverse();
    }
    for entry in entries {
        let target = to.join(entry.file_name().expect("name"));
        if entry.is_dir() {
            copy_tree(&entry, &target, order);
        } else {
            fs::copy(&entry, &target).expect("copy");
        }
    }
}

/// Every file under `dir` with its contents and modification time, by path relative to
/// `dir`: what "nothing under the output directory changed" compares.
#[allow(dead_code)] // not every test binary compares trees
pub fn snapshot_tree(
    dir: &Path,
) -> std::collections::BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let modified = fs::metadata(&path)
                .and_then(|metadata| metadata.modified())
                .expect("mtime");
            let relative = path.strip_prefix(dir).expect("inside").to_path_buf();
            files.insert(relative, (fs::read(&path).expect("read"), modified));
        }
    }
    files
}

/// Every file under `dir` with its contents, by path relative to `dir`.
#[allow(dead_code)] // not every test binary compares trees
pub fn read_tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    snapshot_tree(dir)
        .into_iter()
        .map(|(path, (contents, _))| (path, contents))
        .collect()
}

/// The service folders of the repository's `schemas/` (those with a `service.yaml`), sorted.
#[allow(dead_code)] // not every test binary runs over the services
pub fn seed_services() -> Vec<String> {
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

/// Runs the real `solo60-gen scaffold SERVICE -o DIR/SERVICE.rs` from the repository root;
/// the file it wrote.
#[allow(dead_code)] // not every test binary writes scaffolds
pub fn write_scaffold(service: &str, dir: &Path) -> PathBuf {
    let out = dir.join(format!("{service}.rs"));
    let written = std::process::Command::new(env!("CARGO_BIN_EXE_solo60-gen"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scaffold", service, "-o"])
        .arg(&out)
        .output()
        .expect("runs solo60-gen");
    assert!(
        written.status.success(),
        "scaffold {service}: {}",
        String::from_utf8_lossy(&written.stderr)
    );
    out
}
