//! `--input-format jsonl`: each line is a JSON object whose text field is
//! repaired; the output line is the input line with the repaired words
//! spliced into the text and the edits added under their own key
//! ([`crate::json::repair_record`]: nothing else of the line changes).
//! Reading stdin and writing stdout line for line, this is a mapper for
//! Hadoop Streaming or Spark's `RDD.pipe`.
//!
//! Invariant: one line out per line in, in order, and a line that is not
//! repaired comes out exactly as it came in. A line that is not a JSON
//! object, whose field is not a string, that already has the edits key or
//! that is longer than [`MAX_RECORD`] is passed through unchanged and
//! reported (exit status 2 at the end); a record without the field, or
//! with `null` there, gets an empty edits list. Blank lines stay blank.
//! Memory is bounded: a line past the limit is copied through without
//! being held.

use crate::json::{Fields, RecordError, MAX_RECORD};
use std::io::{self, BufRead, Write};
use unspin_core::Repairer;

/// Bytes of input per thread handed out at once.
const BATCH_BYTES: usize = 1 << 20;

/// What a JSON Lines input came to.
#[derive(Debug, Default, Clone, Copy)]
pub struct Totals {
    pub bytes: u64,
    pub records: u64,
    pub edits: u64,
    /// Lines that are JSON objects (repaired or not).
    pub objects: u64,
    /// Objects that have the text field.
    pub with_field: u64,
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
    objects: u64,
    with_field: u64,
    bad: Vec<(usize, String)>,
}

/// Reads one line into `line`, at most `limit` bytes of it: false at the
/// end of the input. A longer line leaves the rest unread.
fn read_line_limited<R: BufRead>(
    reader: &mut R,
    line: &mut Vec<u8>,
    limit: usize,
) -> io::Result<bool> {
    let got = <&mut R as io::Read>::take(reader, limit as u64 + 1).read_until(b'\n', line)?;
    Ok(got > 0)
}

/// Copies the rest of a line (up to and including its `\n`) from
/// `reader` to `writer` without holding it; ends the copy with `\n` at
/// the end of the input.
fn copy_rest_of_line<R: BufRead, W: Write + ?Sized>(
    reader: &mut R,
    writer: &mut W,
) -> Result<u64, Failure> {
    let mut copied = 0u64;
    loop {
        let buf = reader.fill_buf().map_err(Failure::Read)?;
        if buf.is_empty() {
            writer.write_all(b"\n").map_err(Failure::Write)?;
            return Ok(copied);
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        writer.write_all(&buf[..take]).map_err(Failure::Write)?;
        reader.consume(take);
        copied += take as u64;
        if done {
            return Ok(copied);
        }
    }
}

/// Repairs every record of `reader` to `writer`; a line longer than
/// `max_line` bytes ([`MAX_RECORD`] outside tests) is passed through.
/// `on_batch` is told the bytes done after each batch (for progress) and
/// returns false to stop.
#[allow(clippy::too_many_arguments)]
pub fn repair<R: BufRead, W: Write + ?Sized>(
    repairer: &Repairer,
    mut reader: R,
    writer: &mut W,
    fields: &Fields,
    max_line: usize,
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
        let mut too_long = None;
        while bytes < BATCH_BYTES * threads {
            let mut line = Vec::new();
            if !read_line_limited(&mut reader, &mut line, max_line).map_err(Failure::Read)? {
                break;
            }
            if line.len() > max_line.min(MAX_RECORD) {
                too_long = Some(line);
                break;
            }
            bytes += line.len();
            lines.push(line);
        }
        if lines.is_empty() && too_long.is_none() {
            return Ok(totals);
        }
        let per_thread = lines.len().div_ceil(threads).max(1);
        let batches: Vec<Batch> = if threads == 1 || lines.len() < 2 {
            vec![repair_lines(repairer, &lines, fields)]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = lines
                    .chunks(per_thread)
                    .map(|group| scope.spawn(move || repair_lines(repairer, group, fields)))
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
            totals.with_field += batch.with_field;
            totals.objects += batch.objects;
            bad.extend(batch.bad.into_iter().map(|(i, reason)| BadRecord {
                line: first + i as u64,
                reason,
            }));
            first += size as u64;
        }
        line_number += lines.len() as u64;
        totals.records += lines.len() as u64;
        if let Some(start) = too_long {
            // Passed through as it is, never held whole.
            writer.write_all(&start).map_err(Failure::Write)?;
            bytes += start.len();
            if !start.ends_with(b"\n") {
                bytes += copy_rest_of_line(&mut reader, writer)? as usize;
            }
            bad.push(BadRecord {
                line: line_number,
                reason: format!("longer than {max_line} bytes: passed through unrepaired"),
            });
            line_number += 1;
            totals.records += 1;
        }
        totals.bytes += bytes as u64;
        if !on_batch(bytes as u64) {
            return Ok(totals);
        }
    }
}

fn repair_lines(repairer: &Repairer, lines: &[Vec<u8>], fields: &Fields) -> Batch {
    let mut batch = Batch::default();
    for (i, line) in lines.iter().enumerate() {
        match crate::json::repair_record(repairer, line, fields) {
            Ok(record) => {
                batch.output.extend_from_slice(&record.line);
                batch.edits += record.edits as u64;
                batch.with_field += record.has_field as u64;
                batch.objects += !line.iter().all(u8::is_ascii_whitespace) as u64;
            }
            Err(reason) => {
                // The field is there, though not as text.
                batch.with_field += matches!(
                    reason,
                    RecordError::NotString(_) | RecordError::Duplicate(_)
                ) as u64;
                batch.output.extend_from_slice(line);
                if !line.ends_with(b"\n") {
                    batch.output.push(b'\n');
                }
                batch.bad.push((i, reason.to_string()));
            }
        }
    }
    batch
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn run_limited(
        input: &str,
        field: &str,
        threads: usize,
        max_line: usize,
    ) -> (String, Vec<BadRecord>, Totals) {
        // A fixed edit penalty: one-line records are repaired whatever the
        // document prior makes of them.
        let repairer = Repairer::new(
            vec![unspin_core::Dictionary::embedded()],
            Box::new(unspin_core::NgramModel::embedded()),
            unspin_core::Settings {
                fixed_penalty: Some(1.0),
                ..unspin_core::Settings::default()
            },
        );
        let mut out = Vec::new();
        let mut bad = Vec::new();
        let fields = Fields {
            text: field.to_string(),
            ..Fields::default()
        };
        let totals = repair(
            &repairer,
            input.as_bytes(),
            &mut out,
            &fields,
            max_line,
            threads,
            &mut bad,
            |_| true,
        );
        let Ok(totals) = totals else {
            panic!("the run failed")
        };
        (String::from_utf8(out).unwrap(), bad, totals)
    }

    fn run(input: &str, field: &str, threads: usize) -> (String, Vec<BadRecord>) {
        let (out, bad, _) = run_limited(input, field, threads, MAX_RECORD);
        (out, bad)
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
        assert_eq!(v["unspin_edits"][0]["restored"], "Joint Chiefs of Staff");
        assert_eq!(v["unspin_edits"][0]["byte_start"], 4);
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
            assert_eq!(lines[4], "{\"other\":1,\"unspin_edits\":[]}");
            let at: Vec<u64> = bad.iter().map(|b| b.line).collect();
            assert_eq!(at, [2, 4]);
        }
    }

    /// A record whose field is there but not text counts as having it: the
    /// field name is right, the record is what is wrong.
    #[test]
    fn a_field_that_is_not_text_still_counts_as_found() {
        let (_, bad, totals) = run_limited("{\"body\":3}\n{\"other\":1}\n", "body", 1, MAX_RECORD);
        assert_eq!(bad.len(), 1);
        assert_eq!((totals.objects, totals.with_field), (1, 1));
    }

    /// A line past the limit is copied through as it is, without being
    /// held, and the lines after it are repaired as usual.
    #[test]
    fn a_line_past_the_limit_passes_through_whole() {
        let long = format!("{{\"text\":\"officers mentioned {}\"}}", "x".repeat(300));
        let short = "{\"text\":\"officers mentioned\"}";
        for (input, lines) in [
            (format!("{short}\n{long}\r\n{short}\n"), 3),
            (format!("{long}\n"), 1),
            (long.clone(), 1),
        ] {
            for threads in [1, 2] {
                let (out, bad, totals) = run_limited(&input, "text", threads, 100);
                assert_eq!(out.lines().count(), lines, "{out}");
                assert!(out.contains(&format!("{long}\n")) || out.contains(&format!("{long}\r\n")));
                let at: Vec<u64> = bad.iter().map(|b| b.line).collect();
                assert_eq!(at, [if lines == 3 { 2 } else { 1 }], "{out}");
                assert!(bad[0].reason.contains("longer than 100 bytes"));
                assert_eq!(totals.records, lines as u64);
                assert_eq!(totals.bytes, input.len() as u64);
                if lines == 3 {
                    assert_eq!(out.matches("officers said").count(), 2, "{out}");
                }
            }
        }
    }
}
