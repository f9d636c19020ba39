//! The `unspin` command: arguments in, files and exit codes out. All text
//! processing lives in the `unspin-core` library; this crate only does
//! I/O, and writes what the library finds in the shapes the command line
//! promises (text, diffs, JSON). src/main.rs is only the entry point; the
//! crate is a library as well so that the fuzz targets can check the JSON
//! shapes it prints.

pub mod args;
mod batch;
mod compile;
mod input;
pub mod json;
mod jsonl;
mod output;
mod progress;
mod repairer;
mod score;
mod sink;
mod walk;

use anyhow::Result;
use args::{Cli, Command, DictCommand, LmCommand};

/// Exit status when everything went well (and, for checks, nothing to change).
pub const EXIT_OK: i32 = 0;
/// Exit status of a check that found something (`score --check`: spun text).
pub const EXIT_FOUND: i32 = 1;
/// Exit status when any input or argument failed.
pub const EXIT_ERROR: i32 = 2;

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
