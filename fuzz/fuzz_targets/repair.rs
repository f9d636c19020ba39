//! `Repairer::repair` on arbitrary bytes: no panic; edits are sorted, disjoint,
//! start at the start of a Word token and end at the end of one, hold the
//! spun text as found; applying them (both ways the library offers) gives
//! the same output, which is the input outside the edits and stays valid
//! UTF-8 when the input was.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use unspin_core::token::{tokenize, TokenKind};
use unspin_core::Repairer;

fn model() -> &'static Repairer {
    static MODEL: OnceLock<Repairer> = OnceLock::new();
    MODEL.get_or_init(Repairer::embedded)
}

fuzz_target!(|input: &[u8]| {
    let edits = model().repair(input);
    let tokens = tokenize(input);
    let word_starts: Vec<usize> = tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.start)
        .collect();
    let word_ends: Vec<usize> = tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.end)
        .collect();
    let mut pos = 0;
    for e in &edits {
        assert!(
            e.start >= pos,
            "edits overlap or are out of order: {edits:?}"
        );
        assert!(e.start < e.end && e.end <= input.len(), "bad span: {e:?}");
        assert!(
            word_starts.binary_search(&e.start).is_ok(),
            "edit starts inside a word or off words: {e:?}"
        );
        assert!(
            word_ends.binary_search(&e.end).is_ok(),
            "edit ends inside a word or off words: {e:?}"
        );
        assert_eq!(
            e.spun.as_bytes(),
            &input[e.start..e.end],
            "spun is not the input span"
        );
        assert!(e.score.is_finite(), "non-finite score: {e:?}");
        pos = e.end;
    }
    let out = unspin_core::edit::apply(input, &edits);
    let mut written = Vec::new();
    unspin_core::edit::write_repaired(&mut written, input, &edits).unwrap();
    assert_eq!(out, written);
    // Outside the edits, every byte is copied through.
    let mut expected = Vec::new();
    let mut pos = 0;
    for e in &edits {
        expected.extend_from_slice(&input[pos..e.start]);
        expected.extend_from_slice(e.restored.as_bytes());
        pos = e.end;
    }
    expected.extend_from_slice(&input[pos..]);
    assert_eq!(out, expected);
    if std::str::from_utf8(input).is_ok() {
        assert!(
            std::str::from_utf8(&out).is_ok(),
            "repair broke valid UTF-8"
        );
    }
});
