//! The seed contracts' schema documents as the `jsonschema` crate sees them: read from disk
//! (JSON or YAML), with references by `file://` URI or by `$id` served locally, so an oracle
//! never touches the network. Shared by `tests/oracle_contracts.rs` and the validation bench.

use std::fs;
use std::path::{Path, PathBuf};

use jsonschema::{Draft, Retrieve, Uri, Validator};
use serde_json::{json, Value};

/// The `$id` prefix of every seed document; `<prefix><folder>/<file>` is the same file as
/// `schemas/<folder>/<file>`, so references resolved against the `$id` are served from disk.
pub const ID_BASE: &str = "https://contracts.solo60.dev/";

/// Reads a schema document; YAML documents by extension, everything else as JSON.
pub fn read_document(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let yaml = path
        .extension()
        .is_some_and(|ext| ext == "yaml" || ext == "yml");
    if yaml {
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    } else {
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// The file a URI names (its fragment dropped): a `file://` URI, or one under [`ID_BASE`].
fn local_file(uri: &str, schemas: &Path) -> Option<PathBuf> {
    let uri = uri.split('#').next()?;
    if let Some(rest) = uri.strip_prefix(ID_BASE) {
        return Some(schemas.join(rest));
    }
    url::Url::parse(uri).ok()?.to_file_path().ok()
}

/// Serves the seed documents to `jsonschema` from disk.
struct Files {
    schemas: PathBuf,
}

impl Retrieve for Files {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let path = local_file(uri.as_str(), &self.schemas)
            .ok_or_else(|| format!("no local file for {}", uri.as_str()))?;
        Ok(read_document(&path)?)
    }
}

/// `jsonschema`'s validator for the schema at `pointer` in `schemas/<service>/<file>`: a
/// `$ref` to the document's absolute `file://` URI plus the pointer, so relative references
/// resolve as they do for the generator. Formats are asserted, as the generated code does.
pub fn seed_validator(
    schemas: &Path,
    service: &str,
    file: &str,
    pointer: &str,
) -> Result<Validator, String> {
    let path = schemas.join(service).join(file);
    let uri = url::Url::from_file_path(&path)
        .map_err(|()| format!("{} is not an absolute path", path.display()))?;
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("{uri}#{pointer}"),
    });
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .with_retriever(Files {
            schemas: schemas.to_path_buf(),
        })
        .build(&schema)
        .map_err(|e| format!("jsonschema cannot compile {service}/{file}#{pointer}: {e}"))
}
