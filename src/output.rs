//! Generated files held in memory, then written only where they changed, or compared.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::error::Error;
use crate::format::GENERATED_MARKER;

/// Generated files by path relative to the output directory (with `/` separators), in a
/// stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, String>,
    /// Where in the output directory this output speaks for every file.
    pub scope: Scope,
}

/// The part of an output directory an [`Output`] speaks for. Stale files are looked for only
/// inside it, so rendering a selection of services (`--service booking`) never removes or
/// reports another service's files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Scope {
    /// The whole directory: every service was rendered.
    #[default]
    Whole,
    /// Only these top-level entries of the directory: a service's folder (`subscription`) or
    /// file (`subscription.openapi.json`), and everything under it.
    Entries(BTreeSet<String>),
}

impl Scope {
    /// Whether `relative` (a `/`-separated path inside the directory) is inside the scope.
    pub fn contains(&self, relative: &str) -> bool {
        match self {
            Scope::Whole => true,
            Scope::Entries(entries) => entries.contains(top_level(relative)),
        }
    }
}

/// The first component of a `/`-separated relative path.
fn top_level(relative: &str) -> &str {
    relative.split('/').next().unwrap_or(relative)
}

/// What writing an [`Output`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
    /// Files this generator made earlier that it no longer produces.
    pub removed: Vec<String>,
}

/// How a directory differs from an [`Output`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    /// `(relative path, unified diff)` for each file that would change.
    pub changed: Vec<(String, String)>,
    /// Generated files that would be removed.
    pub stale: Vec<String>,
}

impl Drift {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.stale.is_empty()
    }

    /// All diffs, one after another, as `check` prints them.
    pub fn render(&self) -> String {
        let mut text = String::new();
        for (_, diff) in &self.changed {
            text.push_str(diff);
        }
        for path in &self.stale {
            text.push_str(&format!(
                "stale generated file (would be removed): {path}\n"
            ));
        }
        text
    }
}

/// Whether writing an [`Output`] owns its whole directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleFiles {
    /// The directory holds only this generator's output (`generated/`): files with the
    /// `@generated` marker that are no longer produced are removed.
    Remove,
    /// The directory is shared (a `types -o src/x.rs` target): other files are left alone.
    Keep,
}

impl Output {
    /// Narrows the scope to the top-level entries this output produces: what a run over a
    /// selection of services owns. An output that produces nothing owns nothing.
    pub fn scope_to_produced(&mut self) {
        let entries = self
            .files
            .keys()
            .map(|relative| top_level(relative).to_owned())
            .collect();
        self.scope = Scope::Entries(entries);
    }

    /// Writes every file whose contents differ, leaving unchanged files (and their mtimes)
    /// alone; with [`StaleFiles::Remove`], removes files carrying the `@generated` marker
    /// that are no longer produced. Files without the marker are never touched.
    pub fn write(&self, dir: &Path, stale: StaleFiles) -> Result<WriteReport, Error> {
        let mut report = WriteReport::default();
        for (relative, contents) in &self.files {
            let path = dir.join(relative);
            match fs::read(&path) {
                Ok(existing) if existing == contents.as_bytes() => {
                    report.unchanged.push(relative.clone());
                    continue;
                }
                Ok(_) => {}
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(source) => return Err(Error::Read { path, source }),
            }
            write_atomically(&path, contents)?;
            report.written.push(relative.clone());
        }
        if stale == StaleFiles::Remove {
            for stale in self.stale_files(dir)? {
                let path = dir.join(&stale);
                fs::remove_file(&path).map_err(|source| Error::Write { path, source })?;
                report.removed.push(stale);
            }
        }
        Ok(report)
    }

    /// Compares `dir` with this output without writing anything.
    pub fn diff(&self, dir: &Path) -> Result<Drift, Error> {
        let mut drift = Drift::default();
        for (relative, contents) in &self.files {
            let path = dir.join(relative);
            let existing = match fs::read_to_string(&path) {
                Ok(existing) => Some(existing),
                Err(error) if error.kind() == io::ErrorKind::NotFound => None,
                Err(error) if error.kind() == io::ErrorKind::InvalidData => Some(String::new()),
                Err(source) => return Err(Error::Read { path, source }),
            };
            if existing.as_deref() == Some(contents.as_str()) {
                continue;
            }
            let old = existing.unwrap_or_default();
            let diff = TextDiff::from_lines(old.as_str(), contents.as_str())
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{relative}"), &format!("b/{relative}"))
                .to_string();
            drift.changed.push((relative.clone(), diff));
        }
        drift.stale = self.stale_files(dir)?;
        Ok(drift)
    }

    /// Files under `dir`, inside this output's scope, that carry the generator's marker but
    /// are not in this output.
    fn stale_files(&self, dir: &Path) -> Result<Vec<String>, Error> {
        let mut stale = Vec::new();
        if !dir.is_dir() {
            return Ok(stale);
        }
        let mut pending = vec![dir.to_path_buf()];
        while let Some(current) = pending.pop() {
            let entries = fs::read_dir(&current).map_err(|source| Error::Read {
                path: current.clone(),
                source,
            })?;
            for entry in entries {
                let entry = entry.map_err(|source| Error::Read {
                    path: current.clone(),
                    source,
                })?;
                let path = entry.path();
                let file_type = entry.file_type().map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?;
                let relative = relative_path(dir, &path);
                if !self.scope.contains(&relative) {
                    continue;
                }
                if file_type.is_dir() {
                    // Build output beside the generated sources: cargo's, and tsc's and npm's
                    // in a TypeScript package built in place (`dist/` keeps the marker line).
                    if path.file_name().is_some_and(|name| {
                        name == "target" || name == "dist" || name == "node_modules"
                    }) {
                        continue;
                    }
                    pending.push(path);
                    continue;
                }
                if self.files.contains_key(&relative) || !carries_marker(&path) {
                    continue;
                }
                stale.push(relative);
            }
        }
        stale.sort();
        Ok(stale)
    }
}

fn relative_path(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|component| component.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether the file's first line names this generator.
fn carries_marker(path: &Path) -> bool {
    use std::io::{BufRead, BufReader};
    let Ok(file) = fs::File::open(path) else {
        return false;
    };
    let mut first_line = String::new();
    let mut reader = BufReader::new(file).take(512);
    reader.read_line(&mut first_line).is_ok() && first_line.contains(GENERATED_MARKER)
}

use std::io::Read as _;

/// Writes through a temporary file and a rename, so a reader never sees half a file.
fn write_atomically(path: &Path, contents: &str) -> Result<(), Error> {
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(write_error)?;
    }
    let temporary: PathBuf = {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".solo60-tmp");
        path.with_file_name(name)
    };
    fs::write(&temporary, contents).map_err(write_error)?;
    fs::rename(&temporary, path).map_err(|source| {
        let _ = fs::remove_file(&temporary);
        write_error(source)
    })
}
