//! Where a repaired input goes: every output of the default command is a
//! [`Sink`], fed the same [`Piece`]s in input order by the one worker
//! (`batch::worker`), as ripgrep's printers are fed matches.
//!
//! - [`text::StdoutText`]: the repaired text on stdout;
//! - [`file::FileSink`]: a repaired copy under `-o`, or the file itself
//!   with `-w`, written atomically;
//! - [`diff::DiffSink`]: a unified diff on stdout (`--diff`);
//! - [`json::JsonSink`]: one JSON line per edit on stdout (`--format json`).
//!
//! A new output (a terse `path:line:column` list, colour) is one more
//! sink: the worker does not change. Invariant: a sink sees every piece of
//! its input, in order, then either [`Sink::finish`] (the input was read
//! to the end) or [`Sink::skipped`] (it was not repaired at all); on a
//! failure it is dropped, which leaves no half-written file.

pub mod diff;
pub mod file;
pub mod json;
pub mod text;

use std::io::{self, Write};
use unspin_core::stream::Chunk;
use unspin_core::Edit;

/// A repaired stretch of one input, as every sink sees it.
pub enum Piece<'a> {
    /// A chunk of a text input with its edits.
    Text(&'a Chunk<'a>),
    /// A JSON Lines record (or part of a line passed through as it is):
    /// the bytes as written, for `input_len` bytes of input at `offset`.
    Record {
        offset: usize,
        input_len: usize,
        output: &'a [u8],
        edits: usize,
    },
}

impl Piece<'_> {
    /// Writes the repaired bytes.
    pub fn write_output<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        match self {
            Piece::Text(chunk) => chunk.write_repaired(out),
            Piece::Record { output, .. } => out.write_all(output),
        }
    }

    /// Where the piece starts in the input.
    pub fn offset(&self) -> usize {
        match self {
            Piece::Text(chunk) => chunk.offset,
            Piece::Record { offset, .. } => *offset,
        }
    }

    /// How many bytes of input the piece holds.
    pub fn input_len(&self) -> usize {
        match self {
            Piece::Text(chunk) => chunk.text.len(),
            Piece::Record { input_len, .. } => *input_len,
        }
    }

    /// How many edits the piece makes.
    pub fn edits(&self) -> usize {
        match self {
            Piece::Text(chunk) => chunk.edits.len(),
            Piece::Record { edits, .. } => *edits,
        }
    }

    /// Whether the output is the input byte for byte, so that a file
    /// rewritten in place need not be touched for it. A record always
    /// gains its edits list.
    pub fn verbatim(&self) -> bool {
        match self {
            Piece::Text(chunk) => chunk.edits.is_empty(),
            Piece::Record { .. } => false,
        }
    }

    /// Each edit with the line it starts on (text pieces; a record's edits
    /// are inside its output line).
    pub fn located_edits(&self) -> Box<dyn Iterator<Item = (usize, &Edit)> + '_> {
        match self {
            Piece::Text(chunk) => Box::new(chunk.located_edits()),
            Piece::Record { .. } => Box::new(std::iter::empty()),
        }
    }
}

/// Why writing one input stopped.
#[derive(Debug)]
pub enum Fail {
    /// A write to a file failed: the message names it. The run goes on
    /// with the next input.
    File(String),
    /// Writing to stdout failed: the whole run stops.
    Stdout(io::Error),
    /// The run was interrupted or stopped.
    Interrupted,
}

/// One output of one input.
pub trait Sink {
    /// Takes the next piece of the input.
    fn piece(&mut self, piece: &Piece<'_>) -> Result<(), Fail>;

    /// The input was read to the end: completes the output.
    fn finish(self: Box<Self>) -> Result<(), Fail>;

    /// The input is not repaired (a binary file, a page too large to
    /// read): what the output holds for it. Nothing, unless told otherwise.
    fn skipped(self: Box<Self>) -> Result<(), Fail> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text piece writes its input with its edits applied and tells the
    /// line of each edit; a record writes its own output line.
    #[test]
    fn pieces_write_their_repaired_bytes() {
        let text = b"one\ntwo stated\nthree stated\n";
        let edit = |start: usize| Edit {
            start,
            end: start + 6,
            spun: "stated".into(),
            restored: "said".into(),
            score: 1.0,
            source: "test".into(),
        };
        let edits = [edit(100 + 8), edit(100 + 21)];
        let chunk = Chunk {
            offset: 100,
            line: 7,
            text,
            edits: &edits,
        };
        let piece = Piece::Text(&chunk);
        let mut out = Vec::new();
        piece.write_output(&mut out).unwrap();
        assert_eq!(out, b"one\ntwo said\nthree said\n");
        let lines: Vec<usize> = piece.located_edits().map(|(line, _)| line).collect();
        assert_eq!(lines, [8, 9]);
        assert_eq!(
            (piece.offset(), piece.input_len(), piece.edits()),
            (100, 28, 2)
        );
        assert!(!piece.verbatim());
        let clean = Chunk {
            edits: &[],
            ..chunk
        };
        assert!(Piece::Text(&clean).verbatim());

        let record = Piece::Record {
            offset: 5,
            input_len: 3,
            output: b"{}\n",
            edits: 0,
        };
        let mut out = Vec::new();
        record.write_output(&mut out).unwrap();
        assert_eq!(out, b"{}\n");
        assert!(!record.verbatim());
        assert_eq!(record.located_edits().count(), 0);
    }
}
