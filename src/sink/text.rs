//! The repaired text on standard output, inputs one after the other.

use super::{Fail, Piece, Sink};
use crate::output::{FileOut, SharedOut};

/// Writes each input's repaired text on stdout, holding stdout for the
/// whole input so that inputs never interleave.
pub struct StdoutText<'a> {
    out: FileOut<'a>,
}

impl<'a> StdoutText<'a> {
    pub fn new(shared: &'a SharedOut) -> StdoutText<'a> {
        StdoutText {
            out: FileOut::locked(shared),
        }
    }
}

impl Sink for StdoutText<'_> {
    fn piece(&mut self, piece: &Piece<'_>) -> Result<(), Fail> {
        piece.write_output(&mut self.out).map_err(Fail::Stdout)
    }

    fn finish(self: Box<Self>) -> Result<(), Fail> {
        self.out.finish().map_err(Fail::Stdout)
    }
}
