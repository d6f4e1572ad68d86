//! `solo60-gen scaffold`: a starting implementation of a service's generated trait, every
//! method answering "not implemented", for the service's authors to fill in.
//!
//! The file is the authors' from the first write, committed and formatted with `cargo fmt`,
//! so it is written as rustfmt writes it ([`super::rustfmt_layout`]) rather than through
//! prettyplease, whose narrower margin `cargo fmt --check` would refuse.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_comment;
use super::rustfmt_layout::{render_signature, render_uses, UseItem};
use super::server::{service_trait_name, ServerEmitter};
use super::type_expr::{field_ident, type_ident};
use crate::error::Error;
use crate::ir::ServiceIr;

/// The scaffold file's text, after its first comment line.
pub fn scaffold_source(service: &ServiceIr) -> Result<String, Error> {
    let trait_name = type_ident(&service_trait_name(&service.name)).to_string();
    let implementation = format!("{trait_name}Impl");
    let krate = crate::crate_files::crate_name(&service.name).replace('-', "_");
    let emitter = ServerEmitter { service };
    let krate_path = format_ident!("{}", krate);
    let mut uses = type_imports(emitter.type_imports_from(quote!(#krate_path)))?;
    uses.push(use_item(&[&krate, "server"], &[&trait_name]));
    let mut methods = Vec::new();
    for operation in &service.operations {
        let mut params = vec!["&self".to_owned(), "_context: RequestContext".to_owned()];
        for (name, ty) in emitter.inputs(operation) {
            params.push(format!("_{name}: {}", type_text(ty)?));
        }
        let output = format!(
            "Result<{}, AppError>",
            type_text(emitter.response_type(operation))?
        );
        let name = field_ident(&operation.rust_name);
        methods.push(format!(
            "{}{}        Err(not_implemented(\"{}\"))\n    }}\n",
            doc_comment(&operation.summary, "    "),
            render_signature(1, &format!("async fn {name}"), &params, &output),
            operation.id.escape_default()
        ));
    }
    if !methods.is_empty() {
        uses.push(use_item(&["solo60_runtime", "server"], &["RequestContext"]));
        uses.push(use_item(&["solo60_runtime"], &["AppError", "ErrorKind"]));
    }
    let mut out = render_uses(uses);
    out.push('\n');
    out.push_str(&doc_comment(
        &format!(
            "The `{}` service. Written once by `solo60-gen scaffold {}`: edit it freely, it is \
             never regenerated.",
            service.name, service.name
        ),
        "",
    ));
    out.push_str(&format!(
        "#[derive(Debug, Clone, Default)]\npub struct {implementation};\n\n"
    ));
    if methods.is_empty() {
        out.push_str(&format!("impl {trait_name} for {implementation} {{}}\n"));
        return Ok(out);
    }
    out.push_str(&format!(
        "impl {trait_name} for {implementation} {{\n{}}}\n",
        methods.join("\n")
    ));
    out.push_str(
        "\n/// What every operation answers until it is written: a 500 with code `NOT_IMPLEMENTED`.\n\
         fn not_implemented(operation: &str) -> AppError {\n    \
             let message = format!(\"`{operation}` is not implemented yet\");\n    \
             AppError::new(ErrorKind::Internal, message).with_code(\"NOT_IMPLEMENTED\")\n\
         }\n",
    );
    Ok(out)
}

fn use_item(path: &[&str], names: &[&str]) -> UseItem {
    UseItem {
        path: path.iter().map(|segment| (*segment).to_owned()).collect(),
        names: names.iter().map(|name| (*name).to_owned()).collect(),
    }
}

/// The `use` items of emitted imports (`use a::b::C;`, `use a::{B, C};`), as data.
fn type_imports(tokens: TokenStream) -> Result<Vec<UseItem>, Error> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|error| Error::Internal(format!("emitted imports do not parse: {error}")))?;
    let mut items = Vec::new();
    for item in file.items {
        if let syn::Item::Use(item) = item {
            let mut path = Vec::new();
            let mut tree = &item.tree;
            loop {
                match tree {
                    syn::UseTree::Path(segment) => {
                        path.push(segment.ident.to_string());
                        tree = &segment.tree;
                    }
                    syn::UseTree::Name(name) => {
                        items.push(UseItem {
                            path,
                            names: vec![name.ident.to_string()],
                        });
                        break;
                    }
                    syn::UseTree::Group(group) => {
                        let names = group.items.iter().filter_map(|tree| match tree {
                            syn::UseTree::Name(name) => Some(name.ident.to_string()),
                            _ => None,
                        });
                        items.push(UseItem {
                            path,
                            names: names.collect(),
                        });
                        break;
                    }
                    _ => {
                        return Err(Error::Internal(
                            "an emitted import is not a path to names".to_owned(),
                        ))
                    }
                }
            }
        }
    }
    Ok(items)
}

/// A type's text as prettyplease (and rustfmt) spell it: `Vec<Plan>`, `()`.
fn type_text(ty: TokenStream) -> Result<String, Error> {
    let text = crate::format::unparse(quote!(type T = #ty;))?;
    text.trim()
        .strip_prefix("type T = ")
        .and_then(|rest| rest.strip_suffix(';'))
        .map(str::to_owned)
        .ok_or_else(|| Error::Internal(format!("a type printed as `{text}`")))
}
