//! Stage 1: reading contracts from disk into a [`DocumentStore`] and service manifests.
//!
//! The loader parses and indexes; it never decides what a schema means (that is lowering's
//! job). It does read every file a `$ref` can reach up front, so lowering works in memory.

mod dialect;
mod document;
mod locate;
mod manifest;
mod metaschemas;
pub mod pointer;
mod store;
mod subschemas;

use std::fs;
use std::path::{Path, PathBuf};

use url::Url;

pub use dialect::Dialect;
pub use document::{Document, Syntax, MAX_NESTING};
pub use manifest::{
    manifest_json_schema, DeprecationDetails, ErrorSpec, HttpMethod, Manifest, OperationSpec,
    RetryPolicy,
};
pub use store::{DocId, DocumentStore, SchemaRef};
pub use subschemas::direct_subschemas;

use crate::error::{ContractError, Error, Location};

/// The file name of a service manifest inside its folder.
pub const MANIFEST_FILE: &str = "service.yaml";

/// A service folder: its manifest and where it was read from.
#[derive(Debug, Clone)]
pub struct ServiceSource {
    /// Folder name under the contracts directory, e.g. `subscription`.
    pub folder: String,
    pub manifest: Manifest,
    /// The manifest's own document; manifest references resolve against it.
    pub manifest_doc: DocId,
}

/// Everything read from a contracts directory.
#[derive(Debug)]
pub struct Contracts {
    pub store: DocumentStore,
    pub services: Vec<ServiceSource>,
    /// Every file read, in a stable order (for `cargo:rerun-if-changed`).
    pub files_read: Vec<PathBuf>,
    /// Folders with a file that did not load, and why; their services are not in
    /// `services`. Empty when everything loaded.
    pub broken: Vec<BrokenFolder>,
}

/// A folder holding a file that did not load (does not parse, or a second manifest naming
/// the same service).
#[derive(Debug, Clone)]
pub struct BrokenFolder {
    /// The folder name under the contracts directory.
    pub folder: String,
    /// Whether it is a shared folder (no manifest, e.g. `common/`): every service may
    /// reference its documents, so none can be trusted to lower without them.
    pub shared: bool,
    pub problems: Vec<crate::error::Diagnostic>,
}

impl Contracts {
    /// The names callers may use for services here: every service's name, plus the folder
    /// of each service whose manifest did not load (its name is unknown, its folder likely
    /// matches it).
    pub fn service_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .services
            .iter()
            .map(|service| service.manifest.service.as_str())
            .chain(
                self.broken
                    .iter()
                    .filter(|broken| !broken.shared)
                    .map(|broken| broken.folder.as_str()),
            )
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Whether a shared folder's document did not load: any service may reference it, so
    /// no service is lowered (its `$ref`s would fail for a reason reported already).
    pub fn shared_folder_broken(&self) -> bool {
        self.broken.iter().any(|broken| broken.shared)
    }

    /// Every load problem, in reporting order.
    pub fn load_problems(&self) -> Vec<crate::error::Diagnostic> {
        let mut problems: Vec<_> = self
            .broken
            .iter()
            .flat_map(|broken| broken.problems.iter().cloned())
            .collect();
        crate::error::sort_diagnostics(&mut problems);
        problems
    }
}

/// Reads `dir` like [`load_contracts_reporting`], failing with every problem found when any
/// file does not load.
pub fn load_contracts(dir: &Path) -> Result<Contracts, Error> {
    let contracts = load_contracts_reporting(dir)?;
    match Error::from_diagnostics(contracts.load_problems()) {
        Some(error) => Err(error),
        None => Ok(contracts),
    }
}

/// Reads `dir`: one folder per service (with a [`MANIFEST_FILE`]) and shared folders
/// (schema documents only). Entries are visited in sorted order, so the result does not
/// depend on the file system's. A file that does not parse does not stop the others: its
/// folder is listed in [`Contracts::broken`] with every such problem, and its service left
/// out. Only failing to read the disk is an error.
pub fn load_contracts_reporting(dir: &Path) -> Result<Contracts, Error> {
    let mut store = DocumentStore::new();
    let mut files_read = Vec::new();
    let mut manifests = Vec::new();
    let mut broken: Vec<BrokenFolder> = Vec::new();
    for folder in sorted_entries(dir)? {
        if !folder.is_dir() {
            continue;
        }
        let folder_name = file_name(&folder);
        let files: Vec<PathBuf> = sorted_entries(&folder)?
            .into_iter()
            .filter(|file| file.is_file() && is_contract_file(&file_name(file)))
            .collect();
        let shared = !files.iter().any(|file| file_name(file) == MANIFEST_FILE);
        for file in files {
            let name = file_name(&file);
            let relative = format!("{folder_name}/{name}");
            files_read.push(file.clone());
            let document = match read_document(dir, &file, &relative) {
                Ok(document) => document,
                Err(error) if name == MANIFEST_FILE => {
                    fail(
                        &mut broken,
                        &folder_name,
                        shared,
                        duplicate_operation(error),
                    )?;
                    continue;
                }
                Err(error) => {
                    fail(&mut broken, &folder_name, shared, error)?;
                    continue;
                }
            };
            if name == MANIFEST_FILE {
                manifests.push((folder_name.clone(), document));
            } else if let Err(error) = store.add(document) {
                fail(&mut broken, &folder_name, shared, error)?;
            }
        }
    }
    let mut services: Vec<ServiceSource> = Vec::new();
    for (folder, document) in manifests {
        let manifest = match parse_manifest(&document) {
            Ok(manifest) => manifest,
            Err(error) => {
                fail(&mut broken, &folder, false, error)?;
                continue;
            }
        };
        if let Some(previous) = services
            .iter()
            .find(|service| service.manifest.service == manifest.service)
        {
            let error = Error::contract(
                document.location("/service"),
                ContractError::DuplicateService(format!(
                    "{} (also in folder `{}`)",
                    manifest.service, previous.folder
                )),
            );
            fail(&mut broken, &folder, false, error)?;
            continue;
        }
        if broken.iter().any(|known| known.folder == folder) {
            continue;
        }
        let manifest_doc = match store.add(document) {
            Ok(doc) => doc,
            Err(error) => {
                fail(&mut broken, &folder, false, error)?;
                continue;
            }
        };
        services.push(ServiceSource {
            folder,
            manifest,
            manifest_doc,
        });
    }
    Ok(Contracts {
        store,
        services,
        files_read,
        broken,
    })
}

/// Records a file's problems under its folder; an error that is not about a contract (the
/// disk) stops the load.
fn fail(
    broken: &mut Vec<BrokenFolder>,
    folder: &str,
    shared: bool,
    error: Error,
) -> Result<(), Error> {
    let problems = error.into_diagnostics()?;
    match broken.iter_mut().find(|known| known.folder == folder) {
        Some(known) => known.problems.extend(problems),
        None => broken.push(BrokenFolder {
            folder: folder.to_owned(),
            shared,
            problems,
        }),
    }
    Ok(())
}

/// A key repeated under `operations` in a manifest is a duplicate operation id.
fn duplicate_operation(error: Error) -> Error {
    match error {
        Error::Contract(mut diagnostic) => {
            if let ContractError::DuplicateKey { container, key } = &diagnostic.kind {
                if container == "/operations" {
                    diagnostic.kind = ContractError::DuplicateOperation(key.clone());
                }
            }
            Error::Contract(diagnostic)
        }
        other => other,
    }
}

/// Where `$ref`s to remote URIs are read from instead of the network.
#[derive(Debug, Clone, Default)]
pub struct RefDirs {
    /// `(URL prefix, local folder)` pairs, tried in order.
    pub mappings: Vec<(String, PathBuf)>,
}

impl RefDirs {
    fn local_path(&self, uri: &Url) -> Option<PathBuf> {
        let mut uri = uri.clone();
        uri.set_fragment(None);
        let uri = uri.to_string();
        self.mappings.iter().find_map(|(prefix, dir)| {
            let rest = uri.strip_prefix(prefix.as_str())?;
            let rest = rest.trim_start_matches('/');
            if rest.split('/').any(|segment| segment == "..") {
                return None;
            }
            Some(dir.join(rest))
        })
    }
}

/// A standalone schema and every document it reaches through `ref_dirs`.
#[derive(Debug)]
pub struct StandaloneSchema {
    pub store: DocumentStore,
    pub root: DocId,
    pub files_read: Vec<PathBuf>,
}

/// Reads one JSON Schema document (any supported draft) and, transitively, the remote
/// documents its `$ref`s name, from the local folders in `ref_dirs`. Never touches the network.
pub fn load_standalone(file: &Path, ref_dirs: &RefDirs) -> Result<StandaloneSchema, Error> {
    let mut store = DocumentStore::new();
    let display = file.display().to_string();
    let root_document = read_document_at(file, &display, file_uri(&file_name(file))?)?;
    let root = store.add(root_document)?;
    let mut files_read = vec![file.to_path_buf()];
    loop {
        let mut added = false;
        for uri in store.referenced_uris() {
            if store.knows(&uri) {
                continue;
            }
            let local = ref_dirs.local_path(&uri).filter(|path| path.is_file());
            let Some(path) = local else {
                if let Some(document) = metaschemas::builtin(&uri) {
                    store.add(document?)?;
                    added = true;
                }
                continue;
            };
            let mut retrieval = uri.clone();
            retrieval.set_fragment(None);
            let document = read_document_at(&path, &path.display().to_string(), retrieval)?;
            store.add_with_default(document, store.dialect(root))?;
            files_read.push(path);
            added = true;
        }
        if !added {
            break;
        }
    }
    Ok(StandaloneSchema {
        store,
        root,
        files_read,
    })
}

fn parse_manifest(document: &Document) -> Result<Manifest, Error> {
    serde_path_to_error::deserialize(&document.value).map_err(|error| {
        let pointer = path_to_pointer(error.path());
        let message = error.inner().to_string();
        Error::contract(
            document.location(&pointer),
            ContractError::Manifest(message),
        )
    })
}

/// serde_path_to_error's path (`operations.getUser.method`) as a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = pointer::join(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = pointer::join(&pointer, key),
            Segment::Enum { variant } => pointer = pointer::join(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
}

fn is_contract_file(name: &str) -> bool {
    [".json", ".yaml", ".yml"]
        .iter()
        .any(|extension| name.ends_with(extension))
}

fn read_document(root: &Path, file: &Path, relative: &str) -> Result<Document, Error> {
    let display = Path::new(&file_name(root))
        .join(relative)
        .display()
        .to_string();
    read_document_at(file, &display, file_uri(relative)?)
}

fn read_document_at(file: &Path, display: &str, uri: Url) -> Result<Document, Error> {
    let text = fs::read_to_string(file).map_err(|source| Error::Read {
        path: file.to_path_buf(),
        source,
    })?;
    Document::parse(
        display.to_owned(),
        uri,
        Syntax::from_file_name(&file_name(file)),
        text,
    )
}

/// The retrieval URI of a contract file: its path under the contracts folder, so
/// resolution (and therefore output) does not depend on where the folder is checked out.
fn file_uri(relative: &str) -> Result<Url, Error> {
    let encoded: String = relative
        .split('/')
        .map(|segment| percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/");
    Url::parse(&format!("file:///{encoded}"))
        .map_err(|error| Error::Usage(format!("cannot name `{relative}` as a URI: {error}")))
}

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let read = |source| Error::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries = fs::read_dir(dir)
        .map_err(read)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(read)?;
    entries.sort();
    Ok(entries)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The location of `pointer` in the document `at` names.
pub fn location_of(store: &DocumentStore, at: &SchemaRef) -> Location {
    store.document(at.doc).location(&at.pointer)
}
