//! `unspin dict compile` and `unspin lm compile`.

use crate::input::{describe, Input};
use anyhow::{anyhow, bail, Context, Result};
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
        let bytes = match Input::from_arg(path) {
            Input::Stdin => Input::Stdin.read()?,
            Input::File(path) => crate::repairer::read_list(&path)?,
        };
        let name = path.display().to_string();
        let read = unspin_formats::dict::read_csv(bytes.as_slice(), &name)?;
        crate::repairer::check_phrase_lengths(&read, &name)?;
        entries.extend(read);
    }
    let bytes = unspin_formats::dict::compile(&entries)?;
    write_atomically(output, &bytes)?;
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
    let (bytes, summary) = match &source {
        Input::Stdin => unspin_core::lm::arpa::compile(
            BufReader::new(LineLimit::new(std::io::stdin().lock())),
            &name,
        )?,
        Input::File(path) => {
            if path.is_dir() {
                bail!("{name}: is a folder, not an ARPA file");
            }
            let file =
                std::fs::File::open(path).map_err(|e| anyhow!("{name}: {}", describe(&e)))?;
            unspin_core::lm::arpa::compile(
                BufReader::with_capacity(1 << 20, LineLimit::new(file)),
                &name,
            )?
        }
    };
    write_atomically(output, &bytes)?;
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
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so
/// that `path` is either the old file or the complete new one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| anyhow!("{}: {}", path.display(), describe(&e));
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    // Keep the permissions of the file being replaced; a new file gets the
    // usual rw-r--r-- rather than the temporary file's private mode.
    if let Some(permissions) = permissions_for(path) {
        temp.as_file().set_permissions(permissions).map_err(fail)?;
    }
    temp.write_all(bytes).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    temp.persist(path)
        .map_err(|e| fail(e.error))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// The permissions a file written to `path` should get.
fn permissions_for(path: &Path) -> Option<std::fs::Permissions> {
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
