//! Clean text that uses the spinner's favourite words in their ordinary
//! sense ("stated his name", "40 individuals", "the army") must come back
//! unchanged and be judged clean. The fixtures in tests/fixtures/traps/
//! were written for this test across registers: legal, medical, finance,
//! military history, sport, fiction, software documentation, e-mail.
//! Each file is one document, repaired alone, as a user pipes it.

mod common;

use unspin_core::{edit, Repairer};

fn fixtures() -> Vec<(String, String)> {
    common::fixture_documents("traps")
}

#[test]
fn clean_documents_with_spinner_words_are_left_alone() {
    let model = Repairer::embedded();
    let docs = fixtures();
    assert!(docs.len() >= 20, "the trap fixtures are missing");
    let changed: Vec<String> = docs
        .iter()
        .filter_map(|(name, text)| {
            let edits = model.repair(text.as_bytes());
            (!edits.is_empty()).then(|| {
                let repaired = edit::apply(text.as_bytes(), &edits);
                format!("{name}: {}", String::from_utf8_lossy(&repaired))
            })
        })
        .collect();
    assert!(changed.is_empty(), "changed:\n{}", changed.join("\n"));
}

/// One clean sentence per document, built around the spinner's phrases
/// that clean prose also writes ("together with", "price range", "court
/// docket", "in opposition to"): with nothing else in the document, the
/// phrase must not count as evidence for its own repair. The sentences of
/// tests/fixtures/trap_sentences.txt were written for this test.
#[test]
fn clean_sentences_with_spinner_phrases_are_left_alone() {
    let model = Repairer::embedded();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/trap_sentences.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let sentences: Vec<String> = text.lines().map(|line| format!("{line}\n")).collect();
    assert!(sentences.len() >= 100, "{path} is missing sentences");
    let changed: Vec<String> = sentences
        .iter()
        .filter_map(|sentence| {
            let edits = model.repair(sentence.as_bytes());
            (!edits.is_empty()).then(|| {
                String::from_utf8_lossy(&edit::apply(sentence.as_bytes(), &edits)).into_owned()
            })
        })
        .collect();
    assert!(changed.is_empty(), "changed:\n{}", changed.concat());
}

#[test]
fn clean_documents_with_spinner_words_are_judged_clean() {
    let model = Repairer::embedded();
    for (name, text) in fixtures() {
        let assessment = model.assess(text.as_bytes());
        assert!(
            assessment.spun_probability < 0.5,
            "{name}: {} ({:?})",
            assessment.spun_probability,
            assessment.cues
        );
    }
}

/// The same words in a spun paragraph are repaired: the trap documents
/// stay clean because of what else they say, not because "stated" is
/// never touched.
#[test]
fn the_same_words_in_spun_text_are_repaired() {
    let model = Repairer::embedded();
    let spun = "The witness stated the defendant had nonetheless left the constructing \
                earlier than midnight. Prosecutors additionally mentioned the courtroom \
                would hear the case subsequent 12 months, whether or not the invoice passes.";
    let repaired =
        String::from_utf8(edit::apply(spun.as_bytes(), &model.repair(spun.as_bytes()))).unwrap();
    for restored in ["said", "still", "before", "also", "court", "bill"] {
        assert!(
            repaired
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == restored),
            "{restored}: {repaired}"
        );
    }
}
