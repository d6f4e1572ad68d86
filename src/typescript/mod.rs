//! The TypeScript target: for each service, an npm package of Zod schemas with their
//! inferred types and a typed client that follows the Rust client's rules, emitted from
//! the same IR as the Rust crates.
//!
//! Layout of a package (`typescript/<service>/`): `package.json`, `tsconfig.json`, and in
//! `src/` the modules `schemas.ts` (built here, type by type), `client.ts` (templated, with
//! signatures built in [`client_module`]), and the fixed `errors.ts`, `transport.ts` and
//! `constraints.ts`, re-exported by `index.ts`.

pub mod client_module;
pub mod literal;
pub mod order;
pub mod package_files;
pub mod schemas_module;
pub mod ts_type;
pub mod zod;

use crate::error::{ContractError, Error, Location};
use crate::format::GENERATED_MARKER;
use crate::ir::ServiceIr;

pub use package_files::{TYPESCRIPT_VERSION, TYPES_NODE_VERSION, ZOD_VERSION};

/// Names `index.ts` exports beside the contract types; a contract type may not take one.
const PACKAGE_NAMES: &[&str] = &[
    "AppError",
    "AppErrorInit",
    "CallOptions",
    "ClientConfig",
    "ConfigError",
    "ErrorKind",
    "OperationInfo",
    "Problem",
    "RetryConfig",
    "RetryPolicy",
    "Violation",
];

/// `(path in the package, contents)` of every file of `service`'s package.
pub fn service_package(service: &ServiceIr) -> Result<Vec<(String, String)>, Error> {
    for def in &service.types {
        let clashes = PACKAGE_NAMES
            .iter()
            .any(|name| def.name == *name || def.name == format!("{name}Input"));
        if clashes {
            let (file, pointer) = def
                .source
                .split_once('#')
                .unwrap_or((def.source.as_str(), ""));
            return Err(Error::contract(
                Location {
                    file: file.to_owned(),
                    position: None,
                    pointer: pointer.to_owned(),
                },
                ContractError::NameCollision(format!(
                    "type `{}` would shadow the TypeScript package's own `{}`",
                    def.name, def.name
                )),
            ));
        }
    }
    let header = format!(
        "// {GENERATED_MARKER} from schemas/{}. Do not edit.\n",
        service.folder
    );
    let mut files = package_files::render(service)?;
    files.push((
        "src/schemas.ts".to_owned(),
        schemas_module::render(service, &header)?,
    ));
    files.sort();
    Ok(files)
}
