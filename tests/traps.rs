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
    let docs = fixtures();
    assert!(docs.len() >= 20, "the trap fixtures are missing");
    common::assert_left_alone(&docs);
}

/// One clean sentence per document, built around the spinner's words and
/// phrases that clean prose also writes ("together with", "price range",
/// "court docket", "settlement", "digital camera", "pronounced dead", a
/// lowercase "white home" or "state division" that names nothing):
/// with nothing else in the document, a phrase must not count as
/// evidence for its own repair. The sentences of
/// tests/fixtures/trap_sentences.txt were written for this test.
#[test]
fn clean_sentences_with_spinner_phrases_are_left_alone() {
    let docs = common::line_documents("trap_sentences.txt", 100);
    common::assert_left_alone(&docs);
}

/// Two to four clean sentences per document, dense in the spinner's
/// favourite words ("stated", "mentioned", "additionally", "individuals",
/// "12 months"), used as clean prose uses them, many in the formal
/// registers that use them most (police statements, court transcripts,
/// filings, policies, minutes): together they raise the document's spun
/// probability, and that must still leave every word as written. Written
/// for this test.
#[test]
fn clean_paragraphs_dense_in_spinner_words_are_left_alone() {
    let docs = common::line_documents("trap_paragraphs.txt", 40);
    common::assert_left_alone(&docs);
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
