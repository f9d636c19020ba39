//! `--input-format jsonl`: each line is a JSON object whose text field is
//! repaired; the output line is the same object (keys in their order) with
//! the text repaired and an `edits` array added. Reading stdin and writing
//! stdout line for line, this is a mapper for Hadoop Streaming or Spark's
//! `RDD.pipe`.
//!
//! A line that is not a JSON object, or whose field is not a string, is
//! passed through unchanged and reported (exit status 2 at the end); a
//! record without the field, or with `null` there, is passed through with
//! `"edits": []`. Blank lines stay blank.

use std::io::{self, BufRead, Write};
use unspin::Model;

/// Bytes of input per thread handed out at once.
const BATCH_BYTES: usize = 1 << 20;

/// What a JSON Lines input came to.
#[derive(Debug, Default, Clone, Copy)]
pub struct Totals {
    pub bytes: u64,
    pub records: u64,
    pub edits: u64,
}

/// A record that could not be repaired: its line number and why.
pub struct BadRecord {
    pub line: u64,
    pub reason: String,
}

/// Where a JSON Lines run stopped early.
pub enum Failure {
    Read(io::Error),
    Write(io::Error),
}

/// One repaired batch of lines.
#[derive(Default)]
struct Batch {
    output: Vec<u8>,
    edits: u64,
    bad: Vec<(usize, String)>,
}

/// Repairs every record of `reader` to `writer`. `on_batch` is told the
/// bytes done after each batch (for progress) and returns false to stop.
pub fn repair<R: BufRead, W: Write + ?Sized>(
    model: &Model,
    mut reader: R,
    writer: &mut W,
    field: &str,
    threads: usize,
    bad: &mut Vec<BadRecord>,
    mut on_batch: impl FnMut(u64) -> bool,
) -> Result<Totals, Failure> {
    let threads = threads.max(1);
    let mut totals = Totals::default();
    let mut line_number = 1u64;
    loop {
        let mut lines: Vec<Vec<u8>> = Vec::new();
        let mut bytes = 0;
        while bytes < BATCH_BYTES * threads {
            let mut line = Vec::new();
            if reader.read_until(b'\n', &mut line).map_err(Failure::Read)? == 0 {
                break;
            }
            bytes += line.len();
            lines.push(line);
        }
        if lines.is_empty() {
            return Ok(totals);
        }
        let per_thread = lines.len().div_ceil(threads);
        let batches: Vec<Batch> = if threads == 1 || lines.len() < 2 {
            vec![repair_lines(model, &lines, field)]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = lines
                    .chunks(per_thread)
                    .map(|group| scope.spawn(move || repair_lines(model, group, field)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            })
        };
        let mut first = line_number;
        let sizes: Vec<usize> = if threads == 1 || lines.len() < 2 {
            vec![lines.len()]
        } else {
            lines.chunks(per_thread).map(|g| g.len()).collect()
        };
        for (batch, size) in batches.into_iter().zip(sizes) {
            writer.write_all(&batch.output).map_err(Failure::Write)?;
            totals.edits += batch.edits;
            bad.extend(batch.bad.into_iter().map(|(i, reason)| BadRecord {
                line: first + i as u64,
                reason,
            }));
            first += size as u64;
        }
        line_number += lines.len() as u64;
        totals.records += lines.len() as u64;
        totals.bytes += bytes as u64;
        if !on_batch(bytes as u64) {
            return Ok(totals);
        }
    }
}

fn repair_lines(model: &Model, lines: &[Vec<u8>], field: &str) -> Batch {
    let mut batch = Batch::default();
    for (i, line) in lines.iter().enumerate() {
        match unspin::json::repair_record(model, line, field) {
            Ok((record, edits)) => {
                batch.output.extend_from_slice(&record);
                batch.edits += edits as u64;
            }
            Err(reason) => {
                batch.output.extend_from_slice(line);
                if !line.ends_with(b"\n") {
                    batch.output.push(b'\n');
                }
                batch.bad.push((i, reason));
            }
        }
    }
    batch
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn run(input: &str, field: &str, threads: usize) -> (String, Vec<BadRecord>) {
        let model = Model::embedded();
        let mut out = Vec::new();
        let mut bad = Vec::new();
        let ok = repair(
            &model,
            input.as_bytes(),
            &mut out,
            field,
            threads,
            &mut bad,
            |_| true,
        );
        assert!(ok.is_ok());
        (String::from_utf8(out).unwrap(), bad)
    }

    #[test]
    fn repairs_the_field_keeps_key_order_and_adds_edits() {
        let (out, bad) = run(
            "{\"id\":7,\"text\":\"The Joint Chiefs of Employees met.\",\"url\":\"u\"}\n",
            "text",
            1,
        );
        assert!(bad.is_empty());
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["text"], "The Joint Chiefs of Staff met.");
        assert_eq!(v["edits"][0]["restored"], "Joint Chiefs of Staff");
        assert_eq!(v["edits"][0]["byte_start"], 4);
        assert!(out.starts_with("{\"id\":7,\"text\":"), "{out}");
    }

    /// Crawls store pages whole: a field that holds one keeps its markup.
    #[test]
    fn a_field_holding_an_html_page_has_only_its_text_repaired() {
        let page = "<!DOCTYPE html><script>var home = 'stated';</script>\
                    <p class=\\\"home\\\">The Joint Chiefs of Employees met.</p>";
        let (out, bad) = run(&format!("{{\"html\":\"{page}\"}}\n"), "html", 1);
        assert!(bad.is_empty());
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v["html"],
            "<!DOCTYPE html><script>var home = 'stated';</script>\
             <p class=\"home\">The Joint Chiefs of Staff met.</p>"
        );
    }

    #[test]
    fn bad_lines_pass_through_and_are_reported_with_their_line() {
        let input = "{\"body\":\"a\"}\nnot json\n\n{\"body\":3}\n{\"other\":1}";
        for threads in [1, 3] {
            let (out, bad) = run(input, "body", threads);
            let lines: Vec<&str> = out.lines().collect();
            assert_eq!(lines.len(), 5);
            assert_eq!(lines[1], "not json");
            assert_eq!(lines[2], "");
            assert_eq!(lines[4], "{\"other\":1,\"edits\":[]}");
            let at: Vec<u64> = bad.iter().map(|b| b.line).collect();
            assert_eq!(at, [2, 4]);
        }
    }
}
