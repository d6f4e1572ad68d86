//! The library's front door: what to read, where to write, and the three ways to run.

use std::env;
use std::path::{Path, PathBuf};

use crate::crate_files::{self, RuntimeDependency};
use crate::emit;
use crate::error::{ContractError, Diagnostic, Error};
use crate::format::format_rust;
use crate::ir::{lower_service, lower_standalone, Formats, UnknownKeywords};
use crate::load::{
    load_contracts, load_contracts_reporting, load_standalone, Contracts, RefDirs, ServiceSource,
};
use crate::openapi;
use crate::output::{Drift, Output, Scope, StaleFiles, WriteReport};
use crate::typescript;

/// Settings for generating service crates from a contracts directory.
///
/// Used by the CLI (`generate`, `check`) and, like `prost_build::Config`, from a build
/// script through [`Config::compile`], which writes `<service>.rs` into `OUT_DIR` and
/// prints `cargo:rerun-if-changed` for every file it read:
///
/// ```
/// # let out = tempfile::tempdir()?;
/// # std::env::set_var("OUT_DIR", out.path());
/// // build.rs
/// solo60_gen::Config::new()
///     .schemas_dir("schemas")
///     .service("subscription")
///     .compile()?;
/// # assert!(out.path().join("subscription.rs").exists());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// and in the crate: `include!(concat!(env!("OUT_DIR"), "/subscription.rs"));`
#[derive(Debug, Clone)]
pub struct Config {
    schemas_dir: PathBuf,
    out_dir: Option<PathBuf>,
    services: Vec<String>,
    runtime: RuntimeDependency,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

/// The result of rendering contracts in memory.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub output: Output,
    /// Every file read (for `cargo:rerun-if-changed`).
    pub files_read: Vec<PathBuf>,
}

/// What the generator renders: crates, npm packages or OpenAPI documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderTarget {
    Crates,
    Typescript,
    Openapi,
}

/// Rendering that went on past broken services: the output of every selected service that
/// loads and lowers, and every problem of those that do not. `check` and `diff` report both;
/// `generate` writes nothing unless `problems` is empty.
#[derive(Debug, Clone)]
pub struct PartialRender {
    pub rendered: Rendered,
    /// Every problem found, grouped by file and sorted by position.
    pub problems: Vec<Diagnostic>,
    /// Output paths, as prefixes, that belong to the services that did not render; a
    /// comparison with the disk leaves them out. `""` (everything) when a shared document is
    /// broken.
    pub skipped: Vec<String>,
}

impl PartialRender {
    /// The output, when every selected service rendered; otherwise every problem.
    pub fn complete(self) -> Result<Rendered, Error> {
        match Error::from_diagnostics(self.problems) {
            Some(error) => Err(error),
            None => Ok(self.rendered),
        }
    }

    /// Whether `path` (relative to the output directory) belongs to a service that did not
    /// render.
    pub fn is_skipped(&self, path: &str) -> bool {
        self.skipped.iter().any(|prefix| path.starts_with(prefix))
    }

    /// How the disk differs from the services that rendered; the files of the others are
    /// neither compared nor reported stale.
    pub fn diff(&self, dir: &Path) -> Result<Drift, Error> {
        let mut drift = self.rendered.output.diff(dir)?;
        drift.changed.retain(|(path, _)| !self.is_skipped(path));
        drift.stale.retain(|path| !self.is_skipped(path));
        Ok(drift)
    }

    /// The problems as one error, when there are any.
    pub fn error(&self) -> Option<Error> {
        Error::from_diagnostics(self.problems.clone())
    }
}

impl Config {
    /// Defaults: contracts in `schemas/`, crates in `generated/`, every service.
    pub fn new() -> Self {
        Self {
            schemas_dir: PathBuf::from("schemas"),
            out_dir: None,
            services: Vec::new(),
            runtime: RuntimeDependency::default(),
        }
    }

    pub fn schemas_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.schemas_dir = dir.into();
        self
    }

    /// Where output goes: `generated/` for crates; `OUT_DIR` by default for [`Config::compile`].
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Restricts output to the named service; call again for more. All services by default.
    pub fn service(&mut self, name: impl Into<String>) -> &mut Self {
        self.services.push(name.into());
        self
    }

    /// How generated crates name `solo60-runtime` in their Cargo.toml (the inside of the
    /// dependency table). Default: `path = "../../runtime"`.
    pub fn runtime_dependency(&mut self, spec: impl Into<String>) -> &mut Self {
        self.runtime = RuntimeDependency(spec.into());
        self
    }

    fn crates_dir(&self) -> PathBuf {
        self.out_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("generated"))
    }

    /// Renders one crate per service (Cargo.toml, README.md, src/…) in memory.
    pub fn render_crates(&self) -> Result<Rendered, Error> {
        self.render(RenderTarget::Crates)?.complete()
    }

    /// Renders every selected service that loads and lowers for `target`, and collects the
    /// problems of the others (see [`PartialRender`]).
    pub fn render(&self, target: RenderTarget) -> Result<PartialRender, Error> {
        match target {
            RenderTarget::Crates => self.render_crates_partially(),
            RenderTarget::Typescript => self.render_typescript_partially(),
            RenderTarget::Openapi => self.render_openapi_partially(),
        }
    }

    fn render_crates_partially(&self) -> Result<PartialRender, Error> {
        let folder_prefix = |service: &ServiceName<'_>| format!("{}/", service.folder);
        self.render_each_service(folder_prefix, |contracts, service, output| {
            let ir = lower_service(contracts, service)?;
            let source = format!("schemas/{}", ir.folder);
            let sources = emit::service_crate(&ir);
            let prefix = &ir.folder;
            let mut put = |name: &str, contents: String| {
                output.files.insert(format!("{prefix}/{name}"), contents);
            };
            for (name, contents) in crate_files::render(&ir, &self.runtime)? {
                put(&name, contents);
            }
            put("src/lib.rs", format_rust(sources.lib, &source)?);
            put("src/types.rs", format_rust(sources.types, &source)?);
            put(
                "src/operations.rs",
                format_rust(sources.operations, &source)?,
            );
            put("src/client.rs", format_rust(sources.client, &source)?);
            if let Some(tests) = sources.client_tests {
                put("src/client_tests.rs", format_rust(tests, &source)?);
            }
            put("src/server.rs", format_rust(sources.server, &source)?);
            if let Some(tests) = sources.server_tests {
                put("src/server_tests.rs", format_rust(tests, &source)?);
            }
            if let Some(examples) = sources.examples {
                put("src/examples.rs", format_rust(examples, &source)?);
            }
            Ok(())
        })
    }

    /// Renders one OpenAPI 3.1 document per service, `<service>.openapi.json`, in memory.
    pub fn render_openapi(&self) -> Result<Output, Error> {
        Ok(self.render(RenderTarget::Openapi)?.complete()?.output)
    }

    fn render_openapi_partially(&self) -> Result<PartialRender, Error> {
        let document = |service: &ServiceName<'_>| openapi::document_file_name(service.name);
        self.render_each_service(document, |contracts, service, output| {
            output.files.insert(
                openapi::document_file_name(&service.manifest.service),
                openapi::service_document_text(contracts, service)?,
            );
            Ok(())
        })
    }

    /// Renders one npm package per service (package.json, tsconfig.json, src/*.ts) in
    /// memory: Zod schemas with inferred types and a typed client, from the same IR as the
    /// crates, and the `@solo60/runtime` package they share. Paths are
    /// `<service folder>/<file>` and `runtime/<file>`, for the `typescript/` directory.
    pub fn render_typescript(&self) -> Result<Output, Error> {
        Ok(self.render(RenderTarget::Typescript)?.complete()?.output)
    }

    fn render_typescript_partially(&self) -> Result<PartialRender, Error> {
        let folder_prefix = |service: &ServiceName<'_>| format!("{}/", service.folder);
        let mut partial =
            self.render_each_service(folder_prefix, |contracts, service, output| {
                if service.folder == typescript::RUNTIME_PACKAGE_DIR {
                    return Err(Error::contract(
                        contracts.store.document(service.manifest_doc).location(""),
                        ContractError::NameCollision(format!(
                            "the service folder `{}` would take the directory of the shared \
                         TypeScript package `@solo60/runtime`",
                            service.folder
                        )),
                    ));
                }
                let ir = lower_service(contracts, service)?;
                for (name, contents) in typescript::service_package(&ir)? {
                    output
                        .files
                        .insert(format!("{}/{name}", ir.folder), contents);
                }
                Ok(())
            })?;
        for (name, contents) in typescript::runtime_package()? {
            partial.rendered.output.files.insert(
                format!("{}/{name}", typescript::RUNTIME_PACKAGE_DIR),
                contents,
            );
        }
        if let Scope::Entries(entries) = &mut partial.rendered.output.scope {
            entries.insert(typescript::RUNTIME_PACKAGE_DIR.to_owned());
        }
        Ok(partial)
    }

    /// Loads the contracts and lets `render` add each selected service's files. A service
    /// whose contracts do not load or lower is left out with its problems, and the others
    /// still rendered; `output_prefix` names where a left-out service's files would be.
    /// Every target renders through here, so service selection and the files read are the
    /// same for all of them.
    fn render_each_service(
        &self,
        output_prefix: impl Fn(&ServiceName<'_>) -> String,
        mut render: impl FnMut(&Contracts, &ServiceSource, &mut Output) -> Result<(), Error>,
    ) -> Result<PartialRender, Error> {
        let contracts = load_contracts_reporting(&self.schemas_dir)?;
        self.check_services_exist(contracts.service_names().into_iter())?;
        let mut output = Output::default();
        let mut problems = Vec::new();
        let mut skipped = Vec::new();
        for broken in &contracts.broken {
            if broken.shared || self.wants(&broken.folder) {
                problems.extend(broken.problems.iter().cloned());
                skipped.push(if broken.shared {
                    String::new()
                } else {
                    output_prefix(&ServiceName {
                        name: &broken.folder,
                        folder: &broken.folder,
                    })
                });
            }
        }
        if !contracts.shared_folder_broken() {
            for service in &contracts.services {
                if !self.wants(&service.manifest.service) {
                    continue;
                }
                if let Err(error) = render(&contracts, service, &mut output) {
                    problems.extend(error.into_diagnostics()?);
                    skipped.push(output_prefix(&ServiceName {
                        name: &service.manifest.service,
                        folder: &service.folder,
                    }));
                }
            }
        }
        if !self.services.is_empty() {
            output.scope_to_produced();
        }
        crate::error::sort_diagnostics(&mut problems);
        Ok(PartialRender {
            rendered: Rendered {
                output,
                files_read: contracts.files_read,
            },
            problems,
            skipped,
        })
    }

    /// Writes the crates, touching only files whose contents changed. Nothing is written
    /// unless every contract loads, lowers and emits.
    pub fn generate(&self) -> Result<WriteReport, Error> {
        let rendered = self.render_crates()?;
        rendered
            .output
            .write(&self.crates_dir(), StaleFiles::Remove)
    }

    /// Compares the crates on disk with what [`Config::generate`] would write.
    pub fn check(&self) -> Result<Drift, Error> {
        let rendered = self.render_crates()?;
        rendered.output.diff(&self.crates_dir())
    }

    /// Build-script mode: writes `<service>.rs` modules into `OUT_DIR` (or the configured
    /// output directory) and prints `cargo:rerun-if-changed` for every file read.
    pub fn compile(&self) -> Result<(), Error> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                Error::Usage("OUT_DIR is not set; call out_dir() or run from a build script".into())
            })?,
        };
        let contracts = load_contracts_reporting(&self.schemas_dir)?;
        for file in &contracts.files_read {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        println!("cargo:rerun-if-changed={}", self.schemas_dir.display());
        if let Some(error) = Error::from_diagnostics(contracts.load_problems()) {
            return Err(error);
        }
        self.check_services_exist(
            contracts
                .services
                .iter()
                .map(|s| s.manifest.service.as_str()),
        )?;
        let mut output = Output::default();
        let mut problems = Vec::new();
        for service in &contracts.services {
            if !self.wants(&service.manifest.service) {
                continue;
            }
            let ir = match lower_service(&contracts, service) {
                Ok(ir) => ir,
                Err(error) => {
                    problems.extend(error.into_diagnostics()?);
                    continue;
                }
            };
            let source = format!("schemas/{}", ir.folder);
            let module = format_rust(emit::service_module(&ir), &source)?;
            output.files.insert(format!("{}.rs", ir.name), module);
        }
        if let Some(error) = Error::from_diagnostics(problems) {
            return Err(error);
        }
        if !self.services.is_empty() {
            output.scope_to_produced();
        }
        output.write(&out_dir, StaleFiles::Remove).map(|_| ())
    }

    /// A starting implementation of `service`'s generated server trait, every method
    /// answering "not implemented": the text `solo60-gen scaffold` writes.
    pub fn scaffold(&self, service: &str) -> Result<String, Error> {
        let contracts = load_contracts(&self.schemas_dir)?;
        let source = contracts
            .services
            .iter()
            .find(|candidate| candidate.manifest.service == service)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "no service `{service}` in `{}`",
                    self.schemas_dir.display()
                ))
            })?;
        let ir = lower_service(&contracts, source)?;
        // The file belongs to its authors from now on: no `@generated` marker, so neither
        // `generate` nor `check` ever treats it as the generator's.
        let body = emit::scaffold::scaffold_source(&ir)?;
        Ok(format!(
            "// Written once by `solo60-gen scaffold {service}` from schemas/{}; yours to edit.\n\n{body}",
            ir.folder
        ))
    }

    fn wants(&self, service: &str) -> bool {
        self.services.is_empty() || self.services.iter().any(|name| name == service)
    }

    fn check_services_exist<'a>(
        &self,
        known: impl Iterator<Item = &'a str> + Clone,
    ) -> Result<(), Error> {
        for wanted in &self.services {
            if !known.clone().any(|name| name == wanted) {
                return Err(Error::Usage(format!(
                    "no service `{wanted}` in `{}`",
                    self.schemas_dir.display()
                )));
            }
        }
        Ok(())
    }
}

/// A service as rendering names it: by its manifest's name, and by its folder.
struct ServiceName<'a> {
    name: &'a str,
    folder: &'a str,
}

/// Settings for `types` mode: one standalone JSON Schema into one Rust module.
#[derive(Debug, Clone)]
pub struct TypesConfig {
    pub root_name: String,
    pub ref_dirs: RefDirs,
    pub unknown_keywords: UnknownKeywords,
    pub formats: Formats,
}

impl Default for TypesConfig {
    fn default() -> Self {
        Self {
            root_name: "Root".to_owned(),
            ref_dirs: RefDirs::default(),
            unknown_keywords: UnknownKeywords::Ignore,
            formats: Formats::Assert,
        }
    }
}

/// Generates one self-contained Rust module from a standalone JSON Schema (draft 2020-12,
/// 2019-09 or draft-07). Remote `$ref`s are read from `config.ref_dirs`, never the network.
pub fn types_module(schema: &Path, config: &TypesConfig) -> Result<String, Error> {
    let loaded = load_standalone(schema, &config.ref_dirs)?;
    let module = lower_standalone(
        &loaded,
        &config.root_name,
        config.unknown_keywords,
        config.formats,
    )?;
    let source = schema
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| module.source.clone());
    emit::standalone_source(&module, &source)
}
