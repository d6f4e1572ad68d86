//! Looks, once per build, for what `#[needs(...)]` tests need from the machine, and tells the
//! macro through cfgs. cargo reruns this when an environment variable read here changes, or
//! when a tool found on `PATH` changes or disappears.
//!
//! | cfg | set when |
//! |---|---|
//! | `ci` | `CI` is set: nothing is ignored, a missing precondition fails its test |
//! | `has_redis_url` | `REDIS_URL` is set and not blank |
//! | `has_node` | `node` and `npm` are on `PATH` |
//! | `has_python_venv` | `python3` is on `PATH` and has `venv` and `ensurepip` |

use std::env;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const CFGS: &[&str] = &["ci", "has_redis_url", "has_node", "has_python_venv"];

fn main() {
    for cfg in CFGS {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
    }
    for var in ["CI", "REDIS_URL", "PATH"] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    println!("cargo::rerun-if-changed=build.rs");

    if env::var_os("CI").is_some() {
        println!("cargo::rustc-cfg=ci");
    }
    if env::var("REDIS_URL").is_ok_and(|url| !url.trim().is_empty()) {
        println!("cargo::rustc-cfg=has_redis_url");
    }
    if [find("node"), find("npm")].iter().all(Option::is_some) {
        println!("cargo::rustc-cfg=has_node");
    }
    if find("python3").is_some_and(|python| has_venv(&python)) {
        println!("cargo::rustc-cfg=has_python_venv");
    }
}

/// The first `name` on `PATH`, watched so that removing or replacing it reruns this script.
fn find(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    let found = env::split_paths(&path)
        .flat_map(|dir| ["", ".exe", ".cmd"].map(|suffix| dir.join(format!("{name}{suffix}"))))
        .find(|candidate| candidate.is_file())?;
    println!("cargo::rerun-if-changed={}", found.display());
    Some(found)
}

/// Whether `python -m venv` can make a virtual environment with pip in it (Debian's python3
/// lacks `ensurepip` until `python3-venv` is installed).
fn has_venv(python: &PathBuf) -> bool {
    Command::new(python)
        .args(["-c", "import venv, ensurepip"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}
