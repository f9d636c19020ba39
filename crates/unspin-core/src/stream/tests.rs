//! Tests of streaming: cut points, chunk boundaries, pages, threads.

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

/// A page is read whole, so one past the limit is not repaired: it is
/// handed out as it is, every byte, and said to be unrepaired; judging
/// it is refused.
#[test]
fn a_page_past_the_limit_passes_through_unrepaired() {
    let head = format!("<!DOCTYPE html><p>{SPUN}</p>");
    let len = head.len() + MAX_PAGE;
    let page = || {
        head.as_bytes()
            .chain(io::repeat(b'a').take(MAX_PAGE as u64))
    };
    let options = Options {
        markup: Markup::Detect,
        ..options(DEFAULT_CHUNK_SIZE, 1)
    };
    let mut out = Vec::with_capacity(len);
    let totals = repair_chunks(fixed_model(), page(), &options, |chunk| {
        assert!(chunk.edits.is_empty());
        assert_eq!(chunk.offset, out.len());
        out.extend_from_slice(chunk.text);
        Ok::<(), ()>(())
    })
    .unwrap();
    assert!(totals.unrepaired_page);
    assert_eq!((totals.bytes, out.len()), (len, len));
    assert!(out.starts_with(head.as_bytes()));
    let judged = assess_chunks(fixed_model(), page(), &options, |_, _| {});
    assert!(matches!(judged, Err(StreamError::PageTooLarge)));
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
            "Lawmakers in the Home of Representatives welcomed a 12 months of talks.\n".to_string()
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
