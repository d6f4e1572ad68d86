//! Every loaded document, indexed by the URIs and anchors that `$ref` can name.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;
use serde_json::Value;
use url::Url;

use super::dialect::Dialect;
use super::document::Document;
use super::pointer::lookup;
use super::subschemas::direct_subschemas;
use crate::error::{ContractError, Error};

/// Index of a document in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub usize);

/// A schema inside a loaded document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchemaRef {
    pub doc: DocId,
    pub pointer: String,
}

/// The loaded documents and what `$ref` can reach in them.
#[derive(Debug, Default)]
pub struct DocumentStore {
    documents: Vec<Document>,
    dialects: Vec<Dialect>,
    /// Absolute URI (without fragment) of every schema resource → where it lives.
    resources: BTreeMap<String, SchemaRef>,
    /// `uri#anchor` → where the anchor is defined.
    anchors: BTreeMap<String, SchemaRef>,
    /// Per document: pointer of each resource root and its base URI, for relative resolution.
    bases: Vec<Vec<(String, Url)>>,
    /// Resource URI → the `$dynamicAnchor`s it defines, for `$dynamicRef`'s dynamic scope.
    dynamic_anchors: BTreeMap<String, Vec<(String, SchemaRef)>>,
}

impl DocumentStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document, indexing its `$id`s and anchors.
    pub fn add(&mut self, document: Document) -> Result<DocId, Error> {
        self.add_with_default(document, Dialect::Draft2020)
    }

    /// Adds a document whose dialect, when it names none, is `default` (the dialect of
    /// the document that referenced it).
    pub fn add_with_default(
        &mut self,
        document: Document,
        default: Dialect,
    ) -> Result<DocId, Error> {
        let doc = DocId(self.documents.len());
        let dialect = Dialect::of_root(&document.value, default).ok_or_else(|| {
            Error::contract(
                document.location("/$schema"),
                ContractError::Unsupported(
                    "`$schema` must name draft 2020-12, 2019-09 or draft-07".into(),
                ),
            )
        })?;
        let mut index = ResourceIndex {
            doc,
            dialect,
            resources: Vec::new(),
            anchors: Vec::new(),
            bases: Vec::new(),
            dynamic_anchors: Vec::new(),
        };
        index.walk(&document.value, "", &document.retrieval_uri, true);
        let retrieval = without_fragment(&document.retrieval_uri);
        let root = SchemaRef {
            doc,
            pointer: String::new(),
        };
        for (uri, target) in std::iter::once((retrieval, root)).chain(index.resources) {
            if let Some(existing) = self.resources.get(&uri) {
                if existing != &target {
                    return Err(Error::contract(
                        document.location(&target.pointer),
                        ContractError::Invalid(format!(
                            "`$id` `{uri}` is already used by `{}`",
                            self.documents[existing.doc.0].display_name
                        )),
                    ));
                }
            }
            self.resources.insert(uri, target);
        }
        for (uri, target) in index.anchors {
            self.anchors.entry(uri).or_insert(target);
        }
        for (resource, name, target) in index.dynamic_anchors {
            self.dynamic_anchors
                .entry(resource)
                .or_default()
                .push((name, target));
        }
        self.bases.push(index.bases);
        self.dialects.push(dialect);
        self.documents.push(document);
        Ok(doc)
    }

    pub fn document(&self, doc: DocId) -> &Document {
        &self.documents[doc.0]
    }

    pub fn documents(&self) -> impl Iterator<Item = (DocId, &Document)> {
        self.documents
            .iter()
            .enumerate()
            .map(|(index, document)| (DocId(index), document))
    }

    pub fn dialect(&self, doc: DocId) -> Dialect {
        self.dialects[doc.0]
    }

    /// Whether a document with this absolute URI (fragment ignored) is loaded.
    pub fn knows(&self, uri: &Url) -> bool {
        self.resources.contains_key(&without_fragment(uri))
    }

    /// The value of a schema reference.
    pub fn value(&self, at: &SchemaRef) -> Option<&Value> {
        lookup(&self.documents[at.doc.0].value, &at.pointer)
    }

    /// The base URI in force at `at`: that of the innermost enclosing `$id`.
    pub fn base_uri(&self, at: &SchemaRef) -> &Url {
        let bases = &self.bases[at.doc.0];
        let mut best = &self.documents[at.doc.0].retrieval_uri;
        let mut best_len = 0;
        for (pointer, uri) in bases {
            let encloses = at.pointer == *pointer
                || (at.pointer.starts_with(pointer.as_str())
                    && at.pointer[pointer.len()..].starts_with('/'));
            if encloses && (pointer.len() >= best_len) {
                best = uri;
                best_len = pointer.len();
            }
        }
        best
    }

    /// Whether any loaded document uses `$dynamicAnchor` (when none does, `$dynamicRef`
    /// is a plain `$ref` and no dynamic scope needs tracking).
    pub fn has_dynamic_anchors(&self) -> bool {
        !self.dynamic_anchors.is_empty()
    }

    /// The `$dynamicAnchor`s of the schema resource that contains `at`: what entering that
    /// resource adds to the dynamic scope.
    pub fn dynamic_anchors(&self, at: &SchemaRef) -> &[(String, SchemaRef)] {
        self.dynamic_anchors
            .get(&without_fragment(self.base_uri(at)))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The absolute URI `reference` names when written at `from`.
    pub fn absolute_uri(&self, from: &SchemaRef, reference: &str) -> Result<Url, ContractError> {
        self.base_uri(from)
            .join(reference)
            .map_err(|error| ContractError::InvalidReference {
                reference: reference.to_owned(),
                reason: error.to_string(),
            })
    }

    /// Resolves `reference` written at `from` to the schema it names.
    pub fn resolve(&self, from: &SchemaRef, reference: &str) -> Result<SchemaRef, ContractError> {
        let target = self.absolute_uri(from, reference)?;
        let fragment = percent_decode_str(target.fragment().unwrap_or(""))
            .decode_utf8()
            .map_err(|_| ContractError::InvalidReference {
                reference: reference.to_owned(),
                reason: "fragment is not UTF-8".into(),
            })?
            .into_owned();
        let document_uri = without_fragment(&target);
        let resource =
            self.resources
                .get(&document_uri)
                .ok_or_else(|| ContractError::UnknownDocument {
                    reference: reference.to_owned(),
                    target: document_uri.clone(),
                })?;
        if fragment.is_empty() || fragment.starts_with('/') {
            let pointer = format!("{}{fragment}", resource.pointer);
            let found = SchemaRef {
                doc: resource.doc,
                pointer,
            };
            if self.value(&found).is_none() {
                return Err(ContractError::MissingPointer {
                    reference: reference.to_owned(),
                    document: self.documents[resource.doc.0].display_name.clone(),
                    pointer: fragment,
                });
            }
            Ok(found)
        } else {
            self.anchors
                .get(&format!("{document_uri}#{fragment}"))
                .cloned()
                .ok_or_else(|| ContractError::UnknownAnchor {
                    reference: reference.to_owned(),
                    anchor: fragment,
                    document: self.documents[resource.doc.0].display_name.clone(),
                })
        }
    }

    /// Every `$ref` in every document, as absolute URIs, for loading referenced files.
    pub fn referenced_uris(&self) -> Vec<Url> {
        let mut found = Vec::new();
        for (doc, document) in self.documents() {
            let mut stack = vec![(String::new(), &document.value)];
            while let Some((pointer, schema)) = stack.pop() {
                for keyword in ["$ref", "$dynamicRef"] {
                    if let Some(reference) = schema.get(keyword).and_then(Value::as_str) {
                        let at = SchemaRef {
                            doc,
                            pointer: pointer.clone(),
                        };
                        if let Ok(uri) = self.absolute_uri(&at, reference) {
                            found.push(uri);
                        }
                    }
                }
                stack.extend(direct_subschemas(schema, &pointer));
            }
        }
        found
    }
}

fn without_fragment(uri: &Url) -> String {
    let mut uri = uri.clone();
    uri.set_fragment(None);
    uri.to_string()
}

struct ResourceIndex {
    doc: DocId,
    dialect: Dialect,
    resources: Vec<(String, SchemaRef)>,
    anchors: Vec<(String, SchemaRef)>,
    bases: Vec<(String, Url)>,
    /// (resource URI, anchor name, where it is defined).
    dynamic_anchors: Vec<(String, String, SchemaRef)>,
}

impl ResourceIndex {
    fn walk(&mut self, schema: &Value, pointer: &str, base: &Url, is_root: bool) {
        let Some(object) = schema.as_object() else {
            return;
        };
        let here = SchemaRef {
            doc: self.doc,
            pointer: pointer.to_owned(),
        };
        let ref_hides_siblings =
            self.dialect.ref_overrides_siblings() && object.contains_key("$ref");
        let mut base = base.clone();
        if let (Some(id), false) = (
            object.get("$id").and_then(Value::as_str),
            ref_hides_siblings,
        ) {
            if let Some(anchor) = id.strip_prefix('#') {
                // draft-07: `"$id": "#name"` is a plain-name anchor.
                self.anchors.push((
                    format!("{}#{anchor}", without_fragment(&base)),
                    here.clone(),
                ));
            } else if let Ok(joined) = base.join(id) {
                base = joined;
                if base.fragment().is_some_and(|fragment| !fragment.is_empty()) {
                    self.anchors.push((base.to_string(), here.clone()));
                }
                self.resources.push((without_fragment(&base), here.clone()));
                self.bases.push((pointer.to_owned(), base.clone()));
            }
        } else if is_root {
            self.bases.push((String::new(), base.clone()));
        }
        for keyword in ["$anchor", "$dynamicAnchor"] {
            if let Some(anchor) = object.get(keyword).and_then(Value::as_str) {
                self.anchors.push((
                    format!("{}#{anchor}", without_fragment(&base)),
                    here.clone(),
                ));
            }
        }
        if let Some(anchor) = object.get("$dynamicAnchor").and_then(Value::as_str) {
            self.dynamic_anchors
                .push((without_fragment(&base), anchor.to_owned(), here.clone()));
        }
        for (child_pointer, child) in direct_subschemas(schema, pointer) {
            self.walk(child, &child_pointer, &base, false);
        }
    }
}
