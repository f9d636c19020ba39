//! The tokenizer is lossless: token spans are non-empty, contiguous, in
//! order and cover the input exactly, and words are valid UTF-8 (the decoder
//! relies on it); asking whether a token ends a sentence never panics; the
//! spans kept verbatim (addresses, code) are sorted, disjoint and non-empty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unspin_core::token::{tokenize, verbatim_spans, TokenKind};

fuzz_target!(|input: &[u8]| {
    let tokens = tokenize(input);
    let mut pos = 0;
    let mut joined = Vec::with_capacity(input.len());
    for t in &tokens {
        assert_eq!(t.start, pos, "tokens must be contiguous");
        assert!(t.end > t.start, "empty token");
        let bytes = t.bytes(input);
        joined.extend_from_slice(bytes);
        match t.kind {
            TokenKind::Word | TokenKind::Space | TokenKind::Newline | TokenKind::Punct => {
                assert!(
                    std::str::from_utf8(bytes).is_ok(),
                    "{:?} token not UTF-8",
                    t.kind
                );
            }
            TokenKind::Invalid => {
                assert!(
                    std::str::from_utf8(bytes).is_err(),
                    "valid UTF-8 marked invalid"
                );
            }
        }
        // Whether a token ends a sentence looks past it (a line break
        // followed by a lowercase letter does not): any bytes will do.
        let _ = t.breaks_sentence(input);
        pos = t.end;
    }
    assert_eq!(pos, input.len());
    assert_eq!(joined, input);
    let mut after = 0;
    for span in verbatim_spans(input) {
        assert!(after <= span.start && span.start < span.end && span.end <= input.len());
        after = span.end;
    }
});
