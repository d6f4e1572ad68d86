//! The generator's typed errors.
//!
//! Every problem with a contract carries a [`Location`] (file, line:column where known, JSON
//! pointer) so a user can go straight to it; the binary maps errors to messages and exit codes.
//! A run collects every problem it finds rather than stopping at the first: several come as
//! [`Error::Contracts`], in reporting order (see [`sort_diagnostics`]).

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Where in the contracts a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it (relative to the contracts folder where possible).
    pub file: String,
    /// 1-based line and column, when the source text lets us find it.
    pub position: Option<Position>,
    /// JSON pointer (RFC 6901) to the offending value inside `file`.
    pub pointer: String,
}

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(position) = self.position {
            write!(f, ":{}:{}", position.line, position.column)?;
        }
        if !self.pointer.is_empty() {
            write!(f, " at {}", self.pointer)?;
        }
        Ok(())
    }
}

/// What is wrong with a contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContractError {
    #[error("syntax error: {0}")]
    Syntax(String),
    #[error("`$ref` `{reference}` points to no known document (`{target}`)")]
    UnknownDocument { reference: String, target: String },
    #[error("`$ref` `{reference}` points to `{pointer}`, which does not exist in `{document}`")]
    MissingPointer {
        reference: String,
        document: String,
        pointer: String,
    },
    #[error("`$ref` `{reference}` names anchor `{anchor}`, which `{document}` does not define")]
    UnknownAnchor {
        reference: String,
        anchor: String,
        document: String,
    },
    #[error("`{reference}` is not a valid URI reference: {reason}")]
    InvalidReference { reference: String, reason: String },
    #[error("`$ref` cycle with nothing in between: {0}")]
    RefCycle(String),
    #[error("duplicate key `{key}`: it appears twice in the same object")]
    DuplicateKey { container: String, key: String },
    #[error("YAML aliases expand to too many nodes (an alias bomb?); refusing to expand them")]
    AliasExpansion,
    #[error("unknown keyword `{keyword}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownKeyword {
        keyword: String,
        suggestion: Option<String>,
    },
    #[error("invalid manifest: {0}")]
    Manifest(String),
    #[error("operation `{0}` is defined twice")]
    DuplicateOperation(String),
    #[error("service `{0}` is defined twice")]
    DuplicateService(String),
    #[error("path parameter `{param}` {problem}")]
    PathParam { param: String, problem: String },
    #[error("invalid regular expression `{pattern}`: {reason}")]
    InvalidPattern { pattern: String, reason: String },
    #[error("unsupported keyword `{0}`")]
    UnsupportedKeyword(String),
    #[error("unsupported: {0}")]
    Unsupported(String),
    #[error("`{keyword}` must be {expected}")]
    WrongKeywordType {
        keyword: String,
        expected: &'static str,
    },
    #[error("unknown format `{0}`")]
    UnknownFormat(String),
    #[error("name collision: {0}")]
    NameCollision(String),
    #[error("nesting deeper than {0} levels")]
    TooDeep(usize),
    #[error("{0}")]
    Invalid(String),
}

/// Everything the generator can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A contract is malformed or uses something the generator does not support.
    #[error("{0}")]
    Contract(Box<Diagnostic>),
    /// Several contract problems, found in one run: grouped by file, then sorted by
    /// position (line:column, then JSON pointer), one per line.
    #[error("{}", render_diagnostics(.0))]
    Contracts(Vec<Diagnostic>),
    #[error("cannot read `{}`: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write `{}`: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    /// Bad options given to the library or the command line.
    #[error("{0}")]
    Usage(String),
    /// A defect in the generator itself: emitted code that does not parse as Rust.
    #[error("internal error (please report): {0}")]
    Internal(String),
}

/// A problem in a contract and where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {kind}")]
pub struct Diagnostic {
    pub location: Location,
    pub kind: ContractError,
}

impl Error {
    pub fn contract(location: Location, kind: ContractError) -> Self {
        Error::Contract(Box::new(Diagnostic { location, kind }))
    }

    /// The first contract diagnostic, when the error is about contracts.
    pub fn diagnostic(&self) -> Option<&Diagnostic> {
        self.diagnostics().first()
    }

    /// Every contract diagnostic the error carries, in reporting order; empty for errors
    /// that are not about a contract (I/O, usage, internal).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Contract(diagnostic) => std::slice::from_ref(diagnostic.as_ref()),
            Error::Contracts(diagnostics) => diagnostics,
            _ => &[],
        }
    }

    /// One error for every problem found: the diagnostics sorted into reporting order with
    /// duplicates (a shared document lowered for two services) dropped. `None` when there
    /// are none.
    pub fn from_diagnostics(mut diagnostics: Vec<Diagnostic>) -> Option<Error> {
        sort_diagnostics(&mut diagnostics);
        match diagnostics.len() {
            0 => None,
            1 => diagnostics
                .pop()
                .map(|only| Error::Contract(Box::new(only))),
            _ => Some(Error::Contracts(diagnostics)),
        }
    }

    /// Splits a contract error into its diagnostics, so a caller can collect them and go
    /// on; any other error comes back unchanged, to stop the run.
    pub fn into_diagnostics(self) -> Result<Vec<Diagnostic>, Error> {
        match self {
            Error::Contract(diagnostic) => Ok(vec![*diagnostic]),
            Error::Contracts(diagnostics) => Ok(diagnostics),
            other => Err(other),
        }
    }
}

/// Sorts diagnostics for reporting: by file, then line:column (unplaced ones last), then
/// JSON pointer, then message; identical ones are kept once.
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by_cached_key(|diagnostic| {
        let location = &diagnostic.location;
        (
            location.file.clone(),
            location.position.is_none(),
            location.position.map(|p| (p.line, p.column)),
            location.pointer.clone(),
            diagnostic.kind.to_string(),
        )
    });
    diagnostics.dedup();
}

fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
