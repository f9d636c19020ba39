//! `--format json`: one JSON line per edit on stdout
//! ([`EditRecord`]), each input's lines together.

use super::{Fail, Piece, Positions, Sink};
use crate::input::{Input, STDIN_NAME};
use crate::json::EditRecord;
use crate::output::{FileOut, SharedOut};
use std::io::{self, Write};
use std::path::Path;

/// A path as JSON: text, plus the raw bytes in base64 when the path is not
/// valid UTF-8 (the text then has U+FFFD in their place).
pub struct JsonPath {
    pub text: String,
    pub base64: Option<String>,
}

impl JsonPath {
    pub fn new(input: &Input) -> JsonPath {
        let Some(path) = input.path() else {
            return JsonPath {
                text: STDIN_NAME.into(),
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
        at: (usize, usize),
        edit: &unspin_core::Edit,
    ) -> io::Result<()> {
        let record = EditRecord::new(&self.text, self.base64.as_deref(), at, edit);
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")
    }
}

/// The exact bytes of a path, where the system has them.
#[cfg(unix)]
pub fn raw_bytes(path: &Path) -> Option<&[u8]> {
    use std::os::unix::ffi::OsStrExt;
    Some(path.as_os_str().as_bytes())
}

#[cfg(not(unix))]
pub fn raw_bytes(_: &Path) -> Option<&[u8]> {
    None
}

/// Writes an input's edits as JSON lines.
pub struct JsonSink<'a> {
    path: JsonPath,
    positions: Positions,
    out: FileOut<'a>,
}

impl<'a> JsonSink<'a> {
    pub fn new(input: &Input, shared: &'a SharedOut) -> JsonSink<'a> {
        JsonSink {
            path: JsonPath::new(input),
            positions: Positions::default(),
            out: FileOut::new(shared),
        }
    }
}

impl Sink for JsonSink<'_> {
    fn piece(&mut self, piece: &Piece<'_>) -> Result<(), Fail> {
        let (path, out) = (&self.path, &mut self.out);
        self.positions
            .each_edit(piece, |at, edit| path.write_edit(out, at, edit))
            .map_err(Fail::Stdout)
    }

    fn finish(self: Box<Self>) -> Result<(), Fail> {
        self.out.finish().map_err(Fail::Stdout)
    }
}
