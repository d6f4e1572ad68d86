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

/// Every file under `dir` with its contents, by path relative to `dir`.
#[allow(dead_code)] // not every test binary compares trees
pub fn read_tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("inside").to_path_buf();
                files.insert(relative, fs::read(&path).expect("read"));
            }
        }
    }
    files
}
