//! `unspin dict compile` and `unspin lm compile`.

use crate::input::{describe, Input};
use crate::output::{Keep, Staged};
use anyhow::{anyhow, bail, Result};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// Compiles dictionary CSVs into one file.
pub fn dict(inputs: &[PathBuf], output: &Path) -> Result<()> {
    let mut entries = Vec::new();
    for path in inputs {
        if same_file(path, output) {
            bail!(
                "{}: is also the output (-o): compiling would overwrite the source",
                path.display()
            );
        }
        let input = Input::from_arg(path);
        let bytes = match input.path() {
            None => input.read()?,
            Some(path) => crate::repairer::read_list(path)?,
        };
        let name = path.display().to_string();
        let read = unspin_formats::dict::read_csv(bytes.as_slice(), &name)?;
        crate::repairer::check_phrase_lengths(&read, &name)?;
        entries.extend(read);
    }
    let bytes = unspin_formats::dict::compile(&entries)?;
    write_output(output, &bytes)?;
    eprintln!(
        "unspin: wrote {} ({} rows, {} bytes)",
        output.display(),
        entries.len(),
        bytes.len()
    );
    Ok(())
}

/// Compiles an ARPA model into a file for `--lm`.
pub fn lm(input: &Path, output: &Path) -> Result<()> {
    let source = Input::from_arg(input);
    let name = source.name();
    if same_file(input, output) {
        bail!("{name}: is also the output (-o): compiling would overwrite the source");
    }
    if source.path().is_some_and(Path::is_dir) {
        bail!("{name}: is a folder, not an ARPA file");
    }
    let (reader, _) = source
        .open()
        .map_err(|e| anyhow!("{name}: {}", describe(&e)))?;
    let (bytes, summary) = unspin_core::lm::arpa::compile(
        BufReader::with_capacity(1 << 20, LineLimit::new(reader)),
        &name,
    )?;
    write_output(output, &bytes)?;
    let [n1, n2, n3] = summary.counts;
    eprintln!(
        "unspin: wrote {} ({n1} unigrams, {n2} bigrams, {n3} trigrams; {} higher-order n-grams skipped, {} duplicates merged)",
        output.display(),
        summary.skipped_higher_order,
        summary.duplicates
    );
    Ok(())
}

/// The longest line an ARPA file may have: an n-gram line is a few dozen
/// bytes, so a longer one means the input is not a model (`/dev/zero`
/// would otherwise be read into memory until it ran out).
const MAX_ARPA_LINE: usize = 1 << 20;

/// A reader that fails once a line runs past [`MAX_ARPA_LINE`] bytes.
struct LineLimit<R> {
    inner: R,
    line: usize,
}

impl<R> LineLimit<R> {
    fn new(inner: R) -> LineLimit<R> {
        LineLimit { inner, line: 0 }
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            self.line = if b == b'\n' { 0 } else { self.line + 1 };
            if self.line > MAX_ARPA_LINE {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "a line longer than {} MiB: not an ARPA file",
                        MAX_ARPA_LINE >> 20
                    ),
                ));
            }
        }
        Ok(n)
    }
}

/// Whether `a` and `b` name the same existing file (links resolved).
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Writes `bytes` to `path` atomically: `path` is either the old file or
/// the complete new one.
pub(crate) fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    commit_output(stage_output(path)?, bytes)
}

/// Starts writing `path` (see [`commit_output`]): a path that cannot be
/// written fails here, before any work whose result it would hold.
pub(crate) fn stage_output(path: &Path) -> Result<Staged> {
    Staged::create(path).map_err(|msg| anyhow!(msg))
}

/// Writes `bytes` into `staged` and puts it in place atomically.
pub(crate) fn commit_output(mut staged: Staged, bytes: &[u8]) -> Result<()> {
    staged
        .writer()
        .write_all(bytes)
        .map_err(|e| anyhow!(staged.failed(&e)))?;
    staged.commit(Keep::Output).map_err(|msg| anyhow!(msg))
}
