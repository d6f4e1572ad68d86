//! The meta-schemas of draft 2020-12 and draft-07, built in so that a `$ref` to one (a
//! schema for schemas, as configuration formats embed) resolves offline.
//!
//! The files are the JSON Schema project's own, as the `referencing` crate (MIT) ships them.

use url::Url;

use super::document::{Document, Syntax};
use crate::error::Error;

/// `(URI without fragment, file name, text)`.
const METASCHEMAS: &[(&str, &str, &str)] = &[
    (
        "https://json-schema.org/draft/2020-12/schema",
        "draft2020-12/schema.json",
        include_str!("metaschemas/draft2020-12/schema.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/core",
        "draft2020-12/meta/core.json",
        include_str!("metaschemas/draft2020-12/meta/core.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/applicator",
        "draft2020-12/meta/applicator.json",
        include_str!("metaschemas/draft2020-12/meta/applicator.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/unevaluated",
        "draft2020-12/meta/unevaluated.json",
        include_str!("metaschemas/draft2020-12/meta/unevaluated.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/validation",
        "draft2020-12/meta/validation.json",
        include_str!("metaschemas/draft2020-12/meta/validation.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/meta-data",
        "draft2020-12/meta/meta-data.json",
        include_str!("metaschemas/draft2020-12/meta/meta-data.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/format-annotation",
        "draft2020-12/meta/format-annotation.json",
        include_str!("metaschemas/draft2020-12/meta/format-annotation.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/format-assertion",
        "draft2020-12/meta/format-assertion.json",
        include_str!("metaschemas/draft2020-12/meta/format-assertion.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/content",
        "draft2020-12/meta/content.json",
        include_str!("metaschemas/draft2020-12/meta/content.json"),
    ),
    (
        "http://json-schema.org/draft-07/schema",
        "draft7.json",
        include_str!("metaschemas/draft7.json"),
    ),
];

/// The built-in meta-schema `uri` names, if it names one.
pub fn builtin(uri: &Url) -> Option<Result<Document, Error>> {
    let mut bare = uri.clone();
    bare.set_fragment(None);
    let (_, file, text) = METASCHEMAS
        .iter()
        .find(|(known, _, _)| *known == bare.as_str())?;
    Some(Document::parse(
        format!("<built-in meta-schema {file}>"),
        bare,
        Syntax::Json,
        (*text).to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_parses_under_its_own_id() {
        for (uri, _, _) in METASCHEMAS {
            let url = Url::parse(&format!("{uri}#")).unwrap();
            let document = builtin(&url).unwrap().unwrap();
            let id = document.value["$id"].as_str().unwrap();
            assert_eq!(id.trim_end_matches('#'), *uri);
        }
    }

    #[test]
    fn other_uris_are_not_builtin() {
        let url = Url::parse("https://json-schema.org/draft/2019-09/schema").unwrap();
        assert!(builtin(&url).is_none());
    }
}
