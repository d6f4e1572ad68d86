//! Every doc comment the generator has written reads as prose: no line holds a word or two
//! alone while the next line goes on with the sentence (text wrapped twice, or a source line
//! break kept inside a paragraph). Checked over every committed generated file — the Rust
//! crates, the types-mode examples, the TypeScript packages — and the scaffold of every
//! service.

use std::fs;
use std::path::{Path, PathBuf};

mod support;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Files under `dir` whose name ends with `suffix`, skipping `node_modules` and `target`.
fn files(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        if path.is_dir() {
            if !matches!(name.as_deref(), Some("node_modules" | "target" | "dist")) {
                files(&path, suffix, out);
            }
        } else if name.is_some_and(|name| name.ends_with(suffix)) {
            out.push(path);
        }
    }
}

/// The text of a comment line (`///`, `//!`, or ` * ` inside `/** */`), if it is one.
fn comment_text(line: &str) -> Option<&str> {
    let line = line.trim_start();
    for marker in ["///", "//!"] {
        if let Some(text) = line.strip_prefix(marker) {
            return Some(text.trim());
        }
    }
    line.strip_prefix("* ")
        .or(line.strip_prefix('*').filter(|rest| rest.is_empty()))
        .map(str::trim)
}

/// Lines of `text` holding one or two words of a sentence the next comment line continues.
fn orphans(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, pair) in lines.windows(2).enumerate() {
        let (Some(short), Some(next)) = (comment_text(pair[0]), comment_text(pair[1])) else {
            continue;
        };
        let words = short.split_whitespace().count();
        let ends_sentence = short.ends_with(['.', ':', '!', '?', ';']);
        let opens_block = short.starts_with(['-', '*', '#', '|', '>', '@']);
        let continues = next.starts_with(|c: char| c.is_lowercase());
        if (1..=2).contains(&words) && !ends_sentence && !opens_block && continues {
            found.push(format!("line {}: `{short}` / `{next}`", index + 1));
        }
    }
    found
}

#[test]
fn the_orphan_check_finds_a_lone_word() {
    assert_eq!(
        orphans("/// The service. It\n/// is\n/// never regenerated."),
        ["line 2: `is` / `never regenerated.`"]
    );
    assert!(orphans("/// - one\n/// two words\n/// Next.").is_empty());
}

#[test]
fn no_generated_doc_comment_leaves_a_word_alone() {
    let mut paths = Vec::new();
    files(&root().join("generated"), ".rs", &mut paths);
    files(
        &root().join("examples/real-world-types/src"),
        ".rs",
        &mut paths,
    );
    files(&root().join("typescript"), ".ts", &mut paths);
    assert!(paths.len() > 50, "generated files found: {}", paths.len());
    let mut texts: Vec<(String, String)> = paths
        .iter()
        .map(|path| {
            let text = fs::read_to_string(path).expect("readable");
            (path.display().to_string(), text)
        })
        // The generator's files; hand-written ones beside them are not its to wrap.
        .filter(|(_, text)| text.starts_with("// @generated"))
        .collect();
    let temp = tempfile::tempdir().expect("tempdir");
    for service in support::seed_services() {
        let out = support::write_scaffold(&service, temp.path());
        texts.push((
            format!("scaffold {service}"),
            fs::read_to_string(&out).expect("written"),
        ));
    }
    let problems: Vec<String> = texts
        .iter()
        .flat_map(|(name, text)| {
            orphans(text)
                .into_iter()
                .map(move |orphan| format!("{name}: {orphan}"))
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} orphaned words:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
