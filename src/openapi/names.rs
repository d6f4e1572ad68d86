//! Component names for the schemas a document carries: deterministic and collision-free.
//!
//! A schema is named after its `$defs` key, as the generated Rust type is. When two schemas
//! would share a name (two files defining `Money`, or a contract defining `Problem`), each of
//! them is qualified by its folder, then by its file, then by its place in the sorted set of
//! schemas — so the result depends only on the contracts, never on the order they were met.

use std::collections::{BTreeMap, BTreeSet};

use percent_encoding::percent_decode_str;

use crate::error::Error;
use crate::load::pointer::split_pointer;
use crate::load::{DocumentStore, SchemaRef};

/// How far a name is qualified; raised for every schema still in a collision.
const MOST_QUALIFIED: usize = 3;

/// A name for every schema in `schemas`, none equal to another or to a `reserved` one.
pub(super) fn component_names(
    store: &DocumentStore,
    schemas: &BTreeSet<SchemaRef>,
    reserved: &[&str],
) -> Result<BTreeMap<SchemaRef, String>, Error> {
    let candidates: BTreeMap<&SchemaRef, [String; MOST_QUALIFIED + 1]> = schemas
        .iter()
        .enumerate()
        .map(|(ordinal, at)| (at, candidate_names(store, at, ordinal + 1)))
        .collect();
    let mut levels: BTreeMap<&SchemaRef, usize> = schemas.iter().map(|at| (at, 0)).collect();
    for _ in 0..=MOST_QUALIFIED {
        let names: BTreeMap<&SchemaRef, &String> = candidates
            .iter()
            .map(|(at, names)| (*at, &names[levels[at]]))
            .collect();
        let mut users: BTreeMap<&String, usize> = BTreeMap::new();
        for name in names.values() {
            *users.entry(name).or_default() += 1;
        }
        let colliding: Vec<&SchemaRef> = names
            .iter()
            .filter(|(_, name)| users[*name] > 1 || reserved.contains(&name.as_str()))
            .map(|(at, _)| *at)
            .collect();
        if colliding.is_empty() {
            return Ok(names
                .into_iter()
                .map(|(at, name)| (at.clone(), name.clone()))
                .collect());
        }
        for at in colliding {
            if let Some(level) = levels.get_mut(at) {
                *level = (*level + 1).min(MOST_QUALIFIED);
            }
        }
    }
    Err(Error::Internal(
        "schema component names still collide after qualification".into(),
    ))
}

/// The names a schema may get, least qualified first: its key, `folder.key`,
/// `folder.file.key`, and that followed by its ordinal.
fn candidate_names(
    store: &DocumentStore,
    at: &SchemaRef,
    ordinal: usize,
) -> [String; MOST_QUALIFIED + 1] {
    let document = store.document(at.doc);
    let segments: Vec<String> = document
        .retrieval_uri
        .path_segments()
        .map(|segments| {
            segments
                .map(|segment| percent_decode_str(segment).decode_utf8_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let file = segments.last().cloned().unwrap_or_default();
    let folder = segments.first().cloned().unwrap_or_default();
    let key = sanitize(&key_of(&at.pointer, &file));
    let in_folder = format!("{}.{key}", sanitize(&folder));
    let in_file = format!("{}.{}.{key}", sanitize(&folder), sanitize(&file));
    let numbered = format!("{in_file}.{ordinal}");
    [key, in_folder, in_file, numbered]
}

/// The `$defs` key of a definition; a document root is named after its file (up to the
/// first dot), any other schema after the path to it without the `$defs` steps.
fn key_of(pointer: &str, file: &str) -> String {
    let tokens = split_pointer(pointer).unwrap_or_default();
    match tokens.as_slice() {
        [] => file.split('.').next().unwrap_or(file).to_owned(),
        [.., container, key] if container == "$defs" || container == "definitions" => key.clone(),
        _ => tokens
            .iter()
            .filter(|token| *token != "$defs" && *token != "definitions")
            .cloned()
            .collect::<Vec<_>>()
            .join("."),
    }
}

/// OpenAPI component names may hold only `A-Z a-z 0-9 . _ -`.
fn sanitize(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "Schema".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_defs_files_or_paths() {
        assert_eq!(key_of("/$defs/Money", "common.schema.json"), "Money");
        assert_eq!(key_of("/definitions/Old", "a.json"), "Old");
        assert_eq!(key_of("", "types.schema.json"), "types");
        assert_eq!(
            key_of("/$defs/Plan/properties/tier", "types.schema.json"),
            "Plan.properties.tier"
        );
        assert_eq!(sanitize("a b/c~d"), "a_b_c_d");
        assert_eq!(sanitize(""), "Schema");
    }
}
