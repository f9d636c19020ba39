//! The one worker: reads an input, repairs it piece by piece through the
//! library, and hands every piece to the input's sinks, whatever the
//! input's format and whatever the outputs. What happens to an input
//! (read, skipped, failed) is settled here once for all outputs.

use super::plan::{Dest, Report};
use super::Ctx;
use crate::input::{describe, Input};
use crate::jsonl;
use crate::sink::brief::BriefSink;
use crate::sink::diff::DiffSink;
use crate::sink::file::FileSink;
use crate::sink::json::JsonSink;
use crate::sink::text::StdoutText;
use crate::sink::{Fail, Piece, Sink};
use crate::walk::{classify, walk_error, Found};
use ignore::{DirEntry, WalkState};
use std::fs::Metadata;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::atomic::Ordering::Relaxed;
use unspin_core::stream::{self, StreamError};

/// One input to repair.
pub struct Job {
    pub input: Input,
    /// Named on the command line (skipped as binary only when its text
    /// would be written to a file: see [`Plan::skips_binary`]).
    ///
    /// [`Plan::skips_binary`]: super::plan::Plan::skips_binary
    pub explicit: bool,
}

/// How reading an input ended.
enum Outcome {
    /// Read to the end, with this many edits.
    Done(u64),
    /// Not repaired, and why (already reported).
    Skipped,
    /// Reading failed: the message names the input.
    Unreadable(String),
    /// A sink failed.
    Failed(Fail),
}

impl Ctx<'_> {
    /// Handles one walk result; stops the walk when the run must end.
    pub(super) fn visit(&self, result: Result<DirEntry, ignore::Error>) -> WalkState {
        if self.stopped() {
            return WalkState::Quit;
        }
        let entry = match result {
            Ok(entry) => entry,
            Err(err) => {
                self.reporter.error(&walk_error(&err));
                return WalkState::Continue;
            }
        };
        match classify(entry) {
            Found::File { path, explicit } => self.process(&Job {
                input: Input::File(path),
                explicit,
            }),
            Found::Symlink => {
                self.reporter.stats.symlinks.fetch_add(1, Relaxed);
            }
            Found::Other => {}
        }
        if self.stopped() {
            WalkState::Quit
        } else {
            WalkState::Continue
        }
    }

    /// Repairs one input into its sinks.
    pub(super) fn process(&self, job: &Job) {
        self.process_input(job);
        self.reporter.file_done();
    }

    fn process_input(&self, job: &Job) {
        if let (Dest::InPlace, Some(path)) = (&self.plan.dest, job.input.path()) {
            if let Some(kind) = not_regular(path) {
                let name = job.input.name();
                return self.reporter.error(&format!(
                    "{name}: {kind}, not a regular file: -w rewrites only regular files"
                ));
            }
        }
        let (reader, meta) = match job.input.open() {
            Ok(opened) => opened,
            Err(err) => {
                let name = job.input.name();
                return self.reporter.error(&format!("{name}: {}", describe(&err)));
            }
        };
        let mut sinks = self.sinks(job, meta);
        let outcome = if self.plan.jsonl {
            self.repair_records(job, reader, &mut sinks)
        } else if self.plan.writes_files()
            && self.plan.input_format.misreads_json_lines(job.input.path())
        {
            self.reporter.note(&format!(
                "{}: JSON Lines by its name, skipped (--input-format jsonl repairs its records)",
                job.input.name()
            ));
            Outcome::Skipped
        } else {
            self.repair_text(job, reader, &mut sinks)
        };
        let edits = match outcome {
            Outcome::Done(edits) => edits,
            Outcome::Skipped => {
                for sink in sinks {
                    if let Err(fail) = sink.skipped() {
                        return self.failed(fail);
                    }
                }
                return;
            }
            Outcome::Unreadable(msg) => return self.reporter.error(&msg),
            Outcome::Failed(fail) => return self.failed(fail),
        };
        for sink in sinks {
            if let Err(fail) = sink.finish() {
                return self.failed(fail);
            }
        }
        let stats = &self.reporter.stats;
        stats.files.fetch_add(1, Relaxed);
        stats.edits.fetch_add(edits, Relaxed);
        stats.changed.fetch_add((edits > 0) as u64, Relaxed);
    }

    /// The outputs of `job`, destination first, as the plan asks.
    fn sinks<'s>(&'s self, job: &'s Job, meta: Option<Metadata>) -> Vec<Box<dyn Sink + 's>> {
        let plan = self.plan;
        let mut sinks: Vec<Box<dyn Sink + 's>> = Vec::new();
        match (&plan.dest, &self.mirror_dirs, job.input.path(), meta) {
            (Dest::Stdout, ..) => sinks.push(Box::new(StdoutText::new(self.out))),
            (Dest::Mirror(_), Some(dirs), Some(path), Some(meta)) => sinks.push(Box::new(
                FileSink::mirror(path, plan.mirror_path(path), meta, dirs),
            )),
            (Dest::InPlace, _, Some(path), Some(meta)) => {
                sinks.push(Box::new(FileSink::in_place(path, meta)))
            }
            // The plan refuses -o and -w for standard input.
            _ => {}
        }
        match plan.report {
            Report::Diff => sinks.push(Box::new(DiffSink::new(&job.input, self.out, plan.color))),
            Report::Brief => sinks.push(Box::new(BriefSink::new(&job.input, self.out))),
            Report::Json => sinks.push(Box::new(JsonSink::new(&job.input, self.out))),
            Report::None => {}
        }
        sinks
    }

    /// Hands `piece` to every sink, unless the run is stopping.
    fn feed(&self, sinks: &mut [Box<dyn Sink + '_>], piece: &Piece<'_>) -> Result<(), Fail> {
        if self.stopped() {
            return Err(Fail::Interrupted);
        }
        for sink in sinks.iter_mut() {
            sink.piece(piece)?;
        }
        self.reporter.advance(piece.input_len() as u64);
        Ok(())
    }

    /// A text or HTML input, streamed in chunks.
    fn repair_text(
        &self,
        job: &Job,
        reader: Box<dyn Read>,
        sinks: &mut [Box<dyn Sink + '_>],
    ) -> Outcome {
        let plan = self.plan;
        let name = job.input.name();
        let options = stream::Options {
            chunk_size: plan.chunk_size,
            threads: plan.threads,
            skip_binary: plan.skips_binary(job.explicit),
            markup: plan.input_format.markup_of(job.input.path()),
        };
        let result = stream::repair_chunks(self.repairer, reader, &options, |chunk| {
            self.feed(sinks, &Piece::Text(chunk))
        });
        match result {
            Ok(totals) => {
                if totals.unrepaired_page {
                    // Passed through as it is: reported, not lost.
                    self.reporter.error(&format!(
                        "{name}: an HTML page over {} MiB, too large to read whole: passed through unrepaired",
                        stream::MAX_PAGE >> 20
                    ));
                }
                Outcome::Done(totals.edits as u64)
            }
            Err(StreamError::Binary) => {
                self.reporter.stats.binary.fetch_add(1, Relaxed);
                self.reporter.note(&format!(
                    "{name}: binary file skipped (--binary repairs it)"
                ));
                Outcome::Skipped
            }
            Err(StreamError::PageTooLarge) => unreachable!("a repair passes a large page through"),
            Err(StreamError::Read(err)) => {
                Outcome::Unreadable(format!("{name}: {}", describe(&err)))
            }
            Err(StreamError::Visit(fail)) => Outcome::Failed(fail),
        }
    }

    /// A JSON Lines input, a record at a time.
    fn repair_records(
        &self,
        job: &Job,
        reader: Box<dyn Read>,
        sinks: &mut [Box<dyn Sink + '_>],
    ) -> Outcome {
        let plan = self.plan;
        let name = job.input.name();
        let mut bad = Vec::new();
        let result = jsonl::repair(
            self.repairer,
            BufReader::with_capacity(1 << 16, reader),
            &plan.fields,
            crate::json::MAX_RECORD,
            plan.threads,
            &mut bad,
            |piece| self.feed(sinks, piece),
        );
        for record in &bad {
            self.reporter
                .error(&format!("{name}: line {}: {}", record.line, record.reason));
        }
        match result {
            Ok(totals) => {
                self.objects.fetch_add(totals.objects, Relaxed);
                self.with_field.fetch_add(totals.with_field, Relaxed);
                Outcome::Done(totals.edits)
            }
            Err(jsonl::Failure::Read(err)) => {
                Outcome::Unreadable(format!("{name}: {}", describe(&err)))
            }
            Err(jsonl::Failure::Visit(fail)) => Outcome::Failed(fail),
        }
    }

    fn failed(&self, fail: Fail) {
        match fail {
            Fail::File(msg) => self.reporter.error(&msg),
            Fail::Stdout(err) => self.stdout_failed(err),
            Fail::Interrupted => {}
        }
    }
}

/// What `path` is when, links followed, it is something other than a
/// regular file: `-w` would put a regular file in its place (a named pipe
/// would become a file holding what was read from it), so it is refused
/// before it is opened (opening a pipe no one writes to would wait for
/// ever). `None` for a regular file, or for one that cannot be looked at,
/// which opening it reports.
fn not_regular(path: &Path) -> Option<&'static str> {
    let kind = std::fs::metadata(path).ok()?.file_type();
    if kind.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("a device");
        }
    }
    Some(if kind.is_dir() {
        "a directory"
    } else {
        "a special file"
    })
}
