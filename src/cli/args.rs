//! Command-line arguments, parsed once by clap.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Repair synonym-spun text: restore the original wording, leave clean text alone.
///
/// Reads each PATH (or standard input when there is none, or for `-`) and
/// writes the repaired text to standard output, in order.
#[derive(Debug, Parser)]
#[command(name = "unspin", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub repair: RepairArgs,
}

/// Options of the default command: repairing text.
#[derive(Debug, Args)]
pub struct RepairArgs {
    /// Files to repair; `-` or nothing reads standard input. (A file named
    /// like a subcommand, such as `dict`, can be given as `./dict`.)
    pub paths: Vec<PathBuf>,

    /// Print a unified diff of what would change instead of the text.
    #[arg(long)]
    pub diff: bool,

    #[command(flatten)]
    pub model: ModelArgs,
}

/// Options that choose the dictionaries and language model.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Add a dictionary: a CSV with columns spun,original,weight,source, or a
    /// file made by `unspin dict compile`. Repeatable.
    #[arg(long = "dict", value_name = "FILE")]
    pub dicts: Vec<PathBuf>,

    /// Do not use the built-in dictionary (only the --dict files).
    #[arg(long)]
    pub no_default_dict: bool,

    /// Use this language model (made by `unspin lm compile`) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub lm: Option<PathBuf>,

    /// log10 cost of each edit; higher changes less (default 1.0).
    #[arg(long, value_name = "COST", hide = true)]
    pub edit_penalty: Option<f32>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with dictionaries.
    #[command(subcommand)]
    Dict(DictCommand),
    /// Work with language models.
    #[command(subcommand)]
    Lm(LmCommand),
}

#[derive(Debug, Subcommand)]
pub enum DictCommand {
    /// Compile dictionary CSVs (columns spun,original,weight,source) into one
    /// file for --dict.
    Compile {
        /// CSV files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Where to write the compiled dictionary.
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum LmCommand {
    /// Compile an ARPA n-gram model (KenLM, SRILM, CMU Sphinx) into a file for --lm.
    Compile {
        /// The ARPA file (`-` for standard input).
        input: PathBuf,
        /// Where to write the compiled model.
        #[arg(short, long)]
        output: PathBuf,
    },
}
