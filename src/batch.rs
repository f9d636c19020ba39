//! The default command: repair files, folders and standard input.
//!
//! Arguments are checked once into a [`Plan`]; then every input goes
//! through the same pipeline, whatever the output: the input is streamed
//! through the library ([`unspin_core::stream`]) and each repaired chunk is
//! handed to the destination (stdout, a mirror folder, the file itself, or
//! nowhere) and to the report (diff or JSON Lines, on stdout). Folders are
//! walked in parallel with the `ignore` crate, each walker thread repairing
//! the files it finds (as ripgrep does); stdout has a single writer, and a
//! file's output is never interleaved with another's.
//!
//! Choices for scraped data: every file under a folder is data, so
//! .gitignore files are not honoured unless `--gitignore` is given (a data
//! folder is often git-ignored as a whole, and a corpus should not silently
//! lose files). Hidden files and folders are skipped unless `--hidden`, and
//! `.git`, `.hg` and `.svn` are never entered, so `-w` cannot rewrite a
//! repository's internals. Symlinks inside folders are followed only with
//! `-L`; a path named on the command line is always followed.

use crate::args::{Format, InputFormat, RepairArgs};
use crate::diff::DiffWriter;
use crate::input::describe;
use crate::jsonl;
use crate::output::{copy_prefix, FileOut, SharedOut, Staged};
use crate::progress::{Reporter, Stats};
use crate::repairer::load_repairer;
use crate::{EXIT_ERROR, EXIT_FOUND, EXIT_OK};
use anyhow::{anyhow, bail, Result};
use ignore::{DirEntry, WalkBuilder, WalkState};
use std::collections::HashSet;
use std::fs::{File, Metadata};
use std::io::{self, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;
use unspin_core::stream::{self, StreamError};
use unspin_core::Repairer;

/// Exit status after Ctrl-C (128 + SIGINT, as shells report it), and
/// after SIGTERM or SIGHUP, which are handled alike.
pub const EXIT_INTERRUPTED: i32 = 130;

/// Set by the handler of SIGINT, SIGTERM and SIGHUP (`timeout`, docker
/// and systemd stop programs with SIGTERM, a closed terminal sends
/// SIGHUP); workers stop at the next chunk and temporary files are
/// deleted.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Where repaired text goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Dest {
    /// Standard output, inputs one after the other.
    Stdout,
    /// A copy of every input under this folder.
    Mirror(PathBuf),
    /// Back into each changed file.
    InPlace,
    /// Nowhere: only reports and the exit status.
    Nowhere,
}

/// What is printed on stdout about the edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Report {
    None,
    Diff,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Stdin,
    File,
    Dir,
}

/// A path given on the command line.
#[derive(Debug)]
struct Root {
    /// As given, for messages.
    arg: PathBuf,
    /// What the walker is given (a symlinked folder gets a trailing `/.`
    /// so that it is entered).
    walk: PathBuf,
    kind: Kind,
    /// With `-o`: where this root's files go.
    base: Option<PathBuf>,
}

/// The command line, checked.
struct Plan {
    roots: Vec<Root>,
    dest: Dest,
    report: Report,
    jsonl: bool,
    /// How a text input's prose is found (HTML or not).
    input_format: InputFormat,
    fields: crate::json::Fields,
    check: bool,
    threads: usize,
    chunk_size: usize,
    binary: bool,
    hidden: bool,
    gitignore: bool,
    follow: bool,
    globs: Vec<String>,
    show_bar: bool,
    summary: bool,
    /// Device and inode of the `-o` folder, so the walk never enters it.
    out_dir_id: Option<(u64, u64)>,
}

impl Plan {
    fn new(args: &RepairArgs) -> Result<Plan> {
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            args.paths.clone()
        };
        let mut roots: Vec<Root> = paths.iter().map(|p| Root::new(p)).collect();
        let jsonl = args.input_format == InputFormat::Jsonl;
        if jsonl && args.diff {
            bail!("--diff does not apply to --input-format jsonl");
        }
        if jsonl && args.text_field == args.edits_field {
            bail!(
                "--text-field and --edits-field are both `{}`: the edits would replace the text",
                args.text_field
            );
        }
        if jsonl && args.format == Some(Format::Text) {
            bail!(
                "--input-format jsonl writes JSON Lines: give --format jsonl or leave --format out"
            );
        }
        let reports = args.diff || args.format == Some(Format::Json);
        let dest = if args.write {
            Dest::InPlace
        } else if let Some(dir) = &args.output {
            Dest::Mirror(dir.clone())
        } else if args.check || (reports && !jsonl) {
            Dest::Nowhere
        } else {
            Dest::Stdout
        };
        let report = match (jsonl, args.diff, args.format) {
            (true, _, _) => Report::None,
            (false, true, _) => Report::Diff,
            (false, false, Some(Format::Json)) => Report::Json,
            _ => Report::None,
        };
        if dest == Dest::Stdout {
            if let Some(dir) = roots.iter().find(|r| r.kind == Kind::Dir) {
                bail!(
                    "{} is a directory: give -o DIR to write repaired copies or -w to repair in place (--diff, --format json and --check only report)",
                    dir.arg.display()
                );
            }
        }
        let writes_files = matches!(dest, Dest::Mirror(_) | Dest::InPlace);
        if writes_files && roots.iter().any(|r| r.kind == Kind::Stdin) {
            let flag = if args.write { "-w" } else { "-o" };
            bail!("{flag} needs files or folders, not standard input");
        }
        let mut out_dir_id = None;
        if let Dest::Mirror(out) = &dest {
            check_mirror_apart(out, &roots)?;
            std::fs::create_dir_all(out)
                .map_err(|e| anyhow!("{}: cannot create: {}", out.display(), describe(&e)))?;
            let id = file_id(&std::fs::metadata(out)?);
            out_dir_id = id;
            assign_mirror_bases(&mut roots, out)?;
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = match args.threads {
            Some(n) if n as usize > max_threads(cores) => bail!(
                "-j {n}: at most {} threads on this machine ({cores} cores): each thread holds a chunk and its working memory, and more threads than cores only add memory",
                max_threads(cores)
            ),
            Some(n) => n as usize,
            None => cores,
        };
        let has_dir = roots.iter().any(|r| r.kind == Kind::Dir);
        let stdout_used = dest == Dest::Stdout || report != Report::None;
        Ok(Plan {
            roots,
            dest,
            report,
            jsonl,
            input_format: args.input_format,
            fields: crate::json::Fields {
                text: args.text_field.clone(),
                edits: args.edits_field.clone(),
            },
            check: args.check,
            threads,
            chunk_size: args.chunk_size,
            binary: args.binary,
            hidden: args.hidden,
            gitignore: args.gitignore,
            follow: args.follow,
            globs: args.globs.clone(),
            show_bar: !args.quiet
                && io::stderr().is_terminal()
                && !(stdout_used && io::stdout().is_terminal()),
            summary: !args.quiet && (args.stats || has_dir || writes_files),
            out_dir_id,
        })
    }

    /// Where `-o` puts the copy of `path`, found under one of the roots.
    fn mirror_path(&self, path: &Path) -> Option<PathBuf> {
        let (root, rel) = self
            .roots
            .iter()
            .filter(|r| r.kind != Kind::Stdin)
            .filter_map(|r| path.strip_prefix(&r.walk).ok().map(|rel| (r, rel)))
            .max_by_key(|(r, _)| r.walk.components().count())?;
        let base = root.base.as_ref()?;
        Some(if rel.as_os_str().is_empty() {
            base.clone()
        } else {
            base.join(rel)
        })
    }

    fn walker(&self) -> Result<WalkBuilder> {
        let mut roots = self.roots.iter().filter(|r| r.kind != Kind::Stdin);
        let first = roots.next().expect("a walk has paths");
        let mut builder = WalkBuilder::new(&first.walk);
        for root in roots {
            builder.add(&root.walk);
        }
        let g = self.gitignore;
        builder
            .standard_filters(false)
            .hidden(!self.hidden)
            .parents(g)
            .ignore(g)
            .git_ignore(g)
            .git_global(g)
            .git_exclude(g)
            .require_git(false)
            .follow_links(self.follow)
            .threads(self.threads);
        if !self.globs.is_empty() {
            let mut overrides = ignore::overrides::OverrideBuilder::new(std::env::current_dir()?);
            for glob in &self.globs {
                overrides
                    .add(glob)
                    .map_err(|e| anyhow!("--glob {glob}: {e}"))?;
            }
            builder.overrides(overrides.build()?);
        }
        let out_dir = self.out_dir_id;
        builder.filter_entry(move |entry| {
            if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            if matches!(entry.file_name().to_str(), Some(".git" | ".hg" | ".svn")) {
                return false;
            }
            out_dir.is_none() || entry.metadata().ok().and_then(|m| file_id(&m)) != out_dir
        });
        Ok(builder)
    }
}

impl Root {
    fn new(path: &Path) -> Root {
        let (kind, walk) = if path.as_os_str() == "-" {
            (Kind::Stdin, path.to_path_buf())
        } else if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            (
                Kind::Dir,
                if link {
                    path.join(".")
                } else {
                    path.to_path_buf()
                },
            )
        } else {
            (Kind::File, path.to_path_buf())
        };
        Root {
            arg: path.to_path_buf(),
            walk,
            kind,
            base: None,
        }
    }
}

/// Refuses an `-o` folder that is an input, is inside one (its copies
/// would be written among the files being read, and read again) or holds
/// one (the copies would overwrite the inputs), compared after resolving
/// links; and an `-o` that is not a folder.
fn check_mirror_apart(out: &Path, roots: &[Root]) -> Result<()> {
    if std::fs::metadata(out).is_ok_and(|m| !m.is_dir()) {
        bail!(
            "-o {}: not a folder (-o needs a folder to write the repaired copies in)",
            out.display()
        );
    }
    let out_real = resolve(out)?;
    for root in roots.iter().filter(|r| r.kind != Kind::Stdin) {
        let Ok(input) = std::fs::canonicalize(&root.walk) else {
            continue; // reported when it is read
        };
        let (o, i) = (out.display(), root.arg.display());
        if out_real == input {
            bail!("-o {o} is the input {i} itself: use -w to repair in place");
        }
        if out_real.starts_with(&input) {
            bail!("-o {o} is inside the input {i}: the copies would be written among the files being read; give a folder outside it");
        }
        if input.starts_with(&out_real) {
            bail!("-o {o} holds the input {i}: the copies would overwrite the inputs; give a folder outside it");
        }
    }
    Ok(())
}

/// `path` made absolute with its links resolved, as far as it exists; the
/// part that does not exist yet is appended as written (`..` taken off).
fn resolve(path: &Path) -> Result<PathBuf> {
    let absolute = std::env::current_dir()?.join(path);
    let mut missing = Vec::new();
    let mut existing = absolute.as_path();
    let base = loop {
        match std::fs::canonicalize(existing) {
            Ok(real) => break real,
            Err(_) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    missing.push(name.to_os_string());
                    existing = parent;
                }
                _ => break absolute.clone(),
            },
        }
    };
    let mut real = base;
    for name in missing.into_iter().rev() {
        if name == ".." {
            real.pop();
        } else if name != "." {
            real.push(name);
        }
    }
    Ok(real)
}

/// The most threads `-j` may ask for: a few per core (a thread waiting on
/// a slow disk frees its core), never so many that their memory, tens of
/// megabytes each, or the system's thread limit is the bound.
fn max_threads(cores: usize) -> usize {
    (8 * cores).clamp(16, 256)
}

/// With one folder, `-o DIR` receives its contents; otherwise each path
/// goes to `DIR/<its name>`.
fn assign_mirror_bases(roots: &mut [Root], out: &Path) -> Result<()> {
    if let [root] = roots {
        if root.kind == Kind::Dir {
            root.base = Some(out.to_path_buf());
            return Ok(());
        }
    }
    let mut names = HashSet::new();
    for root in roots.iter_mut() {
        let name = match root.arg.file_name() {
            Some(name) => name.to_os_string(),
            None => std::fs::canonicalize(&root.arg)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_os_string()))
                .ok_or_else(|| anyhow!("{}: cannot name its copy under -o", root.arg.display()))?,
        };
        if !names.insert(name.clone()) {
            bail!(
                "two inputs are named {}: -o cannot hold both; give their parent folder instead",
                Path::new(&name).display()
            );
        }
        root.base = Some(out.join(name));
    }
    Ok(())
}

#[cfg(unix)]
fn file_id(meta: &Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &Metadata) -> Option<(u64, u64)> {
    None
}

/// One input to repair.
struct Job<'p> {
    /// `None` for standard input.
    path: Option<&'p Path>,
    /// Named on the command line (never skipped as binary).
    explicit: bool,
}

impl Job<'_> {
    fn name(&self) -> String {
        match self.path {
            Some(path) => path.display().to_string(),
            None => "<stdin>".to_string(),
        }
    }
}

/// Why repairing one file stopped.
enum Fail {
    /// A write to the destination failed: the message names it.
    File(String),
    /// Writing to stdout failed: the whole run stops.
    Stdout(io::Error),
    Interrupted,
}

/// What every worker shares.
struct Ctx<'a> {
    repairer: &'a Repairer,
    plan: &'a Plan,
    reporter: &'a Reporter,
    out: &'a SharedOut,
    /// Set when stdout failed: everyone stops.
    stop: AtomicBool,
    stdout_error: Mutex<Option<io::Error>>,
    /// Folders of the `-o` tree known to exist.
    made_dirs: Mutex<HashSet<PathBuf>>,
    /// JSON Lines objects read, and how many of them have the text field.
    objects: AtomicU64,
    with_field: AtomicU64,
}

impl Ctx<'_> {
    /// Starts writing `target`, first creating its folder under `-o`
    /// (once per folder: a mkdir per file costs as much as the file).
    fn stage(&self, target: &Path) -> Result<Staged, String> {
        if let (Dest::Mirror(_), Some(dir)) = (&self.plan.dest, target.parent()) {
            let mut made = self.made_dirs.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(dir) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("{}: cannot create: {}", dir.display(), describe(&e)))?;
                made.insert(dir.to_path_buf());
            }
        }
        Staged::create(target)
    }

    fn stopped(&self) -> bool {
        self.stop.load(Relaxed) || INTERRUPTED.load(Relaxed)
    }

    fn stdout_failed(&self, err: io::Error) {
        self.stop.store(true, Relaxed);
        let mut slot = self.stdout_error.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert(err);
    }

    /// Handles one walk result; stops the walk when the run must end.
    fn visit(&self, result: Result<DirEntry, ignore::Error>) -> WalkState {
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
        let Some(kind) = entry.file_type() else {
            return WalkState::Continue;
        };
        let explicit = entry.depth() == 0;
        if kind.is_dir() {
            return WalkState::Continue;
        }
        if !explicit {
            if kind.is_symlink() {
                self.reporter.stats.symlinks.fetch_add(1, Relaxed);
                return WalkState::Continue;
            }
            if !kind.is_file() {
                return WalkState::Continue; // sockets, pipes, devices
            }
        }
        self.process(&Job {
            path: Some(entry.path()),
            explicit,
        });
        if self.stopped() {
            WalkState::Quit
        } else {
            WalkState::Continue
        }
    }

    fn process(&self, job: &Job<'_>) {
        if self.plan.jsonl {
            self.process_jsonl(job);
        } else {
            self.process_text(job);
        }
        self.reporter.file_done();
    }

    /// Opens the input; an error is reported and gives `None`.
    fn open(&self, job: &Job<'_>) -> Option<(Box<dyn Read + '_>, Option<Metadata>)> {
        let Some(path) = job.path else {
            return Some((Box::new(io::stdin().lock()), None));
        };
        let opened = File::open(path).and_then(|file| {
            let meta = file.metadata()?;
            if meta.is_dir() {
                return Err(io::Error::other("is a directory"));
            }
            Ok((file, meta))
        });
        match opened {
            Ok((file, meta)) => Some((Box::new(file), Some(meta))),
            Err(err) => {
                self.reporter
                    .error(&format!("{}: {}", path.display(), describe(&err)));
                None
            }
        }
    }

    /// Where the repaired file is written: its `-o` copy, or for `-w` the
    /// file itself (through a symlink, the file it points to).
    fn target(&self, path: &Path) -> Result<PathBuf, String> {
        match &self.plan.dest {
            Dest::Mirror(_) => self
                .plan
                .mirror_path(path)
                .ok_or_else(|| format!("{}: outside the inputs", path.display())),
            _ => match std::fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path)
                    .map_err(|e| format!("{}: {}", path.display(), describe(&e))),
                _ => Ok(path.to_path_buf()),
            },
        }
    }

    fn process_text(&self, job: &Job<'_>) {
        let Some((reader, meta)) = self.open(job) else {
            return;
        };
        let name = job.name();
        let plan = self.plan;
        let mut text_out = (plan.dest == Dest::Stdout).then(|| FileOut::locked(self.out));
        let mut report_out = (plan.report != Report::None).then(|| FileOut::new(self.out));
        let mut diff = (plan.report == Report::Diff).then(|| {
            let raw = job.path.and_then(raw_bytes).unwrap_or(name.as_bytes());
            DiffWriter::new(raw)
        });
        let json_path = (plan.report == Report::Json).then(|| JsonPath::new(job));
        let mut staged: Option<Staged> = None;
        let mut changed = false;
        let options = stream::Options {
            chunk_size: plan.chunk_size,
            threads: plan.threads,
            skip_binary: !plan.binary && !job.explicit,
            markup: plan.input_format.markup_of(job.path),
        };
        let result = stream::repair_chunks(self.repairer, reader, &options, |chunk| {
            if INTERRUPTED.load(Relaxed) {
                return Err(Fail::Interrupted);
            }
            if let Some(out) = &mut text_out {
                chunk.write_repaired(out).map_err(Fail::Stdout)?;
            }
            let path = job.path.unwrap_or(Path::new("-"));
            let write_here = match plan.dest {
                Dest::Mirror(_) => true,
                Dest::InPlace => staged.is_some() || !chunk.edits.is_empty(),
                _ => false,
            };
            if write_here {
                if staged.is_none() {
                    let target = self.target(path).map_err(Fail::File)?;
                    let mut file = self.stage(&target).map_err(Fail::File)?;
                    if chunk.offset > 0 {
                        copy_prefix(path, chunk.offset as u64, &mut file).map_err(Fail::File)?;
                    }
                    staged = Some(file);
                }
                let file = staged.as_mut().expect("just created");
                chunk
                    .write_repaired(file.writer())
                    .map_err(|e| Fail::File(file.failed(&e)))?;
            }
            changed |= !chunk.edits.is_empty();
            if let (Some(diff), Some(out)) = (&mut diff, &mut report_out) {
                diff.chunk(out, chunk).map_err(Fail::Stdout)?;
            }
            if let (Some(json), Some(out)) = (&json_path, &mut report_out) {
                for (line, edit) in chunk.located_edits() {
                    json.write_edit(out, line, edit).map_err(Fail::Stdout)?;
                }
            }
            self.reporter.advance(chunk.text.len() as u64);
            Ok(())
        });
        let totals = match result {
            Ok(totals) => totals,
            Err(err @ (StreamError::Binary | StreamError::PageTooLarge)) => {
                if matches!(err, StreamError::Binary) {
                    self.reporter.stats.binary.fetch_add(1, Relaxed);
                    self.reporter.note(&format!(
                        "{name}: binary file skipped (--binary repairs it)"
                    ));
                } else {
                    self.reporter.error(&format!(
                        "{name}: an HTML page over {} MiB, too large to read whole: not repaired",
                        stream::MAX_PAGE >> 20
                    ));
                }
                if let (Dest::Mirror(_), Some(path)) = (&plan.dest, job.path) {
                    // A complete mirror: what is not repaired is copied as it is.
                    if let Err(msg) = self.copy_verbatim(path, meta) {
                        self.reporter.error(&msg);
                    }
                }
                return;
            }
            Err(StreamError::Read(err)) => {
                self.reporter.error(&format!("{name}: {}", describe(&err)));
                return;
            }
            Err(StreamError::Visit(fail)) => return self.failed(fail),
        };
        let finished = (|| -> Result<(), Fail> {
            if let (Some(diff), Some(out)) = (&mut diff, &mut report_out) {
                diff.finish(out).map_err(Fail::Stdout)?;
            }
            if staged.is_none() && matches!(plan.dest, Dest::Mirror(_)) {
                // An empty input still gets its (empty) copy.
                let path = job.path.expect("-o has paths");
                let target = self.target(path).map_err(Fail::File)?;
                staged = Some(self.stage(&target).map_err(Fail::File)?);
            }
            if let Some(file) = staged.take() {
                file.commit(meta.as_ref(), plan.dest == Dest::InPlace)
                    .map_err(Fail::File)?;
            }
            if let Some(out) = text_out.take() {
                out.finish().map_err(Fail::Stdout)?;
            }
            if let Some(out) = report_out.take() {
                out.finish().map_err(Fail::Stdout)?;
            }
            Ok(())
        })();
        if let Err(fail) = finished {
            return self.failed(fail);
        }
        let stats = &self.reporter.stats;
        stats.files.fetch_add(1, Relaxed);
        stats.edits.fetch_add(totals.edits as u64, Relaxed);
        stats.changed.fetch_add(changed as u64, Relaxed);
    }

    fn failed(&self, fail: Fail) {
        match fail {
            Fail::File(msg) => self.reporter.error(&msg),
            Fail::Stdout(err) => self.stdout_failed(err),
            Fail::Interrupted => {}
        }
    }

    /// Copies a file skipped as binary into the mirror.
    fn copy_verbatim(&self, path: &Path, meta: Option<Metadata>) -> Result<(), String> {
        let target = self.target(path)?;
        let mut file = self.stage(&target)?;
        let mut source = File::open(path)
            .map_err(|e| format!("{}: cannot read: {}", path.display(), describe(&e)))?;
        io::copy(&mut source, file.writer()).map_err(|e| file.failed(&e))?;
        file.commit(meta.as_ref(), false)
    }

    fn process_jsonl(&self, job: &Job<'_>) {
        let Some((reader, meta)) = self.open(job) else {
            return;
        };
        let name = job.name();
        let plan = self.plan;
        let mut file_out = (plan.dest == Dest::Stdout).then(|| FileOut::locked(self.out));
        let mut staged = match (&plan.dest, job.path) {
            (Dest::Mirror(_) | Dest::InPlace, Some(path)) => {
                let created = self.target(path).and_then(|t| self.stage(&t));
                match created {
                    Ok(file) => Some(file),
                    Err(msg) => return self.reporter.error(&msg),
                }
            }
            _ => None,
        };
        let mut sink = io::sink();
        let writer: &mut dyn Write = match (&mut staged, &mut file_out) {
            (Some(file), _) => file.writer(),
            (None, Some(out)) => out,
            (None, None) => &mut sink,
        };
        let mut bad = Vec::new();
        let reader = BufReader::with_capacity(1 << 16, reader);
        let result = jsonl::repair(
            self.repairer,
            reader,
            writer,
            &plan.fields,
            crate::json::MAX_RECORD,
            plan.threads,
            &mut bad,
            |bytes| {
                self.reporter.advance(bytes);
                !self.stopped()
            },
        );
        for record in &bad {
            self.reporter
                .error(&format!("{name}: line {}: {}", record.line, record.reason));
        }
        let totals = match result {
            Ok(totals) => totals,
            Err(jsonl::Failure::Read(err)) => {
                return self.reporter.error(&format!("{name}: {}", describe(&err)));
            }
            Err(jsonl::Failure::Write(err)) => {
                return match &staged {
                    Some(file) => self.reporter.error(&file.failed(&err)),
                    None => self.stdout_failed(err),
                };
            }
        };
        if self.stopped() {
            return;
        }
        if let Some(out) = file_out {
            if let Err(err) = out.finish() {
                return self.stdout_failed(err);
            }
        }
        if let Some(file) = staged {
            // -w leaves a file with nothing to repair untouched.
            if matches!(plan.dest, Dest::Mirror(_)) || totals.edits > 0 {
                if let Err(msg) = file.commit(meta.as_ref(), plan.dest == Dest::InPlace) {
                    return self.reporter.error(&msg);
                }
            }
        }
        let stats = &self.reporter.stats;
        stats.files.fetch_add(1, Relaxed);
        stats.edits.fetch_add(totals.edits, Relaxed);
        stats.changed.fetch_add((totals.edits > 0) as u64, Relaxed);
        self.objects.fetch_add(totals.objects, Relaxed);
        self.with_field.fetch_add(totals.with_field, Relaxed);
    }
}

/// A path as JSON: text, plus the raw bytes in base64 when the path is not
/// valid UTF-8 (the text then has U+FFFD in their place).
struct JsonPath {
    text: String,
    base64: Option<String>,
}

impl JsonPath {
    fn new(job: &Job<'_>) -> JsonPath {
        let Some(path) = job.path else {
            return JsonPath {
                text: "<stdin>".into(),
                base64: None,
            };
        };
        match path.to_str() {
            Some(text) => JsonPath {
                text: text.to_string(),
                base64: None,
            },
            None => JsonPath {
                text: path.to_string_lossy().into_owned(),
                base64: raw_bytes(path).map(|b| {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD.encode(b)
                }),
            },
        }
    }

    fn write_edit<W: Write>(
        &self,
        out: &mut W,
        line: usize,
        edit: &unspin_core::Edit,
    ) -> io::Result<()> {
        let record = crate::json::EditRecord::new(&self.text, self.base64.as_deref(), line, edit);
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")
    }
}

#[cfg(unix)]
fn raw_bytes(path: &Path) -> Option<&[u8]> {
    use std::os::unix::ffi::OsStrExt;
    Some(path.as_os_str().as_bytes())
}

#[cfg(not(unix))]
fn raw_bytes(_: &Path) -> Option<&[u8]> {
    None
}

/// An error met while walking, as `path: what went wrong`.
fn walk_error(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { path, err } => format!("{}: {}", path.display(), walk_error(err)),
        ignore::Error::WithDepth { err, .. } => walk_error(err),
        ignore::Error::WithLineNumber { line, err } => format!("line {line}: {}", walk_error(err)),
        ignore::Error::Io(err) => describe(err),
        ignore::Error::Loop { child, .. } => {
            format!("{}: symlink loop", child.display())
        }
        other => other.to_string(),
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
    let plan = Plan::new(args)?;
    let repairer = load_repairer(&args.model)?;
    if matches!(plan.dest, Dest::Mirror(_) | Dest::InPlace) {
        install_interrupt_handler();
    }
    let reporter = Reporter::new(plan.show_bar, args.quiet);
    let out = SharedOut::new();
    let ctx = Ctx {
        repairer: &repairer,
        plan: &plan,
        reporter: &reporter,
        out: &out,
        stop: AtomicBool::new(false),
        stdout_error: Mutex::new(None),
        made_dirs: Mutex::new(HashSet::new()),
        objects: AtomicU64::new(0),
        with_field: AtomicU64::new(0),
    };
    let counting_done = AtomicBool::new(false);
    std::thread::scope(|scope| -> Result<()> {
        let walked = plan.roots.iter().any(|r| r.kind != Kind::Stdin);
        if plan.show_bar && walked {
            let builder = plan.walker()?;
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
            let path = (root.kind != Kind::Stdin).then_some(root.arg.as_path());
            ctx.process(&Job {
                path,
                explicit: true,
            });
        }
        return Ok(());
    }
    if plan.roots.iter().any(|r| r.kind == Kind::Stdin) {
        ctx.process(&Job {
            path: None,
            explicit: true,
        });
    }
    if !plan.roots.iter().any(|r| r.kind != Kind::Stdin) {
        return Ok(());
    }
    let mut builder = plan.walker()?;
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
