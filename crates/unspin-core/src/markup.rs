//! HTML: which bytes of a page are prose.
//!
//! Users pipe web pages through unspin (`curl … | unspin`). Read as plain
//! text, a page's markup is words like any other: `<a href="/home">`
//! becomes `/house`, `function stated()` in a script becomes `said()`.
//! [`prose_view`] gives a copy of the page in which everything a reader
//! does not see as running text (tags and their attributes, comments,
//! scripts, styles, code, character references) is overwritten, byte for
//! byte, with filler the tokenizer reads as a sentence break or as a stop
//! between words. Repairing the view gives edits at the page's own byte
//! offsets, each covering only words of the page's text and the spaces
//! between them, so applied to the page they leave its markup intact.
//!
//! Invariants: the view has the page's length; a byte of the view is
//! either the page's byte (prose) or filler; filler never joins the words
//! on either side into one phrase, so no edit spans it.
//!
//! The tokenizer is html5gum's (WHATWG tokenization, with byte spans).

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};
use std::borrow::Cow;
use std::convert::Infallible;
use std::ops::Range;

/// Elements whose content is not prose: code, scripts, styles, embedded
/// documents, forms, and the page's navigation and footer ("Home" in a
/// menu is a link's name, not a spun "House").
const NOT_PROSE: &[&[u8]] = &[
    b"script",
    b"style",
    b"template",
    b"noscript",
    b"textarea",
    b"pre",
    b"code",
    b"kbd",
    b"samp",
    b"var",
    b"svg",
    b"math",
    b"iframe",
    b"object",
    b"form",
    b"select",
    b"button",
    b"nav",
    b"footer",
];

/// Elements that sit inside running text without breaking it.
const INLINE: &[&[u8]] = &[
    b"a", b"abbr", b"b", b"bdi", b"bdo", b"cite", b"data", b"del", b"dfn", b"em", b"font", b"i",
    b"ins", b"mark", b"q", b"s", b"small", b"span", b"strong", b"sub", b"sup", b"time", b"u",
    b"wbr",
];

/// Filler inside running text (an inline tag, a character reference):
/// punctuation that neither ends the sentence nor lets a phrase run
/// across it.
const INLINE_FILLER: u8 = b'|';

/// What an input is, for the purpose of finding its prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Markup {
    /// Plain text: every byte is prose.
    Plain,
    /// An HTML page: only its running text is prose ([`prose_view`]).
    Html,
    /// HTML when it starts like an HTML document ([`looks_like_html`]),
    /// else plain text.
    #[default]
    Detect,
}

impl Markup {
    /// Whether an input that starts with `start` is read as HTML.
    pub fn is_html(self, start: &[u8]) -> bool {
        match self {
            Markup::Plain => false,
            Markup::Html => true,
            Markup::Detect => looks_like_html(start),
        }
    }

    /// What of `input` is repaired: its [`prose_view`] when it is read as
    /// HTML, else the input itself. The edits of either apply to `input`.
    pub fn prose(self, input: &[u8]) -> Cow<'_, [u8]> {
        if self.is_html(input) {
            Cow::Owned(prose_view(input))
        } else {
            Cow::Borrowed(input)
        }
    }
}

/// Elements whose start tag, first in an input, makes it HTML: those that
/// open a page or its head or body, and the blocks a saved fragment
/// starts with. An inline tag (`<b>`) may start a line of plain text.
const OPENS_A_PAGE: &[&[u8]] = &[
    b"html",
    b"head",
    b"body",
    b"meta",
    b"title",
    b"link",
    b"base",
    b"script",
    b"style",
    b"noscript",
    b"template",
    b"header",
    b"footer",
    b"main",
    b"article",
    b"section",
    b"aside",
    b"nav",
    b"div",
    b"p",
    b"table",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"ul",
    b"ol",
    b"dl",
    b"blockquote",
    b"figure",
    b"iframe",
    b"center",
    b"frameset",
];

/// Whether `input` starts like an HTML document (after a byte-order mark,
/// whitespace and comments): a doctype, an XML declaration followed by an
/// `<html` tag (XHTML), or the start tag of an element that opens a page
/// or a block of one (`<html>`, `<head>`, `<meta …>`, `<body>`, `<div>`;
/// `OPENS_A_PAGE`); or nothing but comments, or a comment that runs past
/// what was read. Text after a comment is text: a Markdown file may open
/// with one (`<!-- toc -->`).
pub fn looks_like_html(input: &[u8]) -> bool {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut start = input.trim_ascii_start();
    let starts = |start: &[u8], prefix: &[u8]| {
        start.len() >= prefix.len() && start[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    if starts(start, b"<?xml") {
        // Within the first KiB, as the stream reads ahead no further.
        return start[..start.len().min(1024)]
            .windows(5)
            .any(|w| w.eq_ignore_ascii_case(b"<html"));
    }
    let mut comments = false;
    while starts(start, b"<!--") {
        comments = true;
        match start.windows(3).position(|w| w == b"-->") {
            Some(end) => start = start[end + 3..].trim_ascii_start(),
            // A comment that runs past what was read: a page all the same.
            None => return true,
        }
    }
    if start.is_empty() {
        return comments;
    }
    if starts(start, b"<!doctype html") {
        return true;
    }
    let Some(tag) = start.strip_prefix(b"<") else {
        return false;
    };
    let name_len = tag
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(tag.len());
    let (name, after) = tag.split_at(name_len);
    let name = name.to_ascii_lowercase();
    OPENS_A_PAGE.contains(&name.as_slice())
        && matches!(
            after.first(),
            Some(b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
        )
}

/// `text` as it must be written into an HTML page's text: `&`, `<` and
/// `>` as character references. A replacement spliced into a page is
/// read by a browser as markup otherwise (`R&D`, `<`).
pub fn escape_text(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Writes each edit's replacement as HTML text ([`escape_text`]), for
/// edits of a page's [`prose_view`].
pub fn escape_edits(edits: &mut [crate::edit::Edit]) {
    for edit in edits {
        if let Cow::Owned(escaped) = escape_text(&edit.restored) {
            edit.restored = escaped;
        }
    }
}

/// `html` with everything but its prose overwritten by filler (see the
/// module documentation): markup between blocks by a blank line, markup
/// inside running text and character references by `|`. A page with a
/// tag of more than [`MOST_QUOTED_VALUES`] double-quoted attribute values
/// has no prose: the tokenizer goes one stack frame deeper for each, and
/// such a tag (no page has one) would overflow the stack.
pub fn prose_view(html: &[u8]) -> Vec<u8> {
    let mut view = html.to_vec();
    if most_quoted_values(html) > MOST_QUOTED_VALUES {
        fill(&mut view, false);
        return view;
    }
    let mut covered = 0;
    for prose in prose_spans(html) {
        fill(&mut view[covered..prose.bytes.start], prose.after_inline);
        mask_references(&mut view[prose.bytes.clone()]);
        covered = prose.bytes.end;
    }
    fill(&mut view[covered..], false);
    view
}

/// The most double-quoted attribute values one tag of a page may have for
/// its prose to be read: a real tag has a few, and 1,000 take some
/// hundreds of kilobytes of the tokenizer's stack, a fraction of a worker
/// thread's.
pub const MOST_QUOTED_VALUES: usize = 1000;

/// The most double-quoted values in one tag of `html`, counted by a scan
/// that follows quotes the way the tokenizer does (a `>` inside a quoted
/// value does not end its tag).
fn most_quoted_values(html: &[u8]) -> usize {
    let (mut most, mut count) = (0, 0);
    let mut in_tag = false;
    let mut quote: Option<u8> = None;
    for (i, &b) in html.iter().enumerate() {
        match (in_tag, quote) {
            (false, _) => {
                if b == b'<' && html.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
                    in_tag = true;
                    count = 0;
                }
            }
            (true, Some(q)) => {
                if b == q {
                    quote = None;
                }
            }
            (true, None) => match b {
                b'"' => {
                    quote = Some(b);
                    count += 1;
                    most = most.max(count);
                }
                b'\'' => quote = Some(b),
                b'>' => in_tag = false,
                _ => {}
            },
        }
    }
    most
}

/// A stretch of running text, and whether only inline tags separate it
/// from the text before.
struct Prose {
    bytes: Range<usize>,
    after_inline: bool,
}

/// The text stretches of `html` a reader sees, in order.
fn prose_spans(html: &[u8]) -> Vec<Prose> {
    let mut prose: Vec<Prose> = Vec::new();
    // Open elements whose content is not prose, and whether only inline
    // tags have come since the last text.
    let mut hidden = 0usize;
    let mut inline_since_text = true;
    let mut emitter = CallbackEmitter::new(
        |event: CallbackEvent<'_>, span: Span<usize>| -> Option<Infallible> {
            match event {
                CallbackEvent::String { .. } if hidden == 0 => {
                    prose.push(Prose {
                        bytes: span.start..span.end,
                        after_inline: inline_since_text,
                    });
                    inline_since_text = true;
                }
                CallbackEvent::OpenStartTag { name } => {
                    if NOT_PROSE.contains(&name) {
                        hidden += 1;
                    }
                    inline_since_text &= INLINE.contains(&name);
                }
                CallbackEvent::EndTag { name } => {
                    if NOT_PROSE.contains(&name) {
                        hidden = hidden.saturating_sub(1);
                    }
                    inline_since_text &= INLINE.contains(&name);
                }
                CallbackEvent::Comment { .. } | CallbackEvent::Doctype { .. } => {
                    inline_since_text = false;
                }
                _ => {}
            }
            None
        },
    );
    emitter.naively_switch_states(true);
    for _ in Tokenizer::new_with_emitter(html, emitter) {}
    // Spans are in input order and disjoint; keep only those inside it.
    prose.retain(|p| p.bytes.start < p.bytes.end && p.bytes.end <= html.len());
    prose
}

/// Overwrites markup: inside running text with [`INLINE_FILLER`], between
/// blocks with a blank line (then spaces), which ends the sentence.
fn fill(bytes: &mut [u8], inline: bool) {
    if inline {
        bytes.fill(INLINE_FILLER);
    } else {
        bytes.fill(b' ');
        for byte in bytes.iter_mut().take(2) {
            *byte = b'\n';
        }
    }
}

/// Overwrites each character reference (`&amp;`, `&#8217;`, `&#x2019;`)
/// of a text stretch with [`INLINE_FILLER`]: it stands for a character the
/// view cannot hold in its bytes, and an edit must not rewrite it.
fn mask_references(text: &mut [u8]) {
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'&' {
            let name = &text[i + 1..];
            let end = name
                .iter()
                .take(32)
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'#'));
            if let Some(end) = end.filter(|&end| end > 0 && name[end] == b';') {
                text[i..i + end + 2].fill(INLINE_FILLER);
                i += end + 2;
                continue;
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(html: &str) -> String {
        let view = prose_view(html.as_bytes());
        assert_eq!(view.len(), html.len());
        String::from_utf8(view).unwrap()
    }

    #[test]
    fn keeps_text_and_fills_markup() {
        let html = "<p class=\"home\">The White <em>Home</em> stated.</p><p>Next</p>";
        assert_eq!(
            view(html),
            "\n\n              The White ||||Home||||| stated.\n\n     Next\n\n  "
        );
    }

    #[test]
    fn scripts_styles_comments_and_code_are_not_prose() {
        let html = "<script>var home = 1;</script><style>.home{}</style>\
                    <!-- home --><pre>home</pre><code>x</code>Home";
        let shown = view(html);
        assert!(shown.ends_with("Home"), "{shown:?}");
        assert_eq!(shown.matches("home").count(), 0, "{shown:?}");
        assert!(shown[..shown.len() - 4]
            .bytes()
            .all(|b| b == b' ' || b == b'\n'));
    }

    #[test]
    fn character_references_are_filled_within_text() {
        assert_eq!(
            view("<p>it&rsquo;s &amp; &#8217; a&b; x & y</p>"),
            "\n\n it|||||||s ||||| ||||||| a||| x & y\n\n  "
        );
    }

    #[test]
    fn literal_angle_brackets_and_broken_bytes_stay_text() {
        let html = b"<p>a < b \xff c</p>";
        let shown = prose_view(html);
        assert_eq!(&shown[3..12], b"a < b \xff c");
    }

    #[test]
    fn recognises_html_documents() {
        assert!(looks_like_html(b"\xEF\xBB\xBF  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"\n<html lang=en>"));
        assert!(looks_like_html(b"<!-- saved page -->"));
        assert!(looks_like_html(
            b"<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\">\n<html>"
        ));
        assert!(!looks_like_html(b"<?xml version=\"1.0\"?><rss><channel>"));
        assert!(!looks_like_html(b"The <b>bold</b> claim"));
        assert!(!looks_like_html(b"<htm"));
        assert!(!looks_like_html(b""));
    }

    /// Pages saved without a doctype start with their head, a meta tag or
    /// the body, often after a comment.
    #[test]
    fn recognises_pages_without_a_doctype() {
        for page in [
            &b"<head><title>x</title></head>"[..],
            b"<meta charset=\"utf-8\">\n<p>The ministry stated.",
            b"<body>",
            b"  <BODY class=\"home\">",
            b"<!-- saved -->\n\n<html>",
            b"<!-- one --><!-- two -->\n<head>",
            b"<!-- a banner that runs past the first kilobyte",
            b"<div class=x>text</div>",
            b"<p>The ministry stated.</p>",
            b"<h1>Title</h1>",
        ] {
            assert!(looks_like_html(page), "{}", String::from_utf8_lossy(page));
        }
        for text in [
            &b"<b>Bold</b> claims were made."[..],
            b"<headline> is not a tag of HTML",
            b"<p",
            b"<3 the ministry stated",
            b"< p>",
            b"The <p> tag",
        ] {
            assert!(!looks_like_html(text), "{}", String::from_utf8_lossy(text));
        }
    }

    /// A tag with tens of thousands of double-quoted values overflowed
    /// the tokenizer's stack (one frame per value) and aborted the whole
    /// run; such a page now has no prose, and any other page is read.
    #[test]
    fn a_tag_with_too_many_quoted_values_leaves_no_prose() {
        let tag = |n: usize| format!("<p {}>The White Home stated.</p>", "a=\"b\" ".repeat(n));
        let huge = tag(30_000);
        let view = prose_view(huge.as_bytes());
        assert_eq!(view.len(), huge.len());
        assert!(!view.windows(5).any(|w| w == b"White"));
        let fine = tag(MOST_QUOTED_VALUES);
        assert!(view_of(&fine).contains("The White Home stated."));
        // Quotes inside a value, single quotes and text do not count.
        let quoted = format!("<p title='\"\"\"'>{}</p>", "\"".repeat(3000));
        assert_eq!(most_quoted_values(quoted.as_bytes()), 0);
    }

    fn view_of(html: &str) -> String {
        String::from_utf8(prose_view(html.as_bytes())).unwrap()
    }

    #[test]
    fn replacements_are_escaped_as_html_text() {
        assert_eq!(escape_text("R&D <x> y"), "R&amp;D &lt;x&gt; y");
        assert!(matches!(escape_text("House"), Cow::Borrowed("House")));
    }
}
