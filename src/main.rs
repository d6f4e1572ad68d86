//! The `solo60-gen` binary.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// The generator makes millions of small, short-lived allocations (token trees, syntax
/// nodes); glibc's allocator spends most of a large run consolidating them, mimalloc does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::Cli::parse().run()
}
