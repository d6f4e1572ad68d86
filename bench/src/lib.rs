//! Shared pieces of the benchmark binaries: where things are, running a command under
//! `/usr/bin/time`, medians and Markdown tables.

pub mod load;
pub mod loopback;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The repository root (this crate lives in `bench/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// Wall time and peak resident memory of one process.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub wall: Duration,
    pub peak_kib: u64,
}

/// Runs `command` under GNU time and reads its wall time and peak RSS; fails when the
/// command fails, so a broken tool never turns into a fast figure.
pub fn measure(command: &mut Command) -> Result<Run, String> {
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(ToOwned::to_owned).collect();
    let output = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("SOLO60_TIME %e %M")
        .arg(&program)
        .args(&args)
        .current_dir(
            command
                .get_current_dir()
                .map(Path::to_path_buf)
                .unwrap_or_else(repo_root),
        )
        .output()
        .map_err(|error| format!("cannot run /usr/bin/time (Debian package `time`): {error}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("{program:?} failed: {stderr}"));
    }
    let line = stderr
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("SOLO60_TIME "))
        .ok_or_else(|| format!("no timing from /usr/bin/time in: {stderr}"))?;
    let mut fields = line.split_whitespace();
    let seconds: f64 = fields
        .next()
        .and_then(|field| field.parse().ok())
        .ok_or_else(|| format!("bad timing line `{line}`"))?;
    let peak_kib: u64 = fields
        .next()
        .and_then(|field| field.parse().ok())
        .ok_or_else(|| format!("bad timing line `{line}`"))?;
    Ok(Run {
        wall: Duration::from_secs_f64(seconds),
        peak_kib,
    })
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

/// Runs a command to completion, failing with its output when it fails.
pub fn run(command: &mut Command) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|error| format!("cannot run {:?}: {error}", command.get_program()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{:?} failed:\n{}{}",
            command.get_program(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }
}
