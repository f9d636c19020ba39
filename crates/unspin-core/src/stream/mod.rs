//! Repairing inputs of any size in bounded memory, chunk by chunk.
//!
//! [`repair_chunks`] reads a reader in chunks of about
//! [`Options::chunk_size`] bytes (256 KiB by default), repairs each chunk with
//! [`Repairer::repair`] and hands it, with its edits at absolute byte offsets
//! and its first line number, to a callback. Memory stays at a few chunks
//! (times [`Options::threads`]) whatever the input size.
//!
//! Where a chunk is cut, and what the text before a cut leaves open for
//! the next chunk, is [`cut`]'s business; this module reads, repairs and
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
    /// The input is an HTML page larger than [`MAX_PAGE`]; nothing was
    /// repaired.
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
    if page.len() > MAX_PAGE {
        return Err(StreamError::PageTooLarge);
    }
    if options.skip_binary && page[..page.len().min(options.chunk_size)].contains(&0) {
        return Err(StreamError::Binary);
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
mod tests {
    use super::*;
    use crate::{Dictionary, NgramModel, Settings};
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// The embedded model at a fixed penalty: the same decoder, no prior.
    fn fixed_model() -> &'static Repairer {
        static MODEL: OnceLock<Repairer> = OnceLock::new();
        MODEL.get_or_init(|| {
            Repairer::new(
                vec![Dictionary::embedded()],
                Box::new(NgramModel::embedded()),
                Settings {
                    fixed_penalty: Some(1.0),
                    ..Settings::default()
                },
            )
        })
    }

    fn embedded() -> &'static Repairer {
        static MODEL: OnceLock<Repairer> = OnceLock::new();
        MODEL.get_or_init(Repairer::embedded)
    }

    /// Streams `input` and returns the output and all edits.
    fn stream(repairer: &Repairer, input: &[u8], options: &Options) -> (Vec<u8>, Vec<Edit>) {
        let mut out = Vec::new();
        let mut edits = Vec::new();
        repair_chunks(repairer, input, options, |chunk| -> io::Result<()> {
            chunk.write_repaired(&mut out)?;
            edits.extend_from_slice(chunk.edits);
            Ok(())
        })
        .unwrap();
        (out, edits)
    }

    fn options(chunk_size: usize, threads: usize) -> Options {
        Options {
            chunk_size,
            threads,
            skip_binary: false,
            markup: Markup::Plain,
        }
    }

    const SPUN: &str = "The Pentagon stated the Joint Chiefs of Employees met in 12 months.";

    #[test]
    fn small_input_is_exactly_model_repair() {
        let input = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/spun_news.txt"
        ))
        .unwrap();
        let edits = embedded().repair(&input);
        assert!(!edits.is_empty());
        let (out, streamed) = stream(embedded(), &input, &Options::default());
        assert_eq!(streamed, edits);
        assert_eq!(out, crate::edit::apply(&input, &edits));
    }

    #[test]
    fn empty_input_visits_nothing() {
        let mut visits = 0;
        let totals = repair_chunks(embedded(), &b""[..], &Options::default(), |_| {
            visits += 1;
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!((visits, totals), (0, Totals::default()));
    }

    #[test]
    fn chunks_end_at_line_breaks_and_count_lines() {
        let input = format!("{SPUN}\r\n{SPUN}\n\n{SPUN}\n");
        let mut seen = Vec::new();
        repair_chunks(fixed_model(), input.as_bytes(), &options(80, 1), |c| {
            seen.push((c.offset, c.line, c.text.to_vec()));
            let lines: Vec<usize> = c.located_edits().map(|(l, _)| l).collect();
            assert!(lines.iter().all(|&l| l == c.line), "{lines:?}");
            Ok::<(), ()>(())
        })
        .unwrap();
        let texts: Vec<&[u8]> = seen.iter().map(|(_, _, t)| t.as_slice()).collect();
        assert_eq!(
            texts,
            [
                format!("{SPUN}\r\n").as_bytes(),
                format!("{SPUN}\n\n").as_bytes(),
                format!("{SPUN}\n").as_bytes()
            ]
        );
        assert_eq!(seen[1].1, 2);
        assert_eq!(seen[2].1, 4);
        assert_eq!(seen[2].0, SPUN.len() * 2 + 4);
    }

    #[test]
    fn located_edits_give_absolute_lines() {
        let input = format!("clean line\n\n{SPUN}\nmore\n{SPUN}");
        let mut lines = Vec::new();
        repair_chunks(fixed_model(), input.as_bytes(), &Options::default(), |c| {
            lines.extend(c.located_edits().map(|(l, e)| (l, e.spun.clone())));
            Ok::<(), ()>(())
        })
        .unwrap();
        assert!(lines.contains(&(3, "stated".to_string())), "{lines:?}");
        assert!(lines.contains(&(5, "stated".to_string())), "{lines:?}");
    }

    #[test]
    fn long_line_is_cut_at_sentences_with_the_same_output() {
        let input = format!("{SPUN} ").repeat(200);
        let whole = fixed_model().repair(input.as_bytes());
        for threads in [1, 2, 3] {
            let (out, edits) = stream(fixed_model(), input.as_bytes(), &options(500, threads));
            assert_eq!(edits, whole);
            assert_eq!(out, crate::edit::apply(input.as_bytes(), &whole));
        }
    }

    #[test]
    fn line_without_punctuation_is_cut_at_spaces_and_keeps_every_byte() {
        let input = "the pentagon stated the joint chiefs of employees met ".repeat(100);
        let (out, _) = stream(fixed_model(), input.as_bytes(), &options(64, 2));
        assert!(out.ends_with(b"met "));
        // No word is split: every output word is an input or restored word.
        let text = String::from_utf8(out).unwrap();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            assert!(
                [
                    "the",
                    "pentagon",
                    "stated",
                    "said",
                    "joint",
                    "chiefs",
                    "of",
                    "employees",
                    "staff",
                    "met"
                ]
                .contains(&word),
                "{word}"
            );
        }
    }

    #[test]
    fn no_space_at_all_cuts_between_characters() {
        let input = "é".repeat(100);
        let (out, edits) = stream(fixed_model(), input.as_bytes(), &options(17, 1));
        assert!(edits.is_empty());
        assert_eq!(out, input.as_bytes());
        assert_eq!(cut_point("aé".as_bytes()), 1);
    }

    #[test]
    fn binary_first_chunk_stops_before_repairing() {
        let input = b"The Pentagon stated \0 this.\n";
        let opts = Options {
            skip_binary: true,
            ..Options::default()
        };
        let result = repair_chunks(embedded(), &input[..], &opts, |_| -> Result<(), ()> {
            panic!("visited a binary chunk")
        });
        assert!(matches!(result, Err(StreamError::Binary)));
    }

    #[test]
    fn read_errors_and_visit_errors_are_told_apart() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk on fire"))
            }
        }
        let r = repair_chunks(embedded(), Failing, &Options::default(), |_| {
            Ok::<(), ()>(())
        });
        assert!(matches!(r, Err(StreamError::Read(_))));
        let r = repair_chunks(embedded(), &b"text\n"[..], &Options::default(), |_| {
            Err("full")
        });
        assert!(matches!(r, Err(StreamError::Visit("full"))));
    }

    #[test]
    fn a_full_buffer_is_cut_where_a_sentence_ends_not_at_a_wrapped_line() {
        fn cut(buf: &str) -> &str {
            &buf[..cut_point(buf.as_bytes())]
        }
        assert_eq!(
            cut("one two\nthree four.\nFive six\nseven"),
            "one two\nthree four.\n"
        );
        // No line ends a sentence: the last line break, as a last resort.
        assert_eq!(
            cut("one two\nthree four\nFive six\nseven"),
            "one two\nthree four\nFive six\n"
        );
        assert_eq!(cut("one two.\nthree four\nfive"), "one two.\n");
        assert_eq!(cut("one two\nthree four!\nfive"), "one two\nthree four!\n");
        // Whether the line after the last break goes on is not known yet.
        assert_eq!(cut("One\n\nTwo three\n  "), "One\n\n");
        assert_eq!(cut("One\n\nTwo three)\n\u{c9}"), "One\n\nTwo three)\n");
        assert_eq!(cut("One\n\nTwo three\n\u{c9}"), "One\n\n");
        assert_eq!(cut("One\n\nTwo three\n\u{e9}"), "One\n\n");
        // The buffer ends inside a character (the first byte of "É").
        assert_eq!(cut_point(b"One\n\nTwo three\n\xC3"), 5);
        // Only wrapped lines: the last line break, as before.
        assert_eq!(cut("one\ntwo\nthree"), "one\ntwo\n");
    }

    /// A fenced code block is never split between chunks when it fits in
    /// one: the words in it stay as written whatever the chunk size, while
    /// the prose around it is repaired.
    #[test]
    fn a_code_block_is_not_cut_in_two() {
        let before = "The Pentagon stated it met.\n\n";
        let code =
            "```\nofficers.mentioned = stated;\nWhite Home\nthe Joint Chiefs of Employees\n```\n";
        let input = format!("{before}{code}\nThe officers mentioned it.\n");
        let code_at = before.len()..before.len() + code.len();
        for chunk_size in code.len()..input.len() {
            let (out, edits) = stream(fixed_model(), input.as_bytes(), &options(chunk_size, 1));
            let out = String::from_utf8(out).unwrap();
            assert!(out.contains(code), "chunk size {chunk_size}: {out}");
            assert!(
                edits
                    .iter()
                    .all(|e| e.end <= code_at.start || e.start >= code_at.end),
                "chunk size {chunk_size}: {edits:?}"
            );
            assert!(out.starts_with("The Pentagon said"), "{out}");
        }
        assert_eq!(
            cut_point(format!("{before}```\nhome").as_bytes()),
            before.len()
        );
        // A block that starts the buffer and outgrows it is cut as text.
        assert_eq!(cut_point(b"```\nofficers\nmentioned"), 13);
    }

    /// A cut inside a word leaves both halves as they are: the second half
    /// is not a word of its own (`x`×262,143 then `stated` came out
    /// ending `…xsaid`).
    #[test]
    fn a_word_cut_in_two_is_not_repaired() {
        let long = format!("{}stated", "x".repeat(DEFAULT_CHUNK_SIZE - 1));
        let (out, edits) = stream(fixed_model(), long.as_bytes(), &Options::default());
        assert!(edits.is_empty(), "{edits:?}");
        assert!(out == long.as_bytes());
        let input = format!("{}stated officers mentioned.\n", "x".repeat(63));
        for threads in [1, 2] {
            let (out, edits) = stream(fixed_model(), input.as_bytes(), &options(64, threads));
            let out = String::from_utf8(out).unwrap();
            assert!(
                out.starts_with(&format!("{}stated ", "x".repeat(63))),
                "{out}"
            );
            assert!(edits.iter().all(|e| e.start > 63), "{edits:?}");
        }
        // A web address cut at a dot: its second half is still an address.
        let link = format!(
            "See https://example.com/{}/white-home/officers-mentioned now.\n",
            "a.".repeat(40)
        );
        for chunk_size in 16..link.len() {
            let (out, _) = stream(fixed_model(), link.as_bytes(), &options(chunk_size, 1));
            assert!(out == link.as_bytes(), "chunk size {chunk_size}");
        }
    }

    /// A code block longer than a chunk stays as written: the chunks after
    /// its fence know they are in it, and its closing fence is not read as
    /// the opening of another.
    #[test]
    fn a_code_block_longer_than_a_chunk_stays_as_written() {
        let code = format!(
            "```\n{}```\n",
            "officers.mentioned = stated; // the White Home\n".repeat(8)
        );
        let input = format!(
            "The ministry stated it.\n\n{code}\nThe officers mentioned it.\n\n~~~\n{}~~~\nThe ministry stated it.\n",
            "White Home stated\n".repeat(3)
        );
        let code_spans = crate::token::code_spans(input.as_bytes());
        assert_eq!(code_spans.len(), 2);
        for chunk_size in (MIN_CHUNK_SIZE..input.len()).step_by(3) {
            let (_, edits) = stream(fixed_model(), input.as_bytes(), &options(chunk_size, 1));
            for edit in &edits {
                assert!(
                    code_spans
                        .iter()
                        .all(|span| edit.end <= span.start || edit.start >= span.end),
                    "chunk size {chunk_size}: {edit:?}"
                );
            }
        }
    }

    /// A reader that hands out at most `step` bytes per read, as pipes do.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "The Pentagon",
            "stated",
            "said",
            "the Joint Chiefs of Employees",
            "in 12 months",
            "White Home",
            "Chinese language counterpart",
            "People’s",
            "café",
            "met",
            ",",
            ".",
            "?",
            "\u{FFFD}",
            "\t",
        ])
    }

    /// Up to four pieces, some of them wrapped onto a new line (which the
    /// decoder reads on from when a lowercase word follows), ending where
    /// a sentence ends.
    fn line() -> impl Strategy<Value = String> {
        (
            prop::collection::vec((piece(), prop::sample::select(vec![" ", " ", "\n"])), 0..4),
            prop::sample::select(vec!["\n\n", "\r\n\r\n", ". \n", "?\r\n"]),
        )
            .prop_map(|(pieces, end)| {
                let mut line = String::new();
                for (piece, gap) in pieces {
                    if !line.is_empty() {
                        line.push_str(gap);
                    }
                    line.push_str(piece);
                }
                line + end
            })
    }

    /// A page is read whole, so one past the limit is refused, before
    /// anything is repaired.
    #[test]
    fn a_page_past_the_limit_is_refused() {
        let page = b"<!DOCTYPE html><p>".chain(io::repeat(b'a').take(MAX_PAGE as u64));
        let options = Options {
            markup: Markup::Detect,
            ..options(DEFAULT_CHUNK_SIZE, 1)
        };
        let result = repair_chunks(fixed_model(), page, &options, |_| -> Result<(), ()> {
            panic!("repaired a page past the limit")
        });
        assert!(matches!(result, Err(StreamError::PageTooLarge)));
    }

    /// The first chunk may end before the doctype does: whether the input
    /// is a page is judged from its start, not from its first chunk.
    #[test]
    fn a_page_is_recognised_whatever_the_chunk_size() {
        let page = b"<!DOCTYPE html><html><body><!-- the White Home stated -->\n\
                     <script>officers.mentioned = 'White Home';</script></body></html>";
        for chunk_size in [MIN_CHUNK_SIZE, 20, 64, DEFAULT_CHUNK_SIZE] {
            let options = Options {
                markup: Markup::Detect,
                ..options(chunk_size, 1)
            };
            let (out, edits) = stream(embedded(), page, &options);
            assert_eq!(edits, [], "chunk size {chunk_size}");
            assert_eq!(out, page);
        }
        // Read as text, the same bytes are repaired.
        let (_, edits) = stream(fixed_model(), page, &options(MIN_CHUNK_SIZE, 1));
        assert!(!edits.is_empty());
    }

    /// A page over [`PAGE_WHOLE`] is repaired through its prose view in
    /// chunks: memory stays bounded, the markup comes through, and as its
    /// blocks end sentences the edits are those of the whole view.
    #[test]
    fn a_large_page_is_repaired_in_chunks_of_its_view() {
        let block = "<p class=\"home\">The ministry stated that <a href=\"/white-home\">the White Home</a> met.</p>\n\
                     <script>officers.mentioned = 'stated';</script>\n";
        let page = format!(
            "<!DOCTYPE html><html><body>\n{}</body></html>\n",
            block.repeat(PAGE_WHOLE / block.len() + 10)
        );
        let page = page.as_bytes();
        let options = Options {
            markup: Markup::Detect,
            ..options(DEFAULT_CHUNK_SIZE, 1)
        };
        let mut chunks = 0;
        let mut out = Vec::new();
        let mut edits = Vec::new();
        repair_chunks(fixed_model(), page, &options, |chunk| -> io::Result<()> {
            chunks += 1;
            chunk.write_repaired(&mut out)?;
            edits.extend_from_slice(chunk.edits);
            Ok(())
        })
        .unwrap();
        assert!(chunks > 1, "{chunks}");
        assert_eq!(edits, fixed_model().repair(&markup::prose_view(page)));
        assert!(out == crate::edit::apply(page, &edits));
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out.matches("href=\"/white-home\"").count(),
            page.len() / block.len()
        );
        assert_eq!(
            out.matches("mentioned = 'stated'").count(),
            page.len() / block.len()
        );
        assert!(out.contains("The ministry said that"));
    }

    /// A piece of an HTML page: running text with spun words, or markup
    /// that mentions them too.
    fn page_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("The White Home stated the officers mentioned it. ".to_string()),
            Just(
                "Lawmakers in the Home of Representatives welcomed a 12 months of talks.\n"
                    .to_string()
            ),
            Just("<p>".to_string()),
            Just("</p>\n".to_string()),
            Just("<a href=\"/white-home\">White Home</a> ".to_string()),
            Just("<em>stated</em> ".to_string()),
            Just("<script>var home = 'White Home stated';</script>".to_string()),
            Just("<style>.home { }</style>".to_string()),
            Just("<!-- the White Home stated -->".to_string()),
            Just("<pre>officers mentioned</pre>".to_string()),
            Just("<div class=\"home stated\">".to_string()),
            Just("Individuals&rsquo;s Liberation Military &amp; the Home ".to_string()),
            Just("a < b ".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// An HTML page is repaired whole through its prose view, whatever
        /// the chunk size: every edit lies in running text, and the markup
        /// comes through byte for byte.
        #[test]
        fn html_pages_are_repaired_in_their_text_only(
            pieces in prop::collection::vec(page_piece(), 0..40),
            chunk_size in 16usize..300,
            threads in 1usize..3,
        ) {
            let page = format!("<!DOCTYPE html><html><body>{}</body></html>", pieces.concat());
            let page = page.as_bytes();
            let view = markup::prose_view(page);
            let options = Options { markup: Markup::Detect, ..options(chunk_size, threads) };
            let (out, edits) = stream(fixed_model(), page, &options);
            prop_assert_eq!(&edits, &fixed_model().repair(&view));
            prop_assert_eq!(out, crate::edit::apply(page, &edits));
            for edit in &edits {
                let (start, end) = (edit.start, edit.end);
                prop_assert_eq!(&view[start..end], &page[start..end], "{:?}", edit);
                prop_assert!(!page[start..end].iter().any(|b| b"<>&|".contains(b)), "{:?}", edit);
            }
        }

        /// Whatever the chunk size, no edit reaches into a code block, a
        /// web address or part of a word of the whole input, however long
        /// its runs without a line break or a space.
        #[test]
        fn cuts_never_expose_code_addresses_or_half_words(
            pieces in prop::collection::vec(prop::sample::select(vec![
                "\n```\n", "\n~~~\n", "officers mentioned\n", "The ministry stated. ",
                "the White Home stated", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "https://example.com/white-home/a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s",
                "stated", "\n", " ", ".",
            ]), 0..30),
            chunk_size in 16usize..120,
            threads in 1usize..3,
        ) {
            let input = pieces.concat();
            let input = input.as_bytes();
            let (out, edits) = stream(fixed_model(), input, &options(chunk_size, threads));
            prop_assert_eq!(out, crate::edit::apply(input, &edits));
            let verbatim = crate::token::verbatim_spans(input);
            let word = |at: usize| input.get(at).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
            for edit in &edits {
                prop_assert!(
                    verbatim.iter().all(|s| edit.end <= s.start || edit.start >= s.end),
                    "{:?} in {:?}", edit, verbatim
                );
                prop_assert!(edit.start == 0 || !word(edit.start - 1), "{:?}", edit);
                prop_assert!(!word(edit.end), "{:?}", edit);
            }
        }

        /// Lines are shorter than the smallest chunk, so every cut is at a
        /// line break that ends a sentence: streamed edits and output equal
        /// the whole-buffer ones.
        #[test]
        fn chunk_boundaries_never_change_the_output(
            lines in prop::collection::vec(line(), 0..40),
            tail in "[a-z ]{0,20}",
            invalid in any::<bool>(),
            chunk_size in 128usize..700,
            threads in 1usize..4,
            step in 1usize..300,
        ) {
            let mut input = lines.concat().into_bytes();
            if invalid {
                input.extend_from_slice(b"\xff\xfe stated\n");
            }
            input.extend_from_slice(tail.as_bytes());
            let whole = fixed_model().repair(&input);
            let (out, edits) = stream(fixed_model(), &input, &options(chunk_size, threads));
            prop_assert_eq!(&edits, &whole);
            prop_assert_eq!(out, crate::edit::apply(&input, &whole));
            // However the reader delivers the bytes, the chunks are the same.
            let mut trickled = Vec::new();
            repair_chunks(
                fixed_model(),
                Trickle { bytes: &input, step },
                &options(chunk_size, 1),
                |c| { trickled.extend_from_slice(c.edits); Ok::<(), ()>(()) },
            ).unwrap();
            prop_assert_eq!(trickled, whole);
        }
    }
}
