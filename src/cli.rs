//! The `solo60-gen` command line. Kept out of the library so build scripts need no clap.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use solo60_gen::diff::{diff_services, ContractSource};
use solo60_gen::ir::{Formats, UnknownKeywords};
use solo60_gen::load::RefDirs;
use solo60_gen::openapi;
use solo60_gen::output::StaleFiles;
use solo60_gen::{
    manifest_json_schema, types_module, Config, Drift, Error, Output, RenderTarget, TypesConfig,
    WriteReport,
};

/// Exit status for success.
pub const EXIT_OK: u8 = 0;
/// Exit status when `check` finds drift or `diff` finds a breaking change.
pub const EXIT_DRIFT: u8 = 1;
/// Exit status for bad input or usage.
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "solo60-gen",
    version,
    about = "JSON Schema contracts to validated Rust types, operation metadata and crates",
    after_help = "Exit codes: 0 success, 1 `check` found drift or `diff` found a breaking change, 2 bad input or usage."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate one crate per service (or, with `--target`, one npm package or OpenAPI
    /// document per service).
    #[command(
        after_help = "Example:\n  solo60-gen generate\n  solo60-gen generate --schemas contracts --out crates --service subscription\n  solo60-gen generate --target typescript    # npm packages in typescript/\n  solo60-gen generate --target openapi       # documents in openapi/"
    )]
    Generate(CratesArgs),
    /// Fail (exit 1) with a unified diff when the generated crates (or packages, or
    /// documents) are stale.
    #[command(
        after_help = "Example, in CI:\n  solo60-gen check || { echo 'run solo60-gen generate'; exit 1; }\n  solo60-gen check --target typescript\n  solo60-gen check --target openapi"
    )]
    Check(CratesArgs),
    /// Turn one standalone JSON Schema (2020-12 or draft-07) into a Rust module.
    #[command(
        after_help = "Example:\n  solo60-gen types config.schema.json --root-name Config -o src/config.rs \\\n      --ref-dir https://example.com/schemas/=vendor/schemas"
    )]
    Types(TypesArgs),
    /// Write a starting implementation of a service's server trait (never overwrites).
    #[command(
        after_help = "Example:\n  solo60-gen scaffold subscription -o services/subscription/src/service.rs"
    )]
    Scaffold(ScaffoldArgs),
    /// Report the changes between two versions of the contracts; exit 1 when one breaks
    /// deployed callers (wire) or code using the generated crates (Rust).
    #[command(
        after_help = "BASE and HEAD are contracts folders when such a directory exists, git revisions \
                      otherwise (read from git's object database; the work tree is never touched).\n\n\
                      Examples:\n  solo60-gen diff main                 # main's schemas/ vs the work tree's\n  \
                      solo60-gen diff HEAD~1 HEAD --format json\n  \
                      solo60-gen diff old/schemas schemas"
    )]
    Diff(DiffArgs),
    /// Export a service's contract as an OpenAPI 3.1 document: to standard output, or one
    /// `<service>.openapi.json` per service into `--out`.
    #[command(
        after_help = "Examples:\n  solo60-gen openapi subscription > subscription.openapi.json\n  solo60-gen openapi --out openapi"
    )]
    Openapi(OpenapiArgs),
    /// Print the JSON Schema of the service manifest format.
    #[command(after_help = "Example:\n  solo60-gen schema > manifest.schema.json")]
    Schema,
}

#[derive(Debug, clap::Args)]
struct CratesArgs {
    /// The contracts directory: one folder per service, plus shared folders.
    #[arg(long, default_value = "schemas")]
    schemas: PathBuf,
    /// Where the output lives; by default `generated` (rust), `typescript` or `openapi`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Only this service (repeatable); all by default.
    #[arg(long = "service")]
    services: Vec<String>,
    /// What to generate: Rust crates, TypeScript packages (Zod schemas and a client), or
    /// OpenAPI 3.1 documents.
    #[arg(long, value_enum, default_value_t = Target::Rust)]
    target: Target,
}

/// The outputs `generate` and `check` can produce from the contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Target {
    /// One crate per service (types, validation, client, server).
    Rust,
    /// One npm package per service: Zod schemas, inferred types, a typed client.
    Typescript,
    /// One OpenAPI 3.1 document per service.
    Openapi,
}

impl Target {
    /// Where the output goes when `--out` is not given.
    fn default_out(self) -> PathBuf {
        PathBuf::from(match self {
            Target::Rust => "generated",
            Target::Typescript => "typescript",
            Target::Openapi => "openapi",
        })
    }

    fn render_target(self) -> RenderTarget {
        match self {
            Target::Rust => RenderTarget::Crates,
            Target::Typescript => RenderTarget::Typescript,
            Target::Openapi => RenderTarget::Openapi,
        }
    }

    /// The command that brings the output up to date.
    fn generate_command(self) -> &'static str {
        match self {
            Target::Rust => "solo60-gen generate",
            Target::Typescript => "solo60-gen generate --target typescript",
            Target::Openapi => "solo60-gen generate --target openapi",
        }
    }
}

#[derive(Debug, clap::Args)]
struct OpenapiArgs {
    /// The service, as its manifest names it; every service when absent (needs `--out`).
    service: Option<String>,
    /// The contracts directory.
    #[arg(long, default_value = "schemas")]
    schemas: PathBuf,
    /// Write `<service>.openapi.json` files into this directory instead of printing.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct DiffArgs {
    /// The old contracts: a contracts folder, or a git revision (`main`, `HEAD~1`, a tag).
    base: String,
    /// The new contracts: a contracts folder or a git revision; the work tree's
    /// `--schemas` folder when absent.
    head: Option<String>,
    /// The contracts folder, in the work tree and inside revisions.
    #[arg(long, default_value = "schemas")]
    schemas: PathBuf,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
}

/// The report formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiffFormat {
    /// Grouped by service and operation, one line per change.
    Text,
    /// One JSON object with stable field names.
    Json,
}

#[derive(Debug, clap::Args)]
struct ScaffoldArgs {
    /// The service, as its manifest names it.
    service: String,
    /// The contracts directory.
    #[arg(long, default_value = "schemas")]
    schemas: PathBuf,
    /// Where to write the implementation; refused if the file exists.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
}

#[derive(Debug, clap::Args)]
struct TypesArgs {
    /// The JSON Schema file (JSON or YAML).
    schema: PathBuf,
    /// The Rust name of the root type.
    #[arg(long, default_value = "Root")]
    root_name: String,
    /// Output file; standard output when absent or `-`.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    /// Resolve `$ref`s starting with URL_PREFIX from files in DIR (repeatable).
    #[arg(long = "ref-dir", value_name = "URL_PREFIX=DIR", value_parser = parse_ref_dir)]
    ref_dirs: Vec<(String, PathBuf)>,
    /// Reject keywords JSON Schema does not define instead of ignoring them.
    #[arg(long)]
    strict: bool,
    /// Treat `format` as an annotation only (the 2020-12 default) instead of checking it.
    #[arg(long)]
    formats_as_annotations: bool,
}

fn parse_ref_dir(text: &str) -> Result<(String, PathBuf), String> {
    let (prefix, dir) = text
        .split_once('=')
        .ok_or_else(|| format!("expected URL_PREFIX=DIR, got `{text}`"))?;
    if prefix.is_empty() || dir.is_empty() {
        return Err(format!("expected URL_PREFIX=DIR, got `{text}`"));
    }
    Ok((prefix.to_owned(), PathBuf::from(dir)))
}

impl Cli {
    pub fn run(self) -> ExitCode {
        match self.command.run() {
            Ok(code) => ExitCode::from(code),
            Err(error) => {
                report_error(&error, "");
                ExitCode::from(EXIT_BAD_INPUT)
            }
        }
    }
}

impl Command {
    fn run(self) -> Result<u8, Error> {
        match self {
            Command::Generate(args) => {
                let report = args.generate()?;
                eprintln!(
                    "solo60-gen: {} written, {} unchanged, {} removed",
                    report.written.len(),
                    report.unchanged.len(),
                    report.removed.len()
                );
                Ok(EXIT_OK)
            }
            Command::Check(args) => {
                // The services that render are compared even when others are broken; the
                // run still fails (exit 2) with every problem after the drift.
                let (drift, problems) = args.check()?;
                if drift.is_clean() {
                    if let Some(error) = problems {
                        return Err(error);
                    }
                    eprintln!("solo60-gen: `{}` is up to date", args.out_dir().display());
                    Ok(EXIT_OK)
                } else {
                    print!("{}", drift.render());
                    eprintln!(
                        "solo60-gen: `{}` is stale ({} changed, {} stale); run `{}`",
                        args.out_dir().display(),
                        drift.changed.len(),
                        drift.stale.len(),
                        args.target.generate_command()
                    );
                    match problems {
                        Some(error) => Err(error),
                        None => Ok(EXIT_DRIFT),
                    }
                }
            }
            Command::Types(args) => {
                let config = TypesConfig {
                    root_name: args.root_name,
                    ref_dirs: RefDirs {
                        mappings: args.ref_dirs,
                    },
                    unknown_keywords: if args.strict {
                        UnknownKeywords::Reject
                    } else {
                        UnknownKeywords::Ignore
                    },
                    formats: if args.formats_as_annotations {
                        Formats::Annotate
                    } else {
                        Formats::Assert
                    },
                };
                let module = types_module(&args.schema, &config)?;
                match args.output {
                    Some(path) if path.as_os_str() != "-" => {
                        let (dir, name) = split_file(&path)?;
                        let mut output = Output::default();
                        output.files.insert(name, module);
                        output.write(&dir, StaleFiles::Keep)?;
                    }
                    _ => {
                        let mut stdout = std::io::stdout().lock();
                        stdout
                            .write_all(module.as_bytes())
                            .map_err(|source| Error::Write {
                                path: PathBuf::from("<stdout>"),
                                source,
                            })?;
                    }
                }
                Ok(EXIT_OK)
            }
            Command::Scaffold(args) => {
                if args.output.exists() {
                    return Err(Error::Usage(format!(
                        "`{}` already exists; scaffold never overwrites a file",
                        args.output.display()
                    )));
                }
                let mut config = Config::new();
                config.schemas_dir(&args.schemas);
                let code = config.scaffold(&args.service)?;
                if let Some(parent) = args.output.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                        path: parent.to_path_buf(),
                        source,
                    })?;
                }
                // `create_new` keeps the promise even if the file appeared since the check.
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&args.output)
                    .map_err(|source| Error::Write {
                        path: args.output.clone(),
                        source,
                    })?;
                file.write_all(code.as_bytes())
                    .map_err(|source| Error::Write {
                        path: args.output.clone(),
                        source,
                    })?;
                eprintln!("solo60-gen: wrote {}", args.output.display());
                Ok(EXIT_OK)
            }
            Command::Diff(args) => args.run(),
            Command::Openapi(args) => args.run(),
            Command::Schema => {
                let schema = serde_json::to_string_pretty(&manifest_json_schema())
                    .map_err(|error| Error::Internal(error.to_string()))?;
                println!("{schema}");
                Ok(EXIT_OK)
            }
        }
    }
}

impl DiffArgs {
    fn run(&self) -> Result<u8, Error> {
        let cwd = std::env::current_dir().map_err(|source| Error::Read {
            path: PathBuf::from("."),
            source,
        })?;
        let base = ContractSource::from_arg(&self.base);
        let head = match &self.head {
            Some(arg) => ContractSource::from_arg(arg),
            None => ContractSource::Directory(self.schemas.clone()),
        };
        // A broken service is left out on both sides (it is neither removed nor new), and
        // its problems are reported after the comparison, naming the side: both sides name
        // the same files.
        let base_loaded = base.load_reporting(&cwd, &self.schemas)?;
        let head_loaded = head.load_reporting(&cwd, &self.schemas)?;
        let comparable = |services: &[solo60_gen::ir::ServiceIr]| {
            services
                .iter()
                .filter(|service| {
                    !base_loaded.is_broken(&service.folder)
                        && !head_loaded.is_broken(&service.folder)
                })
                .cloned()
                .collect::<Vec<_>>()
        };
        let diff = diff_services(
            &comparable(&base_loaded.services),
            &comparable(&head_loaded.services),
        );
        match self.format {
            DiffFormat::Text => print!("{}", diff.render_text()),
            DiffFormat::Json => {
                let json = serde_json::to_string_pretty(&diff.to_json())
                    .map_err(|error| Error::Internal(error.to_string()))?;
                println!("{json}");
            }
        }
        let mut failed = false;
        for (side, source, loaded) in [("base", &base, &base_loaded), ("head", &head, &head_loaded)]
        {
            if let Some(error) = Error::from_diagnostics(loaded.problems.clone()) {
                report_error(
                    &error,
                    &format!("{side} contracts ({}): ", source.describe()),
                );
                failed = true;
            }
        }
        Ok(if failed {
            EXIT_BAD_INPUT
        } else if diff.is_breaking() {
            EXIT_DRIFT
        } else {
            EXIT_OK
        })
    }
}

/// Prints an error on stderr: each contract problem on a line of its own (`error: FILE:LINE:COLUMN
/// at POINTER: REASON`), with a count when there are several; `context` goes before each.
fn report_error(error: &Error, context: &str) {
    let problems = error.diagnostics();
    if problems.is_empty() {
        eprintln!("error: {context}{error}");
        return;
    }
    for problem in problems {
        eprintln!("error: {context}{problem}");
    }
    if problems.len() > 1 {
        let mut files: Vec<&str> = problems
            .iter()
            .map(|problem| problem.location.file.as_str())
            .collect();
        files.dedup();
        eprintln!(
            "solo60-gen: {} errors in {} file{}",
            problems.len(),
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        );
    }
}

impl CratesArgs {
    fn out_dir(&self) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| self.target.default_out())
    }

    fn config(&self) -> Config {
        let mut config = Config::new();
        config.schemas_dir(&self.schemas).out_dir(self.out_dir());
        for service in &self.services {
            config.service(service);
        }
        config
    }

    /// Writes nothing unless every selected service renders.
    fn generate(&self) -> Result<WriteReport, Error> {
        let dir = self.out_dir();
        let output = self
            .config()
            .render(self.target.render_target())?
            .complete()?
            .output;
        match self.target {
            Target::Rust | Target::Typescript => output.write(&dir, StaleFiles::Remove),
            Target::Openapi => {
                let stale = openapi::stale_documents(&output, &dir)?;
                let mut report = output.write(&dir, StaleFiles::Remove)?;
                for name in stale {
                    if report.removed.contains(&name) {
                        continue;
                    }
                    let path = dir.join(&name);
                    std::fs::remove_file(&path).map_err(|source| Error::Write { path, source })?;
                    report.removed.push(name);
                }
                Ok(report)
            }
        }
    }

    /// The drift of every selected service that renders, and the problems of the others.
    fn check(&self) -> Result<(Drift, Option<Error>), Error> {
        let dir = self.out_dir();
        let partial = self.config().render(self.target.render_target())?;
        let mut drift = partial.diff(&dir)?;
        if self.target == Target::Openapi {
            let stale = openapi::stale_documents(&partial.rendered.output, &dir)?;
            drift
                .stale
                .extend(stale.into_iter().filter(|name| !partial.is_skipped(name)));
        }
        Ok((drift, partial.error()))
    }
}

impl OpenapiArgs {
    fn run(&self) -> Result<u8, Error> {
        let mut config = Config::new();
        config.schemas_dir(&self.schemas);
        if let Some(service) = &self.service {
            config.service(service);
        }
        let output = config.render_openapi()?;
        match (&self.out, &self.service) {
            (Some(dir), _) => {
                let report = output.write(dir, StaleFiles::Keep)?;
                eprintln!(
                    "solo60-gen: {} written, {} unchanged",
                    report.written.len(),
                    report.unchanged.len()
                );
            }
            (None, Some(_)) => {
                let mut stdout = std::io::stdout().lock();
                for document in output.files.values() {
                    stdout
                        .write_all(document.as_bytes())
                        .map_err(|source| Error::Write {
                            path: PathBuf::from("<stdout>"),
                            source,
                        })?;
                }
            }
            (None, None) => {
                return Err(Error::Usage(
                    "name a service to print its document, or give `--out DIR` for every service"
                        .into(),
                ))
            }
        }
        Ok(EXIT_OK)
    }
}

/// `(directory, file name)` of an output path.
fn split_file(path: &std::path::Path) -> Result<(PathBuf, String), Error> {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Usage(format!("`{}` is not a file path", path.display())))?;
    let dir = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok((dir, name))
}
