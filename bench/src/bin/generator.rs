//! `solo60-gen types` against `cargo-typify` on the same synthetic schemas: whole-process wall
//! time and peak memory (medians of several runs, one machine, one run of this binary), and
//! the time `cargo check` takes on each tool's output.
//!
//! ```text
//! cargo run --release -p solo60-bench --bin generator               # N = 100, 1,000, 5,000
//! cargo run --release -p solo60-bench --bin generator -- --smoke    # CI: N = 100, once, no typify
//! ```
//!
//! cargo-typify is installed into `.tools/` (ignored by git) when it is missing; the schemas
//! come from `bench/synth_schemas.py` (override with `SYNTH_SCHEMAS`).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use solo60_bench::{measure, median, repo_root, run, Run};

/// The cargo-typify release measured against.
const TYPIFY_VERSION: &str = "0.6.2";

struct Options {
    /// A quick run that only proves the bench works: the debug build, once, N = 100.
    smoke: bool,
    sizes: Vec<usize>,
    runs: usize,
    typify: bool,
    check_size: Option<usize>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        smoke: false,
        sizes: vec![100, 1_000, 5_000],
        runs: 5,
        typify: true,
        check_size: Some(1_000),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--smoke" => {
                options = Options {
                    smoke: true,
                    sizes: vec![100],
                    runs: 1,
                    typify: false,
                    check_size: None,
                }
            }
            "--runs" => {
                options.runs = args
                    .next()
                    .and_then(|runs| runs.parse().ok())
                    .filter(|runs| *runs > 0)
                    .ok_or("--runs needs a positive number")?;
            }
            "--sizes" => {
                options.sizes = args
                    .next()
                    .ok_or("--sizes needs a list such as 100,1000")?
                    .split(',')
                    .map(|size| {
                        size.trim()
                            .parse()
                            .map_err(|_| format!("bad size `{size}`"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

fn main() {
    if let Err(error) = bench() {
        eprintln!("generator bench: {error}");
        std::process::exit(2);
    }
}

fn bench() -> Result<(), String> {
    let options = options()?;
    let root = repo_root();
    let work = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("bench/generator");
    fs::create_dir_all(&work).map_err(|error| format!("{}: {error}", work.display()))?;

    let profile = if options.smoke { "debug" } else { "release" };
    let mut build = Command::new("cargo");
    build.args(["build", "--quiet", "--bin", "solo60-gen"]);
    if !options.smoke {
        build.arg("--release");
    }
    run(build.current_dir(&root))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let solo60 = target.join(profile).join("solo60-gen");
    let typify = if options.typify {
        Some(typify_binary(&root)?)
    } else {
        None
    };

    let synth = std::env::var_os("SYNTH_SCHEMAS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("bench/synth_schemas.py"));
    let mut synth_command = Command::new("python3");
    synth_command.arg(&synth);
    for size in &options.sizes {
        synth_command.arg("--n").arg(size.to_string());
    }
    run(synth_command.arg(&work))?;

    let mut report = String::from(
        "| N | solo60-gen time | solo60-gen peak | cargo-typify time | cargo-typify peak | speed-up | memory ratio |\n\
         |---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut solo60_times = Vec::new();
    for size in &options.sizes {
        let schema = work.join(format!("schema-{size}.json"));
        let ours = repeat(options.runs, || {
            measure(
                Command::new(&solo60)
                    .arg("types")
                    .arg(&schema)
                    .args(["--root-name", "Root", "-o"])
                    .arg(work.join(format!("solo60-{size}.rs"))),
            )
        })?;
        solo60_times.push((*size, ours.0));
        let theirs = match &typify {
            Some(typify) => Some(repeat(options.runs, || {
                measure(
                    Command::new(typify)
                        .arg("typify")
                        .arg(&schema)
                        .arg("-o")
                        .arg(work.join(format!("typify-{size}.rs"))),
                )
            })?),
            None => None,
        };
        eprintln!("N = {size}: solo60-gen {ours:?}, cargo-typify {theirs:?} (seconds, KiB)");
        let _ = match theirs {
            Some((time, peak)) => writeln!(
                report,
                "| {size} | {:.2} s | {:.0} MB | {:.2} s | {:.0} MB | {:.1}× | {:.2} |",
                ours.0,
                ours.1 / 1024.0,
                time,
                peak / 1024.0,
                time / ours.0,
                ours.1 / peak,
            ),
            None => writeln!(
                report,
                "| {size} | {:.2} s | {:.0} MB | – | – | – | – |",
                ours.0,
                ours.1 / 1024.0
            ),
        };
    }
    if let [.., (small, t_small), (large, t_large)] = solo60_times.as_slice() {
        let _ = writeln!(
            report,
            "\nsolo60-gen growth: t({large}) / t({small}) = {:.2} for {:.0}× the input",
            t_large / t_small,
            *large as f64 / *small as f64
        );
    }
    if let (Some(size), Some(_)) = (options.check_size, &typify) {
        let ours = check_time(&work, "solo60", size, &root, options.runs)?;
        let theirs = check_time(&work, "typify", size, &root, options.runs)?;
        let _ = writeln!(
            report,
            "\n`cargo check` of the output for N = {size}: solo60-gen {ours:.2} s, \
             cargo-typify {theirs:.2} s (ratio {:.2})",
            ours / theirs
        );
    }
    println!("{report}");
    let path = work.join("report.md");
    fs::write(&path, &report).map_err(|error| format!("{}: {error}", path.display()))?;
    Ok(())
}

/// Median wall seconds and median peak KiB over `runs` runs.
fn repeat(
    runs: usize,
    mut once: impl FnMut() -> Result<Run, String>,
) -> Result<(f64, f64), String> {
    let mut times = Vec::new();
    let mut peaks = Vec::new();
    for _ in 0..runs {
        let run = once()?;
        times.push(run.wall.as_secs_f64());
        peaks.push(run.peak_kib as f64);
    }
    Ok((median(&mut times), median(&mut peaks)))
}

/// `.tools/bin/cargo-typify`, installed there first when missing.
fn typify_binary(root: &Path) -> Result<PathBuf, String> {
    let tools = root.join(".tools");
    let binary = tools.join("bin/cargo-typify");
    if !binary.is_file() {
        eprintln!(
            "installing cargo-typify {TYPIFY_VERSION} into {}",
            tools.display()
        );
        run(Command::new("cargo")
            .args([
                "install",
                "cargo-typify",
                "--locked",
                "--quiet",
                "--version",
                TYPIFY_VERSION,
                "--root",
            ])
            .arg(&tools))?;
    }
    Ok(binary)
}

/// Median seconds of `cargo check` on a crate holding one tool's output, dependencies
/// already built (only the generated code itself is checked each time).
fn check_time(
    work: &Path,
    tool: &str,
    size: usize,
    root: &Path,
    runs: usize,
) -> Result<f64, String> {
    let krate = work.join(format!("check-{tool}"));
    fs::create_dir_all(krate.join("src")).map_err(|error| error.to_string())?;
    let dependencies = match tool {
        "solo60" => format!(
            "serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\
             solo60-runtime = {{ path = \"{}\" }}\n",
            root.join("runtime").display()
        ),
        _ => "serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n\
              regress = \"0.10\"\nchrono = { version = \"0.4\", features = [\"serde\"] }\n\
              uuid = { version = \"1\", features = [\"serde\"] }\n"
            .to_owned(),
    };
    let manifest = format!(
        "[package]\nname = \"check-{tool}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
         [workspace]\n\n[lib]\npath = \"src/lib.rs\"\n\n[dependencies]\n{dependencies}"
    );
    fs::write(krate.join("Cargo.toml"), manifest).map_err(|error| error.to_string())?;
    // The output becomes the crate root (typify's starts with inner attributes, which
    // `include!` cannot take).
    let output = work.join(format!("{tool}-{size}.rs"));
    let code =
        fs::read_to_string(&output).map_err(|error| format!("{}: {error}", output.display()))?;
    let lib = format!("#![allow(warnings, clippy::all)]\n{code}");
    fs::write(krate.join("src/lib.rs"), &lib).map_err(|error| error.to_string())?;
    let target = work.join("check-target");
    let check = |krate: &Path| {
        run(Command::new("cargo")
            .args(["check", "--quiet"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(krate))
    };
    check(&krate)?;
    let mut times = Vec::new();
    for _ in 0..runs {
        fs::write(krate.join("src/lib.rs"), &lib).map_err(|error| error.to_string())?;
        let started = Instant::now();
        check(&krate)?;
        times.push(started.elapsed().as_secs_f64());
    }
    Ok(median(&mut times))
}
