//! Compiles the default dictionary (`data/dict/*.csv` at the workspace
//! root) into `$OUT_DIR/default.dict`, with the same compiler that `unspin
//! dict compile` uses, so the embedded data is always the current CSV; and
//! puts the language model beside it.

use std::path::PathBuf;
use unspin_formats::{dict as compile, lm as lm_format};

fn main() {
    embed_dictionary();
    embed_language_model();
}

fn out_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("OUT_DIR").unwrap())
}

/// The workspace's `data/` folder, which this crate shares with the
/// scripts that build it.
fn data_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap()).join("../../data")
}

/// Puts `data/lm/en-us.unlm` (made by `scripts/build_lm.sh`), with its
/// lookup indexes, next to the build's outputs for `include_bytes!`. A checkout without it still builds,
/// with an empty model and a warning, so that the script can be run.
fn embed_language_model() {
    let model = data_dir().join("lm/en-us.unlm");
    let model = model.as_path();
    println!("cargo:rerun-if-changed={}", model.display());
    let out = out_dir().join("model.unlm");
    if model.exists() {
        // The committed model may be stored without its lookup indexes
        // (format version 1); they are derived here.
        let bytes = std::fs::read(model).expect("read the language model");
        let indexed =
            lm_format::add_index(&bytes).unwrap_or_else(|e| panic!("{}: {e}", model.display()));
        std::fs::write(&out, indexed).expect("write the language model");
        return;
    }
    println!(
        "cargo:warning=no {} found: building with an empty language model; run scripts/build_lm.sh",
        model.display()
    );
    let parts = lm_format::ModelParts {
        words: vec!["</s>".into(), "<s>".into()],
        uni_prob: vec![-1000, -32768],
        uni_backoff: vec![0, 0],
        order: 1,
        unk: -10.0,
        ..Default::default()
    };
    std::fs::write(out, lm_format::write(&parts).expect("empty model")).expect("write model");
}

fn embed_dictionary() {
    let dir = data_dir().join("dict");
    let dir = dir.as_path();
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("data/dict exists")
        .map(|e| e.expect("readable data/dict entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    let mut entries = Vec::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let reader = std::fs::File::open(file).expect("readable CSV");
        match compile::read_csv(reader, &file.display().to_string()) {
            Ok(rows) => entries.extend(rows),
            Err(e) => panic!("{e}"),
        }
    }
    let bytes = compile::compile(&entries).unwrap_or_else(|e| panic!("{e}"));
    let out = out_dir().join("default.dict");
    std::fs::write(out, bytes).expect("write default.dict");
}
