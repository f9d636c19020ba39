//! The default command's arguments, checked once: which inputs, where the
//! repaired text goes, what is reported, how many threads. Everything the
//! workers need to know of the command line is in a [`Plan`].

use crate::args::{ColorWhen, Format, InputFormat, RepairArgs, WalkArgs};
use crate::input::{describe, Input};
use crate::walk::{file_id, walk_root, Walk};
use anyhow::{anyhow, bail, Result};
use std::collections::HashSet;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

/// Where repaired text goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
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
pub enum Report {
    None,
    Diff,
    Json,
    Brief,
}

/// An input given on the command line.
#[derive(Debug)]
pub struct Root {
    pub input: Input,
    /// What the walker is given ([`walk_root`]).
    pub walk: PathBuf,
    /// Whether it is a folder, to be walked.
    pub folder: bool,
    /// With `-o`: where this root's files go.
    base: Option<PathBuf>,
}

/// The command line, checked.
pub struct Plan {
    pub roots: Vec<Root>,
    pub dest: Dest,
    pub report: Report,
    pub jsonl: bool,
    /// How a text input's prose is found (HTML or not).
    pub input_format: InputFormat,
    pub fields: crate::json::Fields,
    pub check: bool,
    pub threads: usize,
    pub chunk_size: usize,
    pub binary: bool,
    pub walk: WalkArgs,
    pub show_bar: bool,
    pub summary: bool,
    /// Whether reports on stdout are coloured.
    pub color: bool,
    /// Device and inode of the `-o` folder, so the walk never enters it
    /// (set by [`Plan::make_out_dir`]).
    pub out_dir_id: Option<(u64, u64)>,
}

impl Plan {
    pub fn new(args: &RepairArgs) -> Result<Plan> {
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
        if let (true, Some(format @ (Format::Text | Format::Brief))) = (jsonl, args.format) {
            let name = if format == Format::Text {
                "text"
            } else {
                "brief"
            };
            bail!(
                "--format {name} does not apply to --input-format jsonl: its output is the records as JSON Lines, each with its edits under --edits-field (leave --format out, or give json)"
            );
        }
        let reports = args.diff || matches!(args.format, Some(Format::Json | Format::Brief));
        let dest = if args.write {
            Dest::InPlace
        } else if let Some(dir) = &args.output {
            Dest::Mirror(dir.clone())
        } else if args.check || (reports && !jsonl) {
            Dest::Nowhere
        } else {
            Dest::Stdout
        };
        let report = match (args.diff, args.format) {
            // The records are the output (--format json says as much).
            _ if jsonl => Report::None,
            (true, _) => Report::Diff,
            (false, Some(Format::Json)) => Report::Json,
            (false, Some(Format::Brief)) => Report::Brief,
            (false, Some(Format::Text) | None) => Report::None,
        };
        let writes_files = matches!(dest, Dest::Mirror(_) | Dest::InPlace);
        if writes_files && roots.iter().any(|r| r.input == Input::Stdin) {
            let flag = if args.write { "-w" } else { "-o" };
            bail!("{flag} needs files or folders, not standard input");
        }
        if let Dest::Mirror(out) = &dest {
            check_mirror_apart(out, &roots)?;
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
        // On stdout a folder is refused, not walked (see `Plan::refusal`).
        let walks_dir = dest != Dest::Stdout && roots.iter().any(|r| r.folder);
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
            walk: args.walk.clone(),
            show_bar: !args.quiet
                && io::stderr().is_terminal()
                && !(stdout_used && io::stdout().is_terminal()),
            // --check prints nothing but what is asked for.
            summary: !args.quiet && (args.stats || (!args.check && (walks_dir || writes_files))),
            color: match args.color {
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                ColorWhen::Auto => {
                    anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
                }
            },
            out_dir_id: None,
        })
    }

    /// Makes the `-o` folder, once nothing can refuse the run any more (a
    /// refused run writes nothing), and notes it so that the walk never
    /// enters it.
    pub fn make_out_dir(&mut self) -> Result<()> {
        let Dest::Mirror(out) = &self.dest else {
            return Ok(());
        };
        let cannot = |e: io::Error| anyhow!("{}: cannot create: {}", out.display(), describe(&e));
        std::fs::create_dir_all(out).map_err(cannot)?;
        self.out_dir_id = file_id(&std::fs::metadata(out).map_err(cannot)?);
        Ok(())
    }

    /// Why `root` is not repaired at all, reported as an error while the
    /// other inputs are: a folder whose text would go to stdout, where a
    /// whole tree concatenated is of no use.
    pub fn refusal(&self, root: &Root) -> Option<String> {
        (self.dest == Dest::Stdout && root.folder).then(|| {
            format!(
                "{} is a directory: give -o DIR to write repaired copies or -w to repair in place (--diff, --format json or brief and --check only report)",
                root.arg().display()
            )
        })
    }

    /// Whether an input that looks binary is left unrepaired: always
    /// without `--binary` when the repaired text goes to files (`-o`, `-w`),
    /// since rewriting the words in a program or an image corrupts it; on
    /// stdout or in a report, only when it was found in a folder (a file
    /// named on the command line is repaired as asked).
    pub fn skips_binary(&self, explicit: bool) -> bool {
        !self.binary && (self.writes_files() || !explicit)
    }

    /// Whether the repaired text goes into files (`-o`, `-w`).
    pub fn writes_files(&self) -> bool {
        matches!(self.dest, Dest::Mirror(_) | Dest::InPlace)
    }

    /// Where `-o` puts the copy of `path`, found under one of the roots.
    pub fn mirror_path(&self, path: &Path) -> Option<PathBuf> {
        let (root, rel) = self
            .roots
            .iter()
            .filter(|r| r.input.path().is_some())
            .filter_map(|r| path.strip_prefix(&r.walk).ok().map(|rel| (r, rel)))
            .max_by_key(|(r, _)| r.walk.components().count())?;
        let base = root.base.as_ref()?;
        Some(if rel.as_os_str().is_empty() {
            base.clone()
        } else {
            base.join(rel)
        })
    }

    /// How the folders are walked.
    pub fn walk(&self) -> Walk<'_> {
        Walk {
            args: &self.walk,
            threads: self.threads,
            skip_dir: self.out_dir_id,
        }
    }

    /// The roots walked for files (all but standard input and those
    /// refused).
    pub fn walked_roots(&self) -> impl Iterator<Item = &Path> {
        self.roots
            .iter()
            .filter(|r| r.input.path().is_some() && self.refusal(r).is_none())
            .map(|r| r.walk.as_path())
    }
}

impl Root {
    fn new(path: &Path) -> Root {
        let input = Input::from_arg(path);
        let folder = input.path().is_some() && std::fs::metadata(path).is_ok_and(|m| m.is_dir());
        Root {
            walk: if folder {
                walk_root(path)
            } else {
                path.to_path_buf()
            },
            input,
            folder,
            base: None,
        }
    }

    /// The path as given; `-` for standard input.
    fn arg(&self) -> &Path {
        self.input.path().unwrap_or(Path::new("-"))
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
    for root in roots.iter().filter(|r| r.input.path().is_some()) {
        let Ok(input) = std::fs::canonicalize(&root.walk) else {
            continue; // reported when it is read
        };
        let (o, i) = (out.display(), root.arg().display());
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
/// goes to `DIR/<its name>`. An input inside a folder that is also an
/// input is refused: its file would be read once and written to one of
/// its two places only.
fn assign_mirror_bases(roots: &mut [Root], out: &Path) -> Result<()> {
    let resolved: Vec<Option<PathBuf>> = roots
        .iter()
        .map(|root| std::fs::canonicalize(root.arg()).ok())
        .collect();
    for (folder, inside) in roots.iter().zip(&resolved).filter(|(r, _)| r.folder) {
        for (root, path) in roots.iter().zip(&resolved) {
            let nested = matches!((inside, path), (Some(f), Some(p)) if p != f && p.starts_with(f));
            if nested {
                bail!(
                    "{} is inside {}, also an input: -o would hold its files once; give one of them",
                    root.arg().display(),
                    folder.arg().display()
                );
            }
        }
    }
    if let [root] = roots {
        if root.folder {
            root.base = Some(out.to_path_buf());
            return Ok(());
        }
    }
    let mut names = HashSet::new();
    for root in roots.iter_mut() {
        let name = match root.arg().file_name() {
            Some(name) => name.to_os_string(),
            None => std::fs::canonicalize(root.arg())
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_os_string()))
                .ok_or_else(|| {
                    anyhow!("{}: cannot name its copy under -o", root.arg().display())
                })?,
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
