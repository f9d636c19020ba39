//! Where a repaired input goes: every output of the default command is a
//! [`Sink`], fed the same [`Piece`]s in input order by the one worker
//! (`batch::worker`), as ripgrep's printers are fed matches.
//!
//! - [`text::StdoutText`]: the repaired text on stdout;
//! - [`file::FileSink`]: a repaired copy under `-o`, or the file itself
//!   with `-w`, written atomically;
//! - [`diff::DiffSink`]: a unified diff on stdout (`--diff`);
//! - [`json::JsonSink`]: one JSON line per edit on stdout (`--format json`);
//! - [`brief::BriefSink`]: one `path:line:column: spun -> restored` line
//!   per edit on stdout (`--format brief`).
//!
//! A new output is one more sink: the worker does not change. Invariant: a sink sees every piece of
//! its input, in order, then either [`Sink::finish`] (the input was read
//! to the end) or [`Sink::skipped`] (it was not repaired at all); on a
//! failure it is dropped, which leaves no half-written file.

pub mod brief;
pub mod diff;
pub mod file;
pub mod json;
pub mod text;

use bstr::ByteSlice;
use std::io::{self, Write};
use unspin_core::stream::{count_newlines, Chunk};
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
}

/// Where each edit of one input starts, as a line and a column (both from
/// 1; the column in characters, an invalid UTF-8 sequence counting as
/// one), for the reports that point at edits.
/// A chunk may end inside a line, so the characters of the unfinished line
/// are carried from one piece to the next.
#[derive(Debug, Default)]
pub struct Positions {
    /// Characters since the last line break before the next piece.
    column: usize,
}

impl Positions {
    /// Calls `each` with every edit of `piece` and its `(line, column)`, in
    /// order (a record's edits are inside its output line: none here).
    pub fn each_edit<E>(
        &mut self,
        piece: &Piece<'_>,
        mut each: impl FnMut((usize, usize), &Edit) -> Result<(), E>,
    ) -> Result<(), E> {
        let Piece::Text(chunk) = piece else {
            return Ok(());
        };
        let (mut pos, mut line) = (0, chunk.line);
        for edit in chunk.edits {
            let start = edit.start - chunk.offset;
            let before = &chunk.text[pos..start];
            line += count_newlines(before);
            self.advance(before);
            pos = start;
            each((line, self.column + 1), edit)?;
        }
        self.advance(&chunk.text[pos..]);
        Ok(())
    }

    fn advance(&mut self, text: &[u8]) {
        match text.rfind_byte(b'\n') {
            Some(i) => self.column = text[i + 1..].chars().count(),
            None => self.column += text.chars().count(),
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
    /// line and column of each edit; a record writes its own output line.
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
        let mut positions = Positions::default();
        let mut found = Vec::new();
        positions
            .each_edit(&piece, |at, _| {
                found.push(at);
                Ok::<_, ()>(())
            })
            .unwrap();
        assert_eq!(found, [(8, 5), (9, 7)]);
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
    }
}

#[cfg(test)]
mod position_tests {
    use super::*;

    fn edit_of(text: &str, offset: usize, word: &str) -> Edit {
        let start = offset + text.find(word).unwrap();
        Edit {
            start,
            end: start + word.len(),
            spun: word.into(),
            restored: "x".into(),
            score: 1.0,
            source: "test".into(),
        }
    }

    /// Columns count characters, not bytes, and carry over a chunk that
    /// ends inside a line.
    #[test]
    fn columns_count_characters_across_chunks() {
        let first = "één stated ";
        let second = "and stated\nné stated";
        let edits_1 = [edit_of(first, 0, "stated")];
        let edits_2 = [
            edit_of(second, first.len(), "stated"),
            edit_of(&second[12..], first.len() + 12, "stated"),
        ];
        let chunks = [
            Chunk {
                offset: 0,
                line: 1,
                text: first.as_bytes(),
                edits: &edits_1,
            },
            Chunk {
                offset: first.len(),
                line: 1,
                text: second.as_bytes(),
                edits: &edits_2,
            },
        ];
        let mut positions = Positions::default();
        let mut found = Vec::new();
        for chunk in &chunks {
            positions
                .each_edit(&Piece::Text(chunk), |at, _| {
                    found.push(at);
                    Ok::<_, ()>(())
                })
                .unwrap();
        }
        // "één " is 4 characters (6 bytes); "één stated and " is 15.
        assert_eq!(found, [(1, 5), (1, 16), (2, 4)]);
    }
}
