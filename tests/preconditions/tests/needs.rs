//! `#[needs(...)]` as cargo sees it: this binary lists its own ignored tests (`--list
//! --ignored`) and each marker must be there exactly when its precondition is unmet and `CI`
//! is not set. The build script read the same environment when this test was built.

use std::process::Command;

use preconditions::needs;

#[needs(redis)]
#[test]
fn marker_needing_redis() {}

#[needs(node)]
#[test]
fn marker_needing_node() {}

#[needs(python_venv)]
#[test]
fn marker_needing_python_venv() {}

#[needs(redis, node)]
#[test]
fn marker_needing_redis_and_node() {}

#[test]
fn unmarked() {}

/// The names this binary lists with `extra` arguments after `--list`.
fn listed(extra: &[&str]) -> Vec<String> {
    let output = Command::new(std::env::current_exe().expect("this test binary"))
        .args(["--list", "--format", "terse"])
        .args(extra)
        .output()
        .expect("the test binary lists its tests");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_owned)
        .collect()
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
}

fn python_has_venv() -> bool {
    Command::new("python3")
        .args(["-c", "import venv, ensurepip"])
        .output()
        .is_ok_and(|output| output.status.success())
}

#[test]
fn a_marked_test_is_ignored_exactly_when_its_precondition_is_unmet_outside_ci() {
    let ci = std::env::var_os("CI").is_some();
    let redis = std::env::var("REDIS_URL").is_ok_and(|url| !url.trim().is_empty());
    let node = on_path("node") && on_path("npm");
    let venv = python_has_venv();
    let expected: Vec<&str> = [
        ("marker_needing_node", node),
        ("marker_needing_python_venv", venv),
        ("marker_needing_redis", redis),
        ("marker_needing_redis_and_node", redis && node),
    ]
    .into_iter()
    .filter(|(_, met)| !ci && !met)
    .map(|(name, _)| name)
    .collect();
    let ignored = listed(&["--ignored"]);
    assert_eq!(
        ignored, expected,
        "CI: {ci}, REDIS_URL: {redis}, node: {node}, venv: {venv}"
    );
    let all = listed(&[]);
    assert!(all.contains(&"unmarked".to_owned()), "{all:?}");
    assert!(!ignored.contains(&"unmarked".to_owned()));
}
