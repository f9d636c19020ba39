//! Repaired files: a copy under `-o`, or the input itself with `-w`,
//! always written to a temporary file renamed into place
//! ([`Staged`]), so that no file is ever half-written.
//!
//! In place, a file is only rewritten when it has something to repair:
//! its temporary copy starts at the first piece that changes it (with the
//! bytes before it copied from the file) and is committed only when the
//! input made edits. A mirror holds every input, repaired or not.

use super::{Fail, Piece, Sink};
use crate::input::describe;
use crate::output::{copy_prefix, Keep, Staged};
use std::collections::HashSet;
use std::fs::{File, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The folders of the `-o` tree, made as the copies need them and shared
/// by all workers, so that each is made or checked once (a mkdir per file
/// costs as much as the file).
///
/// A folder the tree already holds as a symlink is refused, never written
/// through: it may lead anywhere, into the inputs included (`out/sub ->
/// ../in/sub` would have the copies, repaired, replace the inputs).
pub struct MirrorDirs {
    /// The `-o` folder itself (made by the plan; it may be a link).
    root: PathBuf,
    /// Folders under it known to be real folders.
    made: Mutex<HashSet<PathBuf>>,
}

impl MirrorDirs {
    pub fn new(root: &Path) -> MirrorDirs {
        MirrorDirs {
            root: root.to_path_buf(),
            made: Mutex::default(),
        }
    }

    /// Makes the folder of `file`, a path under the root, and each one
    /// between them that is missing; each that exists must be a folder,
    /// not a link.
    fn make_for(&self, file: &Path) -> Result<(), String> {
        let dir = file.parent().unwrap_or(Path::new(""));
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        if made.contains(dir) {
            return Ok(());
        }
        let rel = dir
            .strip_prefix(&self.root)
            .map_err(|_| format!("{}: outside the -o folder", file.display()))?;
        let mut path = self.root.clone();
        for part in rel.components() {
            path.push(part);
            if made.contains(&path) {
                continue;
            }
            let cannot = |why: String| format!("{}: cannot create: {why}", path.display());
            match std::fs::create_dir(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let kind = std::fs::symlink_metadata(&path)
                        .map_err(|e| cannot(describe(&e)))?
                        .file_type();
                    if kind.is_symlink() {
                        return Err(format!(
                            "{}: not written: {} is a symlink in the -o folder, which is never written through (it may lead into the inputs)",
                            file.display(),
                            path.display()
                        ));
                    }
                    if !kind.is_dir() {
                        return Err(cannot("not a folder".into()));
                    }
                }
                Err(e) => return Err(cannot(describe(&e))),
            }
            made.insert(path.clone());
        }
        Ok(())
    }
}

/// Where the repaired file goes.
enum Mode<'a> {
    /// A copy under `-o`, in a folder made as needed.
    Mirror(&'a MirrorDirs),
    /// The input itself (`-w`).
    InPlace,
}

/// Writes one input's repaired file.
pub struct FileSink<'a> {
    mode: Mode<'a>,
    source: &'a Path,
    /// The file written, or why there is none.
    target: Result<PathBuf, String>,
    meta: Metadata,
    staged: Option<Staged>,
    edits: usize,
}

impl<'a> FileSink<'a> {
    /// The copy of `source` at `target` (`None`: outside the inputs).
    pub fn mirror(
        source: &'a Path,
        target: Option<PathBuf>,
        meta: Metadata,
        dirs: &'a MirrorDirs,
    ) -> FileSink<'a> {
        FileSink {
            mode: Mode::Mirror(dirs),
            source,
            target: target.ok_or_else(|| format!("{}: outside the inputs", source.display())),
            meta,
            staged: None,
            edits: 0,
        }
    }

    /// `source` rewritten in place (through a symlink, the file it points
    /// to).
    pub fn in_place(source: &'a Path, meta: Metadata) -> FileSink<'a> {
        let target = match std::fs::symlink_metadata(source) {
            Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(source)
                .map_err(|e| format!("{}: {}", source.display(), describe(&e))),
            _ => Ok(source.to_path_buf()),
        };
        FileSink {
            mode: Mode::InPlace,
            source,
            target,
            meta,
            staged: None,
            edits: 0,
        }
    }

    /// The temporary file, started on first use.
    fn staged(&mut self) -> Result<&mut Staged, String> {
        if self.staged.is_none() {
            let target = self.target.clone()?;
            if let Mode::Mirror(dirs) = &self.mode {
                dirs.make_for(&target)?;
            }
            self.staged = Some(Staged::create(&target)?);
        }
        Ok(self.staged.as_mut().expect("just made"))
    }

    fn keep(&self) -> Keep<'_> {
        match self.mode {
            Mode::Mirror(_) => Keep::Mode(&self.meta),
            Mode::InPlace => Keep::Identity(&self.meta),
        }
    }
}

impl Sink for FileSink<'_> {
    fn piece(&mut self, piece: &Piece<'_>) -> Result<(), Fail> {
        let write =
            matches!(self.mode, Mode::Mirror(_)) || self.staged.is_some() || !piece.verbatim();
        if write {
            let fresh = self.staged.is_none();
            let source = self.source;
            let file = self.staged().map_err(Fail::File)?;
            if fresh && piece.offset() > 0 {
                copy_prefix(source, piece.offset() as u64, file).map_err(Fail::File)?;
            }
            piece
                .write_output(file.writer())
                .map_err(|e| Fail::File(file.failed(&e)))?;
        }
        self.edits += piece.edits();
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), Fail> {
        let mirror = matches!(self.mode, Mode::Mirror(_));
        if mirror {
            // An empty input still gets its (empty) copy.
            self.staged().map_err(Fail::File)?;
        }
        if !mirror && self.edits == 0 {
            // Nothing to repair: the file is left untouched (and a
            // temporary copy deleted).
            return Ok(());
        }
        let Some(file) = self.staged.take() else {
            return Ok(());
        };
        file.commit(self.keep()).map_err(Fail::File)
    }

    /// A mirror is complete: what is not repaired is copied as it is.
    fn skipped(mut self: Box<Self>) -> Result<(), Fail> {
        if !matches!(self.mode, Mode::Mirror(_)) {
            return Ok(());
        }
        let source = self.source;
        let copied = (|| {
            let file = self.staged()?;
            let mut input = File::open(source)
                .map_err(|e| format!("{}: cannot read: {}", source.display(), describe(&e)))?;
            io::copy(&mut input, file.writer()).map_err(|e| file.failed(&e))?;
            let file = self.staged.take().expect("just made");
            file.commit(self.keep())
        })();
        copied.map_err(Fail::File)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::walk::file_id;
    use unspin_core::stream::Chunk;
    use unspin_core::Edit;

    fn said(at: usize) -> Edit {
        Edit {
            start: at,
            end: at + "stated".len(),
            spun: "stated".into(),
            restored: "said".into(),
            score: 1.0,
            source: "test".into(),
        }
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Feeds `pieces` in order, with the edit that repairs each "stated",
    /// to `sink`, and finishes it.
    fn feed(mut sink: Box<dyn Sink + '_>, pieces: &[&str]) {
        let mut offset = 0;
        for text in pieces {
            let edits: Vec<Edit> = text
                .match_indices("stated")
                .map(|(at, _)| said(offset + at))
                .collect();
            let chunk = Chunk {
                offset,
                line: 1,
                text: text.as_bytes(),
                edits: &edits,
            };
            sink.piece(&Piece::Text(&chunk)).unwrap();
            offset += text.len();
        }
        sink.finish().unwrap();
    }

    /// In place, a file is rewritten from its first change, the bytes
    /// before it copied from the file; a file with nothing to repair is not
    /// touched at all (same inode, no temporary file left).
    #[test]
    fn in_place_rewrites_only_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let pieces = ["First line.\n", "The ministry stated it.\n", "Last.\n"];
        let changed = dir.path().join("changed.txt");
        std::fs::write(&changed, pieces.concat()).unwrap();
        let meta = std::fs::metadata(&changed).unwrap();
        feed(Box::new(FileSink::in_place(&changed, meta)), &pieces);
        assert_eq!(
            std::fs::read_to_string(&changed).unwrap(),
            "First line.\nThe ministry said it.\nLast.\n"
        );

        let clean = dir.path().join("clean.txt");
        std::fs::write(&clean, "Nothing to do.\nAt all.\n").unwrap();
        let meta = std::fs::metadata(&clean).unwrap();
        let before = file_id(&meta);
        feed(
            Box::new(FileSink::in_place(&clean, meta)),
            &["Nothing to do.\n", "At all.\n"],
        );
        assert_eq!(file_id(&std::fs::metadata(&clean).unwrap()), before);
        assert_eq!(names(dir.path()), ["changed.txt", "clean.txt"]);
    }

    /// A mirror holds every input: an empty one as an empty copy, in
    /// folders made as needed, and a skipped one copied as it is.
    #[test]
    fn a_mirror_holds_every_input() {
        let dir = tempfile::tempdir().unwrap();
        let dirs = MirrorDirs::new(&dir.path().join("out"));
        std::fs::create_dir(dir.path().join("out")).unwrap();
        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, "").unwrap();
        let copy = dir.path().join("out/deep/empty.txt");
        let meta = std::fs::metadata(&empty).unwrap();
        feed(
            Box::new(FileSink::mirror(&empty, Some(copy.clone()), meta, &dirs)),
            &[],
        );
        assert_eq!(std::fs::read(&copy).unwrap(), b"");

        let binary = dir.path().join("data.bin");
        std::fs::write(&binary, b"\0stated\xff").unwrap();
        let copy = dir.path().join("out/deep/data.bin");
        let meta = std::fs::metadata(&binary).unwrap();
        let sink = Box::new(FileSink::mirror(&binary, Some(copy.clone()), meta, &dirs));
        sink.skipped().unwrap();
        assert_eq!(std::fs::read(&copy).unwrap(), b"\0stated\xff");

        let mut outside =
            FileSink::mirror(&binary, None, std::fs::metadata(&binary).unwrap(), &dirs);
        let chunk = Chunk {
            offset: 0,
            line: 1,
            text: b"x",
            edits: &[],
        };
        let err = outside.piece(&Piece::Text(&chunk)).unwrap_err();
        assert!(matches!(err, Fail::File(msg) if msg.ends_with("outside the inputs")));
    }

    /// A JSON Lines file rewritten in place gets the records' lines, and
    /// is left alone when no record was repaired, though every line gained
    /// an edits list.
    #[test]
    fn records_in_place_are_written_only_with_edits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records.jsonl");
        let input = "{\"text\":\"a\"}\n";
        for (edits, expected) in [(0, input), (1, "{\"text\":\"b\",\"e\":[1]}\n")] {
            std::fs::write(&path, input).unwrap();
            let meta = std::fs::metadata(&path).unwrap();
            let mut sink = Box::new(FileSink::in_place(&path, meta));
            let output = "{\"text\":\"b\",\"e\":[1]}\n";
            sink.piece(&Piece::Record {
                offset: 0,
                input_len: input.len(),
                output: output.as_bytes(),
                edits,
            })
            .unwrap();
            sink.finish().unwrap();
            assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
            assert_eq!(names(dir.path()), ["records.jsonl"]);
        }
    }
}
