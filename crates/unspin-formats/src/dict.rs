//! CSV -> compiled dictionary (FST + candidate table).
//!
//! This one compiler serves both the core library's build script, which
//! embeds the default dictionary, and `unspin dict compile` / `--dict`,
//! which compile a user's own CSV.
//!
//! The compiled form is one byte buffer:
//!
//! ```text
//! "UNSPDCT2"  magic
//! u32         number of source names, then each as u16 length + UTF-8
//! u64         FST length, then the fst::Map bytes (key -> table offset)
//! rest        candidate table: at each offset, u8 count, then per candidate
//!             f32 weight, u16 source index, u8 confidence (x 1/255),
//!             u16 length, UTF-8 original
//! ```
//!
//! All integers are little-endian. Keys are normalised with
//! [`normalize_key`]; within a key, candidates are sorted by weight
//! (highest first), then text, so the output does not depend on row order.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use crate::key::normalize_key;

/// Magic bytes at the start of a compiled dictionary.
pub const DICT_MAGIC: &[u8; 8] = b"UNSPDCT2";

/// The most candidates kept per spun phrase.
pub const MAX_CANDIDATES: usize = 32;

/// One row of a dictionary CSV: the spinner wrote `spun` where the original
/// said `original`, with log10-probability `weight`, according to `source`.
///
/// `confidence` (optional column, 0 to 1, default 0) says how sure it is
/// that `spun` never occurs in clean text, whatever the document: near 1
/// for phrases only a spinner writes ("profound learning"), lower for
/// ones clean prose may write too. The decoder lowers the document's edit
/// penalty for the entry by that share, and takes keeping the spun phrase
/// to be 1 - `confidence` times as likely as the language model says (the
/// decoder's `keep_unlikelihood`). 0 makes no claim: the language model
/// decides alone, as for ordinary words ("stated") and for the phrases
/// spinners were seen writing ("joint chiefs of employees"), which the
/// document prior weighs by their repair's score (`Prior::sureness` in
/// the core library).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Entry {
    pub spun: String,
    pub original: String,
    pub weight: f32,
    pub source: String,
    #[serde(default)]
    pub confidence: f32,
}

/// Why a dictionary could not be compiled or loaded.
#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{name}: {message}")]
    Csv { name: String, message: String },
    #[error("{name}, line {line}: {message}")]
    Row {
        name: String,
        line: u64,
        message: String,
    },
    #[error("{name}: not a compiled unspin dictionary ({message})")]
    Format { name: String, message: String },
    #[error("building the FST: {0}")]
    Fst(#[from] fst::Error),
    #[error("more than {} different sources", u16::MAX as usize + 1)]
    TooManySources,
}

/// Reads dictionary rows from CSV with a header naming at least the columns
/// `spun`, `original`, `weight`, `source` (others are ignored). `name` is
/// used in error messages.
pub fn read_csv<R: Read>(mut reader: R, name: &str) -> Result<Vec<Entry>, DictError> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|e| DictError::Csv {
        name: name.to_string(),
        message: e.to_string(),
    })?;
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(&bytes[..]);
    let headers = csv
        .headers()
        .map_err(|e| DictError::Csv {
            name: name.to_string(),
            message: e.to_string(),
        })?
        .clone();
    for column in ["spun", "original", "weight", "source"] {
        if !headers.iter().any(|h| h == column) {
            return Err(DictError::Csv {
                name: name.to_string(),
                message: format!(
                    "missing column `{column}` (the header must name spun,original,weight,source)"
                ),
            });
        }
    }
    let mut entries = Vec::new();
    let mut record = csv::StringRecord::new();
    // An error names the line its row starts on in the file. The reader
    // places a row where it began reading it, before the blank lines it
    // skipped, so those are passed over here; lines of a quoted field
    // that runs over several count too.
    let row_error = |at: Option<&csv::Position>, message: String| {
        let start = at.map_or(0, |p| p.byte() as usize).min(bytes.len());
        let skipped = bytes[start..]
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .count();
        let line = 1 + bytes[..start + skipped]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        DictError::Row {
            name: name.to_string(),
            line: line as u64,
            message,
        }
    };
    while csv
        .read_record(&mut record)
        .map_err(|e| row_error(e.position(), e.to_string()))?
    {
        let entry: Entry = record
            .deserialize(Some(&headers))
            .map_err(|e| row_error(record.position(), field_error(&e, &headers)))?;
        let bad = |message: &str| row_error(record.position(), message.to_string());
        if normalize_key(&entry.spun).is_empty() {
            return Err(bad("empty `spun` phrase"));
        }
        if entry.original.trim().is_empty() {
            return Err(bad("empty `original` phrase"));
        }
        if !entry.weight.is_finite() || entry.weight > 0.0 {
            return Err(bad("`weight` must be a log10 probability: finite and <= 0"));
        }
        if !(0.0..=1.0).contains(&entry.confidence) {
            return Err(bad("`confidence` must be between 0 and 1"));
        }
        if entry.original.len() > u16::MAX as usize || entry.source.len() > u16::MAX as usize {
            return Err(bad("phrase too long"));
        }
        entries.push(entry);
    }
    Ok(entries)
}

/// What is wrong with a row's field, by its column's name ("column
/// `weight`: invalid float literal"), without the reader's own position,
/// which the caller gives as a line of the file.
fn field_error(err: &csv::Error, headers: &csv::StringRecord) -> String {
    match err.kind() {
        csv::ErrorKind::Deserialize { err, .. } => {
            let column = err
                .field()
                .and_then(|i| headers.get(i as usize))
                .map_or(String::new(), |name| format!("column `{name}`: "));
            format!("{column}{}", err.kind())
        }
        _ => err.to_string(),
    }
}

/// A candidate while compiling: weight, original as written, source index,
/// quantised confidence.
type Slot<'a> = (f32, &'a str, u16, u8);

/// Compiles entries into the byte format described in the module docs.
///
/// Rows whose original equals the spun phrase (after normalisation) are
/// dropped; a repeated (spun, original) pair keeps its highest weight.
pub fn compile(entries: &[Entry]) -> Result<Vec<u8>, DictError> {
    let mut sources: Vec<&str> = Vec::new();
    let mut source_index: HashMap<&str, u16> = HashMap::new();
    // key -> normalised original -> (weight, original as written, source, confidence)
    let mut by_key: BTreeMap<String, BTreeMap<String, Slot>> = BTreeMap::new();
    for entry in entries {
        let key = normalize_key(&entry.spun);
        let original = entry
            .original
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let norm_original = normalize_key(&original);
        if norm_original == key {
            continue;
        }
        let source = match source_index.get(entry.source.as_str()) {
            Some(&i) => i,
            None => {
                let i = u16::try_from(sources.len()).map_err(|_| DictError::TooManySources)?;
                sources.push(&entry.source);
                source_index.insert(&entry.source, i);
                i
            }
        };
        let slot = by_key.entry(key).or_default();
        let original: &str = &entry.original;
        match slot.get(&norm_original) {
            Some(&(w, _, _, _)) if w >= entry.weight => {}
            _ => {
                let confidence = (entry.confidence * 255.0).round() as u8;
                slot.insert(norm_original, (entry.weight, original, source, confidence));
            }
        }
    }

    let mut table = Vec::new();
    let mut builder = fst::MapBuilder::memory();
    for (key, candidates) in &by_key {
        let mut list: Vec<Slot> = candidates.values().copied().collect();
        list.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        list.truncate(MAX_CANDIDATES);
        builder.insert(key, table.len() as u64)?;
        table.push(list.len() as u8);
        for (weight, original, source, confidence) in list {
            let original = original.split_whitespace().collect::<Vec<_>>().join(" ");
            table.extend_from_slice(&weight.to_le_bytes());
            table.extend_from_slice(&source.to_le_bytes());
            table.push(confidence);
            table.extend_from_slice(&(original.len() as u16).to_le_bytes());
            table.extend_from_slice(original.as_bytes());
        }
    }
    let fst_bytes = builder.into_inner()?;

    let mut out = Vec::with_capacity(fst_bytes.len() + table.len() + 64);
    out.extend_from_slice(DICT_MAGIC);
    out.extend_from_slice(&(sources.len() as u32).to_le_bytes());
    for source in &sources {
        out.extend_from_slice(&(source.len() as u16).to_le_bytes());
        out.extend_from_slice(source.as_bytes());
    }
    out.extend_from_slice(&(fst_bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(&fst_bytes);
    out.extend_from_slice(&table);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(spun: &str, original: &str, source: &str) -> Entry {
        Entry {
            spun: spun.into(),
            original: original.into(),
            weight: -1.0,
            source: source.into(),
            confidence: 0.0,
        }
    }

    /// An error names the line the row starts on, past blank lines and
    /// a quoted field that runs over two lines.
    #[test]
    fn row_errors_name_the_line_in_the_file() {
        let csv = "spun,original,weight,source\nfoo,bar,-1,me\n\n\n\"two\nlines\",x,-1,me\nzap,bar,1,me\n";
        let err = read_csv(csv.as_bytes(), "e.csv").unwrap_err().to_string();
        assert_eq!(
            err,
            "e.csv, line 7: `weight` must be a log10 probability: finite and <= 0"
        );
        let err = read_csv(
            "spun,original,weight,source\n\nzap,bar,x,me\n".as_bytes(),
            "e.csv",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(err, "e.csv, line 3: column `weight`: invalid float literal");
    }

    #[test]
    fn source_indices_do_not_wrap() {
        // Source indices are stored as u16: the 65537th source used to wrap
        // to index 0 and credit the wrong source.
        let max = u16::MAX as usize + 1;
        let mut entries: Vec<Entry> = (0..max)
            .map(|i| entry(&format!("w{i}"), "x", &format!("s{i}")))
            .collect();
        assert!(compile(&entries).is_ok());
        entries.push(entry("one more", "x", "another source"));
        assert!(matches!(compile(&entries), Err(DictError::TooManySources)));
        // Rows of known sources still fit.
        entries.pop();
        entries.push(entry("one more", "x", "s7"));
        assert!(compile(&entries).is_ok());
    }
}
