//! The default command: repair files, folders and standard input.
//!
//! Arguments are checked once into a [`Plan`]; then every
//! input goes through the one worker ([`worker`]): it is streamed through
//! the library (text in chunks, JSON Lines a record at a time) and each
//! repaired piece is handed to the input's [sinks](crate::sink): the
//! destination (stdout, a mirror folder, the file itself, or nowhere) and
//! the report (diff or JSON Lines, on stdout). Folders are walked in
//! parallel ([`crate::walk`]), each walker thread repairing the files it
//! finds (as ripgrep does); stdout has a single writer, and a file's
//! output is never interleaved with another's.

mod plan;
mod worker;

use crate::args::RepairArgs;
use crate::output::{FileOut, SharedOut};
use crate::progress::{Reporter, Stats};
use crate::repairer::load_repairer;
use crate::sink::file::MirrorDirs;
use crate::{EXIT_ERROR, EXIT_FOUND, EXIT_OK};
use anyhow::Result;
use ignore::{WalkBuilder, WalkState};
use plan::{Dest, Plan, Report};
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;
use unspin_core::Repairer;
use worker::Job;

/// Exit status after Ctrl-C (128 + SIGINT, as shells report it), and
/// after SIGTERM or SIGHUP, which are handled alike.
pub const EXIT_INTERRUPTED: i32 = 130;

/// Set by the handler of SIGINT, SIGTERM and SIGHUP (`timeout`, docker
/// and systemd stop programs with SIGTERM, a closed terminal sends
/// SIGHUP); workers stop at the next chunk and temporary files are
/// deleted.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// What every worker shares.
struct Ctx<'a> {
    repairer: &'a Repairer,
    plan: &'a Plan,
    reporter: &'a Reporter,
    out: &'a SharedOut,
    /// Set when stdout failed: everyone stops.
    stop: AtomicBool,
    stdout_error: Mutex<Option<io::Error>>,
    /// With `-o`: the folders of its tree.
    mirror_dirs: Option<MirrorDirs>,
    /// JSON Lines objects read, and how many of them have the text field.
    objects: AtomicU64,
    with_field: AtomicU64,
}

impl Ctx<'_> {
    fn stopped(&self) -> bool {
        self.stop.load(Relaxed) || INTERRUPTED.load(Relaxed)
    }

    fn stdout_failed(&self, err: io::Error) {
        self.stop.store(true, Relaxed);
        let mut slot = self.stdout_error.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert(err);
    }
}

fn install_interrupt_handler() {
    // SIGINT, SIGTERM and SIGHUP (ctrlc's `termination` feature). A
    // second one ends the process at once.
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Relaxed) {
            std::process::exit(EXIT_INTERRUPTED);
        }
    });
}

/// Repairs what the command line names and returns the exit status.
pub fn run(args: &RepairArgs) -> Result<i32> {
    let mut plan = Plan::new(args)?;
    let mut repairer = load_repairer(&args.model)?;
    if args.adapt {
        if args.paths.is_empty() || args.paths.iter().any(|p| p.as_os_str() == "-") {
            anyhow::bail!(
                "--adapt reads its inputs twice: give files or folders, not standard input"
            );
        }
        let reporter = Reporter::new(plan.show_bar, args.quiet || args.check);
        let options = crate::learn::options(crate::learn::DEFAULT_ITERATIONS, args.threads);
        repairer =
            crate::learn::learn_from(repairer, &args.paths, &args.walk, &options, &reporter)?.0;
        if reporter.errors() > 0 {
            anyhow::bail!("--adapt: some inputs could not be read while learning");
        }
    }
    plan.make_out_dir()?;
    if matches!(plan.dest, Dest::Mirror(_) | Dest::InPlace) {
        install_interrupt_handler();
    }
    crate::input::hint_if_terminal(
        !args.quiet
            && plan
                .roots
                .iter()
                .any(|r| r.input == crate::input::Input::Stdin),
    );
    // --check prints only errors: no notes about skipped files either.
    let reporter = Reporter::new(plan.show_bar, args.quiet || args.check);
    let out = SharedOut::new();
    let ctx = Ctx {
        repairer: &repairer,
        plan: &plan,
        reporter: &reporter,
        out: &out,
        stop: AtomicBool::new(false),
        stdout_error: Mutex::new(None),
        mirror_dirs: match &plan.dest {
            Dest::Mirror(out) => Some(MirrorDirs::new(out)),
            _ => None,
        },
        objects: AtomicU64::new(0),
        with_field: AtomicU64::new(0),
    };
    let counting_done = AtomicBool::new(false);
    std::thread::scope(|scope| -> Result<()> {
        if plan.show_bar && plan.walked_roots().next().is_some() {
            let builder = plan.walk().builder(plan.walked_roots())?;
            let (reporter, done) = (&reporter, &counting_done);
            scope.spawn(move || count_inputs(builder, reporter, done));
        }
        let result = process_all(&ctx);
        counting_done.store(true, Relaxed);
        result
    })?;
    reporter.finish();
    if let Some(err) = ctx
        .stdout_error
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
    {
        return Err(err.into());
    }
    if plan.report == Report::Json {
        let summary = json_summary(&reporter);
        let mut tail = FileOut::locked(&out);
        writeln!(tail, "{summary}")?;
        tail.finish()?;
    }
    out.flush()?;
    if INTERRUPTED.load(Relaxed) {
        reporter.say("interrupted: finished files are written, none is half-written");
        return Ok(EXIT_INTERRUPTED);
    }
    if plan.jsonl && Stats::get(&ctx.objects) > 0 && Stats::get(&ctx.with_field) == 0 {
        reporter.error(&format!(
            "no record has a field `{}`: nothing was repaired (give the text's field with --text-field)",
            plan.fields.text
        ));
    }
    if plan.summary {
        let word = if plan.dest == Dest::Nowhere {
            "would change"
        } else {
            "changed"
        };
        reporter.say(&reporter.summary(word));
    }
    let stats = &reporter.stats;
    Ok(if Stats::get(&stats.errors) > 0 {
        EXIT_ERROR
    } else if plan.check && Stats::get(&stats.changed) > 0 {
        EXIT_FOUND
    } else {
        EXIT_OK
    })
}

/// Repairs every input: in order when the text goes to stdout, otherwise
/// standard input first and then the files and folders, in parallel.
fn process_all(ctx: &Ctx<'_>) -> Result<()> {
    let plan = ctx.plan;
    if plan.dest == Dest::Stdout {
        for root in &plan.roots {
            if ctx.stopped() {
                break;
            }
            if let Some(why) = plan.refusal(root) {
                ctx.reporter.error(&why);
                continue;
            }
            ctx.process(&Job {
                input: root.input.clone(),
                explicit: true,
            });
        }
        return Ok(());
    }
    if let Some(stdin) = plan.roots.iter().find(|r| r.input.path().is_none()) {
        ctx.process(&Job {
            input: stdin.input.clone(),
            explicit: true,
        });
    }
    if plan.walked_roots().next().is_none() {
        return Ok(());
    }
    let mut builder = plan.walk().builder(plan.walked_roots())?;
    if plan.threads == 1 {
        builder.sort_by_file_name(|a, b| a.cmp(b));
        for result in builder.build() {
            if matches!(ctx.visit(result), WalkState::Quit) {
                break;
            }
        }
    } else {
        builder
            .build_parallel()
            .run(|| Box::new(|result| ctx.visit(result)));
    }
    Ok(())
}

/// Counts the files and bytes to do, for the progress bar.
fn count_inputs(builder: WalkBuilder, reporter: &Reporter, done: &AtomicBool) {
    for entry in builder.build().flatten() {
        if done.load(Relaxed) {
            return;
        }
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_file() || (entry.depth() == 0 && !kind.is_dir()) {
            let bytes = entry.metadata().map_or(0, |m| m.len());
            reporter.add_total(1, bytes);
        }
    }
}

fn json_summary(reporter: &Reporter) -> serde_json::Value {
    let s = &reporter.stats;
    let bytes = Stats::get(&s.bytes);
    let secs = reporter.elapsed();
    serde_json::json!({
        "type": "summary",
        "files": Stats::get(&s.files),
        "changed": Stats::get(&s.changed),
        "edits": Stats::get(&s.edits),
        "bytes": bytes,
        "binary_skipped": Stats::get(&s.binary),
        "symlinks_skipped": Stats::get(&s.symlinks),
        "errors": Stats::get(&s.errors),
        "elapsed_s": secs,
        "mb_per_s": bytes as f64 / 1e6 / secs.max(1e-9),
    })
}
