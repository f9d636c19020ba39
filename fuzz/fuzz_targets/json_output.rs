//! JSON output of edits always parses back to what was written.
//!
//! It drives the library functions the binary prints with
//! (`unspin::json::EditRecord` for `--format json`,
//! `unspin::json::repair_record` for `--input-format jsonl`): the first
//! input byte splits the data into a path (shown lossily, plus base64 of
//! the raw bytes when they are not UTF-8, as the CLI does) and a text
//! repaired by `Repairer::repair`.
//!
//! JSON Lines records are data unspin does not own: the whole input is
//! also tried as a record line, and a repaired record must hold every byte
//! of the input outside its text field's string, with only the edits
//! member added.
#![no_main]

use base64::Engine;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use std::sync::OnceLock;
use unspin::json::{repair_record, round_score, EditRecord, Fields, Repaired};
use unspin_core::Repairer;

fn model() -> &'static Repairer {
    static MODEL: OnceLock<Repairer> = OnceLock::new();
    MODEL.get_or_init(Repairer::embedded)
}

/// `v` is `x` written as JSON: the same number (at `x`'s precision), or
/// null for a non-finite `x`.
fn check_number<F: Into<f64> + Copy>(v: &Value, x: F, narrow: impl Fn(f64) -> F) -> bool
where
    F: PartialEq,
{
    if x.into().is_finite() {
        narrow(v.as_f64().expect("a finite score is a number")) == x
    } else {
        v.is_null()
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
        assert!(
            check_number(&v["score"], edit.score, |f| f as f32),
            "score round trip"
        );

        let line = 1 + text[..edit.start].iter().filter(|&&b| b == b'\n').count();
        let line_start = text[..edit.start]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = 1 + String::from_utf8_lossy(&text[line_start..edit.start])
            .chars()
            .count();
        let record = EditRecord::new(&path, path_base64.as_deref(), (line, column), edit);
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
        assert_eq!(v["column"], column);
        assert_eq!(v["spun"], edit.spun.as_str());
        assert!(
            check_number(&v["score"], round_score(edit.score), |f| f),
            "score round trip"
        );
    }

    // `--input-format jsonl`: a record holding the text (only UTF-8 text:
    // that is all a JSON string can hold) comes back with the text repaired
    // and the edits added.
    let fields = Fields::default();
    if let Ok(text_str) = std::str::from_utf8(text) {
        let line = serde_json::to_vec(&json!({ "id": &*path, "text": text_str })).unwrap();
        let repaired = repair_record(model(), &line, &fields).expect("an object is a record");
        check_record(&line, &repaired);
        let out = &repaired.line;
        assert!(out.ends_with(b"\n") && !out[..out.len() - 1].contains(&b'\n'));
        let v: Value = serde_json::from_slice(out).expect("jsonl record parses");
        let fixed = String::from_utf8(unspin_core::edit::apply(text, &edits)).expect("UTF-8 stays");
        assert_eq!(v["text"], fixed.as_str());
        assert_eq!(v["id"], &*path);
        assert_eq!(repaired.edits, edits.len());
        assert_eq!(v["unspin_edits"].as_array().unwrap().len(), edits.len());
    }
    // Any bytes as a record line.
    if !data.contains(&b'\n') {
        if let Ok(repaired) = repair_record(model(), data, &fields) {
            check_record(data, &repaired);
        }
    }
});

/// The output of a repaired record is the input line but for its text
/// field's string and the added member; the string is still the field's
/// JSON string and the added member is the edits list.
fn check_record(line: &[u8], repaired: &Repaired) {
    let out = &repaired.line;
    let body = line.strip_suffix(b"\n").unwrap_or(line);
    let out_body = out.strip_suffix(b"\n").expect("a record line ends with \\n");
    let added = &out_body[repaired.added.clone()];
    assert!(
        added.starts_with(b",\"unspin_edits\":") || added.starts_with(b"\"unspin_edits\":"),
        "added {:?}",
        String::from_utf8_lossy(added)
    );
    let list_at = added.iter().position(|&b| b == b':').unwrap() + 1;
    let list: Value = serde_json::from_slice(&added[list_at..]).expect("the edits list parses");
    assert_eq!(list.as_array().expect("a list").len(), repaired.edits);
    let mut rest = out_body[..repaired.added.start].to_vec();
    rest.extend_from_slice(&out_body[repaired.added.end..]);
    match &repaired.text_span {
        None => assert_eq!(rest, body, "bytes changed outside the text"),
        Some(span) => {
            let (before, after) = (&body[..span.start], &body[span.end..]);
            assert!(rest.starts_with(before) && rest.ends_with(after), "bytes changed outside the text");
            assert!(rest.len() >= before.len() + after.len());
            let value = &rest[before.len()..rest.len() - after.len()];
            let old: Value = serde_json::from_slice(&body[span.clone()]).expect("the span is a value");
            let new: Value = serde_json::from_slice(value).expect("the new value parses");
            assert_eq!(old.is_string(), new.is_string());
            if repaired.edits == 0 {
                assert_eq!(value, &body[span.clone()]);
            }
        }
    }
}
