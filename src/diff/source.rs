//! Where a version of the contracts comes from: a directory, or a git revision read
//! straight from the object database.
//!
//! A revision is never checked out: its contracts folder is listed with `git ls-tree` and
//! each file copied with `git cat-file` into a fresh temporary directory, which is removed
//! when the [`Materialized`] copy is dropped (on success and on error alike). The work
//! tree, the index and `HEAD` are left exactly as they were.

use std::ffi::OsStr;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::Error;
use crate::ir::ServiceIr;

use super::{load_services, load_services_reporting, LoadedServices};

/// One side of a comparison, as the command line names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContractSource {
    /// A contracts folder on disk (one folder per service).
    Directory(PathBuf),
    /// A git revision (`HEAD`, `main`, `v1.2.0`, a commit id) of the repository around the
    /// current directory; its contracts folder is the `--schemas` path at that revision.
    Revision(String),
}

impl ContractSource {
    /// A directory when one exists at `arg`, a git revision otherwise.
    pub fn from_arg(arg: &str) -> ContractSource {
        if Path::new(arg).is_dir() {
            ContractSource::Directory(PathBuf::from(arg))
        } else {
            ContractSource::Revision(arg.to_owned())
        }
    }

    /// Loads and lowers every service. `cwd` locates the git repository and `schemas`
    /// (relative to `cwd`) the contracts folder inside a revision.
    pub fn load(&self, cwd: &Path, schemas: &Path) -> Result<Vec<ServiceIr>, Error> {
        match self {
            ContractSource::Directory(dir) => load_services(&cwd.join(dir)),
            ContractSource::Revision(revision) => load_revision(cwd, revision, schemas),
        }
    }

    /// Like [`ContractSource::load`], but a broken service leaves only itself out: see
    /// [`load_services_reporting`].
    pub fn load_reporting(&self, cwd: &Path, schemas: &Path) -> Result<LoadedServices, Error> {
        match self {
            ContractSource::Directory(dir) => load_services_reporting(&cwd.join(dir)),
            ContractSource::Revision(revision) => {
                let copy = Materialized::from_revision(cwd, revision, schemas)?;
                load_services_reporting(copy.path())
            }
        }
    }

    /// `directory old/schemas` or `revision HEAD~1`, for messages.
    pub fn describe(&self) -> String {
        match self {
            ContractSource::Directory(dir) => format!("directory `{}`", dir.display()),
            ContractSource::Revision(revision) => format!("revision `{revision}`"),
        }
    }
}

/// Loads and lowers the contracts folder `schemas` as committed at `revision`.
pub fn load_revision(cwd: &Path, revision: &str, schemas: &Path) -> Result<Vec<ServiceIr>, Error> {
    let copy = Materialized::from_revision(cwd, revision, schemas)?;
    load_services(copy.path())
}

/// A revision's contracts folder copied into a temporary directory that is removed when
/// this value is dropped.
#[derive(Debug)]
pub struct Materialized {
    dir: PathBuf,
}

impl Drop for Materialized {
    fn drop(&mut self) {
        // Best effort: a leftover temporary directory is harmless, a panic here is not.
        let _ = fs::remove_dir_all(&self.dir);
    }
}

impl Materialized {
    /// The temporary contracts folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Copies `schemas` (relative to `cwd`) as committed at `revision` of the repository
    /// containing `cwd`.
    pub fn from_revision(
        cwd: &Path,
        revision: &str,
        schemas: &Path,
    ) -> Result<Materialized, Error> {
        if revision.starts_with('-') || revision.is_empty() {
            return Err(Error::Usage(format!(
                "`{revision}` is neither a directory nor a git revision"
            )));
        }
        let top = git_text(cwd, &["rev-parse", "--show-toplevel"]).map_err(|reason| {
            Error::Usage(format!(
                "`{revision}` is not a directory, and `{}` is not inside a git repository to \
                 read it as a revision from: {reason}",
                cwd.display()
            ))
        })?;
        let commit = git_text(
            cwd,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{revision}^{{commit}}"),
            ],
        )
        .map_err(|_| {
            Error::Usage(format!(
                "unknown revision `{revision}`: it is not a directory, and git knows no such \
                 commit"
            ))
        })?;
        let folder = folder_in_repository(cwd, Path::new(&top), schemas)?;
        let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", commit.as_str()];
        if !folder.is_empty() {
            args.push("--");
            args.push(folder.as_str());
        }
        let listing = git(cwd, &args)?;
        if !listing.status.success() {
            return Err(Error::Usage(format!(
                "git cannot list `{folder}` at `{revision}`: {}",
                String::from_utf8_lossy(&listing.stderr).trim()
            )));
        }
        let copy = Materialized::create()?;
        let mut files = 0usize;
        for entry in listing.stdout.split(|byte| *byte == 0) {
            let Some(file) = TreeEntry::parse(entry) else {
                continue;
            };
            if file.kind != "blob" || file.mode == "120000" {
                // Submodules and symbolic links are not contract files.
                continue;
            }
            let inside = match folder.as_str() {
                "" => Some(file.path),
                folder => file
                    .path
                    .strip_prefix(folder)
                    .and_then(|rest| rest.strip_prefix('/')),
            };
            let Some(inside) = inside.filter(|inside| is_plain_relative(inside)) else {
                continue;
            };
            let blob = git(cwd, &["cat-file", "blob", file.object])?;
            if !blob.status.success() {
                return Err(Error::Usage(format!(
                    "git cannot read `{}` at `{revision}`: {}",
                    file.path,
                    String::from_utf8_lossy(&blob.stderr).trim()
                )));
            }
            let target = copy.dir.join(inside);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|source| Error::Write {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            fs::write(&target, &blob.stdout).map_err(|source| Error::Write {
                path: target.clone(),
                source,
            })?;
            files += 1;
        }
        if files == 0 {
            return Err(Error::Usage(format!(
                "revision `{revision}` has no contracts folder `{}`",
                if folder.is_empty() { "." } else { &folder }
            )));
        }
        Ok(copy)
    }

    /// A new, empty directory under the system's temporary directory, named after this
    /// process so that concurrent runs never share one.
    fn create() -> Result<Materialized, Error> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.subsec_nanos());
        let root = std::env::temp_dir();
        loop {
            let attempt = COUNTER.fetch_add(1, Ordering::Relaxed);
            let dir = root.join(format!(
                "solo60-gen-diff-{}-{nanos}-{attempt}",
                std::process::id()
            ));
            match fs::create_dir(&dir) {
                Ok(()) => return Ok(Materialized { dir }),
                Err(error)
                    if error.kind() == std::io::ErrorKind::AlreadyExists && attempt < 1000 =>
                {
                    continue
                }
                Err(source) => return Err(Error::Write { path: dir, source }),
            }
        }
    }
}

/// One line of `git ls-tree -z`: `<mode> <type> <object>\t<path>`.
struct TreeEntry<'a> {
    mode: &'a str,
    kind: &'a str,
    object: &'a str,
    path: &'a str,
}

impl<'a> TreeEntry<'a> {
    fn parse(entry: &'a [u8]) -> Option<TreeEntry<'a>> {
        let text = std::str::from_utf8(entry).ok()?;
        let (meta, path) = text.split_once('\t')?;
        let mut parts = meta.split(' ');
        Some(TreeEntry {
            mode: parts.next()?,
            kind: parts.next()?,
            object: parts.next()?,
            path,
        })
    }
}

/// Whether a repository path is made of plain names only (no `..`, no root).
fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|component| matches!(component, Component::Normal(_)))
}

/// `schemas` (relative to `cwd`) as a path relative to the repository's top level, with
/// `/` separators; empty for the top level itself.
fn folder_in_repository(cwd: &Path, top: &Path, schemas: &Path) -> Result<String, Error> {
    let canonical = |path: &Path| fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let top = canonical(top);
    let absolute = normalize(&canonical(cwd).join(schemas));
    // The folder may be missing from the work tree (deleted since), so canonicalize only
    // what exists.
    let absolute = if absolute.exists() {
        canonical(&absolute)
    } else {
        absolute
    };
    let relative = absolute.strip_prefix(&top).map_err(|_| {
        Error::Usage(format!(
            "contracts folder `{}` is outside the git repository at `{}`",
            schemas.display(),
            top.display()
        ))
    })?;
    let parts: Vec<String> = relative
        .components()
        .map(|component| component.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok(parts.join("/"))
}

/// Removes `.` and folds `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other.as_os_str()),
        }
    }
    normal
}

fn git<S: AsRef<OsStr>>(cwd: &Path, args: &[S]) -> Result<Output, Error> {
    Command::new("git")
        .args(args)
        .current_dir(cwd)
        .output()
        .map_err(|error| Error::Usage(format!("cannot run git: {error}")))
}

/// A git command's standard output, trimmed; its standard error as the failure.
fn git_text(cwd: &Path, args: &[&str]) -> Result<String, String> {
    let output = git(cwd, args).map_err(|error| error.to_string())?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}
