//! `--diff`: what would change, as a unified diff per input, coloured as
//! git colours its diffs when the plan says so (a terminal, `--color`).
//!
//! The diff is built from the edits rather than by comparing texts: a
//! changed line is one that holds an edit, so no diff algorithm runs and a
//! file of any size is diffed as it streams (the input is cut in 256 KiB
//! chunks). A hunk is written once the text after its last change holds
//! enough unchanged lines that no later change can join it, so hunks keep
//! their three lines of context on both sides across chunk boundaries
//! (`patch` anchors a hunk with less context on one side at the start or
//! end of the file). What is held meanwhile is the text since the first
//! unwritten change, or the last three lines; only a run of changes less
//! than seven lines apart for more than [`MAX_PENDING`] bytes is cut
//! short, with its context.

use super::json::raw_bytes;
use super::{Fail, Piece, Sink};
use crate::input::Input;
use crate::output::{FileOut, SharedOut};
use anstyle::{AnsiColor, Style};
use bstr::ByteSlice;
use std::io::{self, Write};
use std::ops::Range;
use unspin_core::stream::{count_newlines, Chunk};

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// One edit within a stretch of text: replace `span` by `restored`.
struct LocalEdit {
    span: Range<usize>,
    restored: String,
}

/// Most text held for hunks not yet written (see the module docs).
const MAX_PENDING: usize = 4 << 20;

/// How each kind of diff line is shown: plain, or coloured as git colours
/// its diffs.
#[derive(Debug, Clone, Copy, Default)]
struct Styles {
    header: Style,
    hunk: Style,
    removed: Style,
    added: Style,
    /// The words an edit replaces, and those it puts in their place: a
    /// paragraph-long line shows what changed in it.
    removed_word: Style,
    added_word: Style,
}

impl Styles {
    fn colored() -> Styles {
        Styles {
            header: Style::new().bold(),
            hunk: AnsiColor::Cyan.on_default(),
            removed: AnsiColor::Red.on_default(),
            added: AnsiColor::Green.on_default(),
            removed_word: AnsiColor::Red.on_default().invert(),
            added_word: AnsiColor::Green.on_default().invert(),
        }
    }

    /// The style of a line with `prefix`, and of the changed words in it.
    fn of(&self, prefix: u8) -> (Style, Style) {
        match prefix {
            b'-' => (self.removed, self.removed_word),
            b'+' => (self.added, self.added_word),
            _ => (Style::new(), Style::new()),
        }
    }
}

/// Writes the unified diff of one input, chunk by chunk.
pub struct DiffWriter {
    styles: Styles,
    /// The `a/` and `b/` names of the header lines.
    name: [String; 2],
    header_written: bool,
    /// Lines added minus lines removed so far (an edit may restore a line
    /// break), to number the new side of later hunks.
    delta: isize,
    /// The text not yet written or dropped, its edits, and the number of
    /// its first line.
    pending: Vec<u8>,
    pending_edits: Vec<LocalEdit>,
    pending_line: usize,
}

impl DiffWriter {
    /// A diff of the file named `name` (its exact bytes).
    pub fn new(name: &[u8]) -> DiffWriter {
        DiffWriter {
            styles: Styles::default(),
            name: header_names(name),
            header_written: false,
            delta: 0,
            pending: Vec::new(),
            pending_edits: Vec::new(),
            pending_line: 1,
        }
    }

    /// The same diff with its lines coloured (for a terminal).
    pub fn colored(self) -> DiffWriter {
        DiffWriter {
            styles: Styles::colored(),
            ..self
        }
    }

    /// Takes in the next chunk, and writes the hunks that are complete.
    pub fn chunk<W: Write + ?Sized>(&mut self, out: &mut W, chunk: &Chunk<'_>) -> io::Result<()> {
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
        self.write_complete_hunks(out)
    }

    /// Writes the hunks no later change can join, and drops the text no
    /// later hunk needs as context.
    fn write_complete_hunks<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        let text = &self.pending;
        let cut = match self.pending_edits.last() {
            // Nothing to show: keep the last lines as context.
            None => last_lines_start(text, CONTEXT),
            Some(last) => {
                // Lines after the last changed one: with 2 * CONTEXT + 1 of
                // them, a change to come makes a hunk of its own, and this
                // one ends CONTEXT lines after its last change.
                let after = line_end(text, last.span.end);
                let breaks: Vec<usize> = text[after..]
                    .find_iter(b"\n")
                    .take(2 * CONTEXT + 1)
                    .map(|i| after + i + 1)
                    .collect();
                if breaks.len() == 2 * CONTEXT + 1 {
                    breaks[CONTEXT - 1]
                } else if text.len() > MAX_PENDING {
                    // Too long a run of changes: end the hunks at the last
                    // line break outside a repair (a chunk never ends
                    // inside one).
                    let Some(cut) = text.rfind_byte(b'\n').map(|i| i + 1).filter(|&cut| {
                        !self
                            .pending_edits
                            .iter()
                            .any(|e| e.span.start < cut && e.span.end >= cut)
                    }) else {
                        return Ok(());
                    };
                    cut
                } else {
                    return Ok(());
                }
            }
        };
        if cut == 0 {
            return Ok(());
        }
        let text = std::mem::take(&mut self.pending);
        let mut edits = std::mem::take(&mut self.pending_edits);
        let later = edits.split_off(edits.partition_point(|e| e.span.start < cut));
        self.write_hunks(out, &text[..cut], &edits, self.pending_line)?;
        self.pending_line += count_newlines(&text[..cut]);
        self.pending = text[cut..].to_vec();
        self.pending_edits = later
            .into_iter()
            .map(|e| LocalEdit {
                span: e.span.start - cut..e.span.end - cut,
                restored: e.restored,
            })
            .collect();
        if self.pending_edits.is_empty() {
            // What is left keeps only its last lines, as context.
            self.write_complete_hunks(out)?;
        }
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
            if i == changed.len() || changed[i].line - changed[i - 1].last_line - 1 > 2 * CONTEXT {
                groups.push(&changed[from..i]);
                from = i;
            }
        }
        if !self.header_written {
            let style = self.styles.header;
            writeln!(
                out,
                "{style}--- {}{style:#}\n{style}+++ {}{style:#}",
                self.name[0], self.name[1]
            )?;
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
            let styles = &self.styles;
            let from = group[i].start;
            new_lines += push_lines(&mut body, b' ', &text[pos..from], styles, &[]);
            let mut spun = Vec::new();
            let mut repaired = Vec::new();
            let mut restored = Vec::new();
            for c in &group[i..j] {
                let mut at = c.start;
                for e in &edits[c.edits.clone()] {
                    spun.push(e.span.start - from..e.span.end - from);
                    repaired.extend_from_slice(&text[at..e.span.start]);
                    let start = repaired.len();
                    repaired.extend_from_slice(e.restored.as_bytes());
                    restored.push(start..repaired.len());
                    at = e.span.end;
                }
                repaired.extend_from_slice(&text[at..c.end]);
            }
            push_lines(
                &mut body,
                b'-',
                &text[from..group[j - 1].end],
                styles,
                &spun,
            );
            new_lines += push_lines(&mut body, b'+', &repaired, styles, &restored);
            pos = group[j - 1].end;
            i = j;
        }
        new_lines += push_lines(&mut body, b' ', &text[pos..end], &self.styles, &[]);
        let old_start = first.line - before;
        let old_count = last.last_line - first.line + 1 + before + after;
        let new_start = (old_start as isize + self.delta).max(0);
        let style = self.styles.hunk;
        writeln!(
            out,
            "{style}@@ -{old_start},{old_count} +{new_start},{new_lines} @@{style:#}"
        )?;
        out.write_all(&body)?;
        self.delta += new_lines as isize - old_count as isize;
        Ok(())
    }
}

/// A line holding edits, or several when an edit runs across a line break.
struct Changed {
    /// Number of its first line, and of its last.
    line: usize,
    last_line: usize,
    /// Byte span of the lines, the last line break included.
    start: usize,
    end: usize,
    /// Indexes of its edits.
    edits: Range<usize>,
}

/// The names of the `---` and `+++` lines for a file named `name`, as git
/// writes them, so that `patch -p1` and `git apply` find the file: quoted
/// C-style (`"a/tab\there"`, other bytes that are not printable ASCII,
/// non-UTF-8 ones included, as octal escapes) when the name holds a
/// control character, a quote, a backslash or a byte over 0x7F; followed
/// by a tab when it holds a space, which ends the name for `patch`.
fn header_names(name: &[u8]) -> [String; 2] {
    let plain = name
        .iter()
        .all(|&b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\');
    ["a/", "b/"].map(|side| {
        if plain {
            let name = String::from_utf8_lossy(name);
            let tab = if name.contains(' ') { "\t" } else { "" };
            return format!("{side}{name}{tab}");
        }
        let mut quoted = format!("\"{side}");
        for &b in name {
            match b {
                b'"' => quoted.push_str("\\\""),
                b'\\' => quoted.push_str("\\\\"),
                b'\x07' => quoted.push_str("\\a"),
                b'\x08' => quoted.push_str("\\b"),
                b'\t' => quoted.push_str("\\t"),
                b'\n' => quoted.push_str("\\n"),
                b'\x0b' => quoted.push_str("\\v"),
                b'\x0c' => quoted.push_str("\\f"),
                b'\r' => quoted.push_str("\\r"),
                0x20..0x7f => quoted.push(b as char),
                _ => quoted.push_str(&format!("\\{b:03o}")),
            }
        }
        quoted.push('"');
        quoted
    })
}

fn changed_lines(text: &[u8], edits: &[LocalEdit], first_line: usize) -> Vec<Changed> {
    let mut changed = Vec::new();
    let (mut pos, mut line, mut i) = (0, first_line, 0);
    while i < edits.len() {
        let at = edits[i].span.start;
        line += count_newlines(&text[pos..at]);
        pos = at;
        let start = text[..at].rfind_byte(b'\n').map_or(0, |p| p + 1);
        let mut end = line_end(text, edits[i].span.end);
        let mut j = i + 1;
        while j < edits.len() && edits[j].span.start < end {
            // An edit that ends before `end` ends on the line `end` closes
            // (edits come in order): only one that runs past it moves the
            // end, so each byte is scanned once however many edits a long
            // line holds.
            if edits[j].span.end >= end {
                end = line_end(text, edits[j].span.end);
            }
            j += 1;
        }
        let breaks = count_newlines(&text[start..end]);
        let last_line = line + breaks - usize::from(text[..end].ends_with(b"\n") && breaks > 0);
        changed.push(Changed {
            line,
            last_line,
            start,
            end,
            edits: i..j,
        });
        i = j;
    }
    changed
}

/// Where the line holding `at` ends: after its line break, or at the end.
fn line_end(text: &[u8], at: usize) -> usize {
    let end = text[at..]
        .find_byte(b'\n')
        .map_or(text.len(), |p| at + p + 1);
    #[cfg(test)]
    tests::SCANNED.with(|n| n.set(n.get() + (end - at)));
    end
}

/// Where the last `n` complete lines of `text` start (the unfinished line
/// after them kept too); 0 if it has no more.
fn last_lines_start(text: &[u8], n: usize) -> usize {
    let mut start = text.len();
    for _ in 0..=n {
        match text[..start].rfind_byte(b'\n') {
            Some(i) => start = i,
            None => return 0,
        }
    }
    start + 1
}

/// Appends each line of `text` with `prefix`, in the style of such lines
/// (the line break outside it), the changed `words` (sorted spans of
/// `text`) in the style of changed words; returns how many lines.
fn push_lines(
    body: &mut Vec<u8>,
    prefix: u8,
    text: &[u8],
    styles: &Styles,
    words: &[Range<usize>],
) -> usize {
    let (style, word_style) = styles.of(prefix);
    let mut count = 0;
    let mut line_start = 0;
    let mut words = words.iter().peekable();
    for line in text.lines_with_terminator() {
        let content = line_start..line_start + line.strip_suffix(b"\n").unwrap_or(line).len();
        line_start += line.len();
        // Writing to a Vec cannot fail.
        let _ = write!(body, "{style}");
        body.push(prefix);
        let mut at = content.start;
        while let Some(word) = words.peek() {
            if word.start >= content.end {
                break;
            }
            // A word may run across a line break: each line shows its part.
            let (start, end) = (word.start.max(at), word.end.min(content.end));
            body.extend_from_slice(&text[at..start]);
            let _ = write!(body, "{style:#}{word_style}");
            body.extend_from_slice(&text[start..end]);
            let _ = write!(body, "{word_style:#}{style}");
            at = end;
            if word.end > content.end {
                break;
            }
            words.next();
        }
        body.extend_from_slice(&text[at..content.end]);
        let _ = write!(body, "{style:#}");
        if line.ends_with(b"\n") {
            body.push(b'\n');
        } else {
            body.extend_from_slice(b"\n\\ No newline at end of file\n");
        }
        count += 1;
    }
    count
}

/// `--diff`: writes an input's unified diff on stdout.
pub struct DiffSink<'a> {
    diff: DiffWriter,
    out: FileOut<'a>,
}

impl<'a> DiffSink<'a> {
    /// The diff of `input`, coloured if `color`.
    pub fn new(input: &Input, shared: &'a SharedOut, color: bool) -> DiffSink<'a> {
        let name = input.name();
        let raw = input.path().and_then(raw_bytes).unwrap_or(name.as_bytes());
        let diff = DiffWriter::new(raw);
        DiffSink {
            diff: if color { diff.colored() } else { diff },
            out: FileOut::new(shared),
        }
    }
}

impl Sink for DiffSink<'_> {
    fn piece(&mut self, piece: &Piece<'_>) -> Result<(), Fail> {
        match piece {
            Piece::Text(chunk) => self.diff.chunk(&mut self.out, chunk).map_err(Fail::Stdout),
            // The plan refuses --diff for records.
            Piece::Record { .. } => Ok(()),
        }
    }

    fn finish(mut self: Box<Self>) -> Result<(), Fail> {
        self.diff.finish(&mut self.out).map_err(Fail::Stdout)?;
        self.out.finish().map_err(Fail::Stdout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unspin_core::Edit;

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
        let mut writer = DiffWriter::new(b"f");
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

    /// Coloured, each changed word stands out on its line, a word across a
    /// line break on both; without the escapes it is the plain diff.
    #[test]
    fn colour_marks_the_changed_words() {
        let text = "a\nin the White\nHome today\nb\n";
        let edits = [edit(text, "White\nHome", "White House")];
        let chunk = Chunk {
            offset: 0,
            line: 1,
            text: text.as_bytes(),
            edits: &edits,
        };
        let mut coloured = Vec::new();
        let mut writer = DiffWriter::new(b"f").colored();
        writer.chunk(&mut coloured, &chunk).unwrap();
        writer.finish(&mut coloured).unwrap();
        let coloured = String::from_utf8(coloured).unwrap();
        let (red, green, word, reset) = ("\x1b[31m", "\x1b[32m", "\x1b[7m", "\x1b[0m");
        assert!(
            coloured.contains(&format!(
                "{red}-in the {reset}{word}{red}White{reset}{red}{reset}\n"
            )),
            "{coloured:?}"
        );
        assert!(
            coloured.contains(&format!(
                "{red}-{reset}{word}{red}Home{reset}{red} today{reset}\n"
            )),
            "{coloured:?}"
        );
        assert!(
            coloured.contains(&format!(
                "{green}+in the {reset}{word}{green}White House{reset}{green} today{reset}\n"
            )),
            "{coloured:?}"
        );
        let stripped = anstream::adapter::strip_str(&coloured).to_string();
        assert_eq!(stripped, diff(text, &edits));
    }

    /// An edit of every `spun` in `text` to `restored`.
    fn everywhere(text: &str, spun: &str, restored: &str) -> Vec<Edit> {
        text.match_indices(spun)
            .map(|(at, _)| Edit {
                start: at,
                end: at + spun.len(),
                spun: spun.into(),
                restored: restored.into(),
                score: 1.0,
                source: "t".into(),
            })
            .collect()
    }

    /// The diff of `text` cut into chunks after each of the byte
    /// positions `cuts` (sorted), `|` marks taken out again.
    fn diff_cut(text: &str, edits: &[Edit], cuts: &[usize]) -> String {
        let mut pieces = text.to_string();
        for &cut in cuts.iter().rev() {
            pieces.insert(cut, '|');
        }
        let shifted: Vec<Edit> = edits
            .iter()
            .map(|e| {
                let by = cuts.iter().filter(|&&cut| cut <= e.start).count();
                Edit {
                    start: e.start + by,
                    end: e.end + by,
                    ..e.clone()
                }
            })
            .collect();
        diff(&pieces, &shifted).replace('|', "")
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
        let edits = everywhere(text, "stated", "said");
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
            // "one" came in a chunk without edits: it is context all the same.
            "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n one\n-two stat|ed here|, and so\n+two stat|ed there|, and so\n three\n"
        );
    }

    /// A repaired phrase wrapped over two lines changes both; the hunk
    /// counts them, whatever chunk its lines came in.
    #[test]
    fn a_repair_across_a_line_break_changes_both_lines() {
        for (text, last) in [
            ("a\nafter a 12\nmonths pause.\nb\n", "pause."),
            ("a\nafter a 12\nmonths pause|.\nb\n", "pause|."),
        ] {
            let edits = [edit(text, "12\nmonths", "year")];
            assert_eq!(
                diff(text, &edits),
                format!(
                    "--- a/f\n+++ b/f\n@@ -1,4 +1,3 @@\n a\n-after a 12\n-months {last}\n+after a year {last}\n b\n"
                )
            );
        }
        // Two such repairs a line apart make one hunk, its lines counted.
        let text = "x 12\nmonths\ny\nz 12\nmonths\n1\n2\n3\n4\n";
        let edits = everywhere(text, "12\nmonths", "year");
        assert_eq!(
            diff(text, &edits),
            "--- a/f\n+++ b/f\n@@ -1,8 +1,6 @@\n-x 12\n-months\n+x year\n y\n-z 12\n-months\n+z year\n 1\n 2\n 3\n"
        );
    }

    /// Chunk boundaries change nothing in the diff: hunks keep their
    /// context on both sides, and changes close together share a hunk,
    /// however the text is cut (`patch` reads a hunk with less context on
    /// one side as anchored at the start or end of the file).
    #[test]
    fn chunk_boundaries_do_not_change_the_diff() {
        let lines: Vec<String> = (0..40)
            .map(|i| {
                if i % 9 == 4 || i == 6 {
                    format!("{i} stated")
                } else {
                    format!("{i}")
                }
            })
            .collect();
        let text = lines.join("\n") + "\n";
        let edits = everywhere(&text, "stated", "said");
        let whole = diff(&text, &edits);
        assert_eq!(whole.matches("@@ -").count(), 3, "{whole}");
        for cut in 1..text.len() {
            if text.as_bytes()[cut - 1] == b'\n' {
                assert_eq!(
                    diff_cut(&text, &edits, &[cut]),
                    whole,
                    "cut after byte {cut}"
                );
            }
        }
    }

    /// Applies a unified diff made by [`DiffWriter`] to `text`, checking
    /// each hunk's counts and its old lines against the text.
    fn apply_diff(text: &str, diff: &str) -> String {
        let old: Vec<&str> = text.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut next = 0; // the old line to copy next (0-based)
        let mut lines = diff.split_inclusive('\n').skip(2).peekable();
        while let Some(header) = lines.next() {
            let nums: Vec<usize> = header
                .trim_start_matches("@@ -")
                .trim_end_matches(" @@\n")
                .split([',', ' ', '+'])
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect();
            let (start, count, new_count) = (nums[0] - 1, nums[1], nums[3]);
            out.extend(old[next..start].iter().copied());
            let (mut seen_old, mut seen_new) = (0, 0);
            while let Some(line) = lines.next_if(|l| !l.starts_with("@@")) {
                let body = &line[1..];
                let body = match lines.next_if(|l| l.starts_with('\\')) {
                    Some(_) => body.strip_suffix('\n').unwrap(),
                    None => body,
                };
                match line.as_bytes()[0] {
                    b' ' | b'-' => {
                        assert_eq!(body, old[start + seen_old], "{diff}");
                        seen_old += 1;
                        if line.starts_with(' ') {
                            out.push_str(body);
                            seen_new += 1;
                        }
                    }
                    b'+' => {
                        out.push_str(body);
                        seen_new += 1;
                    }
                    other => panic!("line starting with {other}"),
                }
            }
            assert_eq!((seen_old, seen_new), (count, new_count), "{header}");
            next = start + count;
        }
        out.extend(old[next..].iter().copied());
        out
    }

    proptest::proptest! {
        /// Whatever the text, its edits (some across a line break) and
        /// where it is cut into chunks, the diff is the same and turns the
        /// text into the repaired one.
        #[test]
        fn the_diff_makes_the_repaired_text_however_the_input_is_cut(
            lines in proptest::collection::vec(
                proptest::sample::select(vec!["a", "b stated", "12\nmonths c", "d", "e", "f", ""]),
                1..40,
            ),
            cuts in proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 0..4),
            last_newline in proptest::prelude::any::<bool>(),
        ) {
            let mut text = lines.join("\n");
            if last_newline {
                text.push('\n');
            }
            let mut edits = everywhere(&text, "stated", "said");
            edits.extend(everywhere(&text, "12\nmonths", "year"));
            edits.sort_by_key(|e| e.start);
            let whole = diff(&text, &edits);
            let repaired = String::from_utf8(unspin_core::edit::apply(text.as_bytes(), &edits)).unwrap();
            proptest::prop_assert_eq!(apply_diff(&text, &whole), repaired);
            // Chunks end after a line break that no edit holds.
            let ends: Vec<usize> = text
                .match_indices('\n')
                .map(|(i, _)| i + 1)
                .filter(|&end| end < text.len() && !edits.iter().any(|e| e.start < end && e.end >= end))
                .collect();
            if !ends.is_empty() {
                let mut at: Vec<usize> = cuts.iter().map(|c| ends[c.index(ends.len())]).collect();
                at.sort_unstable();
                at.dedup();
                proptest::prop_assert_eq!(diff_cut(&text, &edits, &at), whole);
            }
        }
    }

    #[test]
    fn header_names_are_quoted_as_git_quotes_them() {
        assert_eq!(header_names(b"dir/a.txt"), ["a/dir/a.txt", "b/dir/a.txt"]);
        assert_eq!(header_names(b"my file.txt")[0], "a/my file.txt\t");
        assert_eq!(header_names(b"tab\there")[1], "\"b/tab\\there\"");
        assert_eq!(
            header_names(b"new\nline \"q\" \\ caf\xc3\xa9 \xff")[0],
            "\"a/new\\nline \\\"q\\\" \\\\ caf\\303\\251 \\377\""
        );
    }

    thread_local! {
        /// Bytes [`line_end`] has read on this thread.
        pub static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Finding the changed lines reads a long line once, not once per
    /// edit (an 8 MB line with an edit every few words took 21 s).
    #[test]
    fn many_edits_on_one_long_line_read_it_once() {
        let text = "the ministry stated it; ".repeat(20_000) + "\nend\n";
        let edits: Vec<LocalEdit> = everywhere(&text, "stated", "said")
            .into_iter()
            .map(|e| LocalEdit {
                span: e.start..e.end,
                restored: e.restored,
            })
            .collect();
        SCANNED.with(|n| n.set(0));
        let changed = changed_lines(text.as_bytes(), &edits, 1);
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].end, text.len() - 4);
        assert_eq!(changed[0].edits, 0..20_000);
        let scanned = SCANNED.with(|n| n.get());
        assert!(
            scanned <= 2 * text.len(),
            "{scanned} bytes read for {}",
            text.len()
        );
    }

    #[test]
    fn nothing_changed_prints_nothing() {
        assert_eq!(diff("a\nb|c\n", &[]), "");
    }
}
