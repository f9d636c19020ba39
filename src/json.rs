//! JSON forms of edits, shared by the `unspin` binary's reports and by
//! anything else that wants them (the fuzz target checks these very
//! functions).
//!
//! Two shapes: [`EditRecord`], one line of `--format json` (an edit with
//! the path and line it is in), and [`repair_record`], one record of
//! `--input-format jsonl` (a JSON object whose text field is repaired, with
//! its edits added under a key of their own).
//!
//! A record is data that unspin does not own, so [`repair_record`] never
//! re-encodes it: the repaired words are spliced into the record's own
//! bytes. Invariant: every byte of the line outside the words it replaces
//! in the text field's string comes back as it was (numbers of any size,
//! escapes, key order, spacing, the line ending), and the edits list is
//! inserted after the last member. A record that already has the edits key
//! is refused rather than overwritten.

use std::ops::Range;
use unspin_core::edit::Edit;
use unspin_core::markup::Markup;
use unspin_core::stream::{self, StreamError};
use unspin_core::Repairer;

/// A score as printed: three decimals are plenty for a log10 gain, and an
/// f32 printed as JSON would otherwise show its binary expansion.
pub fn round_score(score: f32) -> f64 {
    round3(score as f64)
}

/// A number rounded to three decimals, as every number unspin prints in
/// JSON but timings: more digits would only show noise.
pub fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// One piece of `score`'s evidence: a repair the text calls for, named as
/// the edits of `--format json` are, without the path (the verdict has it).
#[derive(Debug, serde::Serialize)]
pub struct EvidenceRecord<'a> {
    byte_start: usize,
    byte_end: usize,
    spun: &'a str,
    restored: &'a str,
    score: f64,
    source: &'a str,
}

impl<'a> EvidenceRecord<'a> {
    pub fn new(edit: &'a Edit) -> Self {
        EvidenceRecord {
            byte_start: edit.start,
            byte_end: edit.end,
            spun: &edit.spun,
            restored: &edit.restored,
            score: round_score(edit.score),
            source: &edit.source,
        }
    }
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
    column: usize,
    spun: &'a str,
    restored: &'a str,
    score: f64,
    source: &'a str,
}

impl<'a> EditRecord<'a> {
    /// The record of `edit` in the file `path` (its text form; the exact
    /// bytes in base64 when they are not UTF-8), on line `line` at
    /// `column` (in characters, from 1).
    pub fn new(
        path: &'a str,
        path_base64: Option<&'a str>,
        (line, column): (usize, usize),
        edit: &'a Edit,
    ) -> Self {
        EditRecord {
            kind: "edit",
            path,
            path_base64,
            byte_start: edit.start,
            byte_end: edit.end,
            line,
            column,
            spun: &edit.spun,
            restored: &edit.restored,
            score: round_score(edit.score),
            source: &edit.source,
        }
    }
}

/// The edits key used unless told otherwise: named so that it does not
/// collide with a field a crawl already has.
pub const DEFAULT_EDITS_FIELD: &str = "unspin_edits";

/// The longest JSON Lines record read, in bytes: a record is held whole
/// (with its decoded text and its output), so memory is bounded by this.
pub const MAX_RECORD: usize = 16 << 20;

/// Which fields of a record are read and written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// The field holding the text to repair.
    pub text: String,
    /// The field the edits are written to; a record that has it already is
    /// refused.
    pub edits: String,
}

impl Default for Fields {
    fn default() -> Fields {
        Fields {
            text: "text".to_string(),
            edits: DEFAULT_EDITS_FIELD.to_string(),
        }
    }
}

/// A repaired record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// The output line, ending as the input line ended (a line without a
    /// terminator gets `\n`).
    pub line: Vec<u8>,
    /// Edits made in the text field.
    pub edits: usize,
    /// Whether the record has the text field at all (`null` included).
    pub has_field: bool,
    /// Where the text field's value is in the input line.
    pub text_span: Option<Range<usize>>,
    /// Where the added member (`,"unspin_edits":[…]`, the comma
    /// included) is in the output line: every other byte of the output is
    /// the input's, but for the text field's value.
    pub added: Range<usize>,
}

/// Why a line is not repaired (it is then passed through as it is).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("not a JSON object")]
    NotObject,
    #[error("field `{0}` is not a string")]
    NotString(String),
    #[error("field `{0}` appears twice")]
    Duplicate(String),
    #[error("the record already has a field `{0}`, where the edits would go (choose another key with --edits-field)")]
    EditsFieldTaken(String),
    #[error("longer than {} MiB: passed through unrepaired", MAX_RECORD >> 20)]
    TooLong,
    #[error("its text holds an HTML page over {} MiB: passed through unrepaired", stream::MAX_PAGE >> 20)]
    PageTooLarge,
}

/// The message of `error`, found parsing the part of a line that starts
/// at byte `offset`, with its place counted from the start of the line,
/// as the whole line's parse errors are.
fn at_line_column(error: &serde_json::Error, offset: usize) -> String {
    let message = error.to_string();
    let message = match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => &message,
    };
    format!("{message} at line 1 column {}", offset + error.column())
}

/// Repairs one line of JSON Lines input.
///
/// The line must be a JSON object. Its `fields.text` member is repaired
/// when it is a string (byte offsets of the edits are into its UTF-8) and
/// left alone when missing or `null`; the edits list, empty or not, is
/// added under `fields.edits`. Only the replaced words change in the line
/// (see the module documentation). A blank line stays blank. A field that
/// holds an HTML page (as crawls store them) has only its running text
/// repaired, as a page file has ([`unspin_core::markup`]); a long text is
/// repaired in chunks ([`unspin_core::stream`]).
pub fn repair_record(
    repairer: &Repairer,
    line: &[u8],
    fields: &Fields,
) -> Result<Repaired, RecordError> {
    let (body, ending) = split_ending(line);
    // A UTF-8 byte-order mark before the first record (as some editors
    // save files) is kept in front of it, not read as JSON.
    let (bom, body) = match body.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (&body[..3], rest),
        None => (&b""[..], body),
    };
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        let mut blank = line.to_vec();
        if ending.is_empty() {
            blank.push(b'\n');
        }
        let end = blank.len();
        return Ok(Repaired {
            line: blank,
            edits: 0,
            has_field: false,
            text_span: None,
            added: end..end,
        });
    }
    if line.len() > MAX_RECORD {
        return Err(RecordError::TooLong);
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(body)
        .map_err(|e| RecordError::NotJson(e.to_string()))?;
    let object = members(body)?;
    let mut text_at = None;
    for member in &object.members {
        if member.key == fields.edits {
            return Err(RecordError::EditsFieldTaken(fields.edits.clone()));
        }
        if member.key == fields.text {
            if text_at.is_some() {
                return Err(RecordError::Duplicate(fields.text.clone()));
            }
            text_at = Some(member.value.clone());
        }
    }
    let has_field = text_at.is_some();
    let text_span = text_at
        .clone()
        .map(|span| span.start + bom.len()..span.end + bom.len());
    let mut out = Vec::with_capacity(line.len() + 64);
    out.extend_from_slice(bom);
    // The edits list as it is written, built as the text is repaired, so
    // that no edit is held longer than its chunk.
    let mut list = vec![b'['];
    let mut edits = 0;
    let mut copied = 0;
    match text_at {
        Some(span) if &body[span.clone()] != b"null" => {
            if body[span.start] != b'"' {
                return Err(RecordError::NotString(fields.text.clone()));
            }
            let text: String = serde_json::from_slice(&body[span.clone()])
                .map_err(|e| RecordError::NotJson(at_line_column(&e, span.start)))?;
            let raw = span.start + 1..span.end - 1;
            let mut map = RawMap::default();
            repair_text(repairer, text.as_bytes(), |edit| {
                let at = map.seek(&body[raw.clone()], edit.start)
                    ..map.seek(&body[raw.clone()], edit.end);
                out.extend_from_slice(&body[copied..raw.start + at.start]);
                push_escaped(&mut out, &edit.restored);
                copied = raw.start + at.end;
                if edits > 0 {
                    list.push(b',');
                }
                serde_json::to_writer(&mut list, &EditJson::from(edit)).expect("writing to a Vec");
                edits += 1;
            })?;
        }
        _ => {}
    }
    list.push(b']');
    out.extend_from_slice(&body[copied..object.insert_at]);
    let added_at = out.len();
    if !object.members.is_empty() {
        out.push(b',');
    }
    push_escaped_string(&mut out, &fields.edits);
    out.push(b':');
    out.extend_from_slice(&list);
    drop(list);
    let added = added_at..out.len();
    out.extend_from_slice(&body[object.insert_at..]);
    out.extend_from_slice(if ending.is_empty() { b"\n" } else { ending });
    Ok(Repaired {
        line: out,
        edits,
        has_field,
        text_span,
        added,
    })
}

/// Repairs `text`, read as a page when it is one and streamed in chunks
/// otherwise, handing each edit (offsets into `text`, in order) to `each`.
fn repair_text(
    repairer: &Repairer,
    text: &[u8],
    mut each: impl FnMut(&Edit),
) -> Result<(), RecordError> {
    let options = stream::Options {
        markup: Markup::Detect,
        ..stream::Options::default()
    };
    let done = stream::repair_chunks(repairer, text, &options, |chunk| {
        chunk.edits.iter().for_each(&mut each);
        Ok::<(), std::convert::Infallible>(())
    });
    match done {
        Ok(totals) if totals.unrepaired_page => Err(RecordError::PageTooLarge),
        Ok(_) => Ok(()),
        Err(
            StreamError::Read(_)
            | StreamError::Binary
            | StreamError::Visit(_)
            | StreamError::PageTooLarge,
        ) => {
            unreachable!("a slice reads without error, binary text is not skipped, a page passes")
        }
    }
}

/// One edit in a record's edits list.
#[derive(serde::Serialize)]
struct EditJson<'a> {
    byte_start: usize,
    byte_end: usize,
    spun: &'a str,
    restored: &'a str,
    score: f64,
    source: &'a str,
}

impl<'a> From<&'a Edit> for EditJson<'a> {
    fn from(e: &'a Edit) -> EditJson<'a> {
        EditJson {
            byte_start: e.start,
            byte_end: e.end,
            spun: &e.spun,
            restored: &e.restored,
            score: round_score(e.score),
            source: &e.source,
        }
    }
}

/// `line` without its `\n` or `\r\n`, and that ending.
fn split_ending(line: &[u8]) -> (&[u8], &[u8]) {
    let cut = if line.ends_with(b"\r\n") {
        line.len() - 2
    } else if line.ends_with(b"\n") {
        line.len() - 1
    } else {
        line.len()
    };
    line.split_at(cut)
}

/// `text` as the inside of a JSON string.
fn push_escaped(out: &mut Vec<u8>, text: &str) {
    let quoted = serde_json::to_vec(text).expect("a string serializes");
    out.extend_from_slice(&quoted[1..quoted.len() - 1]);
}

/// `text` as a JSON string, quotes included.
fn push_escaped_string(out: &mut Vec<u8>, text: &str) {
    serde_json::to_writer(&mut *out, text).expect("writing to a Vec");
}

/// A member of the top-level object: its decoded key and the span of its
/// value in the line.
struct Member {
    key: String,
    value: Range<usize>,
}

/// The members of the object a line holds, and where a new member goes
/// (after the last value, or after the `{` of an empty object).
struct Object {
    members: Vec<Member>,
    insert_at: usize,
}

/// Reads the top-level members of `json`, which must be valid JSON.
fn members(json: &[u8]) -> Result<Object, RecordError> {
    let mut i = skip_space(json, 0);
    if json.get(i) != Some(&b'{') {
        return Err(RecordError::NotObject);
    }
    i += 1;
    let mut object = Object {
        members: Vec::new(),
        insert_at: i,
    };
    loop {
        i = skip_space(json, i);
        match json.get(i) {
            Some(b'"') => {}
            _ => return Ok(object), // `}`
        }
        let key_end = skip_string(json, i);
        let key: String = serde_json::from_slice(&json[i..key_end])
            .map_err(|e| RecordError::NotJson(e.to_string()))?;
        i = skip_space(json, key_end) + 1; // past `:`
        let start = skip_space(json, i);
        let end = skip_value(json, start);
        object.members.push(Member {
            key,
            value: start..end,
        });
        object.insert_at = end;
        i = skip_space(json, end);
        if json.get(i) == Some(&b',') {
            i += 1;
        } else {
            return Ok(object);
        }
    }
}

fn skip_space(json: &[u8], mut i: usize) -> usize {
    while matches!(json.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// Just past the string that starts at `json[start]` (a `"`).
fn skip_string(json: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < json.len() {
        match json[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    json.len()
}

/// Just past the value that starts at `json[start]`.
fn skip_value(json: &[u8], start: usize) -> usize {
    match json.get(start) {
        Some(b'"') => skip_string(json, start),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut i = start;
            while i < json.len() {
                match json[i] {
                    b'"' => {
                        i = skip_string(json, i);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            json.len()
        }
        _ => {
            let mut i = start;
            while i < json.len() && !b",}] \t\r\n".contains(&json[i]) {
                i += 1;
            }
            i
        }
    }
}

/// Walks the inside of a valid JSON string, mapping offsets into its
/// decoded text to offsets into its raw bytes, for offsets that only grow.
#[derive(Default)]
struct RawMap {
    at: usize,
    decoded: usize,
}

impl RawMap {
    /// The raw offset in `raw` of the decoded offset `target` (a character
    /// boundary, at or after the last one asked for).
    fn seek(&mut self, raw: &[u8], target: usize) -> usize {
        while self.decoded < target && self.at < raw.len() {
            let (raw_len, decoded_len) = element(raw, self.at);
            self.at += raw_len;
            self.decoded += decoded_len;
        }
        self.at
    }
}

/// The spans in `raw` of the decoded byte spans of `edits`.
#[cfg(test)]
fn raw_spans(raw: &[u8], edits: &[Edit]) -> Vec<Range<usize>> {
    let mut map = RawMap::default();
    edits
        .iter()
        .map(|e| map.seek(raw, e.start)..map.seek(raw, e.end))
        .collect()
}

/// The raw and decoded lengths of the string element at `raw[at]`: one
/// byte, or one escape (a surrogate pair counts as one).
fn element(raw: &[u8], at: usize) -> (usize, usize) {
    if raw[at] != b'\\' {
        return (1, 1);
    }
    if raw.get(at + 1) != Some(&b'u') {
        return (2, 1);
    }
    let unit = |i: usize| {
        raw.get(i..i + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    match unit(at + 2) {
        Some(0xD800..=0xDBFF)
            if raw.get(at + 6..at + 8) == Some(b"\\u")
                && unit(at + 8).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low)) =>
        {
            (12, 4)
        }
        Some(code) => (6, char::from_u32(code).map_or(3, char::len_utf8)),
        None => (2, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// The embedded model at a fixed edit penalty, so that a one-line
    /// record is repaired whatever the document prior makes of it.
    fn repairer() -> &'static Repairer {
        static MODEL: OnceLock<Repairer> = OnceLock::new();
        MODEL.get_or_init(|| {
            Repairer::new(
                vec![unspin_core::Dictionary::embedded()],
                Box::new(unspin_core::NgramModel::embedded()),
                unspin_core::Settings {
                    fixed_penalty: Some(1.0),
                    ..unspin_core::Settings::default()
                },
            )
        })
    }

    fn repair(line: &str) -> Result<String, RecordError> {
        repair_record(repairer(), line.as_bytes(), &Fields::default())
            .map(|r| String::from_utf8(r.line).unwrap())
    }

    /// A byte that is not UTF-8 inside the text is reported at its place
    /// in the line, not in the string; one in another field is not the
    /// text's business and passes through as it is.
    #[test]
    fn bad_utf8_in_the_text_is_placed_in_the_line() {
        let line = b"{\"id\":3,\"text\":\"bad \xff byte.\"}\n";
        let err = repair_record(repairer(), line, &Fields::default()).unwrap_err();
        let at = line.iter().position(|&b| b == 0xff).unwrap() + 1;
        assert!(
            err.to_string().ends_with(&format!("at line 1 column {at}")),
            "{err}"
        );
        let other = b"{\"title\":\"caf\xe9\",\"text\":\"the ministry stated it.\"}\n";
        let repaired = repair_record(repairer(), other, &Fields::default()).unwrap();
        assert!(repaired.line.starts_with(b"{\"title\":\"caf\xe9\","));
        assert_eq!(repaired.edits, 1);
    }

    /// Numbers, escapes and spacing outside the repaired words come back
    /// byte for byte, and so does a CRLF ending.
    #[test]
    fn bytes_outside_the_repaired_words_are_kept() {
        let line = "{\"n\":123456789012345678901234567890, \"p\":2.50,\"e\":1e2,\
                    \"s\":\"caf\\u00e9\",\"text\":\"caf\\u00e9 \\ud83d\\ude00 the ministry stated \\\"x\\\"\" }\r\n";
        let out = repair(line).unwrap();
        let expected = line
            .replace("stated", "said")
            .replace("\" }\r\n", "\",\"unspin_edits\":[E] }\r\n");
        let edits_at = out.find("\"unspin_edits\":[").unwrap() + 16;
        let edits_end = edits_at + out[edits_at..].find("] }").unwrap();
        assert_eq!(
            format!("{}E{}", &out[..edits_at], &out[edits_end..]),
            expected
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let edit = &v["unspin_edits"][0];
        let text = v["text"].as_str().unwrap();
        let start = edit["byte_start"].as_u64().unwrap() as usize;
        assert_eq!(&text[start..start + 4], "said");
        assert_eq!(edit["spun"], "stated");
    }

    #[test]
    fn clean_records_keep_every_byte_and_get_an_empty_list() {
        assert_eq!(
            repair("{\"id\":1e2,\"text\":\"A clean sentence.\"}\r\n").unwrap(),
            "{\"id\":1e2,\"text\":\"A clean sentence.\",\"unspin_edits\":[]}\r\n"
        );
        assert_eq!(repair("{}").unwrap(), "{\"unspin_edits\":[]}\n");
        assert_eq!(repair(" { } ").unwrap(), " {\"unspin_edits\":[] } \n");
        assert_eq!(repair("  \r\n").unwrap(), "  \r\n");
    }

    /// An `edits` field of the user's is data like any other.
    #[test]
    fn the_edits_key_never_overwrites_a_field() {
        let out =
            repair("{\"id\":1,\"edits\":[\"my log\"],\"text\":\"officers mentioned\"}").unwrap();
        assert!(
            out.starts_with(
                "{\"id\":1,\"edits\":[\"my log\"],\"text\":\"officers said\",\"unspin_edits\":[{"
            ),
            "{out}"
        );
        assert_eq!(
            repair("{\"unspin_edits\":1,\"text\":\"officers mentioned\"}"),
            Err(RecordError::EditsFieldTaken("unspin_edits".into()))
        );
        let fields = Fields {
            text: "text".into(),
            edits: "fixes".into(),
        };
        let out = repair_record(repairer(), b"{\"text\":\"officers mentioned\"}", &fields).unwrap();
        assert!(String::from_utf8(out.line)
            .unwrap()
            .contains(",\"fixes\":[{"));
    }

    /// Replacements that need escaping in JSON are escaped, and the
    /// offsets of escaped characters map back to their raw spans.
    #[test]
    fn escapes_map_between_raw_and_decoded_text() {
        let raw = br#"a\"\u00e9\ud83d\ude00\\b"#;
        let decoded = "a\"é😀\\b";
        let edit = |start: usize, end: usize| Edit {
            start,
            end,
            spun: decoded[start..end].to_string(),
            restored: String::new(),
            score: 0.0,
            source: String::new(),
        };
        let spans = raw_spans(raw, &[edit(0, 1), edit(2, 4), edit(4, 8), edit(9, 10)]);
        assert_eq!(spans, [0..1, 3..9, 9..21, 23..24]);
        let mut out = Vec::new();
        push_escaped(&mut out, "R\"D\\\n");
        assert_eq!(out, br#"R\"D\\\n"#);
    }

    #[test]
    fn what_is_not_a_record_is_refused() {
        assert!(matches!(repair("not json"), Err(RecordError::NotJson(_))));
        assert_eq!(repair("[1]"), Err(RecordError::NotObject));
        assert_eq!(
            repair("{\"text\":3}"),
            Err(RecordError::NotString("text".into()))
        );
        assert_eq!(
            repair("{\"text\":\"a\",\"text\":\"b\"}"),
            Err(RecordError::Duplicate("text".into()))
        );
        let r = repair_record(repairer(), b"{\"text\":null}", &Fields::default()).unwrap();
        assert!(r.has_field);
        let r = repair_record(repairer(), b"{\"body\":\"x\"}", &Fields::default()).unwrap();
        assert!(!r.has_field);
    }

    /// A byte-order mark before the first record stays in front of it.
    #[test]
    fn a_byte_order_mark_is_kept_not_read_as_json() {
        let line = "\u{FEFF}{\"text\":\"The White Home stated it.\"}\n";
        let r = repair_record(repairer(), line.as_bytes(), &Fields::default()).unwrap();
        let out = String::from_utf8(r.line).unwrap();
        assert!(
            out.starts_with("\u{FEFF}{\"text\":\"The White House said it.\""),
            "{out}"
        );
        assert_eq!(&line[r.text_span.unwrap()], "\"The White Home stated it.\"");
    }
}
