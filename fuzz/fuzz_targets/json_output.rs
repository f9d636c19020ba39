//! JSON output of edits always parses back to what was written.
//!
//! The CLI's JSON builders are private to the binary (src/cli/batch.rs
//! `EditRecord` for `--format json`, src/cli/jsonl.rs for
//! `--input-format jsonl`), so this target builds the same objects from the
//! library's `Edit`s: the first input byte splits the data into a path
//! (shown lossily, plus base64 of the raw bytes when they are not UTF-8, as
//! the CLI does) and a text repaired by `Model::repair`.
#![no_main]

use base64::Engine;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use std::sync::OnceLock;
use unspin::Model;

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(Model::embedded)
}

/// `--format json`: one object per edit (the fields of the CLI's EditRecord).
#[derive(serde::Serialize)]
struct EditRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_base64: Option<&'a str>,
    byte_start: usize,
    byte_end: usize,
    line: usize,
    spun: &'a str,
    restored: &'a str,
    score: f32,
    source: &'a str,
}

fn check_number(v: &Value, x: f32) {
    if x.is_finite() {
        let back = v.as_f64().expect("a finite score is a number") as f32;
        assert_eq!(back, x, "score does not round trip");
    } else {
        assert!(v.is_null(), "a non-finite score must be null");
    }
}

fuzz_target!(|data: &[u8]| {
    let (path_len, rest) = match data.split_first() {
        Some((&n, rest)) => ((n as usize).min(rest.len()), rest),
        None => (0, data),
    };
    let (raw_path, text) = rest.split_at(path_len);
    let path = String::from_utf8_lossy(raw_path);
    let path_base64 = std::str::from_utf8(raw_path)
        .is_err()
        .then(|| base64::engine::general_purpose::STANDARD.encode(raw_path));

    let edits = model().repair(text);
    for edit in &edits {
        // The library's own Serialize.
        let s = serde_json::to_string(edit).expect("an Edit serializes");
        let v: Value = serde_json::from_str(&s).expect("Edit JSON parses");
        assert_eq!(v["start"], edit.start);
        assert_eq!(v["end"], edit.end);
        assert_eq!(v["spun"], edit.spun.as_str());
        assert_eq!(v["restored"], edit.restored.as_str());
        assert_eq!(v["source"], edit.source.as_str());
        check_number(&v["score"], edit.score);

        let line = 1 + text[..edit.start].iter().filter(|&&b| b == b'\n').count();
        let record = EditRecord {
            kind: "edit",
            path: &path,
            path_base64: path_base64.as_deref(),
            byte_start: edit.start,
            byte_end: edit.end,
            line,
            spun: &edit.spun,
            restored: &edit.restored,
            score: edit.score,
            source: &edit.source,
        };
        let s = serde_json::to_string(&record).expect("an edit record serializes");
        assert!(!s.contains('\n'), "a JSON line holds no newline");
        let v: Value = serde_json::from_str(&s).expect("edit record parses");
        assert_eq!(v["path"], &*path);
        match &path_base64 {
            Some(b) => {
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(v["path_base64"].as_str().unwrap())
                    .unwrap();
                assert_eq!(decoded, raw_path);
                assert_eq!(&v["path_base64"], b.as_str());
            }
            None => assert!(v.get("path_base64").is_none()),
        }
        assert_eq!(v["byte_start"], edit.start);
        assert_eq!(v["line"], line);
        assert_eq!(v["spun"], edit.spun.as_str());
        check_number(&v["score"], edit.score);
    }

    // `--input-format jsonl`: the record with its text repaired and an
    // `edits` array, as src/cli/jsonl.rs builds it (only for UTF-8 text,
    // which is all a JSON string can hold).
    if let Ok(text_str) = std::str::from_utf8(text) {
        let repaired = unspin::edit::apply(text, &edits);
        let repaired = String::from_utf8(repaired).expect("edits keep UTF-8 valid");
        let list: Vec<Value> = edits
            .iter()
            .map(|e| {
                json!({
                    "byte_start": e.start,
                    "byte_end": e.end,
                    "spun": e.spun,
                    "restored": e.restored,
                    "score": e.score,
                    "source": e.source,
                })
            })
            .collect();
        let record = json!({ "id": &*path, "text": repaired, "edits": list });
        let s = serde_json::to_string(&record).expect("a JSON value serializes");
        assert!(!s.contains('\n'));
        let v: Value = serde_json::from_str(&s).expect("jsonl record parses");
        assert_eq!(v["text"], repaired.as_str());
        assert_eq!(v["edits"].as_array().unwrap().len(), edits.len());
        if edits.is_empty() {
            assert_eq!(v["text"], text_str);
        }
    }
});
