//! Command-line arguments, parsed once by clap.

use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use unspin_core::markup::Markup;

/// Repair synonym-spun text: restore the original wording, leave clean text alone.
///
/// Reads each PATH (or standard input when there is none, or for `-`) and
/// writes the repaired text to standard output, in order. `-h` gives a
/// summary of the options, `--help` the details.
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
    ///
    /// Folders are walked recursively and need -o or -w (or a report:
    /// --diff, --format json or brief, --check). A file named like a
    /// subcommand, such as `dict`, can be given as `./dict`.
    pub paths: Vec<PathBuf>,

    /// Write repaired copies under DIR.
    ///
    /// The copies mirror the inputs' tree; files with nothing to repair are
    /// copied too.
    #[arg(short = 'o', long = "output", value_name = "DIR", conflicts_with_all = ["write", "check"])]
    pub output: Option<PathBuf>,

    /// Repair files in place, atomically.
    ///
    /// Files with nothing to repair are not touched; a rewritten file keeps
    /// its mode, owner, group and extended attributes (ACLs), or is left as
    /// it is with an error. Only regular files are rewritten (a link is
    /// written through); a named pipe or a device is refused.
    #[arg(short = 'w', long = "write", conflicts_with = "check")]
    pub write: bool,

    /// Print a diff of what would change.
    ///
    /// A unified diff instead of the text, coloured when stdout is a
    /// terminal (see --color).
    #[arg(long, conflicts_with = "format")]
    pub diff: bool,

    /// Print `text`, or the edits as `json` or `brief`.
    ///
    /// `text` (the default) prints the repaired text; `json` (or `jsonl`) prints JSON
    /// Lines, one object per edit and a summary object last; `brief` prints
    /// one line per edit, `path:line:column: spun -> restored`, the column
    /// counted in characters from 1 (see docs/USAGE.md).
    #[arg(long, value_enum, value_name = "FORMAT", hide_possible_values = true)]
    pub format: Option<Format>,

    /// Change nothing; exit 1 if any input would change.
    ///
    /// Exits 0 if no input would change, 1 if any would, 2 on error. Prints
    /// nothing but errors, unless a report is asked for (--diff, --format
    /// json or brief) or --stats.
    #[arg(long)]
    pub check: bool,

    /// Colour: auto, always or never.
    ///
    /// Only --diff is coloured. `auto` colours when stdout is a terminal
    /// and the NO_COLOR environment variable is not set (CLICOLOR_FORCE
    /// forces colour); `always` and `never` decide regardless.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, hide_possible_values = true)]
    pub color: ColorWhen,

    /// Input: auto, text, html or jsonl.
    ///
    /// `auto` reads an input that starts like an HTML page (after any
    /// comments: `<!DOCTYPE html`, `<html`, `<head>`, `<body>`, `<div>`, …)
    /// or is named `.html`, `.htm`, `.xhtml` or `.shtml` as `html`, any
    /// other as `text`; `html`
    /// repairs only a page's running text, leaving tags, attributes,
    /// scripts, styles, code and character references as they are; `jsonl`
    /// reads one JSON object per line whose text field is repaired (output:
    /// the same lines, byte for byte but for the repaired words, plus the
    /// edits under --edits-field).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = InputFormat::Auto, hide_possible_values = true)]
    pub input_format: InputFormat,

    /// Field of the text in JSON Lines.
    ///
    /// The field of each record that --input-format jsonl repairs.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,

    /// Field added for the edits.
    ///
    /// The field --input-format jsonl adds to each record for its edits.
    /// A record that already has it is passed through unchanged and
    /// reported, never overwritten.
    #[arg(long, value_name = "NAME", default_value = crate::json::DEFAULT_EDITS_FIELD)]
    pub edits_field: String,

    /// Threads to use (default: all cores).
    #[arg(short = 'j', long = "threads", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Learn the inputs' spinner first, then repair.
    ///
    /// A first pass over the inputs learns as `unspin learn` does, then
    /// the repair pass consults the learned edges first. Assumes one
    /// spinner (or one family) for all the inputs: the mixture of spun
    /// documents by folder is printed so that a crawl of several can be
    /// split. Inputs must be files or folders (they are read twice).
    #[arg(long)]
    pub adapt: bool,

    #[command(flatten)]
    pub walk: WalkArgs,

    /// Repair files that look binary, not skip them.
    ///
    /// A file looks binary when its first 256 KiB hold a NUL byte. With -o
    /// or -w no such file is repaired, even one named on the command line
    /// (-o copies it as it is); a file named on the command line is
    /// repaired when its text goes to stdout.
    #[arg(long)]
    pub binary: bool,

    /// No progress bar, summary or notes.
    ///
    /// Errors are still reported. Notes tell of skipped files (binary ones,
    /// symbolic links).
    #[arg(short, long)]
    pub quiet: bool,

    /// Print the summary on stderr even for one input.
    ///
    /// The summary gives files, edits, bytes and MB/s. It is printed anyway for folders and with -o or -w; --stats prints it
    /// for a single file or standard input, and with --check.
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
    /// Only read files matching GLOB; `!GLOB` excludes.
    ///
    /// For example `-g '*.txt'`. Repeatable. Files named on the command line
    /// are always read.
    #[arg(short = 'g', long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,

    /// Also read hidden files and folders.
    ///
    /// Their names start with `.`. `.git`, `.hg` and `.svn` folders are never entered.
    #[arg(long)]
    pub hidden: bool,

    /// Skip what .gitignore and .ignore files ignore.
    ///
    /// Git's exclude files are read too. By default every file under a
    /// folder is read.
    #[arg(long)]
    pub gitignore: bool,

    /// Follow symbolic links met inside folders.
    ///
    /// Links named on the command line are always followed.
    #[arg(short = 'L', long = "follow")]
    pub follow: bool,
}

/// Options that choose the dictionaries and language model.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Add a dictionary (CSV or `unspin dict compile`).
    ///
    /// A CSV has the columns spun,original,weight,source. Repeatable; its
    /// entries take priority over the built-in ones, and earlier files over
    /// later ones.
    #[arg(long = "dict", value_name = "FILE")]
    pub dicts: Vec<PathBuf>,

    /// Never change the phrases listed in FILE.
    ///
    /// One phrase per line; `#` at a line's start or after a space starts a
    /// comment. Repeatable.
    #[arg(long = "allow", value_name = "FILE")]
    pub allow: Vec<PathBuf>,

    /// Do not use the built-in dictionary.
    ///
    /// Only the --dict files are used.
    #[arg(long)]
    pub no_default_dict: bool,

    /// Weigh the evidence that a document is spun with this cue table.
    ///
    /// A CSV `cue,log10_ratio,...` as made by scripts/build_cues.py, used
    /// instead of the built-in one.
    #[arg(long, value_name = "FILE", hide_short_help = true)]
    pub cues: Option<PathBuf>,

    /// Use this language model, not the built-in one.
    ///
    /// A file made by `unspin lm compile`.
    #[arg(long, value_name = "FILE")]
    pub lm: Option<PathBuf>,

    /// More repairs above 1, fewer below.
    ///
    /// Trades recall for precision; 1 is the default operating point (see
    /// the README).
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
    /// Judge whether each input is spun.
    ///
    /// One line per input with the probability and the evidence.
    Score(ScoreArgs),
    /// Learn a crawl's spinner from its spun text, for --dict.
    ///
    /// Weighs every dictionary phrase of every file in its context with
    /// the language model, credits each candidate original its posterior,
    /// re-estimates the dictionary's weights from those expected counts
    /// and weighs again, a few rounds. Writes the compiled
    /// dictionary (-o) and a CSV of the learned edges with their evidence
    /// beside it (the same name, .csv). See docs/USAGE.md.
    Learn(LearnArgs),
    /// Work with dictionaries.
    #[command(subcommand)]
    Dict(DictCommand),
    /// Work with language models.
    #[command(subcommand)]
    Lm(LmCommand),
    /// Print a shell completion script.
    ///
    /// For example `unspin completions bash > ~/.local/share/bash-completion/completions/unspin`
    /// (see the README for the other shells).
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout, or write every page.
    ///
    /// For example `unspin man > ~/.local/share/man/man1/unspin.1`, or
    /// `unspin man --dir ~/.local/share/man/man1` for that page and one per
    /// subcommand (unspin-score.1, unspin-learn.1, …), which it refers to.
    Man {
        /// Write unspin.1 and a page per subcommand into DIR instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Options of `unspin learn`.
#[derive(Debug, Args)]
pub struct LearnArgs {
    /// Files and folders of the crawl (read several times).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// The dictionary to write (the CSV goes beside it).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// The most rounds of re-estimating.
    #[arg(long, value_name = "N", default_value_t = crate::learn::DEFAULT_ITERATIONS as u16, value_parser = clap::value_parser!(u16).range(1..=20))]
    pub iterations: u16,

    /// Threads (default: one per core).
    #[arg(short = 'j', long = "threads", value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,

    /// Print only errors.
    #[arg(short, long)]
    pub quiet: bool,

    #[command(flatten)]
    pub walk: WalkArgs,

    #[command(flatten)]
    pub model: ModelArgs,
}

/// Options of `unspin score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Files and folders to judge; `-` or nothing reads standard input.
    ///
    /// Folders are walked recursively, in name order, as for repairing.
    pub paths: Vec<PathBuf>,

    /// Output: text or json.
    ///
    /// `text` prints one line per input: its path, `spun` or `clean`, the
    /// probability and the evidence; `json` one JSON object per input.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Text, hide_possible_values = true)]
    pub format: ScoreFormat,

    /// Print nothing; exit 1 if any input is spun.
    ///
    /// Exits 0 if no input is spun, 1 if any is, 2 on error; only errors
    /// are printed.
    #[arg(long)]
    pub check: bool,

    /// Spun above this probability.
    ///
    /// An input counts as spun when its probability is above it (0 to 1).
    #[arg(long, value_name = "P", default_value_t = 0.5, value_parser = probability)]
    pub threshold: f64,

    /// Input: auto, text or html.
    ///
    /// `auto` judges an input that starts like an HTML page (or is named
    /// `.html`/`.htm`) on its running text, as `html` does for any input;
    /// `text` judges every byte.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = PageFormat::Auto, hide_possible_values = true)]
    pub input_format: PageFormat,

    #[command(flatten)]
    pub walk: WalkArgs,

    #[command(flatten)]
    pub model: ModelArgs,
}

/// What the default command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The repaired text.
    Text,
    /// One JSON object per edit, and a summary.
    #[value(alias = "jsonl")]
    Json,
    /// One line per edit: `path:line:column: spun -> restored`.
    Brief,
}

/// How `score` prints its verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScoreFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    #[value(alias = "jsonl")]
    Json,
}

/// When output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// When stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// What `score` reads: text or HTML (JSON Lines records are not judged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PageFormat {
    /// HTML if the input starts like an HTML page, else plain text.
    Auto,
    /// Plain text: every byte is judged.
    Text,
    /// An HTML page: only its running text is judged.
    Html,
}

impl From<PageFormat> for InputFormat {
    fn from(format: PageFormat) -> InputFormat {
        match format {
            PageFormat::Auto => InputFormat::Auto,
            PageFormat::Text => InputFormat::Text,
            PageFormat::Html => InputFormat::Html,
        }
    }
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

    /// Whether `path` is named as JSON Lines (`.jsonl`, `.ndjson`) and this
    /// format (`auto`) would read it as text, which would rewrite its keys
    /// and its other fields' words along with the text.
    pub fn misreads_json_lines(self, path: Option<&Path>) -> bool {
        self == InputFormat::Auto
            && path
                .and_then(|p| p.extension())
                .and_then(|e| e.to_str())
                .is_some_and(|e| {
                    ["jsonl", "ndjson"]
                        .iter()
                        .any(|x| e.eq_ignore_ascii_case(x))
                })
    }
}

#[derive(Debug, Subcommand)]
pub enum DictCommand {
    /// Compile dictionary CSVs into one file for --dict.
    ///
    /// The CSVs have the columns spun,original,weight,source.
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

/// A probability: a number from 0 to 1 (NaN is not one).
fn probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("`{text}` is not a probability from 0 to 1")),
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
