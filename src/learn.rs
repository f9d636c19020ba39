//! `unspin learn` and `--adapt`: learning a crawl's spinner from its files.
//!
//! The library ([`unspin_core::learn`]) learns from documents; this module
//! finds them: it walks the paths as the batch mode does, in name order,
//! and hands out each file as documents of at most [`DOCUMENT_SIZE`] bytes
//! (cut at a paragraph break), so that a file of any size is read a piece
//! at a time. Each pass reads the files again: only counts are kept
//! between passes. A file that cannot be read is reported once, on the
//! first pass, and left out of the others.

use crate::args::{InputFormat, LearnArgs, WalkArgs};
use crate::compile::same_file;
use crate::input::describe;
use crate::progress::Reporter;
use crate::walk::{classify, walk_error, walk_root, Found, Walk};
use anyhow::{anyhow, bail, Result};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use unspin_core::learn::{self, Document, GroupMixture, LearnedEdge, Progress};
use unspin_core::markup::prose_view;
use unspin_core::Repairer;

/// The most bytes of one document: a file larger than this is read as
/// several (the document prior judges each on its own, as the repair of
/// a large file judges it a chunk at a time).
pub const DOCUMENT_SIZE: usize = unspin_core::stream::DEFAULT_CHUNK_SIZE;

/// Rounds of learning unless told otherwise.
pub const DEFAULT_ITERATIONS: usize = 4;

/// The files of a crawl, in walk order, with the folder each is in.
struct Crawl {
    files: Vec<(PathBuf, usize)>,
    /// The folders, by group index.
    groups: Vec<String>,
    /// Files that failed on a pass: reported once, then skipped.
    failed: RefCell<BTreeSet<PathBuf>>,
}

impl Crawl {
    /// Walks `paths` (files and folders) in name order.
    fn find(paths: &[PathBuf], walk_args: &WalkArgs, reporter: &Reporter) -> Result<Crawl> {
        let walk = Walk {
            args: walk_args,
            threads: 1,
            skip_dir: None,
        };
        let mut crawl = Crawl {
            files: Vec::new(),
            groups: Vec::new(),
            failed: RefCell::new(BTreeSet::new()),
        };
        for path in paths {
            if path.as_os_str() == "-" {
                bail!("learn reads files and folders, not standard input: it reads them several times");
            }
            if !path.is_dir() {
                crawl.add(path.clone());
                continue;
            }
            let mut builder = walk.builder([walk_root(path).as_path()])?;
            builder.sort_by_file_name(|a, b| a.cmp(b));
            for result in builder.build() {
                match result {
                    Ok(entry) => {
                        if let Found::File { path, .. } = classify(entry) {
                            crawl.add(path);
                        }
                    }
                    Err(err) => reporter.error(&walk_error(&err)),
                }
            }
        }
        Ok(crawl)
    }

    fn add(&mut self, path: PathBuf) {
        let folder = path
            .parent()
            .map(|p| p.display().to_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| ".".to_string());
        let group = match self.groups.iter().position(|g| *g == folder) {
            Some(i) => i,
            None => {
                self.groups.push(folder);
                self.groups.len() - 1
            }
        };
        self.files.push((path, group));
    }

    /// The total size of the files, for the progress bar.
    fn bytes(&self) -> u64 {
        self.files
            .iter()
            .filter_map(|(p, _)| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum()
    }

    /// One pass over the documents of every file.
    fn documents<'a>(&'a self, reporter: &'a Reporter) -> impl Iterator<Item = Document> + 'a {
        self.files
            .iter()
            .filter(|(path, _)| !self.failed.borrow().contains(path))
            .flat_map(move |(path, group)| {
                let pieces = match Pieces::open(path) {
                    Ok(pieces) => Some(pieces),
                    Err(err) => {
                        self.fail(path, &err, reporter);
                        None
                    }
                };
                // A page (by its name, or by how its first piece starts)
                // is read for its prose only, as the batch mode reads it:
                // its markup is blanked, not read as words.
                let markup = InputFormat::Auto.markup_of(Some(path));
                let mut html = None;
                pieces
                    .into_iter()
                    .flatten()
                    .map_while(move |piece| match piece {
                        Ok(text) => {
                            let page = *html.get_or_insert_with(|| markup.is_html(&text));
                            Some(Document {
                                text: if page { prose_view(&text) } else { text },
                                group: *group,
                            })
                        }
                        Err(PieceError::Binary) => {
                            // As the batch mode skips one: a note, not an error.
                            if self.failed.borrow_mut().insert(path.to_path_buf()) {
                                reporter.note(&format!("{}: binary file skipped", path.display()));
                            }
                            None
                        }
                        Err(PieceError::Read(err)) => {
                            self.fail(path, &err, reporter);
                            None
                        }
                    })
            })
    }

    fn fail(&self, path: &Path, err: &anyhow::Error, reporter: &Reporter) {
        if self.failed.borrow_mut().insert(path.to_path_buf()) {
            reporter.error(&format!("{err:#}"));
        }
    }
}

/// Why a file yields no more documents.
enum PieceError {
    /// Its first piece holds a NUL byte: it is not text.
    Binary,
    Read(anyhow::Error),
}

/// A file read as documents of at most [`DOCUMENT_SIZE`] bytes, each cut
/// after the last blank line (else the last line break) that fits. A file
/// whose first piece holds a NUL byte is binary, as the batch mode judges
/// it by its first chunk: a NUL further in is read as text there too.
struct Pieces {
    name: String,
    file: std::fs::File,
    buffer: Vec<u8>,
    done: bool,
    first: bool,
}

impl Pieces {
    fn open(path: &Path) -> Result<Pieces> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| anyhow!("{name}: {}", describe(&e)))?;
        Ok(Pieces {
            name,
            file,
            buffer: Vec::new(),
            done: false,
            first: true,
        })
    }
}

impl Iterator for Pieces {
    type Item = Result<Vec<u8>, PieceError>;

    fn next(&mut self) -> Option<Result<Vec<u8>, PieceError>> {
        while !self.done && self.buffer.len() < DOCUMENT_SIZE {
            let start = self.buffer.len();
            self.buffer.resize(DOCUMENT_SIZE, 0);
            match self.file.read(&mut self.buffer[start..]) {
                Ok(0) => {
                    self.buffer.truncate(start);
                    self.done = true;
                }
                Ok(n) => self.buffer.truncate(start + n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
                    self.buffer.truncate(start)
                }
                Err(e) => {
                    self.done = true;
                    self.buffer.clear();
                    return Some(Err(PieceError::Read(anyhow!(
                        "{}: {}",
                        self.name,
                        describe(&e)
                    ))));
                }
            }
        }
        if self.buffer.is_empty() {
            return None;
        }
        if std::mem::take(&mut self.first) && self.buffer.contains(&0) {
            self.done = true;
            self.buffer.clear();
            return Some(Err(PieceError::Binary));
        }
        let cut = if self.done {
            self.buffer.len()
        } else {
            cut_point(&self.buffer)
        };
        let rest = self.buffer.split_off(cut);
        Some(Ok(std::mem::replace(&mut self.buffer, rest)))
    }
}

/// Where to end a full buffer: after its last blank line, else its last
/// line break, else its last space, else at its end.
fn cut_point(buffer: &[u8]) -> usize {
    let after = |needle: &[u8]| {
        buffer
            .windows(needle.len())
            .rposition(|w| w == needle)
            .map(|i| i + needle.len())
    };
    [&b"\n\n"[..], b"\n", b" "]
        .iter()
        .find_map(|needle| after(needle).filter(|&at| at > buffer.len() / 2))
        .unwrap_or(buffer.len())
}

/// Learns from the files under `paths` and returns the learned edges and
/// `repairer` with them consulted first. Progress and the mixture of
/// spun and clean documents by folder go to `reporter`.
pub fn learn_from(
    repairer: Repairer,
    paths: &[PathBuf],
    walk: &WalkArgs,
    options: &learn::Options,
    reporter: &Reporter,
) -> Result<(Repairer, learn::Learned)> {
    let crawl = Crawl::find(paths, walk, reporter)?;
    learn_crawl(repairer, &crawl, options, reporter)
}

/// Learns from the files of `crawl` (see [`learn_from`]).
fn learn_crawl(
    repairer: Repairer,
    crawl: &Crawl,
    options: &learn::Options,
    reporter: &Reporter,
) -> Result<(Repairer, learn::Learned)> {
    if crawl.files.is_empty() {
        bail!("no files to learn from");
    }
    let bytes = crawl.bytes();
    let (repairer, learned) = learn::learn(
        repairer,
        || crawl.documents(reporter),
        options,
        |event| {
            match event {
            Progress::Pass { round, counting } => {
                let what = if counting { "counting" } else { "weighing" };
                reporter.start_pass(&format!("round {round}: {what}"), bytes);
            }
            Progress::Document { bytes } => reporter.advance(bytes as u64),
            Progress::Round(r) => reporter.note(&format!(
                "round {}: {} documents, {:.0} expected swaps, log10 likelihood ratio to the text as written {:.1}; {} edges re-estimated, {} changed",
                r.round, r.documents, r.swaps.abs(), r.log_likelihood, r.edges, r.changed
            )),
        }
        },
    )?;
    reporter.finish();
    if learned.rounds.first().is_none_or(|r| r.documents == 0) {
        bail!("no file could be read: nothing learned");
    }
    for line in mixture_lines(&crawl.groups, &learned.mixture) {
        reporter.note(&line);
    }
    Ok((repairer, learned))
}

/// The mixture report: per folder, how many documents the prior calls
/// spun. `--adapt` assumes one spinner; folders of very different shares
/// are a sign of several.
fn mixture_lines(groups: &[String], mixture: &[GroupMixture]) -> Vec<String> {
    groups
        .iter()
        .zip(mixture)
        .filter(|(_, m)| m.documents > 0)
        .map(|(folder, m)| {
            format!(
                "{folder}: {} of {} documents spun (mean spun probability {:.2})",
                m.spun,
                m.documents,
                m.probability / m.documents as f64
            )
        })
        .collect()
}

/// The options of a learning run from the command line.
pub fn options(iterations: usize, threads: Option<u16>) -> learn::Options {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    learn::Options {
        iterations,
        threads: threads.map_or(cores, usize::from),
        ..learn::Options::default()
    }
}

/// `unspin learn PATH... -o FILE`.
pub fn run(args: &LearnArgs) -> Result<i32> {
    let csv_path = args.output.with_extension("csv");
    if csv_path == args.output {
        bail!(
            "-o {}: the compiled dictionary needs a name other than .csv (the CSV is written beside it)",
            args.output.display()
        );
    }
    let reporter = Reporter::new(std::io::stderr().is_terminal() && !args.quiet, args.quiet);
    let crawl = Crawl::find(&args.paths, &args.walk, &reporter)?;
    // Writing either output over a file of the crawl would lose it.
    for output in [&args.output, &csv_path] {
        if let Some((input, _)) = crawl.files.iter().find(|(f, _)| same_file(f, output)) {
            bail!(
                "{}: is also an output (-o {}): learning would overwrite it",
                input.display(),
                args.output.display()
            );
        }
    }
    // Both outputs are staged before the crawl is read, so that a path
    // that cannot be written fails at once, not after the rounds.
    let dict_out = crate::compile::stage_output(&args.output)?;
    let csv_out = crate::compile::stage_output(&csv_path)?;
    let repairer = crate::repairer::load_repairer(&args.model)?;
    let options = options(usize::from(args.iterations), args.threads);
    let (_, learned) = learn_crawl(repairer, &crawl, &options, &reporter)?;
    let entries = learn::entries(&learned.edges);
    let compiled = unspin_formats::dict::compile(&entries)?;
    crate::compile::commit_output(dict_out, &compiled)?;
    crate::compile::commit_output(csv_out, &edges_csv(&learned.edges)?)?;
    reporter.note(&format!(
        "wrote {} and {} ({} edges of {} phrases)",
        args.output.display(),
        csv_path.display(),
        learned.edges.len(),
        learned
            .edges
            .iter()
            .map(|e| &e.spun)
            .collect::<BTreeSet<_>>()
            .len()
    ));
    Ok(if reporter.errors() > 0 {
        crate::EXIT_ERROR
    } else {
        crate::EXIT_OK
    })
}

/// The learned edges as a CSV a person can review and `--dict` reads:
/// the dictionary columns, then the evidence.
fn edges_csv(edges: &[LearnedEdge]) -> Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "spun",
        "original",
        "weight",
        "source",
        "swaps",
        "spun_count",
        "swap_rate",
        "original_count",
        "prior_weight",
        "confidence",
    ])?;
    for e in edges {
        out.write_record([
            e.spun.as_str(),
            e.original.as_str(),
            &format!("{:.3}", e.weight),
            e.source.as_str(),
            &format!("{:.2}", e.swaps),
            &e.spun_count.to_string(),
            &format!("{:.3}", e.swap_rate),
            &format!("{:.1}", e.original_count),
            &format!("{:.3}", e.prior_weight),
            &format!("{:.3}", e.confidence),
        ])?;
    }
    out.into_inner().map_err(|e| anyhow!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::cut_point;

    #[test]
    fn a_full_buffer_is_cut_after_a_paragraph_else_a_line_else_a_word() {
        assert_eq!(cut_point(b"one two\n\nthree four\nfive six"), 20);
        // A paragraph break in the first half is too early: the last line
        // break is taken.
        assert_eq!(cut_point(b"a\n\nb c d e f g\nh i j k"), 15);
        assert_eq!(cut_point(b"one two three four"), 14);
        assert_eq!(cut_point(b"onetwothree"), 11);
    }
}
