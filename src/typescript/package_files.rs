//! The templated files of the generated TypeScript packages: a service package's
//! package.json, tsconfig.json, README.md, client and index, and the whole shared
//! `@solo60/runtime` package (errors, transport, constraints and their index).

use minijinja::{context, Environment, Value};

use super::client_module;
use crate::error::Error;
use crate::format::GENERATED_MARKER;
use crate::ir::ServiceIr;

/// The Zod release the packages are written for and depend on (exact).
pub const ZOD_VERSION: &str = "4.6.7";
/// The TypeScript compiler the packages are checked with (exact).
pub const TYPESCRIPT_VERSION: &str = "7.0.2";
/// Node's type declarations, for the Node 20 globals the client uses (exact).
pub const TYPES_NODE_VERSION: &str = "20.19.25";

/// `(path in the package, template)`, one list per kind of package.
type Templates = &'static [(&'static str, &'static str)];

/// Both kinds of package compile with the same options.
const TSCONFIG: &str = include_str!("../../templates/typescript/tsconfig.json.j2");

const SERVICE_TEMPLATES: Templates = &[
    (
        "package.json",
        include_str!("../../templates/typescript/package.json.j2"),
    ),
    (
        "README.md",
        include_str!("../../templates/typescript/README.md.j2"),
    ),
    ("tsconfig.json", TSCONFIG),
    (
        "src/client.ts",
        include_str!("../../templates/typescript/client.ts.j2"),
    ),
    (
        "src/index.ts",
        include_str!("../../templates/typescript/index.ts.j2"),
    ),
];

const RUNTIME_TEMPLATES: Templates = &[
    (
        "package.json",
        include_str!("../../templates/typescript/runtime/package.json.j2"),
    ),
    (
        "README.md",
        include_str!("../../templates/typescript/runtime/README.md.j2"),
    ),
    ("tsconfig.json", TSCONFIG),
    (
        "src/constraints.ts",
        include_str!("../../templates/typescript/runtime/constraints.ts.j2"),
    ),
    (
        "src/errors.ts",
        include_str!("../../templates/typescript/runtime/errors.ts.j2"),
    ),
    (
        "src/index.ts",
        include_str!("../../templates/typescript/runtime/index.ts.j2"),
    ),
    (
        "src/transport.ts",
        include_str!("../../templates/typescript/runtime/transport.ts.j2"),
    ),
];

/// `(path in the package, contents)` of every templated file of `service`'s package.
pub fn render_service(service: &ServiceIr) -> Result<Vec<(String, String)>, Error> {
    let client_name = crate::ir::client_type_names(&service.name)[0].clone();
    let ctx = context! {
        marker => GENERATED_MARKER,
        folder => service.folder,
        service => service.name,
        service_literal => super::literal::string(&service.name),
        description => service.description.as_deref().map(|text| text.trim().replace("*/", "*\\/")),
        client_name => client_name,
        base_url_env => service.base_url_env,
        base_url_env_literal => super::literal::string(&service.base_url_env),
        operations => client_module::operations(service)?,
        zod_version => ZOD_VERSION,
        typescript_version => TYPESCRIPT_VERSION,
        types_node_version => TYPES_NODE_VERSION,
    };
    render(SERVICE_TEMPLATES, &ctx)
}

/// `(path in the package, contents)` of every file of the `@solo60/runtime` package; it
/// depends on no contract, so its header names none.
pub fn render_runtime() -> Result<Vec<(String, String)>, Error> {
    let ctx = context! {
        marker => GENERATED_MARKER,
        zod_version => ZOD_VERSION,
        typescript_version => TYPESCRIPT_VERSION,
        types_node_version => TYPES_NODE_VERSION,
    };
    render(RUNTIME_TEMPLATES, &ctx)
}

fn render(templates: Templates, ctx: &Value) -> Result<Vec<(String, String)>, Error> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    for (name, source) in templates {
        env.add_template(name, source)
            .map_err(|error| Error::Internal(format!("{name} template: {error}")))?;
    }
    let mut files = Vec::with_capacity(templates.len());
    for (name, _) in templates {
        let rendered = env
            .get_template(name)
            .and_then(|template| template.render(ctx))
            .map_err(|error| Error::Internal(format!("rendering {name}: {error}")))?;
        files.push(((*name).to_owned(), rendered));
    }
    Ok(files)
}
