//! Lossless tokenizer over bytes.
//!
//! unspin never rewrites text it does not mean to change, so the tokenizer
//! must not lose anything: every byte of the input belongs to exactly one
//! token, tokens are contiguous and in order, and concatenating their spans
//! reproduces the input byte for byte, whatever it holds (CRLF, tabs, curly
//! quotes, emoji, NUL, invalid UTF-8).
//!
//! A *word* is a run of alphanumeric characters (and `_`), with inner
//! apostrophes (`'` or `’`) when a letter or digit follows them: "China’s",
//! "it's". This matches how the evaluation script counts words. Everything
//! else is whitespace (a run, split into [`TokenKind::Space`] and
//! [`TokenKind::Newline`]), a single punctuation character, or a run of bytes
//! that are not valid UTF-8 ([`TokenKind::Invalid`]).

use std::ops::Range;

/// What a token is; the decoder only looks inside [`TokenKind::Word`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, digits, `_`, and inner apostrophes.
    Word,
    /// Whitespace with no line break in it.
    Space,
    /// Whitespace that holds at least one `\n` or `\r`.
    Newline,
    /// One punctuation or symbol character.
    Punct,
    /// Bytes that are not valid UTF-8.
    Invalid,
}

/// A token: a kind and a byte span `start..end` of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The bytes of this token in `input`.
    pub fn bytes<'a>(&self, input: &'a [u8]) -> &'a [u8] {
        &input[self.start..self.end]
    }

    /// Whether this token ends a stretch of text the language model should
    /// read as one sentence: sentence punctuation, line breaks (but for a
    /// [soft](soft_line_break) one), broken bytes.
    pub fn breaks_sentence(&self, input: &[u8]) -> bool {
        match self.kind {
            TokenKind::Newline => !soft_line_break(input, self.start, self.end),
            TokenKind::Invalid => true,
            TokenKind::Punct => {
                char_at(input, self.start).is_some_and(|(c, _)| is_sentence_punct(c))
            }
            TokenKind::Word | TokenKind::Space => false,
        }
    }
}

/// The byte spans of `input` that stay as written even in spun text, in
/// order and disjoint: web and e-mail addresses ([`link_spans`]) and code
/// ([`code_spans`]). Their words name things rather than say them.
pub fn verbatim_spans(input: &[u8]) -> Vec<Range<usize>> {
    let mut spans = link_spans(input);
    spans.extend(code_spans(input));
    spans.sort_unstable_by_key(|span| span.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// The byte spans of Markdown code in `input`, in order: fenced blocks
/// (from a line starting with three backticks or tildes to the next line
/// starting with the same fence, or to the end), and `inline code` between
/// single backticks on one line (not a backtick written for an apostrophe,
/// between letters). A code identifier is not a spun word
/// ("`home_stated`"), and rewriting it breaks the code.
pub fn code_spans(input: &[u8]) -> Vec<Range<usize>> {
    let (mut spans, open_fence) = code_spans_closed(input);
    if let Some(start) = open_fence {
        spans.push(start..input.len());
    }
    spans
}

/// Where the fenced code block that is still open at the end of `input`
/// starts, if one is: the start of its opening fence line. A reader that
/// cuts a long text into pieces cuts before it, so that the whole block,
/// closing fence and all, is judged together.
pub fn unclosed_fence(input: &[u8]) -> Option<usize> {
    code_spans_closed(input).1
}

/// The [`code_spans`] of `input` that are closed, and the start of a
/// fenced block still open at its end.
fn code_spans_closed(input: &[u8]) -> (Vec<Range<usize>>, Option<usize>) {
    use bstr::ByteSlice;
    let mut spans = Vec::new();
    if input.find_byte(b'`').is_none() && input.find("~~~").is_none() {
        return (spans, None);
    }
    let mut fence: Option<(&[u8], usize)> = None;
    let mut line_start = 0;
    for line in input.lines_with_terminator() {
        let at = line_start;
        line_start += line.len();
        let trimmed = line.trim_start_with(|c| c == ' ');
        let opens = [&b"```"[..], b"~~~"]
            .into_iter()
            .find(|mark| trimmed.starts_with(mark) && line.len() - trimmed.len() <= 3);
        match (fence, opens) {
            (Some((mark, start)), Some(closing)) if closing == mark => {
                spans.push(start..line_start);
                fence = None;
            }
            (Some(_), _) => {}
            (None, Some(mark)) => fence = Some((mark, at)),
            (None, None) => {
                // A backtick between letters is an apostrophe ("don`t").
                let apart = |i: usize| !line.get(i).is_some_and(u8::is_ascii_alphanumeric);
                let mut quote = None;
                for (i, &b) in line.iter().enumerate() {
                    if b == b'`' {
                        match quote {
                            Some(open) if apart(i + 1) => {
                                spans.push(at + open..at + i + 1);
                                quote = None;
                            }
                            None if i == 0 || apart(i - 1) => quote = Some(i),
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    (spans, fence.map(|(_, start)| start))
}

/// The byte spans of the addresses and names in `input`, in order: each
/// a run of non-whitespace bytes that holds `://`
/// (`https://example.com/white-home`); starts with `www.` (after an
/// opening bracket or quote), with a domain and a path
/// (`whitehome.gov/stated`), or with `@` or `#` and a letter
/// (`@individuals`, `#stated`); is a domain or a file name
/// (`authorities.gov.uk`, `individuals.pdf`) or a path
/// (`/usr/share/stated.txt`); or holds an `@` with a word character
/// before it and a `.` somewhere after it (`press@whitehome.gov`). Their
/// words name things rather than say them: "white-home" in an address is
/// not a spun "White House", and rewriting it breaks the link.
pub fn link_spans(input: &[u8]) -> Vec<Range<usize>> {
    use bstr::ByteSlice;
    let run_around = |at: usize| {
        let start = input[..at]
            .iter()
            .rposition(u8::is_ascii_whitespace)
            .map_or(0, |i| i + 1);
        let end = input[at..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(input.len(), |n| at + n);
        start..end
    };
    // Only runs around the bytes a link needs are looked at, each run once
    // per needle (a run of a million '@' is one run, not a million).
    let mut links: Vec<Range<usize>> = Vec::new();
    for needle in ["://", "@", "www.", "WWW.", "/", "\\", ".", "#"] {
        let mut done = 0;
        for at in input.find_iter(needle) {
            if at < done {
                continue;
            }
            let run = run_around(at);
            done = run.end;
            if is_link(&input[run.clone()]) {
                links.push(run);
            }
        }
    }
    links.sort_unstable_by_key(|run| run.start);
    links.dedup();
    links
}

/// Whether a run of non-whitespace bytes is a web or e-mail address.
fn is_link(run: &[u8]) -> bool {
    if run.windows(3).any(|w| w == b"://") {
        return true;
    }
    let bare = match run.iter().position(|b| !b"(<[\"'".contains(b)) {
        Some(at) => &run[at..],
        None => return false,
    };
    if bare.len() > 4 && bare[..4].eq_ignore_ascii_case(b"www.") {
        return true;
    }
    if starts_with_domain_path(bare) || is_domain_or_file_name(bare) || is_path(bare) {
        return true;
    }
    // A handle or a hashtag: "@individuals", "#stated".
    if matches!(bare.first(), Some(b'@' | b'#')) && bare.get(1).is_some_and(u8::is_ascii_alphabetic)
    {
        return true;
    }
    // A mail address: an '@' after a word character, before a '.' that
    // starts a domain label.
    let Some(last_dot) = run
        .windows(2)
        .rposition(|w| w[0] == b'.' && w[1].is_ascii_alphanumeric())
    else {
        return false;
    };
    run[..last_dot]
        .iter()
        .enumerate()
        .any(|(at, &b)| b == b'@' && at > 0 && run[at - 1].is_ascii_alphanumeric())
}

/// Whether `run` starts with a domain name and a `/`: labels of letters,
/// digits and hyphens joined by dots, the last of two letters or more
/// (`nytimes.com/2020/white-home.html`). "and/or", "e.g./i.e." and "3.5/5"
/// are not.
fn starts_with_domain_path(run: &[u8]) -> bool {
    let Some(slash) = run.iter().position(|&b| b == b'/') else {
        return false;
    };
    top_label(&run[..slash])
        .is_some_and(|top| top.len() >= 2 && top.iter().all(u8::is_ascii_alphabetic))
}

/// The last label of `name` when it is two labels or more of letters,
/// digits and hyphens joined by dots, as a domain name is.
fn top_label(name: &[u8]) -> Option<&[u8]> {
    let labels: Vec<&[u8]> = name.split(|&b| b == b'.').collect();
    let label =
        |l: &&[u8]| !l.is_empty() && l.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-');
    (labels.len() >= 2 && labels.iter().all(label)).then(|| labels[labels.len() - 1])
}

/// Whether `run`, less the punctuation after it, is a domain name or a
/// file name: two labels or more of letters, digits and hyphens joined by
/// dots, the last of two to six lowercase letters (`finances.yahoo.com`,
/// `authorities.gov.uk`, `individuals.pdf`). "e.g.", "U.S." and a sentence
/// run on without its space ("stated.The") are not.
fn is_domain_or_file_name(run: &[u8]) -> bool {
    let name = run
        .iter()
        .rposition(|b| b.is_ascii_alphanumeric())
        .map_or(&run[..0], |end| &run[..=end]);
    top_label(name)
        .is_some_and(|top| (2..=6).contains(&top.len()) && top.iter().all(u8::is_ascii_lowercase))
}

/// Whether `run` is a file path: from the root or home (`/usr/share/x`,
/// `~/notes/x`) or a drive (`C:\Users\x`), with a separator after it.
fn is_path(run: &[u8]) -> bool {
    let rest = if let Some(rest) = run.strip_prefix(b"~/") {
        rest
    } else if let Some(rest) = run.strip_prefix(b"/") {
        rest
    } else if run.len() > 3 && run[0].is_ascii_alphabetic() && &run[1..3] == b":\\" {
        &run[3..]
    } else {
        return false;
    };
    rest.first().is_some_and(u8::is_ascii_alphanumeric)
        && rest.iter().any(|&b| b == b'/' || b == b'\\')
}

/// Whether `c` ends a sentence: `.` `!` `?` `;` `:` `…`.
pub fn is_sentence_punct(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ';' | ':' | '…')
}

/// Whether the whitespace `start..end` of `input`, holding a line break,
/// only wraps a line: one line break (`\n`, `\r\n` or `\r`), and the
/// next line goes on with a lowercase letter, or with a capital after a
/// line that stopped mid-sentence (on a lowercase letter or a comma:
/// "told reporters\nTrump said"). Text hard-wrapped at a fixed width
/// (mail, `fold`, text dumps of web pages) breaks its sentences at any
/// word; read as sentence ends, those breaks would cost the language model
/// its context there. A blank line, or a next line starting otherwise (a
/// capital after sentence punctuation, a capitalised line or a closing
/// bracket; a digit, a quote, a list marker), ends the sentence; so does
/// the end of the input. Only bytes before `end` and the character at
/// `end` are read, so a chunk of the input judges a break as the whole
/// input does.
pub fn soft_line_break(input: &[u8], start: usize, end: usize) -> bool {
    let run = &input[start..end];
    let line_breaks = run
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && run.get(i + 1) != Some(&b'\n')))
        .count();
    if line_breaks != 1 {
        return false;
    }
    match char_at(input, end) {
        Some((c, _)) if c.is_lowercase() => true,
        Some((c, _)) if c.is_uppercase() => bstr::decode_last_utf8(&input[..start])
            .0
            .is_some_and(|before| before.is_lowercase() || before == ','),
        _ => false,
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits `input` into tokens whose spans cover it exactly.
pub fn tokenize(input: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(input.len() / 3 + 1);
    tokens.extend(Tokens::new(input));
    tokens
}

/// The tokens of an input one by one, as [`tokenize`] returns them, for a
/// reader that needs only a few at a time: holding all of them takes some
/// eight bytes of memory per byte of text.
pub struct Tokens<'a> {
    input: &'a [u8],
    /// Where the next token starts.
    pos: usize,
}

impl<'a> Tokens<'a> {
    /// The tokens of `input`.
    pub fn new(input: &'a [u8]) -> Tokens<'a> {
        Tokens { input, pos: 0 }
    }
}

/// The character at `pos` of `input` and where the next one starts, if
/// `pos` is inside. Bytes that are not UTF-8 come back as U+FFFD, with the
/// span bstr gives them (as `ByteSlice::char_indices` does), so spans stay
/// exact. ASCII, most of any text, is decoded here directly.
fn char_at(input: &[u8], pos: usize) -> Option<(char, usize)> {
    let &byte = input.get(pos)?;
    if byte.is_ascii() {
        return Some((byte as char, pos + 1));
    }
    let (c, size) = bstr::decode_utf8(&input[pos..]);
    Some((c.unwrap_or('\u{FFFD}'), pos + size))
}

/// Whether the bytes `start..end` of `input` are not UTF-8 (decoded as
/// U+FFFD without being one).
fn is_invalid(input: &[u8], start: usize, end: usize, c: char) -> bool {
    c == '\u{FFFD}' && &input[start..end] != "\u{FFFD}".as_bytes()
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let input = self.input;
        let start = self.pos;
        let (c, mut end) = char_at(input, start)?;
        let kind = if is_invalid(input, start, end, c) {
            while let Some((c2, e)) = char_at(input, end) {
                if !is_invalid(input, end, e, c2) {
                    break;
                }
                end = e;
            }
            TokenKind::Invalid
        } else if is_word_char(c) {
            while let Some((c2, e)) = char_at(input, end) {
                // An apostrophe stays inside the word only when a word
                // character follows it.
                let inside = is_word_char(c2)
                    || (is_apostrophe(c2)
                        && char_at(input, e).is_some_and(|(c3, _)| is_word_char(c3)));
                if !inside {
                    break;
                }
                end = e;
            }
            TokenKind::Word
        } else if c.is_whitespace() {
            let mut newline = c == '\n' || c == '\r';
            while let Some((c2, e)) = char_at(input, end) {
                if !c2.is_whitespace() {
                    break;
                }
                newline |= c2 == '\n' || c2 == '\r';
                end = e;
            }
            if newline {
                TokenKind::Newline
            } else {
                TokenKind::Space
            }
        } else {
            TokenKind::Punct
        };
        self.pos = end;
        Some(Token { kind, start, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bstr::ByteSlice;
    use proptest::prelude::*;

    fn texts(input: &[u8]) -> Vec<(TokenKind, String)> {
        tokenize(input)
            .iter()
            .map(|t| (t.kind, String::from_utf8_lossy(t.bytes(input)).into_owned()))
            .collect()
    }

    #[test]
    fn words_keep_inner_apostrophes_only() {
        let toks = texts("China’s 'quoted' it's".as_bytes());
        let words: Vec<_> = toks
            .iter()
            .filter(|(k, _)| *k == TokenKind::Word)
            .map(|(_, s)| s.as_str())
            .collect();
        assert_eq!(words, ["China’s", "quoted", "it's"]);
    }

    #[test]
    fn crlf_is_one_newline_token() {
        let toks = texts(b"a\r\nb");
        assert_eq!(toks[1], (TokenKind::Newline, "\r\n".to_string()));
    }

    #[test]
    fn invalid_utf8_is_its_own_token() {
        let input = b"ab\xff\xfecd";
        let toks = tokenize(input);
        assert_eq!(toks.len(), 3);
        assert_eq!(toks[1].kind, TokenKind::Invalid);
        assert_eq!(toks[1].bytes(input), b"\xff\xfe");
    }

    #[test]
    fn literal_replacement_character_is_punctuation() {
        let input = "a\u{FFFD}b".as_bytes();
        assert_eq!(tokenize(input)[1].kind, TokenKind::Punct);
    }

    #[test]
    fn sentence_breaks() {
        let input = b"a. b, c.\nD";
        let breaks: Vec<bool> = tokenize(input)
            .iter()
            .map(|t| t.breaks_sentence(input))
            .collect();
        assert_eq!(
            breaks,
            [false, true, false, false, false, false, false, true, true, false]
        );
    }

    /// The pieces of `text` that `find` returns the spans of.
    fn found(text: &str, find: fn(&[u8]) -> Vec<Range<usize>>) -> Vec<&str> {
        find(text.as_bytes())
            .into_iter()
            .map(|span| &text[span])
            .collect()
    }

    #[test]
    fn markdown_code_is_found() {
        let code = |text| found(text, code_spans);
        assert_eq!(
            code("Call `home()` or `x`, not ` alone"),
            ["`home()`", "`x`"]
        );
        assert_eq!(code("they don`t know it`s `code`"), ["`code`"]);
        assert_eq!(
            code("Text\n```rust\nlet home = stated();\n```\nMore `a`\n"),
            ["```rust\nlet home = stated();\n```\n", "`a`"]
        );
        assert_eq!(
            code("  ~~~\nhome\n```\nstill code"),
            ["  ~~~\nhome\n```\nstill code"]
        );
        assert_eq!(code("plain text, no code"), Vec::<&str>::new());
        // Only a fence still open at the end is unclosed, not inline code.
        assert_eq!(unclosed_fence(b"Text\n  ~~~\nhome\n```\nstill"), Some(5));
        assert_eq!(unclosed_fence(b"Text\n```\nhome\n```\nMore `a"), None);
        assert_eq!(unclosed_fence(b"Text with `home"), None);
        let spans = verbatim_spans(b"see `https://a.b/home` and https://c.d");
        assert_eq!(spans, [4..22, 27..38]);
    }

    #[test]
    fn web_and_mail_addresses_are_found_whole() {
        let links = |text| found(text, link_spans);
        assert_eq!(
            links("See https://example.com/white-home?stated=1, or (www.Example.com/home)."),
            [
                "https://example.com/white-home?stated=1,",
                "(www.Example.com/home)."
            ]
        );
        assert_eq!(
            links("mail press@whitehome.gov or\tftp://x\nnow"),
            ["press@whitehome.gov", "ftp://x"]
        );
        assert_eq!(
            links("See example.com/stated and (nytimes.com/2020/white-home.html)."),
            ["example.com/stated", "(nytimes.com/2020/white-home.html)."]
        );
        assert_eq!(
            links("Read finances.yahoo.com, authorities.gov.uk or individuals.pdf; follow @individuals and #stated."),
            [
                "finances.yahoo.com,",
                "authorities.gov.uk",
                "individuals.pdf;",
                "@individuals",
                "#stated."
            ]
        );
        assert_eq!(
            links("Open /usr/share/individuals/stated.txt or C:\\Users\\stated\\x now"),
            ["/usr/share/individuals/stated.txt", "C:\\Users\\stated\\x"]
        );
        // Long runs are looked at once, not once per '@' or '://'.
        let many = "a@".repeat(200_000) + &"x://".repeat(100_000);
        assert_eq!(link_spans(many.as_bytes()), vec![0..many.len()]);
        for none in [
            "a@b",
            "@ handle",
            "user@ host",
            "e.g. this",
            "wwwhat",
            "10:30 p.m.",
            "and/or",
            "e.g./i.e.",
            "rated 3.5/5",
            "24/7 news",
            "e.g. this",
            "the U.S. team",
            "it stated.The end",
            "a #1 hit",
            "he said / she said",
            "C# code",
        ] {
            assert_eq!(links(none), Vec::<&str>::new(), "{none}");
        }
    }

    /// Which line breaks end a sentence: the one before `x` in each input.
    #[test]
    fn a_line_wrapped_mid_sentence_goes_on() {
        let ends = |text: &str| {
            let input = text.as_bytes();
            let token = tokenize(input)
                .into_iter()
                .find(|t| t.kind == TokenKind::Newline)
                .unwrap();
            token.breaks_sentence(input)
        };
        for soft in [
            "a\nx",
            "a\r\nx",
            "a\rx",
            "a \n  x",
            "a,\n\txé",
            "a\nédition",
            "a\nX",
            "a,\nX",
            "a \n Éx",
        ] {
            assert!(!ends(soft), "{soft:?}");
        }
        for hard in [
            "a\n\nx",
            "a\r\n\r\nx",
            "a\n \nx",
            "a.\nX",
            "A\nX",
            "a)\nX",
            "\nX",
            "a\n1x",
            "a\n\"x",
            "a\n- x",
            "a\n",
        ] {
            assert!(ends(hard), "{hard:?}");
        }
    }

    /// The tokenizer as it was written first, over bstr's `char_indices`:
    /// the reference the faster one must agree with.
    fn reference_tokens(input: &[u8]) -> Vec<Token> {
        let mut tokens = Vec::new();
        let mut chars = input.char_indices().peekable();
        while let Some((start, mut end, c)) = chars.next() {
            let kind = if c == '\u{FFFD}' && &input[start..end] != "\u{FFFD}".as_bytes() {
                while let Some(&(_, e, c2)) = chars.peek() {
                    if c2 == '\u{FFFD}' && &input[end..e] != "\u{FFFD}".as_bytes() {
                        end = e;
                        chars.next();
                    } else {
                        break;
                    }
                }
                TokenKind::Invalid
            } else if is_word_char(c) {
                loop {
                    match chars.peek() {
                        Some(&(_, e, c2)) if is_word_char(c2) => {
                            end = e;
                            chars.next();
                        }
                        Some(&(_, e, c2)) if is_apostrophe(c2) => match input[e..].chars().next() {
                            Some(c3) if is_word_char(c3) => {
                                end = e;
                                chars.next();
                            }
                            _ => break,
                        },
                        _ => break,
                    }
                }
                TokenKind::Word
            } else if c.is_whitespace() {
                let mut newline = c == '\n' || c == '\r';
                while let Some(&(_, e, c2)) = chars.peek() {
                    if c2.is_whitespace() {
                        newline |= c2 == '\n' || c2 == '\r';
                        end = e;
                        chars.next();
                    } else {
                        break;
                    }
                }
                if newline {
                    TokenKind::Newline
                } else {
                    TokenKind::Space
                }
            } else {
                TokenKind::Punct
            };
            tokens.push(Token { kind, start, end });
        }
        tokens
    }

    proptest! {
        #[test]
        fn agrees_with_the_reference_tokenizer(
            input in proptest::collection::vec(
                prop_oneof![
                    Just(b"a".to_vec()), Just(b"Z9_".to_vec()), Just(b" ".to_vec()),
                    Just(b"\t\r\n".to_vec()), Just(b"'".to_vec()), Just("’".as_bytes().to_vec()),
                    Just(b"-.,".to_vec()), Just("é中".as_bytes().to_vec()),
                    Just("\u{FFFD}".as_bytes().to_vec()), Just("\u{A0}\u{2028}".as_bytes().to_vec()),
                    any::<u8>().prop_map(|b| vec![b]),
                ],
                0..40,
            ).prop_map(|parts| parts.concat())
        ) {
            prop_assert_eq!(tokenize(&input), reference_tokens(&input));
        }

        #[test]
        fn spans_cover_input_exactly(input in proptest::collection::vec(any::<u8>(), 0..300)) {
            let toks = tokenize(&input);
            let mut pos = 0;
            for t in &toks {
                prop_assert_eq!(t.start, pos);
                prop_assert!(t.end > t.start);
                pos = t.end;
            }
            prop_assert_eq!(pos, input.len());
        }

        #[test]
        fn round_trip_on_text(input in "\\PC{0,200}") {
            let bytes = input.as_bytes();
            let joined: Vec<u8> = tokenize(bytes).iter().flat_map(|t| t.bytes(bytes).to_vec()).collect();
            prop_assert_eq!(joined, bytes.to_vec());
        }
    }
}
