//! The files of a generated TypeScript package other than its schemas: package.json,
//! tsconfig.json, README.md, and the modules rendered from templates (client, errors,
//! transport, constraints, index).

use minijinja::{context, Environment};

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

const TEMPLATES: &[(&str, &str)] = &[
    (
        "package.json",
        include_str!("../../templates/typescript/package.json.j2"),
    ),
    (
        "README.md",
        include_str!("../../templates/typescript/README.md.j2"),
    ),
    (
        "tsconfig.json",
        include_str!("../../templates/typescript/tsconfig.json.j2"),
    ),
    (
        "src/client.ts",
        include_str!("../../templates/typescript/client.ts.j2"),
    ),
    (
        "src/constraints.ts",
        include_str!("../../templates/typescript/constraints.ts.j2"),
    ),
    (
        "src/errors.ts",
        include_str!("../../templates/typescript/errors.ts.j2"),
    ),
    (
        "src/index.ts",
        include_str!("../../templates/typescript/index.ts.j2"),
    ),
    (
        "src/transport.ts",
        include_str!("../../templates/typescript/transport.ts.j2"),
    ),
];

/// `(path in the package, contents)` of every templated file.
pub fn render(service: &ServiceIr) -> Result<Vec<(String, String)>, Error> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|error| Error::Internal(format!("{name} template: {error}")))?;
    }
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
    let mut files = Vec::with_capacity(TEMPLATES.len());
    for (name, _) in TEMPLATES {
        let rendered = env
            .get_template(name)
            .and_then(|template| template.render(&ctx))
            .map_err(|error| Error::Internal(format!("rendering {name}: {error}")))?;
        files.push(((*name).to_owned(), rendered));
    }
    Ok(files)
}
