//! What several integration tests share: reading a folder of fixture
//! documents, each one file, in name order.

use std::path::PathBuf;

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
