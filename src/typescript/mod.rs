//! The TypeScript target: for each service, an npm package of Zod schemas with their
//! inferred types and a typed client that follows the Rust client's rules, emitted from
//! the same IR as the Rust crates, on one shared package, `@solo60/runtime`, as the Rust
//! crates stand on solo60-runtime.
//!
//! Layout of a service package (`typescript/<service>/`): `package.json` (depending on
//! `@solo60/runtime` as `file:../runtime`), `tsconfig.json`, `README.md`, and in `src/`
//! the modules `schemas.ts` (built here, type by type), `client.ts` (templated, with
//! signatures built in [`client_module`]) and `index.ts`, which re-exports them with what
//! their users need from the runtime. The runtime package (`typescript/runtime/`) holds the
//! fixed `errors.ts`, `transport.ts` and `constraints.ts`, identical for every service.

pub mod client_module;
pub mod layout;
pub mod literal;
pub mod order;
pub mod package_files;
pub mod schemas_module;
pub mod ts_type;
pub mod zod;

use std::collections::BTreeMap;

use crate::error::{ContractError, Error, Location};
use crate::format::GENERATED_MARKER;
use crate::ir::ServiceIr;

pub use package_files::{TYPESCRIPT_VERSION, TYPES_NODE_VERSION, ZOD_VERSION};

/// The directory of the shared `@solo60/runtime` package, beside the service packages; no
/// service's package may take it.
pub const RUNTIME_PACKAGE_DIR: &str = "runtime";

/// Names a service's `index.ts` exports beside the contract types; a contract type may not
/// take one.
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

/// `(path in the package, contents)` of every file of the `@solo60/runtime` package.
pub fn runtime_package() -> Result<Vec<(String, String)>, Error> {
    package_files::render_runtime()
}

/// `(path in the package, contents)` of every file of `service`'s package.
pub fn service_package(service: &ServiceIr) -> Result<Vec<(String, String)>, Error> {
    check_names(service)?;
    let header = format!(
        "// {GENERATED_MARKER} from schemas/{}. Do not edit.\n",
        service.folder
    );
    let mut files = package_files::render_service(service)?;
    files.push((
        "src/schemas.ts".to_owned(),
        schemas_module::render(service, &header)?,
    ));
    files.sort();
    Ok(files)
}

/// Each contract type `T` declares the TypeScript types `T` and `TInput`: none of them may
/// meet another's or one the package exports itself.
fn check_names(service: &ServiceIr) -> Result<(), Error> {
    let mut taken: BTreeMap<String, String> = PACKAGE_NAMES
        .iter()
        .map(|name| ((*name).to_owned(), "the package's own".to_owned()))
        .collect();
    for def in &service.types {
        for declared in [def.name.clone(), format!("{}Input", def.name)] {
            if let Some(owner) = taken.get(&declared) {
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
                        "type `{}` declares the TypeScript type `{declared}`, which is {owner}",
                        def.name
                    )),
                ));
            }
            taken.insert(declared, format!("declared for type `{}`", def.name));
        }
    }
    Ok(())
}
