//! Where repaired text goes: standard output (one writer shared by all
//! threads), a mirror folder, or the file itself, always through a
//! temporary file renamed into place so that an interrupted or failed run
//! never leaves a half-written file.
//!
//! Rewriting a file in place through a rename replaces its inode, so what
//! belonged to the old inode is carried over or the file is left alone:
//! its mode, its owner and group, and its extended attributes (POSIX ACLs
//! and security labels among them); a file whose owner, group or
//! attributes cannot be kept is not rewritten. A file with more than one
//! hard link is not rewritten at all, since the rename would leave its
//! other names holding the old text.

use crate::input::describe;
use std::fs::{File, Metadata};
use std::io::{self, BufWriter, Read, Stdout, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use tempfile::NamedTempFile;

/// Past this many buffered bytes a file's output goes straight to stdout.
const BUFFER_LIMIT: usize = 1 << 20;

/// Standard output, the single writer all threads share.
pub struct SharedOut(Mutex<BufWriter<Stdout>>);

impl SharedOut {
    pub fn new() -> SharedOut {
        SharedOut(Mutex::new(BufWriter::with_capacity(1 << 16, io::stdout())))
    }

    fn lock(&self) -> MutexGuard<'_, BufWriter<Stdout>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Flushes what is buffered.
    pub fn flush(&self) -> io::Result<()> {
        self.lock().flush()
    }
}

/// One file's share of stdout. Its output is buffered while small and
/// written in one piece when the file is done; once it outgrows the buffer
/// the file takes the lock and writes straight through until it is done.
/// Either way the output of two files never interleaves.
pub struct FileOut<'a> {
    shared: &'a SharedOut,
    buffer: Vec<u8>,
    guard: Option<MutexGuard<'a, BufWriter<Stdout>>>,
}

impl<'a> FileOut<'a> {
    pub fn new(shared: &'a SharedOut) -> FileOut<'a> {
        FileOut {
            shared,
            buffer: Vec::new(),
            guard: None,
        }
    }

    /// A share that holds the lock from the start (for sequential output).
    pub fn locked(shared: &'a SharedOut) -> FileOut<'a> {
        FileOut {
            shared,
            buffer: Vec::new(),
            guard: Some(shared.lock()),
        }
    }

    /// Writes out what is left and releases stdout.
    pub fn finish(mut self) -> io::Result<()> {
        let mut guard = match self.guard.take() {
            Some(guard) => guard,
            None if self.buffer.is_empty() => return Ok(()),
            None => self.shared.lock(),
        };
        guard.write_all(&self.buffer)?;
        guard.flush()
    }
}

impl Write for FileOut<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if let Some(guard) = &mut self.guard {
            return guard.write(bytes);
        }
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() > BUFFER_LIMIT {
            let mut guard = self.shared.lock();
            guard.write_all(&self.buffer)?;
            self.buffer = Vec::new();
            self.guard = Some(guard);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A file being written next to its destination, renamed into place when
/// complete and deleted if dropped before that.
pub struct Staged {
    temp: BufWriter<NamedTempFile>,
    target: PathBuf,
}

impl Staged {
    /// Starts a temporary file in `target`'s folder.
    pub fn create(target: &Path) -> Result<Staged, String> {
        // A folder in the way would only be found when the file is put in
        // place, after the work whose result it was to hold.
        if target.is_dir() {
            return Err(format!(
                "{}: cannot write: is a directory",
                target.display()
            ));
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let fail = |e: io::Error| {
            format!(
                "{}: cannot write: no temporary file can be made next to it in {} ({})",
                target.display(),
                dir.display(),
                describe_raw(&e)
            )
        };
        let temp = tempfile::Builder::new()
            .prefix(".unspin-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(fail)?;
        Ok(Staged {
            temp: BufWriter::with_capacity(1 << 16, temp),
            target: target.to_path_buf(),
        })
    }

    /// The writer, for code that writes through `io::Write`; map its errors
    /// with [`Staged::failed`].
    pub fn writer(&mut self) -> &mut BufWriter<NamedTempFile> {
        &mut self.temp
    }

    /// A write error, as a message naming the destination.
    pub fn failed(&self, err: &io::Error) -> String {
        format!("{}: cannot write: {}", self.target.display(), describe(err))
    }

    /// Renames the file over its destination, first giving it what it
    /// keeps of the file it replaces or copies (see [`Keep`]). In place, a
    /// file with several hard links, or whose owner and group cannot be
    /// kept, is left as it is and the temporary file deleted.
    pub fn commit(self, keep: Keep<'_>) -> Result<(), String> {
        let target = self.target;
        let fail = |e: io::Error| format!("{}: cannot write: {}", target.display(), describe(&e));
        let temp = self.temp.into_inner().map_err(|e| fail(e.into_error()))?;
        if let Keep::Identity(like) = keep {
            // Attributes after the owner (a change of owner clears file
            // capabilities), while the file is still writable.
            keep_identity(temp.as_file(), like)
                .and_then(|()| copy_xattrs(&target, temp.as_file()))
                .map_err(|why| format!("{}: not changed: {why}", target.display()))?;
        }
        let permissions = match keep {
            Keep::Mode(like) | Keep::Identity(like) => Some(like.permissions()),
            Keep::Output => output_permissions(&target),
        };
        if let Some(permissions) = permissions {
            temp.as_file().set_permissions(permissions).map_err(fail)?;
        }
        if !matches!(keep, Keep::Mode(_)) {
            temp.as_file().sync_all().map_err(fail)?;
        }
        temp.persist(&target).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

/// What a staged file keeps of the file it replaces or copies.
#[derive(Clone, Copy)]
pub enum Keep<'a> {
    /// A repaired copy (`-o`): the mode of the input it copies.
    Mode(&'a Metadata),
    /// The input itself (`-w`): its mode, owner, group and extended
    /// attributes; synced to disk before the rename, since the old text is
    /// gone after it.
    Identity(&'a Metadata),
    /// A file the command makes (`dict compile -o`): the mode of the file
    /// it replaces, or rw-r--r-- for a new one rather than the temporary
    /// file's private mode; synced to disk.
    Output,
}

/// The permissions a file written to `path` gets (see [`Keep::Output`]).
fn output_permissions(path: &Path) -> Option<std::fs::Permissions> {
    if let Ok(meta) = std::fs::metadata(path) {
        return Some(meta.permissions());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    None
}

/// Refuses a file with several hard links, and gives `file` the owner and
/// group of `like`.
#[cfg(unix)]
fn keep_identity(file: &File, like: &Metadata) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    if like.nlink() > 1 {
        return Err(format!(
            "has {} hard links, which rewriting it would split (the other names would keep the old text); give -o to write a repaired copy",
            like.nlink()
        ));
    }
    let now = file.metadata().map_err(|e| describe(&e))?;
    if (now.uid(), now.gid()) != (like.uid(), like.gid()) {
        std::os::unix::fs::fchown(file, Some(like.uid()), Some(like.gid())).map_err(|e| {
            format!(
                "cannot keep its owner and group {}:{} ({})",
                like.uid(),
                like.gid(),
                describe(&e)
            )
        })?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn keep_identity(_: &File, _: &Metadata) -> Result<(), String> {
    Ok(())
}

/// Gives `file` the extended attributes of the file at `like` (`user.`
/// ones, the POSIX ACL, a security label): it gets those it lacks or holds
/// with another value, and loses those `like` does not have (an ACL
/// inherited from the folder's default). A filesystem without extended
/// attributes has none to copy.
#[cfg(unix)]
fn copy_xattrs(like: &Path, file: &File) -> Result<(), String> {
    use std::collections::HashSet;
    use xattr::FileExt;
    let unsupported = |e: &io::Error| e.kind() == io::ErrorKind::Unsupported;
    let cannot = |what: &str, e: io::Error| format!("{what} ({})", describe_raw(&e));
    let names = match xattr::list_deref(like) {
        Ok(names) => names.collect(),
        Err(e) if unsupported(&e) => Vec::new(),
        Err(e) => return Err(cannot("cannot list its extended attributes", e)),
    };
    let mut kept = HashSet::new();
    for name in names {
        let attr = name.to_string_lossy();
        let fail = |e| cannot(&format!("cannot keep its extended attribute {attr}"), e);
        // None: removed since it was listed.
        let Some(value) = xattr::get_deref(like, &name).map_err(fail)? else {
            continue;
        };
        if file.get_xattr(&name).map_err(fail)?.as_deref() != Some(&value[..]) {
            file.set_xattr(&name, &value).map_err(fail)?;
        }
        kept.insert(name);
    }
    let present = match file.list_xattr() {
        Ok(present) => present,
        Err(e) if unsupported(&e) => return Ok(()),
        Err(e) => return Err(cannot("cannot list its extended attributes", e)),
    };
    for name in present.filter(|name| !kept.contains(name)) {
        file.remove_xattr(&name).map_err(|e| {
            let attr = name.to_string_lossy();
            cannot(
                &format!("cannot remove the extended attribute {attr}, which it did not have"),
                e,
            )
        })?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn copy_xattrs(_: &Path, _: &File) -> Result<(), String> {
    Ok(())
}

/// An I/O error as the system words it, without "(os error N)": "No such
/// file or directory" says more here than [`describe`]'s "no such file",
/// since the file itself exists.
fn describe_raw(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Copies the first `len` bytes of `source` into `staged` (the part of a
/// file before its first edit, when rewriting in place).
pub fn copy_prefix(source: &Path, len: u64, staged: &mut Staged) -> Result<(), String> {
    let mut file = File::open(source)
        .map_err(|e| format!("{}: cannot read: {}", source.display(), describe(&e)))?;
    let copied = io::copy(&mut (&mut file).take(len), staged.writer())
        .map_err(|e| format!("{}: cannot read: {}", source.display(), describe(&e)))?;
    if copied != len {
        return Err(format!(
            "{}: changed while being repaired",
            source.display()
        ));
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A temporary folder whose filesystem takes `user.` extended
    /// attributes (the system's temporary folder, or /dev/shm). None is a
    /// failure: the tests would prove nothing.
    fn xattr_dir() -> tempfile::TempDir {
        let candidates = [std::env::temp_dir(), PathBuf::from("/dev/shm")];
        for dir in &candidates {
            let Ok(dir) = tempfile::tempdir_in(dir) else {
                continue;
            };
            let probe = dir.path().join("probe");
            std::fs::write(&probe, "").unwrap();
            if xattr::set(&probe, "user.unspin.probe", b"1").is_ok() {
                std::fs::remove_file(&probe).unwrap();
                return dir;
            }
        }
        panic!("no filesystem among {candidates:?} takes user extended attributes");
    }

    fn attrs(path: &Path) -> Vec<(String, Vec<u8>)> {
        let mut attrs: Vec<(String, Vec<u8>)> = xattr::list(path)
            .unwrap()
            .map(|name| {
                let value = xattr::get(path, &name).unwrap().unwrap();
                (name.to_string_lossy().into_owned(), value)
            })
            .collect();
        attrs.sort();
        attrs
    }

    /// The copy ends with exactly the original's attributes: a missing one
    /// added, a different value replaced, an extra one removed.
    #[test]
    fn extended_attributes_are_made_the_same() {
        let dir = xattr_dir();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        std::fs::write(&from, "old").unwrap();
        std::fs::write(&to, "new").unwrap();
        xattr::set(&from, "user.a", b"1").unwrap();
        xattr::set(&from, "user.b", b"").unwrap();
        xattr::set(&to, "user.b", b"other").unwrap();
        xattr::set(&to, "user.c", b"inherited").unwrap();
        copy_xattrs(&from, &File::options().write(true).open(&to).unwrap()).unwrap();
        let expected = [("user.a".into(), b"1".to_vec()), ("user.b".into(), vec![])];
        assert_eq!(attrs(&to), expected);
        assert_eq!(attrs(&from), expected);
    }

    /// An attribute the destination refuses is an error naming it (the
    /// kernel takes no `user.` attribute on a device such as /dev/null).
    #[test]
    fn an_attribute_that_cannot_be_copied_is_an_error() {
        let dir = xattr_dir();
        let from = dir.path().join("from");
        std::fs::write(&from, "old").unwrap();
        xattr::set(&from, "user.origin", b"crawl 7").unwrap();
        let device = File::options().write(true).open("/dev/null").unwrap();
        let err = copy_xattrs(&from, &device).unwrap_err();
        assert!(
            err.starts_with("cannot keep its extended attribute user.origin ("),
            "{err}"
        );
    }
}
