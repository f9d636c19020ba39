//! Inputs: files by path, standard input for `-`.

use anyhow::{anyhow, Result};
use std::fs::{File, Metadata};
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};

/// How standard input is named in messages, diff headers and JSON.
pub const STDIN_NAME: &str = "<stdin>";

/// Where a text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// `-` means standard input; anything else is a path.
    pub fn from_arg(path: &Path) -> Input {
        if path.as_os_str() == "-" {
            Input::Stdin
        } else {
            Input::File(path.to_path_buf())
        }
    }

    /// The file's path; `None` for standard input.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::Stdin => None,
            Input::File(path) => Some(path),
        }
    }

    /// A name for messages and diff headers.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => STDIN_NAME.to_string(),
            Input::File(path) => path.display().to_string(),
        }
    }

    /// Opens the input to be streamed, with the file's metadata (none for
    /// standard input). A folder is refused.
    pub fn open(&self) -> io::Result<(Box<dyn Read>, Option<Metadata>)> {
        let Input::File(path) = self else {
            return Ok((Box::new(io::stdin().lock()), None));
        };
        let file = File::open(path)?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(io::Error::other("is a directory"));
        }
        Ok((Box::new(file), Some(meta)))
    }

    /// Reads the whole input. Errors are one line that names the input.
    pub fn read(&self) -> Result<Vec<u8>> {
        let (mut reader, _) = self
            .open()
            .map_err(|e| anyhow!("{}: {}", self.name(), describe(&e)))?;
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| anyhow!("{}: {}", self.name(), describe(&e)))?;
        Ok(bytes)
    }
}

/// What unspin says when it is about to read standard input from a
/// terminal: someone who typed `unspin` alone would otherwise see it wait
/// in silence. Nothing is said when standard input is a pipe or a file.
pub const STDIN_HINT: &str = "reading standard input (Ctrl-D to end; --help for usage)";

/// Prints [`STDIN_HINT`] on stderr if `reads_stdin` and standard input is
/// a terminal.
pub fn hint_if_terminal(reads_stdin: bool) {
    if reads_stdin && io::stdin().is_terminal() {
        eprintln!("unspin: {STDIN_HINT}");
    }
}

/// An I/O error as a short phrase, without Rust's "(os error N)" suffix.
pub fn describe(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}
