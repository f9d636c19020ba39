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
use crate::sink::Piece;
use std::io::{self, BufRead};
use unspin_core::parallel::ordered_map;
use unspin_core::Repairer;

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
#[derive(Debug)]
pub struct BadRecord {
    pub line: u64,
    pub reason: String,
}

/// Where a JSON Lines run stopped early.
#[derive(Debug)]
pub enum Failure<E> {
    Read(io::Error),
    /// The visitor returned this error.
    Visit(E),
}

/// A piece of input to repair: a record, or bytes of a line too long to
/// be one, passed through as they are.
enum Job {
    Record { line: u64, bytes: Vec<u8> },
    Verbatim(Verbatim),
}

/// Bytes passed through unrepaired.
struct Verbatim {
    /// What is written.
    bytes: Vec<u8>,
    /// How many bytes of input they stand for (a missing line end is
    /// added).
    input_len: usize,
    /// The line is a record (its first piece), and why it is not repaired.
    bad: Option<BadRecord>,
}

/// A repaired record.
struct Done {
    line: u64,
    input_len: usize,
    output: Vec<u8>,
    edits: u64,
    object: bool,
    with_field: bool,
    bad: Option<String>,
}

/// Reads an input's lines as [`Job`]s.
struct Lines<R> {
    reader: R,
    max_line: usize,
    /// The number of the next line.
    line: u64,
    /// Inside a line too long to hold, copied through a buffer at a time.
    in_long_line: bool,
}

impl<R: BufRead> Lines<R> {
    fn next(&mut self) -> io::Result<Option<Job>> {
        if self.in_long_line {
            return self.rest_of_long_line().map(Some);
        }
        let mut line = Vec::new();
        // At most one byte past the limit is read: a longer line is not held.
        let got = <&mut R as io::Read>::take(&mut self.reader, self.max_line as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if got == 0 {
            return Ok(None);
        }
        let number = self.line;
        self.line += 1;
        if line.len() <= self.max_line.min(MAX_RECORD) {
            return Ok(Some(Job::Record {
                line: number,
                bytes: line,
            }));
        }
        self.in_long_line = !line.ends_with(b"\n");
        Ok(Some(Job::Verbatim(Verbatim {
            input_len: line.len(),
            bytes: line,
            bad: Some(BadRecord {
                line: number,
                reason: format!(
                    "longer than {} bytes: passed through unrepaired",
                    self.max_line
                ),
            }),
        })))
    }

    /// The next stretch of a long line, up to and including its `\n`; at
    /// the end of the input, a `\n` ends it.
    fn rest_of_long_line(&mut self) -> io::Result<Job> {
        let buf = self.reader.fill_buf()?;
        if buf.is_empty() {
            self.in_long_line = false;
            return Ok(Job::Verbatim(Verbatim {
                bytes: b"\n".to_vec(),
                input_len: 0,
                bad: None,
            }));
        }
        let take = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                self.in_long_line = false;
                i + 1
            }
            None => buf.len(),
        };
        let bytes = buf[..take].to_vec();
        self.reader.consume(take);
        Ok(Job::Verbatim(Verbatim {
            input_len: bytes.len(),
            bytes,
            bad: None,
        }))
    }
}

/// Repairs every record of `reader` on `threads` threads, handing each
/// one's output line to `visit` in input order as a [`Piece::Record`]; a
/// line longer than `max_line` bytes ([`MAX_RECORD`] outside tests) is
/// passed through. Records that cannot be repaired are added to `bad`.
pub fn repair<R: BufRead, E>(
    repairer: &Repairer,
    reader: R,
    fields: &Fields,
    max_line: usize,
    threads: usize,
    bad: &mut Vec<BadRecord>,
    mut visit: impl FnMut(&Piece<'_>) -> Result<(), E>,
) -> Result<Totals, Failure<E>> {
    let mut lines = Lines {
        reader,
        max_line,
        line: 1,
        in_long_line: false,
    };
    let mut totals = Totals::default();
    ordered_map(
        threads,
        || lines.next().map_err(Failure::Read),
        |job| match job {
            Job::Record { line, bytes } => Ok(repair_line(repairer, line, &bytes, fields)),
            Job::Verbatim(verbatim) => Err(verbatim),
        },
        |done| {
            let (input_len, output, edits) = match &done {
                Ok(done) => (done.input_len, &done.output, done.edits),
                Err(verbatim) => (verbatim.input_len, &verbatim.bytes, 0),
            };
            visit(&Piece::Record {
                offset: totals.bytes as usize,
                input_len,
                output,
                edits: edits as usize,
            })
            .map_err(Failure::Visit)?;
            totals.bytes += input_len as u64;
            match done {
                Ok(done) => {
                    totals.records += 1;
                    totals.edits += done.edits;
                    totals.objects += done.object as u64;
                    totals.with_field += done.with_field as u64;
                    if let Some(reason) = done.bad {
                        bad.push(BadRecord {
                            line: done.line,
                            reason,
                        });
                    }
                }
                Err(verbatim) => {
                    if let Some(record) = verbatim.bad {
                        totals.records += 1;
                        bad.push(record);
                    }
                }
            }
            Ok(())
        },
    )?;
    Ok(totals)
}

/// Repairs one line; a line that is not a record to repair is passed
/// through with a line end.
fn repair_line(repairer: &Repairer, line: u64, bytes: &[u8], fields: &Fields) -> Done {
    match crate::json::repair_record(repairer, bytes, fields) {
        Ok(record) => Done {
            line,
            input_len: bytes.len(),
            output: record.line,
            edits: record.edits as u64,
            object: !bytes.iter().all(u8::is_ascii_whitespace),
            with_field: record.has_field,
            bad: None,
        },
        Err(reason) => {
            let mut output = bytes.to_vec();
            if !output.ends_with(b"\n") {
                output.push(b'\n');
            }
            Done {
                line,
                input_len: bytes.len(),
                output,
                edits: 0,
                object: false,
                // The field is there, though not as text.
                with_field: matches!(
                    reason,
                    RecordError::NotString(_) | RecordError::Duplicate(_)
                ),
                bad: Some(reason.to_string()),
            }
        }
    }
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
            &fields,
            max_line,
            threads,
            &mut bad,
            |piece| piece.write_output(&mut out),
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

    /// Each record is one piece, in order, its offset where the last one
    /// ended, whatever the threads; a line past the limit comes in pieces
    /// of its own that only pass it through.
    #[test]
    fn records_come_as_contiguous_pieces_in_order() {
        let repairer = Repairer::embedded();
        let mut input = String::new();
        for i in 0..40 {
            input.push_str(&format!(
                "{{\"id\":{i},\"text\":\"officers mentioned {i}\"}}\n"
            ));
        }
        input.push_str(&format!("{{\"text\":\"{}\"}}", "x".repeat(500)));
        for threads in [1, 3] {
            let mut pieces = Vec::new();
            let mut bad = Vec::new();
            let totals = repair(
                &repairer,
                input.as_bytes(),
                &Fields::default(),
                200,
                threads,
                &mut bad,
                |piece| {
                    pieces.push((piece.offset(), piece.input_len()));
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
            let mut at = 0;
            for &(offset, len) in &pieces {
                assert_eq!(offset, at);
                at += len;
            }
            assert_eq!(at, input.len());
            assert_eq!(totals.records, 41);
            // 40 records, then the long line's first 201 bytes, the rest
            // of it, and the line end added at the end of the input.
            assert_eq!(pieces.len(), 43, "{pieces:?}");
            assert_eq!(pieces[42].1, 0);
            assert_eq!(bad.len(), 1);
            assert_eq!(bad[0].line, 41);
        }
    }
}
