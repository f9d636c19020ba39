//! `--diff`: what would change, as a unified diff per input.
//!
//! The diff is built from the edits rather than by comparing texts: a
//! changed line is one that holds an edit, so no diff algorithm runs and a
//! file of any size is diffed as it streams, holding at most a chunk and a
//! line. Hunks keep three lines of context but do not reach across a chunk
//! boundary (the input is cut in 256 KiB chunks), which only makes a hunk's
//! context shorter there: the diff stays valid.

use bstr::ByteSlice;
use std::io::{self, Write};
use std::ops::Range;
use unspin::stream::Chunk;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// One edit within a stretch of text: replace `span` by `restored`.
struct LocalEdit {
    span: Range<usize>,
    restored: String,
}

/// Writes the unified diff of one input, chunk by chunk.
pub struct DiffWriter {
    name: String,
    header_written: bool,
    /// Lines added minus lines removed so far (an edit may restore a line
    /// break), to number the new side of later hunks.
    delta: isize,
    /// The unfinished last line of the text seen so far, and its edits.
    pending: Vec<u8>,
    pending_edits: Vec<LocalEdit>,
    pending_line: usize,
}

impl DiffWriter {
    pub fn new(name: &str) -> DiffWriter {
        DiffWriter {
            name: name.to_string(),
            header_written: false,
            delta: 0,
            pending: Vec::new(),
            pending_edits: Vec::new(),
            pending_line: 1,
        }
    }

    /// Takes in the next chunk. Its hunks are written when the chunk after
    /// it comes (or at [`DiffWriter::finish`]), so that a last line without
    /// a line break is shown with the context before it.
    pub fn chunk<W: Write + ?Sized>(&mut self, out: &mut W, chunk: &Chunk<'_>) -> io::Result<()> {
        self.write_complete_lines(out)?;
        if self.pending_edits.is_empty() && chunk.edits.is_empty() {
            // The common case: nothing to show, keep only the line tail.
            match chunk.text.rfind_byte(b'\n') {
                Some(i) => {
                    self.pending.clear();
                    self.pending.extend_from_slice(&chunk.text[i + 1..]);
                    self.pending_line = chunk.line + count_newlines(&chunk.text[..i]) + 1;
                }
                None => {
                    if self.pending.is_empty() {
                        self.pending_line = chunk.line;
                    }
                    self.pending.extend_from_slice(chunk.text);
                }
            }
            return Ok(());
        }
        if self.pending.is_empty() {
            self.pending_line = chunk.line;
        }
        let base = self.pending.len();
        self.pending.extend_from_slice(chunk.text);
        self.pending_edits.extend(chunk.edits.iter().map(|e| {
            let span = chunk.local(e);
            LocalEdit {
                span: span.start + base..span.end + base,
                restored: e.restored.clone(),
            }
        }));
        Ok(())
    }

    /// Writes the hunks of the complete lines held, keeping the last,
    /// unfinished line.
    fn write_complete_lines<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        if self.pending_edits.is_empty() {
            return Ok(());
        }
        let Some(last) = self.pending.rfind_byte(b'\n') else {
            return Ok(());
        };
        let complete = last + 1;
        let text = std::mem::take(&mut self.pending);
        let mut edits = std::mem::take(&mut self.pending_edits);
        let later = edits.split_off(edits.partition_point(|e| e.span.start < complete));
        self.write_hunks(out, &text[..complete], &edits, self.pending_line)?;
        self.pending_line += count_newlines(&text[..complete]);
        self.pending = text[complete..].to_vec();
        self.pending_edits = later
            .into_iter()
            .map(|e| LocalEdit {
                span: e.span.start - complete..e.span.end - complete,
                restored: e.restored,
            })
            .collect();
        Ok(())
    }

    /// Writes the hunks of what is left.
    pub fn finish<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        let text = std::mem::take(&mut self.pending);
        let edits = std::mem::take(&mut self.pending_edits);
        self.write_hunks(out, &text, &edits, self.pending_line)
    }

    /// Writes the hunks for `edits` (sorted, local) over `text`, whose lines
    /// are complete except perhaps the last at the end of the input, and
    /// whose first line is number `first_line`.
    fn write_hunks<W: Write + ?Sized>(
        &mut self,
        out: &mut W,
        text: &[u8],
        edits: &[LocalEdit],
        first_line: usize,
    ) -> io::Result<()> {
        if edits.is_empty() {
            return Ok(());
        }
        let changed = changed_lines(text, edits, first_line);
        let mut groups: Vec<&[Changed]> = Vec::new();
        let mut from = 0;
        for i in 1..=changed.len() {
            if i == changed.len() || changed[i].line - changed[i - 1].line - 1 > 2 * CONTEXT {
                groups.push(&changed[from..i]);
                from = i;
            }
        }
        if !self.header_written {
            writeln!(out, "--- a/{}\n+++ b/{}", self.name, self.name)?;
            self.header_written = true;
        }
        for group in groups {
            self.write_hunk(out, text, edits, group)?;
        }
        Ok(())
    }

    fn write_hunk<W: Write + ?Sized>(
        &mut self,
        out: &mut W,
        text: &[u8],
        edits: &[LocalEdit],
        group: &[Changed],
    ) -> io::Result<()> {
        let (first, last) = (&group[0], &group[group.len() - 1]);
        let (mut start, mut before) = (first.start, 0);
        while before < CONTEXT && start > 0 {
            start = text[..start - 1].rfind_byte(b'\n').map_or(0, |i| i + 1);
            before += 1;
        }
        let (mut end, mut after) = (last.end, 0);
        while after < CONTEXT && end < text.len() {
            end = text[end..]
                .find_byte(b'\n')
                .map_or(text.len(), |i| end + i + 1);
            after += 1;
        }
        let mut body = Vec::new();
        let mut new_lines = 0;
        let mut pos = start;
        let mut i = 0;
        while i < group.len() {
            // A run of adjacent changed lines: all removals, then all additions.
            let mut j = i + 1;
            while j < group.len() && group[j].start == group[j - 1].end {
                j += 1;
            }
            new_lines += push_lines(&mut body, b' ', &text[pos..group[i].start]);
            push_lines(&mut body, b'-', &text[group[i].start..group[j - 1].end]);
            let mut repaired = Vec::new();
            for c in &group[i..j] {
                let mut at = c.start;
                for e in &edits[c.edits.clone()] {
                    repaired.extend_from_slice(&text[at..e.span.start]);
                    repaired.extend_from_slice(e.restored.as_bytes());
                    at = e.span.end;
                }
                repaired.extend_from_slice(&text[at..c.end]);
            }
            new_lines += push_lines(&mut body, b'+', &repaired);
            pos = group[j - 1].end;
            i = j;
        }
        new_lines += push_lines(&mut body, b' ', &text[pos..end]);
        let old_start = first.line - before;
        let old_count = last.line - first.line + 1 + before + after;
        let new_start = (old_start as isize + self.delta).max(0);
        writeln!(
            out,
            "@@ -{old_start},{old_count} +{new_start},{new_lines} @@"
        )?;
        out.write_all(&body)?;
        self.delta += new_lines as isize - old_count as isize;
        Ok(())
    }
}

/// A line holding edits.
struct Changed {
    line: usize,
    /// Byte span of the line, its line break included.
    start: usize,
    end: usize,
    /// Indexes of its edits.
    edits: Range<usize>,
}

fn changed_lines(text: &[u8], edits: &[LocalEdit], first_line: usize) -> Vec<Changed> {
    let mut changed = Vec::new();
    let (mut pos, mut line, mut i) = (0, first_line, 0);
    while i < edits.len() {
        let at = edits[i].span.start;
        line += count_newlines(&text[pos..at]);
        pos = at;
        let start = text[..at].rfind_byte(b'\n').map_or(0, |p| p + 1);
        let end = text[at..]
            .find_byte(b'\n')
            .map_or(text.len(), |p| at + p + 1);
        let mut j = i + 1;
        while j < edits.len() && edits[j].span.start < end {
            j += 1;
        }
        changed.push(Changed {
            line,
            start,
            end,
            edits: i..j,
        });
        i = j;
    }
    changed
}

/// Appends each line of `text` with `prefix`; returns how many lines.
fn push_lines(body: &mut Vec<u8>, prefix: u8, text: &[u8]) -> usize {
    let mut count = 0;
    for line in text.lines_with_terminator() {
        body.push(prefix);
        body.extend_from_slice(line);
        if !line.ends_with(b"\n") {
            body.extend_from_slice(b"\n\\ No newline at end of file\n");
        }
        count += 1;
    }
    count
}

fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspin::Edit;

    fn edit(text: &str, from: &str, to: &str) -> Edit {
        let start = text.find(from).unwrap();
        Edit {
            start,
            end: start + from.len(),
            spun: from.into(),
            restored: to.into(),
            score: 1.0,
            source: "t".into(),
        }
    }

    /// Diffs `text` with `edits`, cut into chunks after each `|`.
    fn diff(text: &str, edits: &[Edit]) -> String {
        let mut out = Vec::new();
        let mut writer = DiffWriter::new("f");
        let (mut offset, mut line) = (0, 1);
        for piece in text.split_inclusive('|') {
            let end = offset + piece.len();
            let mine: Vec<Edit> = edits
                .iter()
                .filter(|e| e.start >= offset && e.start < end)
                .cloned()
                .collect();
            let chunk = Chunk {
                offset,
                line,
                text: piece.as_bytes(),
                edits: &mine,
            };
            writer.chunk(&mut out, &chunk).unwrap();
            line += chunk.newlines();
            offset = end;
        }
        writer.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hunk_with_context_and_no_newline_at_end() {
        let text = "a\nb\nc\nd\ne stated\nf\ng\nh\ni\nj stated";
        let edits = [edit(text, "stated", "said"), {
            let mut e = edit(text, "j stated", "j said");
            e.start += 2;
            e.spun = "stated".into();
            e.restored = "said".into();
            e
        }];
        assert_eq!(
            diff(text, &edits),
            "--- a/f\n+++ b/f\n@@ -2,9 +2,9 @@\n b\n c\n d\n-e stated\n+e said\n f\n g\n h\n i\n-j stated\n\\ No newline at end of file\n+j said\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn far_apart_changes_make_two_hunks_and_adjacent_lines_group() {
        let text = "x stated\ny stated\n1\n2\n3\n4\n5\n6\n7\n8\nz stated\n";
        let mut edits = Vec::new();
        for (i, _) in text.match_indices("stated") {
            edits.push(Edit {
                start: i,
                end: i + 6,
                spun: "stated".into(),
                restored: "said".into(),
                score: 1.0,
                source: "t".into(),
            });
        }
        assert_eq!(
            diff(text, &edits),
            "--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n-x stated\n-y stated\n+x said\n+y said\n 1\n 2\n 3\n@@ -8,4 +8,4 @@\n 6\n 7\n 8\n-z stated\n+z said\n"
        );
    }

    #[test]
    fn a_line_cut_between_chunks_is_shown_whole() {
        let text = "one\ntwo stat|ed here|, and so\nthree\n";
        let e = edit(text, "ed here", "ed here");
        let edits = [Edit {
            start: e.start + 3,
            end: e.start + 7,
            spun: "here".into(),
            restored: "there".into(),
            score: 1.0,
            source: "t".into(),
        }];
        assert_eq!(
            diff(text, &edits),
            // "one" came in a chunk without edits: context stops there.
            "--- a/f\n+++ b/f\n@@ -2,2 +2,2 @@\n-two stat|ed here|, and so\n+two stat|ed there|, and so\n three\n"
        );
    }

    #[test]
    fn nothing_changed_prints_nothing() {
        assert_eq!(diff("a\nb|c\n", &[]), "");
    }
}
