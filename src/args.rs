//! Command-line arguments, parsed once by clap.

use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use unspin_core::markup::Markup;

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
    /// Files and folders to repair; `-` or nothing reads standard input.
    /// Folders are walked recursively and need -o or -w (or a report:
    /// --diff, --format json, --check). (A file named like a subcommand,
    /// such as `dict`, can be given as `./dict`.)
    pub paths: Vec<PathBuf>,

    /// Write repaired copies under DIR, mirroring the inputs' tree; files
    /// with nothing to repair are copied too.
    #[arg(short = 'o', long = "output", value_name = "DIR", conflicts_with_all = ["write", "check"])]
    pub output: Option<PathBuf>,

    /// Repair files in place, atomically; files with nothing to repair are
    /// not touched.
    #[arg(short = 'w', long = "write", conflicts_with = "check")]
    pub write: bool,

    /// Print a unified diff of what would change instead of the text.
    #[arg(long, conflicts_with = "format")]
    pub diff: bool,

    /// Report format: `text` prints the repaired text; `json` (or `jsonl`)
    /// prints JSON Lines, one object per edit and a summary object last.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Change nothing, print nothing (unless --diff or --format json): exit
    /// 0 if no file would change, 1 if any would, 2 on error.
    #[arg(long)]
    pub check: bool,

    /// Input format: `auto` reads an input that starts like an HTML page
    /// (`<!DOCTYPE html`, `<html`, `<head>`, `<body>`, a comment, …) or is
    /// named `.html`/`.htm` as `html`, any other as `text`; `html`
    /// repairs only a page's running text, leaving tags, attributes,
    /// scripts, styles, code and character references as they are; `jsonl`
    /// reads one JSON object per line whose text field is repaired (output:
    /// the same lines, byte for byte but for the repaired words, plus the
    /// edits under --edits-field).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,

    /// The field holding the text in --input-format jsonl.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,

    /// The field --input-format jsonl adds to each record for its edits. A
    /// record that already has it is passed through unchanged and reported,
    /// never overwritten.
    #[arg(long, value_name = "NAME", default_value = crate::json::DEFAULT_EDITS_FIELD)]
    pub edits_field: String,

    /// Threads to use (default: all cores).
    #[arg(short = 'j', long = "threads", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    #[command(flatten)]
    pub walk: WalkArgs,

    /// Repair files that look binary (a NUL byte in the first 256 KiB) instead
    /// of skipping them.
    #[arg(long)]
    pub binary: bool,

    /// No progress bar, no summary, no notes about skipped files (errors
    /// are still reported).
    #[arg(short, long)]
    pub quiet: bool,

    /// Print the summary (files, edits, bytes, MB/s) on stderr even for a
    /// single file or standard input.
    #[arg(long)]
    pub stats: bool,

    /// Bytes read and repaired at a time (for tests and tuning).
    #[arg(long, value_name = "BYTES", hide = true, default_value_t = unspin_core::stream::DEFAULT_CHUNK_SIZE, value_parser = chunk_size)]
    pub chunk_size: usize,

    #[command(flatten)]
    pub model: ModelArgs,
}

/// Which files of a folder are read (the same for repairing and scoring).
#[derive(Debug, Clone, Args)]
pub struct WalkArgs {
    /// Only read files in folders whose path matches GLOB (e.g. `*.txt`);
    /// `!GLOB` excludes. Repeatable. Files named on the command line are
    /// always read.
    #[arg(short = 'g', long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,

    /// Also read hidden files and folders (names starting with `.`).
    /// `.git`, `.hg` and `.svn` folders are never entered.
    #[arg(long)]
    pub hidden: bool,

    /// Skip what .gitignore, .ignore and git's exclude files ignore (by
    /// default every file under a folder is read).
    #[arg(long)]
    pub gitignore: bool,

    /// Follow symbolic links met inside folders (links named on the command
    /// line are always followed).
    #[arg(short = 'L', long = "follow")]
    pub follow: bool,
}

/// Options that choose the dictionaries and language model.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Add a dictionary: a CSV with columns spun,original,weight,source, or a
    /// file made by `unspin dict compile`. Repeatable; its entries take
    /// priority over the built-in ones, and earlier files over later ones.
    #[arg(long = "dict", value_name = "FILE")]
    pub dicts: Vec<PathBuf>,

    /// Never change these phrases: a file with one phrase per line (`#`
    /// starts a comment). Repeatable.
    #[arg(long = "allow", value_name = "FILE")]
    pub allow: Vec<PathBuf>,

    /// Do not use the built-in dictionary (only the --dict files).
    #[arg(long)]
    pub no_default_dict: bool,

    /// Weigh the evidence that a document is spun with this cue table (a
    /// CSV `cue,log10_ratio,...` as made by scripts/build_cues.py) instead
    /// of the built-in one.
    #[arg(long, value_name = "FILE", hide_short_help = true)]
    pub cues: Option<PathBuf>,

    /// Use this language model (made by `unspin lm compile`) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub lm: Option<PathBuf>,

    /// Trade recall for precision: above 1 repairs more, below 1 changes
    /// less. 1 is the default operating point (see the README).
    #[arg(long, value_name = "S", default_value_t = 1.0, value_parser = positive_f32)]
    pub strength: f32,

    /// Use this log10 edit penalty for every document, bypassing the
    /// document prior (for tuning).
    #[arg(long, value_name = "COST", hide = true)]
    pub edit_penalty: Option<f32>,

    /// Edit penalty for documents judged spun (for tuning).
    #[arg(long, value_name = "COST", hide = true)]
    pub spun_penalty: Option<f32>,

    /// Edit penalty for documents judged clean (for tuning).
    #[arg(long, value_name = "COST", hide = true)]
    pub clean_penalty: Option<f32>,

    /// Share of the edit penalty spared, in a spun document, for a
    /// candidate it has been repaired with elsewhere (for tuning).
    #[arg(long, value_name = "SHARE", hide = true)]
    pub consistency: Option<f32>,

    /// Share of a spun word's cue weight that keeping it costs in a spun
    /// document (for tuning).
    #[arg(long, value_name = "SHARE", hide = true)]
    pub keep_cost: Option<f32>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Judge whether each input is spun: one line per input with the
    /// probability and the evidence.
    Score(ScoreArgs),
    /// Work with dictionaries.
    #[command(subcommand)]
    Dict(DictCommand),
    /// Work with language models.
    #[command(subcommand)]
    Lm(LmCommand),
}

/// Options of `unspin score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Files and folders to judge; `-` or nothing reads standard input.
    /// Folders are walked recursively, in name order, as for repairing.
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Print nothing; exit 0 if no input is spun, 1 if any is, 2 on error.
    #[arg(long)]
    pub check: bool,

    /// Probability above which an input counts as spun.
    #[arg(long, default_value_t = 0.5)]
    pub threshold: f64,

    /// Input format: `auto` judges an input that starts like an HTML page
    /// on its running text, as `html` does for any input; `text` judges
    /// every byte.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,

    #[command(flatten)]
    pub walk: WalkArgs,

    #[command(flatten)]
    pub model: ModelArgs,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    #[value(alias = "jsonl")]
    Json,
}

/// What the inputs hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// HTML if the input starts like an HTML page, else plain text.
    Auto,
    /// Plain text, repaired byte for byte.
    Text,
    /// An HTML page: only its running text is repaired.
    Html,
    /// JSON Lines: one object per line with a text field.
    Jsonl,
}

impl InputFormat {
    /// How the prose of a text input is found.
    pub fn markup(self) -> Markup {
        match self {
            InputFormat::Text | InputFormat::Jsonl => Markup::Plain,
            InputFormat::Html => Markup::Html,
            InputFormat::Auto => Markup::Detect,
        }
    }

    /// How the prose of the file `path` is found: with `auto`, a file
    /// named `.html`, `.htm`, `.xhtml` or `.shtml` is a page whatever it
    /// starts with (a fragment saved from a page starts with its text).
    pub fn markup_of(self, path: Option<&Path>) -> Markup {
        let named_html = path
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .is_some_and(|e| {
                ["html", "htm", "xhtml", "shtml"]
                    .iter()
                    .any(|x| e.eq_ignore_ascii_case(x))
            });
        match self.markup() {
            Markup::Detect if named_html => Markup::Html,
            markup => markup,
        }
    }
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

fn chunk_size(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= unspin_core::stream::MIN_CHUNK_SIZE => Ok(n),
        _ => Err(format!(
            "`{text}` is not a number of bytes of at least {}",
            unspin_core::stream::MIN_CHUNK_SIZE
        )),
    }
}

fn positive_f32(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        Ok(v) if v > 0.0 => Err(format!("`{text}` is too large (at most {:e})", f32::MAX)),
        Ok(0.0) if text.parse::<f64>().is_ok_and(|v| v > 0.0) => Err(format!(
            "`{text}` is too small (at least {:e})",
            f32::MIN_POSITIVE
        )),
        _ => Err(format!("`{text}` is not a positive number")),
    }
}
