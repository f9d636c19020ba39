//! The `unspin` command: arguments in, files and exit codes out. All text
//! processing lives in the library; this module only does I/O.

pub mod args;
mod batch;
mod compile;
mod diff;
mod input;
mod jsonl;
mod output;
mod progress;
mod repair;
mod score;

use anyhow::Result;
use args::{Cli, Command, DictCommand, LmCommand};

/// Exit status when everything went well (and, for checks, nothing to change).
pub const EXIT_OK: i32 = 0;
/// Exit status of a check that found something (`score --check`: spun text).
pub const EXIT_FOUND: i32 = 1;
/// Exit status when any input or argument failed.
pub const EXIT_ERROR: i32 = 2;

/// Fails when standard output is closed (`>&-`). The standard library
/// opens `/dev/null` read-write on a closed standard descriptor at start,
/// so the output would be dropped with exit status 0; a shell's
/// `>/dev/null` opens it write-only, which tells the two apart.
pub fn require_stdout() -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let target = std::fs::read_link("/proc/self/fd/1").ok();
        let flags = std::fs::read_to_string("/proc/self/fdinfo/1")
            .ok()
            .and_then(|info| {
                let line = info.lines().find(|l| l.starts_with("flags:"))?;
                u32::from_str_radix(line["flags:".len()..].trim(), 8).ok()
            });
        let read_write = flags.is_some_and(|f| f & 0o3 == 0o2);
        if read_write && target.as_deref() == Some(std::path::Path::new("/dev/null")) {
            anyhow::bail!("standard output is closed: there is nowhere to write the output");
        }
    }
    Ok(())
}

/// Runs a parsed command line and returns the exit status.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Some(Command::Dict(DictCommand::Compile { inputs, output })) => {
            compile::dict(&inputs, &output)?;
            Ok(EXIT_OK)
        }
        Some(Command::Lm(LmCommand::Compile { input, output })) => {
            compile::lm(&input, &output)?;
            Ok(EXIT_OK)
        }
        Some(Command::Score(args)) => score::run(&args),
        None => batch::run(&cli.repair),
    }
}
