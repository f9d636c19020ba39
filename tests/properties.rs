//! Properties of the library that must hold for every input (proptest).
//!
//! Inputs are built from the project's own fixtures (tests/fixtures/),
//! spinner phrases, arbitrary bytes, or all three mixed. Case counts are
//! kept low where each case runs a repair, so the file takes a few seconds
//! in release mode.

use proptest::prelude::*;
use std::sync::OnceLock;
use unspin_core::case::{starts_uppercase, transfer_case};
use unspin_core::edit::{apply, write_repaired};
use unspin_core::token::{tokenize, TokenKind};
use unspin_core::{Edit, Repairer};

const CLEAN_NEWS: &str = include_str!("fixtures/clean_news.txt");
const SPUN_NEWS: &str = include_str!("fixtures/spun_news.txt");

/// Phrases a spinner writes (the README's examples and their kin).
const SPINNER_PHRASES: &[&str] = &[
    "stated",
    "12 months",
    "Chinese language",
    "Joint Chiefs of Employees",
    "Individuals’s",
    "Individuals's",
    "Home of Representatives",
    "White Home",
    "Common Wang",
    "dialog",
    "officers mentioned",
    "army officer",
    "digital assembly",
    "JOINT CHIEFS OF EMPLOYEES",
    "Stated",
    "profound learning",
];

/// Separators between words, including the awkward ones.
const SEPARATORS: &[&str] = &[
    " ", " ", " ", " ", ", ", ". ", "\n", "\r\n", "\t", "  ", " — ", "; ", "? ", "\"", "’ ",
];

fn model() -> &'static Repairer {
    static MODEL: OnceLock<Repairer> = OnceLock::new();
    MODEL.get_or_init(Repairer::embedded)
}

/// A second, independently loaded model.
fn other_model() -> &'static Repairer {
    static MODEL: OnceLock<Repairer> = OnceLock::new();
    MODEL.get_or_init(Repairer::embedded)
}

/// The sentences of the clean fixture: each line cut after ". ".
fn clean_sentences() -> Vec<String> {
    CLEAN_NEWS
        .lines()
        .flat_map(|line| line.split_inclusive(". "))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Every word of both fixtures.
fn fixture_words() -> Vec<String> {
    let mut words: Vec<String> = [CLEAN_NEWS, SPUN_NEWS]
        .iter()
        .flat_map(|text| {
            let bytes = text.as_bytes();
            tokenize(bytes)
                .into_iter()
                .filter(|t| t.kind == TokenKind::Word)
                .map(|t| String::from_utf8(t.bytes(bytes).to_vec()).unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Text that reads like spun news: fixture words and spinner phrases,
/// joined by assorted separators.
fn spunish_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(fixture_words()),
        2 => proptest::sample::select(SPINNER_PHRASES).prop_map(str::to_string),
    ];
    proptest::collection::vec((piece, proptest::sample::select(SEPARATORS)), 0..60).prop_map(
        |parts| {
            parts
                .into_iter()
                .map(|(piece, sep)| piece + sep)
                .collect::<String>()
        },
    )
}

/// Bytes of any value, mixed with words and spinner phrases so that the
/// decoder has something to match next to broken UTF-8, NULs and controls.
fn spunish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => proptest::collection::vec(any::<u8>(), 1..4),
        2 => proptest::sample::select(fixture_words()).prop_map(String::into_bytes),
        2 => proptest::sample::select(SPINNER_PHRASES).prop_map(|s| s.as_bytes().to_vec()),
        2 => proptest::sample::select(SEPARATORS).prop_map(|s| s.as_bytes().to_vec()),
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|parts| parts.concat())
}

/// Checks that `edits` are sorted, disjoint, start at the start of a Word
/// token, end at the end of one (or of the apostrophe after it, for a
/// plural possessive restored with "'s"), and hold the input's text as
/// `spun`.
fn check_edits(input: &[u8], edits: &[Edit]) -> Result<(), TestCaseError> {
    let words: Vec<_> = tokenize(input)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
        .collect();
    let mut pos = 0;
    for e in edits {
        prop_assert!(e.start >= pos, "overlapping or unsorted edits: {:?}", edits);
        prop_assert!(e.start < e.end && e.end <= input.len(), "bad span {:?}", e);
        prop_assert!(
            words.iter().any(|w| w.start == e.start),
            "edit does not start at a word: {:?}",
            e
        );
        let apostrophe = ["'", "’"]
            .into_iter()
            .find(|a| {
                e.spun.ends_with(a) && (e.restored.ends_with("s") || e.restored.ends_with("S"))
            })
            .map_or(0, str::len);
        prop_assert!(
            words.iter().any(|w| w.end == e.end - apostrophe),
            "edit does not end at a word: {:?}",
            e
        );
        prop_assert_eq!(e.spun.as_bytes(), &input[e.start..e.end]);
        prop_assert!(e.score.is_finite());
        pos = e.end;
    }
    Ok(())
}

/// Checks that `apply` copies every byte outside the edits and puts each
/// edit's `restored` in its place, and agrees with `write_repaired`.
fn check_apply(input: &[u8], edits: &[Edit]) -> Result<(), TestCaseError> {
    let out = apply(input, edits);
    let mut written = Vec::new();
    write_repaired(&mut written, input, edits).unwrap();
    prop_assert_eq!(&out, &written);
    let mut expected = Vec::new();
    let mut pos = 0;
    for e in edits {
        expected.extend_from_slice(&input[pos..e.start]);
        expected.extend_from_slice(e.restored.as_bytes());
        pos = e.end;
    }
    expected.extend_from_slice(&input[pos..]);
    prop_assert_eq!(&out, &expected);
    if std::str::from_utf8(input).is_ok() {
        prop_assert!(std::str::from_utf8(&out).is_ok(), "repair broke UTF-8");
    }
    Ok(())
}

#[test]
fn fixtures_behave_as_the_readme_says() {
    // The generators below lean on these two facts.
    assert!(model().repair(CLEAN_NEWS.as_bytes()).is_empty());
    assert!(!model().repair(SPUN_NEWS.as_bytes()).is_empty());
    assert!(clean_sentences().len() >= 6);
}

proptest! {
    #[test]
    fn tokens_join_back_to_any_bytes(input in proptest::collection::vec(any::<u8>(), 0..400)) {
        let tokens = tokenize(&input);
        let mut pos = 0;
        let mut joined = Vec::new();
        for t in &tokens {
            prop_assert_eq!(t.start, pos);
            prop_assert!(t.end > t.start);
            joined.extend_from_slice(t.bytes(&input));
            pos = t.end;
        }
        prop_assert_eq!(joined, input);
    }

    #[test]
    fn tokens_join_back_to_spunish_bytes(input in spunish_bytes()) {
        let joined: Vec<u8> = tokenize(&input).iter().flat_map(|t| t.bytes(&input).to_vec()).collect();
        prop_assert_eq!(joined, input);
    }

    #[test]
    fn first_letter_case_survives_transfer(
        spun in proptest::collection::vec(
            prop_oneof![
                "[a-zé][a-zé]{0,7}",
                "[A-ZÉ][a-zé]{0,7}",
                "[A-ZÉ]{1,8}",
                "[a-z][A-Za-z]{0,7}",
                "[0-9]{1,3}",
                Just("of".to_string()),
            ],
            1..5,
        ),
        original in proptest::collection::vec("[a-zéçñü]{1,8}", 1..5),
    ) {
        let original = original.join(" ");
        let spun_words: Vec<&str> = spun.iter().map(String::as_str).collect();
        let out = transfer_case(&spun_words, &original);
        prop_assert_eq!(out.to_lowercase(), original.clone(), "only case may change");
        if spun[0].starts_with(char::is_alphabetic) {
            prop_assert_eq!(
                starts_uppercase(&out),
                starts_uppercase(&spun[0]),
                "{:?} -> {:?}", spun, out
            );
        }
    }

    #[test]
    fn intrinsic_capitals_of_the_original_are_kept(
        spun in "[a-z]{1,8}|[A-Z][a-z]{0,7}|[A-Z]{2,8}",
        original in "[A-Z][A-Za-z]{0,6}",
    ) {
        // "us" -> "US", "pentagon" -> "Pentagon": a word of the original
        // that carries a capital keeps its spelling, unless the text
        // writes it in capitals ("PENTAGON").
        let in_capitals = spun.len() > 1 && spun.chars().all(|c| c.is_ascii_uppercase());
        let expected = if in_capitals { original.to_uppercase() } else { original.clone() };
        prop_assert_eq!(transfer_case(&[spun.as_str()], &original), expected);
    }
}

proptest! {
    // Each case below runs one or two repairs.
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn clean_sentences_stay_unchanged(
        sentences in proptest::collection::vec(proptest::sample::select(clean_sentences()), 1..12),
        newlines in any::<bool>(),
    ) {
        let text = sentences.join(if newlines { "\n" } else { " " }) + "\n";
        let edits = model().repair(text.as_bytes());
        prop_assert!(edits.is_empty(), "clean text changed: {:?}\n{}", edits, text);
    }

    #[test]
    fn repairing_is_deterministic(text in spunish_text()) {
        let first = model().repair(text.as_bytes());
        let second = model().repair(text.as_bytes());
        prop_assert_eq!(&first, &second);
        // Nor does it depend on the model instance (caches, load order).
        let third = other_model().repair(text.as_bytes());
        prop_assert_eq!(&first, &third);
    }

    #[test]
    fn edits_sit_on_words_of_spunish_text(text in spunish_text()) {
        let input = text.as_bytes();
        let edits = model().repair(input);
        check_edits(input, &edits)?;
        check_apply(input, &edits)?;
    }

    #[test]
    fn edits_sit_on_words_of_any_bytes(input in spunish_bytes()) {
        let edits = model().repair(&input);
        check_edits(&input, &edits)?;
        check_apply(&input, &edits)?;
    }

    #[test]
    fn edits_of_raw_bytes(input in proptest::collection::vec(any::<u8>(), 0..300)) {
        let edits = model().repair(&input);
        check_edits(&input, &edits)?;
        check_apply(&input, &edits)?;
    }
}

#[test]
fn spunish_text_does_get_repaired() {
    // Guard against the generators above drifting into text that is never
    // edited, which would make the edit properties vacuous.
    let text = "The chairman of the Joint Chiefs of Employees stated the talks were the first in 12 months, officers mentioned.\n";
    let edits = model().repair(text.as_bytes());
    assert!(edits.len() >= 2, "{edits:?}");
}

proptest! {
    // Each case starts the binary.
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn binary_prints_the_library_repair(input in spunish_bytes()) {
        let expected = apply(&input, &model().repair(&input));
        let out = assert_cmd::Command::cargo_bin("unspin")
            .unwrap()
            .write_stdin(input.clone())
            .output()
            .unwrap();
        prop_assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        prop_assert_eq!(out.stdout, expected);
    }
}

/// Found by the dict_from_bytes fuzz target: a compiled dictionary whose
/// FST section has corrupt nodes *and* a checksum that matches them
/// (libFuzzer forged it) made the fst crate panic inside
/// `Dictionary::from_bytes`. The load now walks every key under
/// `catch_unwind` and reports such a file as an error. (Under cargo-fuzz,
/// where panics abort, the target still stops on it.)
#[test]
fn crafted_fst_with_valid_checksum_is_an_error() {
    let bytes = include_bytes!("../fuzz/regressions/dict_from_bytes/forged-checksum-fst.bin");
    let loaded = unspin_core::Dictionary::from_bytes(std::borrow::Cow::Owned(bytes.to_vec()), "x");
    assert!(loaded.is_err());
}

/// A JSON value with the awkward spellings a re-encoder would change:
/// big and exotic numbers, escapes, nesting, spacing.
fn json_value() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "123456789012345678901234567890",
        "2.50",
        "1e2",
        "-0.0",
        "1E-7",
        "\"caf\\u00e9 \\ud83d\\ude00 \\/ \\\"q\\\"\"",
        "\"White Home stated\"",
        "null",
        "true",
        "[1, {\"text\": \"officers mentioned\"}, []]",
        "{ \"a\" : { \"b\" : [ ] } }",
        "\"\"",
    ])
    .prop_map(str::to_string)
}

/// The text field's value: spinner phrases and fixture words, spelled
/// with JSON escapes here and there.
fn json_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(SPINNER_PHRASES),
            prop::sample::select(vec![
                " ",
                ". ",
                "\\n",
                "\\t",
                " \\u00e9 ",
                "\\\"",
                " \\u0073tated ",
            ]),
        ),
        0..12,
    )
    .prop_map(|pieces| {
        let mut text = String::from("\"");
        for (phrase, gap) in pieces {
            text.push_str(&phrase.replace('"', "\\\""));
            text.push_str(gap);
        }
        text + "\""
    })
}

proptest! {
    // Each case repairs one short record.
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// JSON Lines: whatever the record holds around its text, every byte
    /// of the line outside the text's string comes back as it was, the
    /// text's string decodes to the repaired text, and the one member
    /// added is the edits list.
    #[test]
    fn json_lines_keep_every_byte_outside_the_text(
        before in prop::collection::vec(json_value(), 0..4),
        after in prop::collection::vec(json_value(), 0..4),
        text in json_text(),
        space in prop::sample::select(vec!["", " ", "\t", "  "]),
        ending in prop::sample::select(vec!["", "\n", "\r\n"]),
    ) {
        let mut members: Vec<String> = before
            .iter()
            .enumerate()
            .map(|(i, v)| format!("\"b{i}\"{space}:{space}{v}"))
            .collect();
        members.push(format!("\"text\":{space}{text}"));
        members.extend(after.iter().enumerate().map(|(i, v)| format!("\"a{i}\":{v}")));
        let line = format!("{space}{{{space}{}{space}}}{space}{ending}", members.join(&format!(",{space}")));
        let fields = unspin::json::Fields::default();
        let repaired = unspin::json::repair_record(model(), line.as_bytes(), &fields).unwrap();
        let out = String::from_utf8(repaired.line.clone()).unwrap();
        let body = line.strip_suffix(ending).unwrap();
        let terminator = if ending.is_empty() { "\n" } else { ending };
        prop_assert!(out.ends_with(terminator), "{}", out);
        let out_body = &out[..out.len() - if ending.is_empty() { 1 } else { ending.len() }];
        let added = &out_body[repaired.added.clone()];
        prop_assert!(added.starts_with(",\"unspin_edits\":["), "{}", added);
        let rest = format!("{}{}", &out_body[..repaired.added.start], &out_body[repaired.added.end..]);
        let span = repaired.text_span.clone().unwrap();
        let (head, tail) = (&body[..span.start], &body[span.end..]);
        prop_assert!(rest.starts_with(head) && rest.ends_with(tail), "{} -> {}", line, out);
        let new_text: String = serde_json::from_str(&rest[head.len()..rest.len() - tail.len()]).unwrap();
        let old_text: String = serde_json::from_str(&body[span]).unwrap();
        let record: serde_json::Value = serde_json::from_str(&out).unwrap();
        let list = record["unspin_edits"].as_array().unwrap();
        prop_assert_eq!(list.len(), repaired.edits);
        // The edits, applied to the old text, give the new one.
        let mut expected = String::new();
        let mut at = 0;
        for edit in list {
            let (s, e) = (edit["byte_start"].as_u64().unwrap() as usize, edit["byte_end"].as_u64().unwrap() as usize);
            prop_assert_eq!(&old_text[s..e], edit["spun"].as_str().unwrap());
            expected.push_str(&old_text[at..s]);
            expected.push_str(edit["restored"].as_str().unwrap());
            at = e;
        }
        expected.push_str(&old_text[at..]);
        prop_assert_eq!(new_text, expected);
    }
}
