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
//! "network") in their ordinary sense. Each file is one document, repaired
//! alone.

use std::path::PathBuf;
use unspin::{edit, Dictionary, Model};

fn fixtures() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean_science");
    let mut docs: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                text,
            )
        })
        .collect();
    docs.sort();
    docs
}

fn repaired(model: &Model, text: &str) -> String {
    String::from_utf8(edit::apply(text.as_bytes(), &model.repair(text.as_bytes()))).unwrap()
}

#[test]
fn clean_abstracts_are_left_alone() {
    let model = Model::embedded();
    let docs = fixtures();
    assert!(docs.len() >= 16, "the clean science fixtures are missing");
    for field in ["med_", "phys_", "eco_", "ml_"] {
        let n = docs
            .iter()
            .filter(|(name, _)| name.starts_with(field))
            .count();
        assert!(n >= 4, "{field}: {n} abstracts");
    }
    let changed: Vec<String> = docs
        .iter()
        .filter_map(|(name, text)| {
            let out = repaired(&model, text);
            (out != *text).then(|| format!("{name}: {out}"))
        })
        .collect();
    assert!(changed.is_empty(), "changed:\n{}", changed.join("\n"));
}

/// Tortured forms the list does not have, which the paper-mill channel
/// generates from attested terms, are repaired in a clean-looking
/// sentence; the listed layer does not know them.
#[test]
fn tortured_phrases_the_list_lacks_are_repaired() {
    let dict = Dictionary::embedded();
    let model = Model::embedded();
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
