//! Stage 3: emitting Rust token streams from the IR.
//!
//! Everything here is infallible: lowering has already rejected what cannot be emitted.

mod client;
mod client_mock;
mod client_tests;
mod constructors;
mod docs;
mod evaluated;
mod examples;
mod found_properties;
mod imports;
mod operations;
mod path_checks;
mod rustfmt_layout;
pub mod scaffold;
mod server;
mod server_tests;
mod type_expr;
mod types;
mod validate;
mod validate_scalars;
pub mod value;

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

use crate::ir::{ModuleIr, ServiceIr, TypeDef, TypeId};
use type_expr::{Boxing, Imports};
use types::TypeEmitter;

pub use docs::{inner_doc_attrs, wrap_text};
pub use server::service_trait_name;

/// The Rust sources of one generated service crate.
pub struct ServiceCrate {
    pub lib: TokenStream,
    pub types: TokenStream,
    pub operations: TokenStream,
    /// The typed client, its trait and its mock (feature `client`).
    pub client: TokenStream,
    /// Tests calling every operation through the client against a stub server.
    pub client_tests: Option<TokenStream>,
    /// The service trait and its router (feature `server`).
    pub server: TokenStream,
    /// End-to-end tests: the router on 127.0.0.1 called through the client.
    pub server_tests: Option<TokenStream>,
    pub examples: Option<TokenStream>,
}

/// All named types with their `Validate` impls, and the `use` lines they need.
pub fn types_module(types: &[TypeDef]) -> TokenStream {
    let mut items = TokenStream::new();
    let Ok(header) = for_each_type_item(types, |item| {
        items.extend(item);
        Ok::<(), std::convert::Infallible>(())
    });
    if items.is_empty() {
        return items;
    }
    quote! {
        #header
        #items
    }
}

/// Emits the items of each named type in turn and hands them to `sink`, then returns the
/// `use` lines they need. A sink that formats and drops each type's tokens keeps only one
/// type's tokens alive at a time, which is what lets thousands of definitions generate in
/// a small, flat amount of memory.
pub fn for_each_type_item<E>(
    types: &[TypeDef],
    sink: impl FnMut(TokenStream) -> Result<(), E>,
) -> Result<TokenStream, E> {
    let shared = SharedAnalysis::new(types);
    let uses = shared.each_item(0..types.len(), sink)?;
    Ok(uses.header())
}

/// What every type's emission reads: which fields need a `Box`, which types collect
/// evaluated properties. Computed once and shared by every thread that emits.
struct SharedAnalysis<'a> {
    types: &'a [TypeDef],
    boxing: Boxing,
    collected: BTreeSet<TypeId>,
}

impl<'a> SharedAnalysis<'a> {
    fn new(types: &'a [TypeDef]) -> Self {
        Self {
            types,
            boxing: Boxing::new(types),
            collected: evaluated::collected_types(types),
        }
    }

    /// Emits the types in `range`, in order, into `sink`; returns what they use.
    fn each_item<E>(
        &self,
        range: std::ops::Range<usize>,
        mut sink: impl FnMut(TokenStream) -> Result<(), E>,
    ) -> Result<ItemUses, E> {
        let imports = Imports::default();
        let emitter = TypeEmitter {
            types: self.types,
            boxing: &self.boxing,
            imports: &imports,
            collected: &self.collected,
        };
        let mut runtime = BTreeSet::new();
        for index in range {
            let item = emitter.emit(TypeId(index));
            runtime.extend(runtime_uses(&item));
            sink(item)?;
        }
        Ok(ItemUses {
            runtime,
            std_and_runtime: imports.into_names(),
        })
    }
}

/// The names of `solo60_runtime::validation` that emitted validation may use, in the order
/// their `use` line lists them.
const VALIDATION_NAMES: &[&str] = &[
    "check_required_found",
    "check_type",
    "Evaluated",
    "keywords",
    "Path",
    "Pattern",
    "Types",
    "Validate",
    "ValidationErrors",
];

/// The names a run of emitted items uses, from which their `use` lines follow.
#[derive(Default)]
struct ItemUses {
    /// Runtime validation names (see [`runtime_uses`]).
    runtime: BTreeSet<String>,
    /// Types named in fields (`BTreeMap`, `Uuid`).
    std_and_runtime: BTreeSet<&'static str>,
}

impl ItemUses {
    fn merge(&mut self, other: ItemUses) {
        self.runtime.extend(other.runtime);
        self.std_and_runtime.extend(other.std_and_runtime);
    }

    /// The `use` lines the items need.
    fn header(&self) -> TokenStream {
        let used = &self.runtime;
        let validation_imports = VALIDATION_NAMES
            .iter()
            .filter(|name| used.contains(**name))
            .map(|name| quote::format_ident!("{}", name));
        let formats = used.contains("formats").then(|| {
            quote!(
                use solo60_runtime::formats;
            )
        });
        let btree_map = self.std_and_runtime.contains("BTreeMap").then(|| {
            quote!(
                use std::collections::BTreeMap;
            )
        });
        let uuid = self.std_and_runtime.contains("Uuid").then(|| {
            quote!(
                use solo60_runtime::Uuid;
            )
        });
        quote! {
            #btree_map

            use serde::{Deserialize, Serialize};
            use serde_json::Value;
            #formats
            #uuid
            use solo60_runtime::validation::{#(#validation_imports),*};
        }
    }
}

/// The sources of a service's crate.
pub fn service_crate(service: &ServiceIr) -> ServiceCrate {
    let description = service
        .description
        .clone()
        .unwrap_or_else(|| format!("The `{}` service.", service.name));
    let docs = inner_doc_attrs(&format!(
        "{description}\n\nContract types, validation and operation metadata for the `{}` service, generated from `schemas/{}`.",
        service.name, service.folder
    ));
    let service_name = &service.name;
    let base_url_env = &service.base_url_env;
    let examples = examples::examples_module(&service.types);
    let examples_mod = examples.is_some().then(|| {
        quote! {
            #[cfg(test)]
            #[rustfmt::skip]
            mod examples;
        }
    });
    // The generated tests call every operation and fill every field, deprecated or not.
    let has_deprecations = service
        .operations
        .iter()
        .any(|operation| operation.deprecation.is_some())
        || service.types.iter().any(|def| match &def.shape {
            crate::ir::Shape::Struct(shape) => shape.fields.iter().any(|field| field.deprecated),
            crate::ir::Shape::Tagged(shape) => shape
                .variants
                .iter()
                .any(|variant| variant.fields.iter().any(|field| field.deprecated)),
            _ => false,
        });
    let allow_deprecated = has_deprecations.then(|| quote!(#[allow(deprecated)]));
    let client_tests = client_tests::client_tests_module(service);
    let client_tests_mod = client_tests.is_some().then(|| {
        quote! {
            #[cfg(all(test, feature = "client"))]
            #allow_deprecated
            #[rustfmt::skip]
            mod client_tests;
        }
    });
    let server_tests = server_tests::server_tests_module(service);
    let server_tests_mod = server_tests.is_some().then(|| {
        quote! {
            #[cfg(all(test, feature = "client", feature = "server"))]
            #allow_deprecated
            #[rustfmt::skip]
            mod server_tests;
        }
    });
    let lib = quote! {
        #docs

        #[rustfmt::skip]
        mod types;
        #[rustfmt::skip]
        pub mod operations;
        #[cfg(feature = "client")]
        #[rustfmt::skip]
        pub mod client;
        #[cfg(feature = "server")]
        #[rustfmt::skip]
        pub mod server;
        #examples_mod
        #client_tests_mod
        #server_tests_mod

        pub use types::*;

        /// The service's name, as contracts spell it and callers announce it.
        pub const SERVICE_NAME: &str = #service_name;

        /// Environment variable holding the service's base URL.
        pub const BASE_URL_ENV: &str = #base_url_env;
    };
    ServiceCrate {
        lib,
        types: types_module(&service.types),
        operations: operations::operations_module(service),
        client: client::client_module(service),
        client_tests,
        server: server::server_module(service),
        server_tests,
        examples,
    }
}

/// A service as one self-contained module, for `include!` from a build script's `OUT_DIR`.
pub fn service_module(service: &ServiceIr) -> TokenStream {
    let types = types_module(&service.types);
    let operations = operations::operations_module(service);
    let service_name = &service.name;
    let base_url_env = &service.base_url_env;
    quote! {
        #types

        /// Operation metadata, in contract order.
        pub mod operations {
            #operations
        }

        /// The service's name, as contracts spell it and callers announce it.
        pub const SERVICE_NAME: &str = #service_name;

        /// Environment variable holding the service's base URL.
        pub const BASE_URL_ENV: &str = #base_url_env;
    }
}

/// A standalone schema's types as one formatted module, made type by type (see
/// [`for_each_type_item`]) on every core: the types are cut into one contiguous run per
/// thread, each thread emits and formats its run (token streams cannot cross threads, text
/// can), and the texts are joined in order, so the output is the same on any machine.
pub fn standalone_source(module: &ModuleIr, source: &str) -> Result<String, crate::Error> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    standalone_source_on(module, source, threads)
}

fn standalone_source_on(
    module: &ModuleIr,
    source: &str,
    threads: usize,
) -> Result<String, crate::Error> {
    let types = &module.types;
    if types.is_empty() {
        return crate::format::format_rust(TokenStream::new(), source);
    }
    let shared = SharedAnalysis::new(types);
    let run_length = types.len().div_ceil(threads.clamp(1, types.len()));
    let runs: Vec<std::ops::Range<usize>> = (0..types.len())
        .step_by(run_length)
        .map(|start| start..(start + run_length).min(types.len()))
        .collect();
    let format_run = |range: std::ops::Range<usize>| {
        let mut text = String::new();
        let uses = shared.each_item(range, |item| {
            text.push_str(&crate::format::unparse(item)?);
            Ok::<(), crate::Error>(())
        })?;
        Ok::<_, crate::Error>((text, uses))
    };
    let Some((own, others)) = runs.split_first() else {
        return crate::format::format_rust(TokenStream::new(), source);
    };
    let formatted: Vec<Result<(String, ItemUses), crate::Error>> = std::thread::scope(|scope| {
        let workers: Vec<_> = others
            .iter()
            .map(|range| scope.spawn(|| format_run(range.clone())))
            .collect();
        // The first run is this thread's own.
        let mut formatted = vec![format_run(own.clone())];
        formatted.extend(workers.into_iter().map(|worker| {
            worker.join().unwrap_or_else(|_| {
                Err(crate::Error::Internal(
                    "a thread formatting generated types panicked".to_owned(),
                ))
            })
        }));
        formatted
    });
    let mut body = String::new();
    let mut uses = ItemUses::default();
    for run in formatted {
        let (text, run_uses) = run?;
        body.push_str(&text);
        uses.merge(run_uses);
    }
    let code = crate::format::unparse(uses.header())? + &body;
    Ok(crate::format::format_source(&code, source))
}

/// The runtime names the validation code uses: `keywords::…`, `formats::…`, `Types::…` and
/// `Pattern::…` as path prefixes, `check_type(…)` and `check_required_found(…)` as calls, and the
/// names every `Validate` impl spells. Matching the use, not the bare identifier, keeps a
/// property or variant that happens to be called `formats` from pulling in an import.
fn runtime_uses(tokens: &TokenStream) -> BTreeSet<String> {
    const PATH_PREFIXES: &[&str] = &["keywords", "formats", "Types", "Pattern", "Evaluated"];
    const CALLS: &[&str] = &["check_type", "check_required_found"];
    let mut found: BTreeSet<String> = ["Path", "Validate", "ValidationErrors"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    let mut stack = vec![tokens.clone()];
    while let Some(stream) = stack.pop() {
        let trees: Vec<TokenTree> = stream.into_iter().collect();
        for (index, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    let next = trees.get(index + 1);
                    let is_path = matches!(next, Some(TokenTree::Punct(p)) if p.as_char() == ':')
                        && matches!(trees.get(index + 2), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                    let is_call = matches!(next, Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis);
                    if (is_path && PATH_PREFIXES.contains(&name.as_str()))
                        || (is_call && CALLS.contains(&name.as_str()))
                    {
                        found.insert(name);
                    }
                }
                TokenTree::Group(group) => stack.push(group.stream()),
                _ => {}
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::ir::{lower_standalone, Formats, UnknownKeywords};
    use crate::load::{load_standalone, RefDirs};

    /// However many threads format the types, the module is the same text: the runs are
    /// joined in order and their `use` lines merged.
    #[test]
    fn the_module_is_the_same_on_any_number_of_threads() {
        let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/real-world-types/schemas/github-workflows.json");
        let loaded = load_standalone(&schema, &RefDirs::default()).expect("loads");
        let module = lower_standalone(
            &loaded,
            "GithubWorkflow",
            UnknownKeywords::Ignore,
            Formats::Assert,
        )
        .expect("lowers");
        assert!(module.types.len() > 50, "enough types to split");
        let alone = standalone_source_on(&module, "github-workflows.json", 1).expect("one");
        for threads in [2, 3, 8, module.types.len() + 5] {
            let split =
                standalone_source_on(&module, "github-workflows.json", threads).expect("several");
            assert!(split == alone, "{threads} threads changed the output");
        }
        assert!(alone.contains("use std::collections::BTreeMap;"));
    }
}
