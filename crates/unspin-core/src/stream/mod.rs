//! Repairing inputs of any size in bounded memory, chunk by chunk.
//!
//! [`repair_chunks`] reads a reader in chunks of about
//! [`Options::chunk_size`] bytes (256 KiB by default), repairs each chunk with
//! [`Repairer::repair`] and hands it, with its edits at absolute byte offsets
//! and its first line number, to a callback. Memory stays at a few chunks
//! (times [`Options::threads`]) whatever the input size.
//!
//! Where a chunk is cut, and what the text before a cut leaves open for
//! the next chunk, is `cut`'s business; this module reads, repairs and
//! hands out the chunks, on worker threads when there are several
//! ([`crate::parallel`]).
//!
//! The document prior is the one thing that is per chunk: each chunk gets
//! its own spun-or-clean verdict, as if it were a document of its own. An
//! input that fits in one chunk (nearly every article) is therefore repaired
//! exactly as `Repairer::repair` repairs it; a file larger than a chunk is
//! in practice a collection of documents, and judging it a chunk at a
//! time keeps the verdict local. Cut points depend only on the bytes and
//! the chunk size, never on how the reader delivers them, so a file and the
//! same bytes through a pipe give the same output.
//!
//! An HTML page ([`Options::markup`]) is the exception: it is read whole
//! (up to [`MAX_PAGE`]) and repaired through its
//! [`prose_view`](crate::markup::prose_view), as a cut in the page could
//! fall inside a tag or a script, and its replacements are written as
//! HTML text (`&` as `&amp;`). A page up to [`PAGE_WHOLE`], nearly any, is
//! repaired as one document; a larger one has its view cut into chunks
//! like text (the view's markup is blank lines and filler), so that memory
//! stays at the page, its view and a chunk.

use crate::edit::Edit;
use crate::markup::{self, Markup};
use crate::Repairer;
use std::fmt;
use std::io::{self, Read, Write};
use std::ops::Range;

mod cut;

#[cfg(test)]
use cut::cut_point;
use cut::Chunker;

/// The chunk size used unless told otherwise: 256 KiB, some 40,000 words,
/// far more than an article. Each thread repairing a chunk needs tens of
/// megabytes of working memory whatever the chunk size, and larger chunks
/// add to that without making the repair faster.
pub const DEFAULT_CHUNK_SIZE: usize = 256 << 10;

/// Chunks smaller than this are not allowed (a cut must make progress).
pub const MIN_CHUNK_SIZE: usize = 16;

/// How many bytes of an input are read to tell whether it is an HTML page.
const SNIFF_LEN: u64 = 1024;

/// The largest HTML page read (pages are read whole, with their prose
/// view, so memory is bounded by this rather than by the chunk size).
pub const MAX_PAGE: usize = 64 << 20;

/// The largest page repaired in one piece, as one document (nearly every
/// page); a larger one has its prose view repaired chunk by chunk, so that
/// the decoder's working memory, some thirty bytes per byte, stays bounded.
pub const PAGE_WHOLE: usize = 4 << 20;

/// How an input is streamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Most bytes read into one chunk.
    pub chunk_size: usize,
    /// Chunks repaired at once, each on its own thread (1: no threads).
    pub threads: usize,
    /// Stop with [`StreamError::Binary`], before repairing anything, when the
    /// first chunk holds a NUL byte.
    pub skip_binary: bool,
    /// Whether the input is an HTML page, whose markup must stay as it is.
    /// A page is read whole and repaired through its
    /// [`prose_view`](crate::markup::prose_view), so that no cut falls
    /// inside a tag or a script.
    pub markup: Markup,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            chunk_size: DEFAULT_CHUNK_SIZE,
            threads: 1,
            skip_binary: false,
            markup: Markup::Detect,
        }
    }
}

/// A repaired stretch of the input.
#[derive(Debug)]
pub struct Chunk<'a> {
    /// Byte offset of `text` in the whole input.
    pub offset: usize,
    /// Line number (1-based, counting `\n`) of the first byte of `text`.
    pub line: usize,
    /// The input bytes of this chunk.
    pub text: &'a [u8],
    /// The repairs in this chunk, with offsets into the whole input.
    pub edits: &'a [Edit],
}

impl Chunk<'_> {
    /// The span of `edit` (one of this chunk's) within [`Chunk::text`].
    pub fn local(&self, edit: &Edit) -> Range<usize> {
        edit.start - self.offset..edit.end - self.offset
    }

    /// Writes this chunk with its edits applied.
    pub fn write_repaired<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        crate::edit::write_repaired_at(out, self.text, self.offset, self.edits)
    }

    /// Each edit with the line number it starts on.
    pub fn located_edits(&self) -> impl Iterator<Item = (usize, &Edit)> + '_ {
        let mut pos = 0;
        let mut line = self.line;
        self.edits.iter().map(move |edit| {
            let start = edit.start - self.offset;
            line += count_newlines(&self.text[pos..start]);
            pos = start;
            (line, edit)
        })
    }

    /// How many `\n` the chunk holds.
    pub fn newlines(&self) -> usize {
        count_newlines(self.text)
    }
}

/// What a whole stream came to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Bytes read.
    pub bytes: usize,
    /// Edits made.
    pub edits: usize,
    /// Chunks repaired.
    pub chunks: usize,
    /// The input is an HTML page larger than [`MAX_PAGE`]: it was handed
    /// out as it is, unrepaired, as it cannot be read whole.
    pub unrepaired_page: bool,
}

/// Why a stream stopped early.
#[derive(Debug)]
pub enum StreamError<E> {
    /// Reading the input failed.
    Read(io::Error),
    /// The first chunk holds a NUL byte and [`Options::skip_binary`] is set.
    Binary,
    /// The callback returned this error.
    Visit(E),
    /// The input is an HTML page larger than [`MAX_PAGE`], which cannot be
    /// judged ([`assess_chunks`]; a repair hands it out unrepaired,
    /// [`Totals::unrepaired_page`]).
    PageTooLarge,
}

impl<E: fmt::Display> fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Read(e) => write!(f, "{e}"),
            StreamError::Binary => write!(f, "binary data (NUL bytes)"),
            StreamError::Visit(e) => write!(f, "{e}"),
            StreamError::PageTooLarge => write!(
                f,
                "an HTML page over {} MiB, too large to read whole",
                MAX_PAGE >> 20
            ),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for StreamError<E> {}

/// An input as its first bytes show it.
enum Sniffed {
    /// An HTML page, read whole.
    Page(Vec<u8>),
    /// Text: its first bytes, to be read again before the rest.
    Text(Vec<u8>),
    /// An HTML page larger than [`MAX_PAGE`]: its first bytes, past that
    /// size, to be read again before the rest.
    Oversized(Vec<u8>),
}

/// Reads the first bytes of an input and, when they start an HTML page
/// (by `options.markup`), the whole page, up to [`MAX_PAGE`].
fn sniff<R: Read, E>(reader: &mut R, options: &Options) -> Result<Sniffed, StreamError<E>> {
    let mut start = Vec::new();
    reader
        .take(SNIFF_LEN)
        .read_to_end(&mut start)
        .map_err(StreamError::Read)?;
    if !options.markup.is_html(&start) {
        return Ok(Sniffed::Text(start));
    }
    let mut page = start;
    let room = (MAX_PAGE + 1).saturating_sub(page.len()) as u64;
    reader
        .take(room)
        .read_to_end(&mut page)
        .map_err(StreamError::Read)?;
    if options.skip_binary && page[..page.len().min(options.chunk_size)].contains(&0) {
        return Err(StreamError::Binary);
    }
    if page.len() > MAX_PAGE {
        return Ok(Sniffed::Oversized(page));
    }
    Ok(Sniffed::Page(page))
}

/// Repairs everything `reader` yields, chunk by chunk, calling `visit` on
/// each chunk in input order. An empty input visits no chunk; an HTML page
/// ([`Options::markup`]) is one chunk.
pub fn repair_chunks<R, E, F>(
    repairer: &Repairer,
    mut reader: R,
    options: &Options,
    visit: F,
) -> Result<Totals, StreamError<E>>
where
    R: Read,
    F: FnMut(&Chunk<'_>) -> Result<(), E>,
{
    // Whether the input is an HTML page is judged from its first bytes,
    // read ahead of the chunker (a chunk may be shorter), which then reads
    // them again.
    let mut visitor = Visitor {
        visit,
        totals: Totals::default(),
        line: 1,
    };
    let start = match sniff(&mut reader, options)? {
        Sniffed::Page(page) => return visitor.page(repairer, &page, options),
        Sniffed::Oversized(start) => {
            return visitor.unrepaired(io::Cursor::new(start).chain(reader), options.chunk_size)
        }
        Sniffed::Text(start) => start,
    };
    let mut chunker = Chunker::new(io::Cursor::new(start).chain(reader), options.chunk_size);
    let mut first = Vec::new();
    let Some(first_frame) = chunker.next(&mut first).map_err(StreamError::Read)? else {
        return Ok(Totals::default());
    };
    if options.skip_binary && first.contains(&0) {
        return Err(StreamError::Binary);
    }
    if options.threads <= 1 || chunker.done() {
        // One thread, or one chunk (most files): no worker threads.
        let (mut text, mut frame) = (first, first_frame);
        loop {
            let edits = frame.repair(repairer, &text);
            visitor.chunk(&text, edits)?;
            match chunker.next(&mut text).map_err(StreamError::Read)? {
                Some(next) => frame = next,
                None => return Ok(visitor.totals),
            }
        }
    }
    repair_in_parallel(
        repairer,
        chunker,
        (first, first_frame),
        options.threads,
        visitor,
    )
}

/// Hands repaired chunks to the callback in order, with absolute offsets.
struct Visitor<F> {
    visit: F,
    totals: Totals,
    line: usize,
}

impl<F> Visitor<F> {
    /// Repairs an HTML page read whole: through its prose view, whole or,
    /// for a large page, cut like text, each piece of the page handed out
    /// with the edits of its piece of the view.
    fn page<E>(
        mut self,
        repairer: &Repairer,
        page: &[u8],
        options: &Options,
    ) -> Result<Totals, StreamError<E>>
    where
        F: FnMut(&Chunk<'_>) -> Result<(), E>,
    {
        if page.is_empty() {
            return Ok(Totals::default());
        }
        let view = markup::prose_view(page);
        if view.len() <= PAGE_WHOLE.max(options.chunk_size) {
            let mut edits = repairer.repair(&view);
            markup::escape_edits(&mut edits);
            self.chunk(page, edits)?;
            return Ok(self.totals);
        }
        // A large page: its prose view is cut like text, and each piece of
        // the page is handed out with the edits of its piece of the view.
        let mut chunker = Chunker::new(io::Cursor::new(&view[..]), options.chunk_size);
        let mut text = Vec::new();
        while let Some(frame) = chunker.next(&mut text).map_err(StreamError::Read)? {
            let mut edits = frame.repair(repairer, &text);
            markup::escape_edits(&mut edits);
            let start = self.totals.bytes;
            self.chunk(&page[start..start + text.len()], edits)?;
        }
        Ok(self.totals)
    }

    /// Hands out everything `reader` yields as it is, `chunk_size` bytes
    /// at a time: a page too large to read whole is passed through, not
    /// lost.
    fn unrepaired<E, R: Read>(
        mut self,
        mut reader: R,
        chunk_size: usize,
    ) -> Result<Totals, StreamError<E>>
    where
        F: FnMut(&Chunk<'_>) -> Result<(), E>,
    {
        self.totals.unrepaired_page = true;
        let mut text = Vec::with_capacity(chunk_size);
        loop {
            text.clear();
            (&mut reader)
                .take(chunk_size as u64)
                .read_to_end(&mut text)
                .map_err(StreamError::Read)?;
            if text.is_empty() {
                return Ok(self.totals);
            }
            self.chunk(&text, Vec::new())?;
        }
    }

    fn chunk<E>(&mut self, text: &[u8], mut edits: Vec<Edit>) -> Result<(), StreamError<E>>
    where
        F: FnMut(&Chunk<'_>) -> Result<(), E>,
    {
        let offset = self.totals.bytes;
        for edit in &mut edits {
            edit.start += offset;
            edit.end += offset;
        }
        let chunk = Chunk {
            offset,
            line: self.line,
            text,
            edits: &edits,
        };
        (self.visit)(&chunk).map_err(StreamError::Visit)?;
        self.line += chunk.newlines();
        self.totals.bytes += text.len();
        self.totals.edits += edits.len();
        self.totals.chunks += 1;
        Ok(())
    }
}

/// Worker threads repair chunks ([`crate::parallel::ordered_map`]) while
/// this thread reads the next ones and hands the repaired ones out in
/// order; a chunk's buffer is used again for a chunk read later.
fn repair_in_parallel<R, E, F>(
    repairer: &Repairer,
    mut chunker: Chunker<R>,
    first: (Vec<u8>, cut::Frame),
    threads: usize,
    mut visitor: Visitor<F>,
) -> Result<Totals, StreamError<E>>
where
    R: Read,
    F: FnMut(&Chunk<'_>) -> Result<(), E>,
{
    let spare: std::cell::RefCell<Vec<Vec<u8>>> = Default::default();
    let mut first = Some(first);
    crate::parallel::ordered_map(
        threads,
        || {
            if let Some(first) = first.take() {
                return Ok(Some(first));
            }
            let mut text = spare.borrow_mut().pop().unwrap_or_default();
            let frame = chunker.next(&mut text).map_err(StreamError::Read)?;
            Ok(frame.map(|frame| (text, frame)))
        },
        |(text, frame)| {
            let edits = frame.repair(repairer, &text);
            (text, edits)
        },
        |(text, edits)| {
            visitor.chunk(&text, edits)?;
            spare.borrow_mut().push(text);
            Ok(())
        },
    )?;
    Ok(visitor.totals)
}

/// Repairs `reader` to `writer`: the streaming counterpart of
/// [`edit::write_repaired`](crate::edit::write_repaired).
///
/// ```
/// use unspin_core::{stream, Repairer};
///
/// let repairer = Repairer::embedded();
/// let mut out = Vec::new();
/// let spun = "The Joint Chiefs of Employees met in the White Home.\n";
/// stream::repair_stream(&repairer, spun.as_bytes(), &mut out, &stream::Options::default())
///     .unwrap();
/// assert_eq!(out, b"The Joint Chiefs of Staff met in the White House.\n");
/// ```
pub fn repair_stream<R: Read, W: Write>(
    repairer: &Repairer,
    reader: R,
    writer: &mut W,
    options: &Options,
) -> Result<Totals, StreamError<io::Error>> {
    repair_chunks(repairer, reader, options, |chunk| {
        chunk.write_repaired(writer)
    })
}

/// Judges everything `reader` yields, chunk by chunk as
/// [`repair_chunks`] cuts it (an HTML page whole, through its prose view),
/// calling `visit` with each chunk's byte count and its
/// [`Assessment`](crate::Assessment). Memory stays at a chunk, as for a
/// repair; an empty input visits nothing.
pub fn assess_chunks<R, F>(
    repairer: &Repairer,
    mut reader: R,
    options: &Options,
    mut visit: F,
) -> Result<(), StreamError<std::convert::Infallible>>
where
    R: Read,
    F: FnMut(usize, crate::Assessment),
{
    let page = match sniff(&mut reader, options)? {
        Sniffed::Page(page) => page,
        Sniffed::Oversized(_) => return Err(StreamError::PageTooLarge),
        Sniffed::Text(start) => {
            return assess_text(
                repairer,
                io::Cursor::new(start).chain(reader),
                options,
                visit,
            );
        }
    };
    if page.is_empty() {
        return Ok(());
    }
    let view = markup::prose_view(&page);
    drop(page);
    if view.len() <= PAGE_WHOLE.max(options.chunk_size) {
        visit(view.len(), repairer.assess(&view));
        return Ok(());
    }
    assess_text(repairer, io::Cursor::new(view), options, visit)
}

/// [`assess_chunks`] for text.
fn assess_text<R, F>(
    repairer: &Repairer,
    reader: R,
    options: &Options,
    mut visit: F,
) -> Result<(), StreamError<std::convert::Infallible>>
where
    R: Read,
    F: FnMut(usize, crate::Assessment),
{
    let mut chunker = Chunker::new(reader, options.chunk_size);
    let mut text = Vec::new();
    let mut offset = 0;
    while let Some(frame) = chunker.next(&mut text).map_err(StreamError::Read)? {
        if offset == 0 && options.skip_binary && text.contains(&0) {
            return Err(StreamError::Binary);
        }
        let (view, shift) = frame.view(&text);
        let mut assessment = repairer.assess(&view);
        // Offsets into the whole input, as a repair's are.
        assessment.evidence.retain(|e| e.start >= shift);
        for edit in &mut assessment.evidence {
            edit.start = edit.start - shift + offset;
            edit.end = edit.end - shift + offset;
        }
        visit(text.len(), assessment);
        offset += text.len();
    }
    Ok(())
}

/// How many `\n` `bytes` holds: line numbers of edits and diffs are
/// counted with it.
pub fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests;
