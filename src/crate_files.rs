//! Non-Rust files of a generated crate (Cargo.toml, README), rendered from the minijinja
//! templates embedded in the binary.

use minijinja::{context, Environment};
use serde::Serialize;

use crate::error::Error;
use crate::format::GENERATED_MARKER;
use crate::ir::ServiceIr;
use crate::load::RetryPolicy;

const CARGO_TOML: &str = include_str!("../templates/Cargo.toml.j2");
const README: &str = include_str!("../templates/README.md.j2");

/// How generated crates depend on `solo60-runtime`, as the inside of a Cargo dependency
/// table, e.g. `path = "../../runtime"` or `version = "0.1"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeDependency(pub String);

impl Default for RuntimeDependency {
    fn default() -> Self {
        RuntimeDependency(r#"path = "../../runtime""#.to_owned())
    }
}

/// The package name of a service's generated crate.
pub fn crate_name(service: &str) -> String {
    format!("{service}-api")
}

#[derive(Serialize)]
struct OperationRow<'a> {
    id: &'a str,
    method: &'static str,
    path: &'a str,
    retry: &'static str,
}

fn environment() -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    env.add_template("Cargo.toml", CARGO_TOML)
        .map_err(|error| Error::Internal(format!("Cargo.toml template: {error}")))?;
    env.add_template("README.md", README)
        .map_err(|error| Error::Internal(format!("README template: {error}")))?;
    Ok(env)
}

/// `(file name, contents)` of the crate's Cargo.toml and README.md.
pub fn render(
    service: &ServiceIr,
    runtime: &RuntimeDependency,
) -> Result<Vec<(String, String)>, Error> {
    let env = environment()?;
    let operations: Vec<OperationRow<'_>> = service
        .operations
        .iter()
        .map(|operation| OperationRow {
            id: &operation.id,
            method: operation.method.as_str(),
            path: &operation.path,
            retry: match operation.retry {
                RetryPolicy::Safe => "safe",
                RetryPolicy::Unsafe => "never",
                RetryPolicy::Keyed => "with idempotency key",
            },
        })
        .collect();
    let description = service
        .description
        .clone()
        .unwrap_or_else(|| format!("Contract types for the `{}` service.", service.name));
    let ctx = context! {
        marker => GENERATED_MARKER,
        folder => service.folder,
        service => service.name,
        crate_name => crate_name(&service.name),
        client_name => crate::ir::client_type_names(&service.name)[0].clone(),
        trait_name => crate::emit::service_trait_name(&service.name),
        runtime_dependency => runtime.0,
        description => description,
        operations => operations,
        type_count => service.types.len(),
    };
    let mut files = Vec::new();
    for name in ["Cargo.toml", "README.md"] {
        let rendered = env
            .get_template(name)
            .and_then(|template| template.render(&ctx))
            .map_err(|error| Error::Internal(format!("rendering {name}: {error}")))?;
        files.push((name.to_owned(), rendered));
    }
    Ok(files)
}
