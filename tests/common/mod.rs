//! What several integration tests share: reading fixture documents, a
//! folder of them, each one file, in name order, or a file of them, one
//! per line; and finding the ones a repair changes.

use std::path::PathBuf;
use unspin_core::{edit, Repairer};

/// The documents of `tests/fixtures/<folder>`, as (file name, text), sorted
/// by name. Fails, naming the folder, when it cannot be read.
pub fn fixture_documents(folder: &str) -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder);
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
    assert!(!docs.is_empty(), "{} holds no documents", dir.display());
    docs
}

/// The lines of `tests/fixtures/<file>`, each a document of its own, named
/// by its line number. Fails when the file holds fewer than `at_least`.
pub fn line_documents(file: &str, at_least: usize) -> Vec<(String, String)> {
    let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let docs: Vec<(String, String)> = text
        .lines()
        .enumerate()
        .map(|(i, line)| (format!("{file}:{}", i + 1), format!("{line}\n")))
        .collect();
    assert!(
        docs.len() >= at_least,
        "{file} holds {} documents, fewer than {at_least}",
        docs.len()
    );
    docs
}

/// Fails, listing them, if a repair changes any of `docs`.
pub fn assert_left_alone(docs: &[(String, String)]) {
    let changed = changed(docs);
    assert!(changed.is_empty(), "changed:\n{}", changed.join("\n"));
}

/// The documents of `docs` that a repair changes, each as "name: repaired".
fn changed(docs: &[(String, String)]) -> Vec<String> {
    let model = Repairer::embedded();
    docs.iter()
        .filter_map(|(name, text)| {
            let edits = model.repair(text.as_bytes());
            (!edits.is_empty()).then(|| {
                let repaired = edit::apply(text.as_bytes(), &edits);
                format!("{name}: {}", String::from_utf8_lossy(&repaired))
            })
        })
        .collect()
}
