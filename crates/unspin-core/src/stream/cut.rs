//! Where a stream is cut into chunks, and what each chunk must know of
//! the text before it.
//!
//! Where a chunk is cut matters, since the decoder reads sentence by
//! sentence. A chunk ends after the last `\n` it holds that ends a
//! sentence: one after sentence punctuation, or one the decoder does not
//! read as a wrapped line ([`crate::token::soft_line_break`]: a blank line,
//! or a next line that does not go on with the sentence). Failing that (a
//! paragraph of wrapped lines longer than the chunk), it ends after the
//! last `\n`; a line longer than the chunk is cut inside: after the last
//! sentence punctuation (`.` `!` `?` `;` `:`), failing that after the last
//! space or tab, failing that at the last UTF-8 character boundary. Before
//! all that, a chunk that opens a Markdown code fence and does not close it
//! ends before the fence, so that a code block that fits in a chunk is read
//! whole and its words stay as written.
//!
//! Invariant: a cut never exposes to the decoder what the whole input
//! hides from it. What the text before a cut leaves open is carried into
//! the next chunk: a code block longer than a chunk is cut at a line break
//! and the next chunk is read as still inside it (after a fence line that
//! reopens it), and a cut inside a run of non-whitespace (a word, a web
//! address) leaves that run unrepaired on both sides of the cut, since
//! neither chunk holds all of it. A cut after a
//! sentence end falls where the decoder starts a new sentence anyway, so
//! with a fixed edit penalty
//! ([`Settings::fixed_penalty`](crate::Settings::fixed_penalty)) the edits
//! are exactly those of `Repairer::repair` on the whole input; only a cut
//! inside a sentence (a paragraph of more than a chunk without sentence
//! punctuation) can change a repair, by splitting the sentence in two.

use super::MIN_CHUNK_SIZE;
use crate::edit::Edit;
use crate::Repairer;
use bstr::ByteSlice;
use std::io::{self, Read};

/// Cuts a reader into chunks at the points the module docs describe.
pub(super) struct Chunker<R> {
    reader: R,
    size: usize,
    /// Bytes read past the last cut, the start of the next chunk.
    carry: Vec<u8>,
    /// What the text before the next chunk leaves open.
    context: Context,
    eof: bool,
}

/// What the text before a chunk leaves open at its start, which the
/// tokenizer would otherwise not know.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Context {
    /// A fenced code block is open: its fence character (`` ` `` or `~`),
    /// and whether the chunk starts at the start of a line.
    fence: Option<(u8, bool)>,
    /// The chunk starts inside a run of non-whitespace (a word, a web
    /// address) that began in the chunk before.
    glued: bool,
}

/// How a chunk sits in the input: what is open at its start, and whether
/// it ends inside a run of non-whitespace that goes on in the next chunk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Frame {
    start: Context,
    glued_end: bool,
}

impl Frame {
    /// The edits of the chunk `text`, as the tokenizer reading the whole
    /// input would allow them: inside a code block opened before the
    /// chunk, none (the chunk is read after a fence line that reopens the
    /// block); in a word or address cut in two, none either, since the
    /// chunk holds only part of it.
    pub(super) fn repair(&self, repairer: &Repairer, text: &[u8]) -> Vec<Edit> {
        let (view, shift) = self.view(text);
        let mut edits = repairer.repair(&view);
        if shift > 0 {
            edits.retain(|e| e.start >= shift);
            for edit in &mut edits {
                edit.start -= shift;
                edit.end -= shift;
            }
        }
        if self.start.glued {
            let lead = text
                .iter()
                .position(u8::is_ascii_whitespace)
                .unwrap_or(text.len());
            edits.retain(|e| e.start >= lead);
        }
        if self.glued_end {
            let tail = text
                .iter()
                .rposition(u8::is_ascii_whitespace)
                .map_or(0, |i| i + 1);
            edits.retain(|e| e.end <= tail);
        }
        edits
    }
}

impl Frame {
    /// What the decoder reads of the chunk `text`, and how many bytes
    /// precede `text` in it: inside a code block opened before the chunk,
    /// a fence line that reopens it comes first.
    pub(super) fn view<'a>(&self, text: &'a [u8]) -> (std::borrow::Cow<'a, [u8]>, usize) {
        let Some((mark, line_start)) = self.start.fence else {
            return (std::borrow::Cow::Borrowed(text), 0);
        };
        let mut view = Vec::with_capacity(text.len() + 5);
        view.extend_from_slice(&[mark; 3]);
        view.push(b'\n');
        if !line_start {
            // The chunk's first line is the rest of a line of code, never
            // a fence of its own.
            view.push(b'|');
        }
        let shift = view.len();
        view.extend_from_slice(text);
        (std::borrow::Cow::Owned(view), shift)
    }
}

impl<R: Read> Chunker<R> {
    pub(super) fn new(reader: R, size: usize) -> Chunker<R> {
        Chunker {
            reader,
            size: size.max(MIN_CHUNK_SIZE),
            carry: Vec::new(),
            context: Context::default(),
            eof: false,
        }
    }

    /// Whether the whole input has been handed out.
    pub(super) fn done(&self) -> bool {
        self.eof && self.carry.is_empty()
    }

    /// Fills `out` with the next chunk and tells how it sits in the input;
    /// `None` at the end of the input.
    pub(super) fn next(&mut self, out: &mut Vec<u8>) -> io::Result<Option<Frame>> {
        out.clear();
        out.append(&mut self.carry);
        if out.len() < self.size && !self.eof {
            // Grows the buffer as data comes (a small file never costs a
            // whole chunk) and stops at the chunk size or the end.
            let want = self.size - out.len();
            let got = (&mut self.reader).take(want as u64).read_to_end(out)?;
            self.eof = got < want;
        }
        if out.is_empty() {
            return Ok(None);
        }
        let mut frame = Frame {
            start: self.context,
            glued_end: false,
        };
        if !self.eof {
            // The buffer is full: keep the unfinished line for the next chunk.
            let (cut, next) = cut_with(out, self.context);
            frame.glued_end = next.glued;
            self.context = next;
            self.carry.extend_from_slice(&out[cut..]);
            out.truncate(cut);
        }
        Ok(Some(frame))
    }
}

/// A fenced code block open at the end of some text: where its fence line
/// starts in the buffer (`None` when it was opened before the buffer) and
/// its fence character.
struct OpenFence {
    start: Option<usize>,
    mark: u8,
}

/// The code block open at the end of `buf`, read after `context`.
fn open_fence(buf: &[u8], context: Context) -> Option<OpenFence> {
    let Some((mark, line_start)) = context.fence else {
        let start = crate::token::unclosed_fence(buf)?;
        let mark = buf[start..].iter().find(|&&b| b != b' ').copied()?;
        return Some(OpenFence {
            start: Some(start),
            mark,
        });
    };
    let mut view = vec![mark, mark, mark, b'\n'];
    if !line_start {
        view.push(b'|');
    }
    let shift = view.len();
    view.extend_from_slice(buf);
    let start = crate::token::unclosed_fence(&view)?;
    if start < shift {
        return Some(OpenFence { start: None, mark });
    }
    let mark = view[start..].iter().find(|&&b| b != b' ').copied()?;
    Some(OpenFence {
        start: Some(start - shift),
        mark,
    })
}

/// Where to end a full buffer that starts with no context: see
/// [`cut_with`].
#[cfg(test)]
pub(super) fn cut_point(buf: &[u8]) -> usize {
    cut_with(buf, Context::default()).0
}

/// Where to end a full buffer read after `context`: a position in
/// `1..=buf.len()`, and the context the next chunk starts with. A buffer
/// that opens a fenced code block without closing it ends before the
/// fence, so that the next chunk starts with the fence and knows the block
/// as code ([`crate::token::code_spans`]); a block that started before and
/// outgrows the buffer is cut at a line break, and the next chunk knows
/// it is in the block. Otherwise the cut is made as in text
/// ([`cut_point_in_text`]), and one that falls inside a run of
/// non-whitespace is marked on both sides.
fn cut_with(buf: &[u8], context: Context) -> (usize, Context) {
    let line_start = |cut: usize| buf[cut - 1] == b'\n';
    match open_fence(buf, context) {
        Some(OpenFence {
            start: Some(fence), ..
        }) if fence > 0 => return (fence, Context::default()),
        Some(OpenFence { mark, .. }) => {
            // All code from the start of the buffer on.
            let cut = match buf.rfind_byte(b'\n') {
                Some(i) => i + 1,
                None => last_char_start(buf),
            };
            let next = Context {
                fence: Some((mark, line_start(cut))),
                glued: false,
            };
            return (cut, next);
        }
        None => {}
    }
    let mut cut = cut_point_in_text(buf);
    let mut fence = None;
    if let Some(open) = open_fence(&buf[..cut], context) {
        match open.start {
            // A block opens before the cut and closes after it: cut
            // before it instead, so that it is read whole.
            Some(start) if start > 0 => cut = start,
            _ => fence = Some((open.mark, line_start(cut))),
        }
    }
    let glued = !buf[cut - 1].is_ascii_whitespace()
        && buf.get(cut).is_none_or(|b| !b.is_ascii_whitespace());
    (cut, Context { fence, glued })
}

/// Just before the last character of `buf` that is not its first (the
/// whole buffer when it is one character).
fn last_char_start(buf: &[u8]) -> usize {
    match buf.iter().rposition(|&b| !(0x80..0xC0).contains(&b)) {
        Some(i) if i > 0 => i,
        _ => buf.len(),
    }
}

/// [`cut_with`] for a buffer with no code block to keep whole.
fn cut_point_in_text(buf: &[u8]) -> usize {
    if let Some(cut) = last_sentence_line_break(buf) {
        return cut;
    }
    if let Some(i) = buf.rfind_byte(b'\n') {
        return i + 1;
    }
    if let Some(i) = buf.rfind_byteset(b".!?;:") {
        return i + 1;
    }
    if let Some(i) = buf.rfind_byteset(b" \t") {
        return i + 1;
    }
    // No space in a whole chunk: cut before the last character start.
    last_char_start(buf)
}

/// Just after the last `\n` of `buf` that the decoder reads as a sentence
/// end, or that follows sentence punctuation, judged from `buf` alone (see
/// [`crate::token::soft_line_break`]: the line after it must have begun
/// with a whole character), so that cutting there splits no sentence the
/// whole input would have.
fn last_sentence_line_break(buf: &[u8]) -> Option<usize> {
    let mut before = buf.len();
    while let Some(i) = buf[..before].rfind_byte(b'\n') {
        // The whitespace run around the line break, as the tokenizer reads it.
        let mut start = i;
        while let (Some(c), size) = bstr::decode_last_utf8(&buf[..start]) {
            if !c.is_whitespace() {
                break;
            }
            start -= size;
        }
        let mut end = Some(i);
        while let Some(at) = end {
            match bstr::decode_utf8(&buf[at..]) {
                (Some(c), size) if c.is_whitespace() => end = Some(at + size),
                (Some(_), _) => break,
                // The buffer ends here, or maybe inside a character.
                (None, _) if buf.len() - at < 4 => end = None,
                (None, _) => break,
            }
        }
        let after_sentence_punct = bstr::decode_last_utf8(&buf[..start])
            .0
            .is_some_and(crate::token::is_sentence_punct);
        if after_sentence_punct
            || end.is_some_and(|end| !crate::token::soft_line_break(buf, start, end))
        {
            return Some(i + 1);
        }
        before = start;
    }
    None
}
