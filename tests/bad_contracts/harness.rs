//! Running one bad-contract case: a fresh copy of the base contracts with a previous good
//! generation beside it, the defect applied, the real binary run with a timeout, and every
//! byte and modification time of the output directory compared before and after.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use super::{table, Case, Defect, Run, BASE_SCHEMAS, BIN, NOTES, STANDALONE, TIMEOUT, TMP};

/// What one run of the binary did.
#[derive(Debug, Clone)]
pub(super) struct Outcome {
    /// `None` when killed by a signal (a stack overflow aborts) or by the timeout.
    pub(super) exit_code: Option<i32>,
    pub(super) timed_out: bool,
    /// stderr with the temporary directory replaced by [`TMP`].
    pub(super) stderr: String,
    /// The defective file's text, to find the line a message must point at.
    pub(super) defective_text: String,
    /// What changed under the output directory (empty when nothing did).
    pub(super) output_changes: Vec<String>,
    /// Set when the case could not even be prepared (a defect in this test).
    pub(super) setup_error: Option<String>,
}

/// Every case's outcome, computed once (in parallel) and shared by all tests.
pub(super) fn outcomes() -> &'static BTreeMap<&'static str, Outcome> {
    static OUTCOMES: OnceLock<BTreeMap<&'static str, Outcome>> = OnceLock::new();
    OUTCOMES.get_or_init(|| {
        let table = table();
        thread::scope(|scope| {
            let handles: Vec<_> = table
                .iter()
                .map(|(name, case)| (*name, scope.spawn(move || run_case(case))))
                .collect();
            handles
                .into_iter()
                .map(|(name, handle)| {
                    let outcome = handle.join().unwrap_or_else(|_| Outcome {
                        exit_code: None,
                        timed_out: false,
                        stderr: String::new(),
                        defective_text: String::new(),
                        output_changes: Vec::new(),
                        setup_error: Some("the test's own runner panicked".into()),
                    });
                    (name, outcome)
                })
                .collect()
        })
    })
}

pub(super) fn run_case(case: &Case) -> Outcome {
    let mut outcome = Outcome {
        exit_code: None,
        timed_out: false,
        stderr: String::new(),
        defective_text: String::new(),
        output_changes: Vec::new(),
        setup_error: None,
    };
    if let Err(error) = run_case_into(case, &mut outcome) {
        outcome.setup_error = Some(error);
    }
    outcome
}

pub(super) fn run_case_into(case: &Case, outcome: &mut Outcome) -> Result<(), String> {
    let tmp = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    let root = tmp.path();
    let schemas = root.join("schemas");
    let generated = root.join("generated");
    copy_dir(Path::new(BASE_SCHEMAS), &schemas)?;

    // A previous good generation, plus a hand-written file, all with old mtimes so that any
    // rewrite shows even on a file system with coarse timestamps.
    let good = run(root, &crates_args("generate", &schemas, &generated))?;
    if good.exit_code != Some(0) {
        return Err(format!(
            "the base contracts do not generate: exit {:?}, {}",
            good.exit_code, good.stderr
        ));
    }
    fs::write(generated.join("NOTES.md"), NOTES).map_err(|e| format!("NOTES.md: {e}"))?;
    age_tree(&generated)?;

    apply(&case.defect, root)?;
    outcome.defective_text = fs::read_to_string(root.join(case.file))
        .map_err(|e| format!("reading {}: {e}", case.file))?;

    let before = tree(&generated)?;
    let args = match case.run {
        Run::Generate => crates_args("generate", &schemas, &generated),
        Run::Check => crates_args("check", &schemas, &generated),
        Run::Types => vec![
            "types".into(),
            root.join(STANDALONE)
                .into_os_string()
                .into_string()
                .unwrap_or_default(),
            "--root-name".into(),
            "Settings".into(),
            "-o".into(),
            generated
                .join("standalone.rs")
                .into_os_string()
                .into_string()
                .unwrap_or_default(),
        ],
    };
    let bad = run(root, &args)?;
    let after = tree(&generated)?;

    outcome.exit_code = bad.exit_code;
    outcome.timed_out = bad.timed_out;
    outcome.stderr = bad.stderr;
    outcome.output_changes = compare_trees(&before, &after);
    Ok(())
}

pub(super) fn crates_args(command: &str, schemas: &Path, generated: &Path) -> Vec<String> {
    vec![
        command.into(),
        "--schemas".into(),
        schemas.display().to_string(),
        "--out".into(),
        generated.display().to_string(),
    ]
}

pub(super) struct RunResult {
    exit_code: Option<i32>,
    timed_out: bool,
    stderr: String,
}

/// Runs the binary in `root` with a timeout; stdout and stderr go to files outside the
/// output directory, so a chatty child can never block on a full pipe.
pub(super) fn run(root: &Path, args: &[String]) -> Result<RunResult, String> {
    let logs = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    let stdout_path = logs.path().join("stdout");
    let stderr_path = logs.path().join("stderr");
    let create = |path: &Path| fs::File::create(path).map_err(|e| format!("log file: {e}"));
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(root)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(create(&stdout_path)?)
        .stderr(create(&stderr_path)?)
        .spawn()
        .map_err(|e| format!("spawning {BIN}: {e}"))?;
    let deadline = Instant::now() + TIMEOUT;
    let (status, timed_out) = loop {
        match child.try_wait().map_err(|e| format!("waiting: {e}"))? {
            Some(status) => break (Some(status), false),
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break (None, true);
            }
            None => thread::sleep(Duration::from_millis(10)),
        }
    };
    let stderr = fs::read(&stderr_path).map_err(|e| format!("reading stderr: {e}"))?;
    Ok(RunResult {
        exit_code: status.and_then(|status| status.code()),
        timed_out,
        stderr: scrub(&String::from_utf8_lossy(&stderr), root),
    })
}

/// Replaces the temporary directory (as given and canonical) by [`TMP`].
pub(super) fn scrub(text: &str, root: &Path) -> String {
    let mut text = text.replace(&root.display().to_string(), TMP);
    if let Ok(canonical) = root.canonicalize() {
        text = text.replace(&canonical.display().to_string(), TMP);
    }
    text
}

pub(super) fn apply(defect: &Defect, root: &Path) -> Result<(), String> {
    match defect {
        Defect::Replace { file, from, to } => {
            let path = root.join(file);
            let text = fs::read_to_string(&path).map_err(|e| format!("reading {file}: {e}"))?;
            let found = text.matches(from).count();
            if found != 1 {
                return Err(format!("`{from}` occurs {found} times in {file}, not once"));
            }
            fs::write(&path, text.replacen(from, to, 1)).map_err(|e| format!("{file}: {e}"))
        }
        Defect::Write { file, contents } => {
            let path = root.join(file);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| format!("{file}: {e}"))?;
            }
            fs::write(&path, contents).map_err(|e| format!("{file}: {e}"))
        }
        Defect::Many(defects) => defects.iter().try_for_each(|defect| apply(defect, root)),
    }
}

pub(super) fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            fs::copy(&path, &target).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The output directory, byte for byte and mtime for mtime
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Node {
    Dir,
    File(Vec<u8>),
    Other,
}

/// Every entry under `dir` (and `dir` itself, as ""), with contents and modification time.
pub(super) fn tree(dir: &Path) -> Result<BTreeMap<String, (Node, SystemTime)>, String> {
    let mut entries = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        let metadata = fs::symlink_metadata(&path).map_err(|e| format!("{e}"))?;
        let modified = metadata.modified().map_err(|e| format!("{e}"))?;
        let node = if metadata.is_dir() {
            for entry in fs::read_dir(&path).map_err(|e| format!("{e}"))? {
                pending.push(entry.map_err(|e| format!("{e}"))?.path());
            }
            Node::Dir
        } else if metadata.is_file() {
            Node::File(fs::read(&path).map_err(|e| format!("{e}"))?)
        } else {
            Node::Other
        };
        let relative = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        entries.insert(relative, (node, modified));
    }
    Ok(entries)
}

/// Sets every modification time under `dir` to one fixed moment in the past.
pub(super) fn age_tree(dir: &Path) -> Result<(), String> {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let paths: Vec<PathBuf> = tree(dir)?
        .keys()
        .map(|relative| dir.join(relative))
        .collect();
    // Files first, then directories deepest first, so no later step touches an aged mtime.
    let (dirs, files): (Vec<_>, Vec<_>) = paths.into_iter().partition(|path| path.is_dir());
    let mut dirs = dirs;
    dirs.sort_by_key(|path| std::cmp::Reverse(path.components().count()));
    for path in files.iter().chain(&dirs) {
        fs::File::open(path)
            .and_then(|file| file.set_modified(old))
            .map_err(|e| format!("aging {}: {e}", path.display()))?;
    }
    Ok(())
}

pub(super) fn compare_trees(
    before: &BTreeMap<String, (Node, SystemTime)>,
    after: &BTreeMap<String, (Node, SystemTime)>,
) -> Vec<String> {
    let mut changes = Vec::new();
    for (path, (node, modified)) in before {
        match after.get(path) {
            None => changes.push(format!("`{path}` was removed")),
            Some((new_node, _)) if new_node != node => {
                changes.push(format!("`{path}` changed contents"))
            }
            Some((_, new_modified)) if new_modified != modified => {
                changes.push(format!("`{path}` changed modification time"))
            }
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|path| !before.contains_key(*path)) {
        changes.push(format!("`{path}` was created"));
    }
    changes
}
