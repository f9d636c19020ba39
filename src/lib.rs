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
mod learn;
mod output;
mod progress;
mod repairer;
mod score;
mod sink;
mod walk;

use anyhow::{bail, Result};
use args::{Cli, Command, DictCommand, LmCommand};
use clap::CommandFactory;
use std::io::Write;
use std::path::Path;

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
        Some(Command::Learn(args)) => learn::run(&args),
        Some(Command::Completions { shell }) => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "unspin", &mut out);
            out.flush()?;
            Ok(EXIT_OK)
        }
        Some(Command::Man { dir: Some(dir) }) => {
            clap_mangen::generate_to(Cli::command(), &dir)
                .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
            Ok(EXIT_OK)
        }
        Some(Command::Man { dir: None }) => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(Cli::command())
                .title("UNSPIN")
                .render(&mut out)?;
            out.flush()?;
            Ok(EXIT_OK)
        }
        None => {
            if let Some(first) = cli.repair.paths.first() {
                if let Some(name) = mistyped_subcommand(first) {
                    bail!(
                        "no such file '{}'; did you mean `unspin {name}`? (give a file of that name as ./{})",
                        first.display(),
                        first.display()
                    );
                }
            }
            batch::run(&cli.repair)
        }
    }
}

/// The subcommand a first argument that names no file was probably meant
/// to be (`unspin scor file`): a bare word, not a path, within two typos
/// of a subcommand's name. Anything that exists, or looks like a path
/// (a separator, a dot), is an input as given.
fn mistyped_subcommand(arg: &Path) -> Option<String> {
    let word = arg.to_str()?;
    if word.len() < 2
        || !word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        || arg.symlink_metadata().is_ok()
    {
        return None;
    }
    Cli::command()
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .filter(|name| name != "help")
        .map(|name| (strsim::damerau_levenshtein(word, &name), name))
        .filter(|(distance, name)| *distance <= 2.min(name.len() / 2))
        .min()
        .map(|(_, name)| name)
}
