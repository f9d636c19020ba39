//! Clean scientific prose must come back unchanged, while the tortured
//! phrases of a paper mill are repaired even where the tortured-phrase
//! list has never seen them.
//!
//! The paper-mill layer (`data/dict/papermill.csv`) generates tortured forms
//! of attested terms offline, and some of those forms are ordinary words of
//! science put together ("framework", "information", "charge"). The
//! fixtures in tests/fixtures/clean_science/ were written for this test:
//! abstracts in medicine, physics, ecology and machine learning that use
//! the words a paper mill swaps ("random forest", "irregular heartbeat",
//! "woodland birds", "profound hypotension", "deep learning", "energy",
//! "network") in their ordinary sense, across some fifteen fields. Each
//! file is one document, repaired alone; so is each line of
//! tests/fixtures/clean_science_sentences.txt, a scientific sentence that
//! uses at least two of the words a paper mill writes ("a novel
//! framework", "aquatic organisms", "household income").

mod common;

use unspin_core::{edit, Dictionary, Repairer};

fn fixtures() -> Vec<(String, String)> {
    common::fixture_documents("clean_science")
}

fn repaired(model: &Repairer, text: &str) -> String {
    String::from_utf8(edit::apply(text.as_bytes(), &model.repair(text.as_bytes()))).unwrap()
}

#[test]
fn clean_abstracts_are_left_alone() {
    let docs = fixtures();
    assert!(docs.len() >= 16, "the clean science fixtures are missing");
    for field in ["med_", "phys_", "eco_", "ml_"] {
        let n = docs
            .iter()
            .filter(|(name, _)| name.starts_with(field))
            .count();
        assert!(n >= 4, "{field}: {n} abstracts");
    }
    common::assert_left_alone(&docs);
}

#[test]
fn clean_scientific_sentences_are_left_alone() {
    let docs = common::line_documents("clean_science_sentences.txt", 100);
    common::assert_left_alone(&docs);
}

/// Tortured forms the list does not have, which the paper-mill channel
/// generates from attested terms, are repaired in a clean-looking
/// sentence; the listed layer does not know them.
#[test]
fn tortured_phrases_the_list_lacks_are_repaired() {
    let dict = Dictionary::embedded();
    let model = Repairer::embedded();
    for (tortured, term) in [
        ("renal disappointment", "renal failure"),
        ("solar vitality", "solar energy"),
        ("nitric corrosive", "nitric acid"),
    ] {
        let sources: Vec<&str> = dict
            .lookup(tortured)
            .unwrap_or_else(|| panic!("{tortured}: no entry"))
            .filter(|c| c.original == term)
            .map(|c| c.source)
            .collect();
        assert_eq!(sources, ["papermill"], "{tortured}");
    }
    let text = "The panels convert solar vitality into heat. Samples were washed in \
                nitric corrosive before analysis, and patients with renal disappointment \
                were excluded.";
    assert_eq!(
        repaired(&model, text),
        "The panels convert solar energy into heat. Samples were washed in \
         nitric acid before analysis, and patients with renal failure \
         were excluded."
    );
}

/// The document prior weighs the paper-mill layer's repairs as
/// fingerprints by how sure their entries are: three unlisted tortured
/// phrases take an abstract from clean to a probability that each
/// phrase's own confidence then outweighs (it is repaired, as above),
/// while one such phrase in otherwise clean prose leaves the document
/// clean. The news-trained cues read scientific words as clean, which
/// the fingerprints have to outweigh.
#[test]
fn the_prior_weighs_unlisted_tortured_phrases_by_how_many() {
    let model = Repairer::embedded();
    let p = |text: &str| model.assess(text.as_bytes()).spun_probability;
    let abstract_with = |a: &str, b: &str, c: &str| {
        format!(
            "Background: little is known about {a} in patients with chronic conditions. \
             Methods: we conducted a retrospective study of 412 patients and measured {b} at \
             baseline and after twelve months. Results: changes in {c} were associated with \
             better outcomes. Conclusion: these findings support further trials."
        )
    };
    let tortured = abstract_with("renal disappointment", "solar vitality", "nitric corrosive");
    assert!(p(&tortured) > 0.25, "{}", p(&tortured));
    let clean = abstract_with("renal failure", "solar energy", "nitric acid");
    assert!(p(&clean) < 0.05, "{}", p(&clean));
    assert_eq!(repaired(&model, &tortured), clean);
    let one = "Patients with renal disappointment were excluded from the analysis because \
               their kidney function had already declined. The remaining cohort was followed \
               for three years, and blood pressure was measured at every visit.";
    assert!(p(one) < 0.1, "{}", p(one));
}
