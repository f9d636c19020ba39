//! Everything unspin says on stderr in a batch: the progress bar, notes and
//! errors (printed through the bar so lines never interleave with it), and
//! the closing summary.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// Counters of a run, shared by all workers.
#[derive(Debug, Default)]
pub struct Stats {
    /// Files read to the end (changed or not).
    pub files: AtomicU64,
    pub changed: AtomicU64,
    pub edits: AtomicU64,
    pub bytes: AtomicU64,
    pub binary: AtomicU64,
    pub symlinks: AtomicU64,
    pub errors: AtomicU64,
}

impl Stats {
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Relaxed)
    }
}

/// The stderr side of a run.
pub struct Reporter {
    bar: Option<ProgressBar>,
    quiet: bool,
    pub stats: Stats,
    total_files: AtomicU64,
    done: AtomicU64,
    started: Instant,
}

impl Reporter {
    /// A reporter; the bar is drawn only when `show_bar`.
    pub fn new(show_bar: bool, quiet: bool) -> Reporter {
        let bar = show_bar.then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
                )
                .expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Reporter {
            bar,
            quiet,
            stats: Stats::default(),
            total_files: AtomicU64::new(0),
            done: AtomicU64::new(0),
            started: Instant::now(),
        }
    }

    /// Prints `unspin: {message}` on stderr, above the bar.
    pub fn say(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("unspin: {message}")),
            None => eprintln!("unspin: {message}"),
        }
    }

    /// Reports a failed file or write; the run will exit with status 2.
    pub fn error(&self, message: &str) {
        self.stats.errors.fetch_add(1, Relaxed);
        self.say(message);
    }

    /// A note (a skipped file): silent with --quiet.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            self.say(message);
        }
    }

    /// Files and bytes found by the counting walk.
    pub fn add_total(&self, files: u64, bytes: u64) {
        self.total_files.fetch_add(files, Relaxed);
        if let Some(bar) = &self.bar {
            bar.inc_length(bytes);
        }
    }

    /// Starts a new pass over `bytes` bytes (learning reads its inputs
    /// several times): the bar starts again, showing `what`.
    pub fn start_pass(&self, what: &str, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(0);
            bar.set_length(bytes);
            bar.set_message(what.to_string());
        }
    }

    /// How many errors were reported.
    pub fn errors(&self) -> u64 {
        Stats::get(&self.stats.errors)
    }

    /// Bytes repaired.
    pub fn advance(&self, bytes: u64) {
        self.stats.bytes.fetch_add(bytes, Relaxed);
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
    }

    /// A file is finished (whatever became of it).
    pub fn file_done(&self) {
        let done = self.done.fetch_add(1, Relaxed) + 1;
        if let Some(bar) = &self.bar {
            let total = self.total_files.load(Relaxed).max(done);
            bar.set_message(format!("{done}/{total} files"));
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// Seconds since the run started.
    pub fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// The closing summary, one line: files read, changed, edits, bytes,
    /// time and rate, then what was skipped or failed.
    pub fn summary(&self, changed_word: &str) -> String {
        let s = &self.stats;
        let files = Stats::get(&s.files);
        let bytes = Stats::get(&s.bytes);
        let secs = self.elapsed();
        let mut line = format!(
            "{} read, {} {changed_word}, {} in {}, {:.2} s ({:.1} MB/s)",
            plural(files, "file"),
            Stats::get(&s.changed),
            plural(Stats::get(&s.edits), "edit"),
            size(bytes),
            secs,
            bytes as f64 / 1e6 / secs.max(1e-9),
        );
        let binary = Stats::get(&s.binary);
        if binary > 0 {
            line.push_str(&format!("; {} skipped", plural(binary, "binary file")));
        }
        let links = Stats::get(&s.symlinks);
        if links > 0 {
            line.push_str(&format!("; {} not followed (-L)", plural(links, "symlink")));
        }
        let errors = Stats::get(&s.errors);
        if errors > 0 {
            line.push_str(&format!("; {}", plural(errors, "error")));
        }
        line
    }
}

/// A byte count for people: 512 bytes, 12.3 kB, 14.2 MB.
fn size(bytes: u64) -> String {
    match bytes {
        0..=999 => plural(bytes, "byte"),
        1000..=999_999 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
