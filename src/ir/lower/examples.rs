//! Every named type's `examples` checked against the type's own schema at generation time,
//! with the example's place, rather than by the generated round-trip test much later.
//!
//! The judge is the `jsonschema` crate, over the same documents lowering read (no file is
//! read again, nothing fetched): interpreting the IR would mean a second validator to keep
//! in step with the generated one. Formats are asserted exactly when the generated
//! validation asserts them ([`Formats::Assert`]).

use std::sync::Arc;

use jsonschema::{Draft, Retrieve, Uri, Validator};
use serde_json::{json, Value};

use super::{child, Formats};
use crate::error::{ContractError, Diagnostic};
use crate::load::{location_of, Dialect, DocumentStore, SchemaRef};

/// At most this many violations are named per example.
const MAX_REASONS: usize = 3;

/// Characters a JSON pointer must have escaped to sit in a URI fragment.
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'#')
    .add(b'%')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'[')
    .add(b']');

/// One diagnostic per example that its type's schema refuses, for each named type given
/// as `(where it was lowered from, its Rust name)`.
pub(crate) fn check_examples<'n>(
    store: &DocumentStore,
    types: impl IntoIterator<Item = (&'n SchemaRef, &'n str)>,
    formats: Formats,
) -> Vec<Diagnostic> {
    let with_examples: Vec<(&SchemaRef, &str, &Vec<Value>)> = types
        .into_iter()
        .filter_map(|(at, name)| {
            let examples = store.value(&child(at, "examples"))?.as_array()?;
            (!examples.is_empty()).then_some((at, name, examples))
        })
        .collect();
    if with_examples.is_empty() {
        return Vec::new();
    }
    let documents = Arc::new(Documents::of(store));
    let mut problems = Vec::new();
    for (at, name, examples) in with_examples {
        // A schema the judge cannot compile is left to the generated test.
        let Some(validator) = validator(store, at, formats, &documents) else {
            continue;
        };
        for (index, example) in examples.iter().enumerate() {
            let reasons: Vec<String> = validator
                .iter_errors(example)
                .take(MAX_REASONS)
                .map(|error| {
                    let path = error.instance_path().as_str().to_owned();
                    if path.is_empty() {
                        error.to_string()
                    } else {
                        format!("at {path}: {error}")
                    }
                })
                .collect();
            if reasons.is_empty() {
                continue;
            }
            problems.push(Diagnostic {
                location: location_of(store, &child(&child(at, "examples"), &index.to_string())),
                kind: ContractError::Invalid(format!(
                    "example {index} of `{name}` does not match its own schema: {}",
                    reasons.join("; ")
                )),
            });
        }
    }
    problems
}

fn validator(
    store: &DocumentStore,
    at: &SchemaRef,
    formats: Formats,
    documents: &Arc<Documents>,
) -> Option<Validator> {
    let (draft, metaschema) = match store.dialect(at.doc) {
        Dialect::Draft2020 => (
            Draft::Draft202012,
            "https://json-schema.org/draft/2020-12/schema",
        ),
        Dialect::Draft2019 => (
            Draft::Draft201909,
            "https://json-schema.org/draft/2019-09/schema",
        ),
        Dialect::Draft7 => (Draft::Draft7, "http://json-schema.org/draft-07/schema#"),
    };
    let mut uri = store.document(at.doc).retrieval_uri.clone();
    uri.set_fragment(None);
    let fragment = percent_encoding::utf8_percent_encode(&at.pointer, FRAGMENT);
    let root = json!({
        "$schema": metaschema,
        "$ref": format!("{uri}#{fragment}"),
    });
    jsonschema::options()
        .with_draft(draft)
        .should_validate_formats(formats == Formats::Assert)
        .with_retriever(Shared(Arc::clone(documents)))
        .build(&root)
        .ok()
}

/// The loaded documents by every URI they are known by: retrieval URI and root `$id`.
struct Documents {
    by_uri: Vec<(String, Value)>,
}

impl Documents {
    fn of(store: &DocumentStore) -> Self {
        let mut by_uri = Vec::new();
        for (_, document) in store.documents() {
            let mut retrieval = document.retrieval_uri.clone();
            retrieval.set_fragment(None);
            by_uri.push((retrieval.to_string(), document.value.clone()));
            let id = document
                .value
                .get("$id")
                .or_else(|| document.value.get("id"))
                .and_then(Value::as_str);
            if let Some(id) = id {
                let id = id.split('#').next().unwrap_or(id);
                by_uri.push((id.to_owned(), document.value.clone()));
            }
        }
        Documents { by_uri }
    }
}

struct Shared(Arc<Documents>);

impl Retrieve for Shared {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let wanted = uri.as_str();
        let wanted = wanted.split('#').next().unwrap_or(wanted);
        self.0
            .by_uri
            .iter()
            .find(|(known, _)| known == wanted)
            .map(|(_, value)| value.clone())
            .ok_or_else(|| format!("no contract document is known as `{wanted}`").into())
    }
}
