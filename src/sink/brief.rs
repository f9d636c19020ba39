//! `--format brief`: one line per edit, `path:line:column: spun -> restored`,
//! the shape compilers and spell checkers print, which editors jump to.
//! The column counts characters from 1 ([`Positions`]): what a reader
//! counts, and what Emacs and VS Code take; an editor that counts bytes
//! differs only where non-ASCII text comes before the edit.

use super::{Fail, Piece, Positions, Sink};
use crate::input::Input;
use crate::output::{FileOut, SharedOut};
use std::io::Write;

/// Writes an input's edits, one line each.
pub struct BriefSink<'a> {
    name: String,
    positions: Positions,
    out: FileOut<'a>,
}

impl<'a> BriefSink<'a> {
    pub fn new(input: &Input, shared: &'a SharedOut) -> BriefSink<'a> {
        BriefSink {
            name: input.name(),
            positions: Positions::default(),
            out: FileOut::new(shared),
        }
    }
}

impl Sink for BriefSink<'_> {
    fn piece(&mut self, piece: &Piece<'_>) -> Result<(), Fail> {
        let (name, out) = (&self.name, &mut self.out);
        self.positions
            .each_edit(piece, |(line, column), edit| {
                // An edit may span a line break ("White\nHome"): the line
                // stays one line.
                let one_line = |s: &str| s.replace(['\n', '\r'], " ");
                writeln!(
                    out,
                    "{name}:{line}:{column}: {} -> {}",
                    one_line(&edit.spun),
                    one_line(&edit.restored)
                )
            })
            .map_err(Fail::Stdout)
    }

    fn finish(self: Box<Self>) -> Result<(), Fail> {
        self.out.finish().map_err(Fail::Stdout)
    }
}
