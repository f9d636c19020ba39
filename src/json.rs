//! JSON forms of edits, shared by the `unspin` binary's reports and by
//! anything else that wants them (the fuzz target checks these very
//! functions).
//!
//! Two shapes: [`EditRecord`], one line of `--format json` (an edit with
//! the path and line it is in), and [`repair_record`], one record of
//! `--input-format jsonl` (a JSON object whose text field is repaired, with
//! an `edits` array added). Both are always valid JSON: `spun` and
//! `restored` are whole words, hence valid UTF-8, and a JSON string field
//! can only hold valid UTF-8 in the first place.

use crate::edit::{apply, Edit};
use crate::markup::Markup;
use crate::Model;
use serde_json::{json, Value};

/// A score as printed: three decimals are plenty for a log10 gain, and an
/// f32 printed as JSON would otherwise show its binary expansion.
pub fn round_score(score: f32) -> f64 {
    (score as f64 * 1000.0).round() / 1000.0
}

/// One line of `--format json`: an edit, where it is, and what it did.
#[derive(Debug, serde::Serialize)]
pub struct EditRecord<'a> {
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
    score: f64,
    source: &'a str,
}

impl<'a> EditRecord<'a> {
    /// The record of `edit` in the file `path` (its text form; the exact
    /// bytes in base64 when they are not UTF-8), on line `line`.
    pub fn new(path: &'a str, path_base64: Option<&'a str>, line: usize, edit: &'a Edit) -> Self {
        EditRecord {
            kind: "edit",
            path,
            path_base64,
            byte_start: edit.start,
            byte_end: edit.end,
            line,
            spun: &edit.spun,
            restored: &edit.restored,
            score: round_score(edit.score),
            source: &edit.source,
        }
    }
}

/// Repairs one line of JSON Lines input: the output line (ending in `\n`)
/// and how many edits it holds, or why the line is not a record.
///
/// The line must be a JSON object; its `field` is repaired when it is a
/// string (byte offsets of the edits are into its UTF-8), left alone when
/// missing or `null`, and an `edits` array is added. Keys keep their order.
/// A blank line stays blank. A field that holds an HTML page (as crawls
/// store them) has only its running text repaired, as a page file has
/// ([`crate::markup`]).
pub fn repair_record(model: &Model, line: &[u8], field: &str) -> Result<(Vec<u8>, usize), String> {
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        let mut blank = line.to_vec();
        if !blank.ends_with(b"\n") {
            blank.push(b'\n');
        }
        return Ok((blank, 0));
    }
    let mut value: Value = serde_json::from_slice(line).map_err(|e| format!("not JSON: {e}"))?;
    let object = value
        .as_object_mut()
        .ok_or_else(|| "not a JSON object".to_string())?;
    let edits = match object.get(field) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(text)) => {
            let edits = model.repair(&Markup::Detect.prose(text.as_bytes()));
            if !edits.is_empty() {
                let repaired = apply(text.as_bytes(), &edits);
                let repaired = String::from_utf8(repaired).expect("edits keep UTF-8 valid");
                object.insert(field.to_string(), Value::String(repaired));
            }
            edits
        }
        Some(_) => return Err(format!("field `{field}` is not a string")),
    };
    let list: Vec<Value> = edits
        .iter()
        .map(|e| {
            json!({
                "byte_start": e.start,
                "byte_end": e.end,
                "spun": e.spun,
                "restored": e.restored,
                "score": round_score(e.score),
                "source": e.source,
            })
        })
        .collect();
    object.insert("edits".to_string(), Value::Array(list));
    let mut out = serde_json::to_vec(&value).expect("a JSON value serializes");
    out.push(b'\n');
    Ok((out, edits.len()))
}
