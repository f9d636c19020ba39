//! Edits: byte spans of the input and what to put there.
//!
//! An edit never reaches outside the words it replaces, and edits of one
//! input never overlap and are kept in input order, so applying them copies
//! every other byte through unchanged.

use std::io::{self, Write};

/// One repair: replace `input[start..end]` by `restored`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Edit {
    /// Byte offset where the spun span starts.
    pub start: usize,
    /// Byte offset one past the spun span.
    pub end: usize,
    /// The spun text, as found (invalid UTF-8 cannot occur inside words).
    pub spun: String,
    /// The restored original, in the spun text's case.
    pub restored: String,
    /// How much more likely (log10) the repaired reading of the surrounding
    /// words is than the spun one, channel weights included.
    pub score: f32,
    /// Which dictionary layer proposed it ("curated", "mined:train", ...).
    pub source: String,
}

/// Writes `input` with `edits` applied. Edits must be sorted and disjoint.
pub fn write_repaired<W: Write + ?Sized>(
    out: &mut W,
    input: &[u8],
    edits: &[Edit],
) -> io::Result<()> {
    write_repaired_at(out, input, 0, edits)
}

/// Writes `input`, which starts at byte `at` of the text `edits` refer to
/// (a chunk of a stream), with `edits` applied: the one place where edits
/// are applied. Edits must be sorted, disjoint and inside `input`.
pub fn write_repaired_at<W: Write + ?Sized>(
    out: &mut W,
    input: &[u8],
    at: usize,
    edits: &[Edit],
) -> io::Result<()> {
    let mut pos = 0;
    for edit in edits {
        let (start, end) = (edit.start - at, edit.end - at);
        debug_assert!(start >= pos && end >= start && end <= input.len());
        out.write_all(&input[pos..start])?;
        out.write_all(edit.restored.as_bytes())?;
        pos = end;
    }
    out.write_all(&input[pos..])
}

/// Returns `input` with `edits` applied. Edits must be sorted and disjoint.
pub fn apply(input: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + 16 * edits.len());
    write_repaired(&mut out, input, edits).expect("writing to a Vec cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, restored: &str) -> Edit {
        Edit {
            start,
            end,
            spun: String::new(),
            restored: restored.into(),
            score: 0.0,
            source: "test".into(),
        }
    }

    #[test]
    fn applies_edits_and_copies_the_rest() {
        let input = b"the \xffPentagon stated, in 12 months\r\n";
        let out = apply(input, &[edit(14, 20, "said"), edit(25, 34, "a year")]);
        assert_eq!(out, b"the \xffPentagon said, in a year\r\n");
    }

    #[test]
    fn no_edits_is_identity() {
        assert_eq!(apply(b"x\0y", &[]), b"x\0y");
    }
}
