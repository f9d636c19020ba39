//! Reading inputs: files by path, standard input for `-`.

use anyhow::{anyhow, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

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

    /// A name for messages and diff headers.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(path) => path.display().to_string(),
        }
    }

    /// Reads the whole input. Errors are one line that names the input.
    pub fn read(&self) -> Result<Vec<u8>> {
        match self {
            Input::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .lock()
                    .read_to_end(&mut bytes)
                    .map_err(|e| anyhow!("<stdin>: {}", describe(&e)))?;
                Ok(bytes)
            }
            Input::File(path) => {
                if path.is_dir() {
                    return Err(anyhow!("{}: is a directory", path.display()));
                }
                std::fs::read(path).map_err(|e| anyhow!("{}: {}", path.display(), describe(&e)))
            }
        }
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
