//! Finding the files under the folders the command line names, for
//! repairing and for scoring alike, with the `ignore` crate.
//!
//! Choices for scraped data: every file under a folder is data, so
//! .gitignore files are not honoured unless `--gitignore` is given (a data
//! folder is often git-ignored as a whole, and a corpus should not silently
//! lose files). Hidden files and folders are skipped unless `--hidden`, and
//! `.git`, `.hg` and `.svn` are never entered, so `-w` cannot rewrite a
//! repository's internals. Symlinks inside folders are followed only with
//! `-L`; a path named on the command line is always followed.

use crate::args::WalkArgs;
use crate::input::describe;
use anyhow::{anyhow, Result};
use ignore::{DirEntry, WalkBuilder};
use std::fs::Metadata;
use std::path::{Path, PathBuf};

/// How folders are walked.
pub struct Walk<'a> {
    pub args: &'a WalkArgs,
    /// Threads of a parallel walk.
    pub threads: usize,
    /// Device and inode of a folder never entered (the `-o` folder).
    pub skip_dir: Option<(u64, u64)>,
}

/// What the walk found at an entry.
pub enum Found {
    /// A file to read; `explicit` when named on the command line.
    File { path: PathBuf, explicit: bool },
    /// A symlink inside a folder, not followed (no `-L`).
    Symlink,
    /// A folder, or something that is no file (a socket, a pipe, a device).
    Other,
}

impl Walk<'_> {
    /// A walker over `roots` (paths as [`walk_root`] gives them).
    pub fn builder<'p>(&self, roots: impl IntoIterator<Item = &'p Path>) -> Result<WalkBuilder> {
        let mut roots = roots.into_iter();
        let first = roots.next().expect("a walk has paths");
        let mut builder = WalkBuilder::new(first);
        for root in roots {
            builder.add(root);
        }
        let g = self.args.gitignore;
        builder
            .standard_filters(false)
            .hidden(!self.args.hidden)
            .parents(g)
            .ignore(g)
            .git_ignore(g)
            .git_global(g)
            .git_exclude(g)
            .require_git(false)
            .follow_links(self.args.follow)
            .threads(self.threads);
        if !self.args.globs.is_empty() {
            let mut overrides = ignore::overrides::OverrideBuilder::new(std::env::current_dir()?);
            for glob in &self.args.globs {
                overrides
                    .add(glob)
                    .map_err(|e| anyhow!("--glob {glob}: {e}"))?;
            }
            builder.overrides(overrides.build()?);
        }
        let skip_dir = self.skip_dir;
        builder.filter_entry(move |entry| {
            if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            if matches!(entry.file_name().to_str(), Some(".git" | ".hg" | ".svn")) {
                return false;
            }
            skip_dir.is_none() || entry.metadata().ok().and_then(|m| file_id(&m)) != skip_dir
        });
        Ok(builder)
    }
}

/// What `entry` is to a reader of files.
pub fn classify(entry: DirEntry) -> Found {
    let Some(kind) = entry.file_type() else {
        return Found::Other;
    };
    let explicit = entry.depth() == 0;
    if kind.is_dir() {
        return Found::Other;
    }
    if !explicit {
        if kind.is_symlink() {
            return Found::Symlink;
        }
        if !kind.is_file() {
            return Found::Other; // sockets, pipes, devices
        }
    }
    Found::File {
        path: entry.into_path(),
        explicit,
    }
}

/// The path a walk of the folder `path` starts from: a symlinked folder
/// gets a trailing `/.` so that it is entered.
pub fn walk_root(path: &Path) -> PathBuf {
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if link {
        path.join(".")
    } else {
        path.to_path_buf()
    }
}

/// An error met while walking, as `path: what went wrong`.
pub fn walk_error(err: &ignore::Error) -> String {
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

/// Device and inode of a file, to tell whether two paths are one file.
#[cfg(unix)]
pub fn file_id(meta: &Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
pub fn file_id(_: &Metadata) -> Option<(u64, u64)> {
    None
}
