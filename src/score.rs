//! `unspin score`: is each input spun, and why.

use crate::args::{InputFormat, ScoreArgs, ScoreFormat};
use crate::input::{describe, Input};
use crate::json::{round3, round_score, EvidenceRecord};
use crate::repairer::load_repairer;
use crate::sink::json::JsonPath;
use crate::walk::{classify, walk_error, walk_root, Found, Walk};
use crate::{EXIT_ERROR, EXIT_FOUND, EXIT_OK};
use anyhow::{anyhow, bail, Result};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use unspin_core::stream::{self, StreamError};
use unspin_core::{Assessment, Repairer};

/// How many pieces of evidence the text format lists.
const EVIDENCE_SHOWN: usize = 5;

pub fn run(args: &ScoreArgs) -> Result<i32> {
    let repairer = load_repairer(&args.model)?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    crate::input::hint_if_terminal(paths.iter().any(|p| p.as_os_str() == "-"));
    let walk = Walk {
        args: &args.walk,
        threads: 1,
        skip_dir: None,
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut failed, mut spun_found) = (false, false);
    for path in &paths {
        let input = Input::from_arg(path);
        if input.path().is_none() || !path.is_dir() {
            let verdict = judge(&repairer, &input, args, false, &mut out)?;
            failed |= verdict.is_none();
            spun_found |= verdict == Some(true);
            continue;
        }
        // A folder: its files in name order, found as the repair finds them.
        let mut builder = walk.builder([walk_root(path).as_path()])?;
        builder.sort_by_file_name(|a, b| a.cmp(b));
        for result in builder.build() {
            let found = match result {
                Ok(entry) => classify(entry),
                Err(err) => {
                    out.flush()?;
                    eprintln!("unspin: {}", walk_error(&err));
                    failed = true;
                    continue;
                }
            };
            let Found::File { path, explicit } = found else {
                continue;
            };
            let verdict = judge(&repairer, &Input::File(path), args, !explicit, &mut out)?;
            failed |= verdict.is_none();
            spun_found |= verdict == Some(true);
        }
    }
    out.flush()?;
    Ok(if failed {
        EXIT_ERROR
    } else if args.check && spun_found {
        EXIT_FOUND
    } else {
        EXIT_OK
    })
}

/// The most pieces of evidence kept per input (the strongest), so that
/// memory and the JSON line stay bounded whatever the input's size.
const EVIDENCE_KEPT: usize = 100;

/// An input's verdict: the highest probability of its chunks (a file over
/// a chunk is judged a chunk at a time, as a repair judges it), its words,
/// cues and fingerprint repairs in all, and the strongest of those.
struct Verdict {
    spun_probability: f64,
    words: usize,
    repairs: usize,
    /// At most [`EVIDENCE_KEPT`], in input order.
    evidence: Vec<unspin_core::Edit>,
    /// Each cue with its count over all chunks, most telling first; at
    /// most [`EVIDENCE_KEPT`].
    cues: Vec<unspin_core::cues::Found>,
}

/// Judges one input as it streams; `None` for a binary file found in a
/// folder.
fn verdict_of(
    repairer: &Repairer,
    input: &Input,
    markup: unspin_core::markup::Markup,
    walked: bool,
) -> Result<Option<Verdict>> {
    let name = input.name();
    let (reader, _) = input
        .open()
        .map_err(|e| anyhow!("{name}: {}", describe(&e)))?;
    let options = stream::Options {
        markup,
        skip_binary: walked,
        ..stream::Options::default()
    };
    let mut verdict = Verdict {
        spun_probability: 0.0,
        words: 0,
        repairs: 0,
        evidence: Vec::new(),
        cues: Vec::new(),
    };
    let mut chunks = 0;
    let judged = stream::assess_chunks(repairer, reader, &options, |_, a: Assessment| {
        chunks += 1;
        verdict.spun_probability = verdict.spun_probability.max(a.spun_probability);
        verdict.words += a.words;
        verdict.repairs += a.evidence.len();
        verdict.evidence.extend(a.evidence);
        merge_cues(&mut verdict.cues, a.cues);
        if verdict.evidence.len() > EVIDENCE_KEPT {
            verdict
                .evidence
                .sort_by(|x, y| y.score.total_cmp(&x.score).then(x.start.cmp(&y.start)));
            verdict.evidence.truncate(EVIDENCE_KEPT);
            verdict.evidence.sort_by_key(|e| e.start);
        }
    });
    match judged {
        Ok(()) => {}
        Err(StreamError::Binary) => return Ok(None),
        Err(StreamError::Read(err)) => bail!("{name}: {}", describe(&err)),
        Err(StreamError::PageTooLarge) => bail!(
            "{name}: an HTML page over {} MiB, too large to read whole: not judged",
            stream::MAX_PAGE >> 20
        ),
        Err(StreamError::Visit(never)) => match never {},
    }
    if chunks == 0 {
        // An empty input: what an assessment of nothing says.
        let a = repairer.assess(b"");
        verdict.spun_probability = a.spun_probability;
    }
    Ok(Some(verdict))
}

/// Adds a chunk's cues to an input's, counts summed, keeping the most
/// telling [`EVIDENCE_KEPT`].
fn merge_cues(all: &mut Vec<unspin_core::cues::Found>, chunk: Vec<unspin_core::cues::Found>) {
    for found in chunk {
        match all.iter_mut().find(|f| f.cue == found.cue) {
            Some(f) => f.count += found.count,
            None => all.push(found),
        }
    }
    all.sort_by(|a, b| {
        b.log10_ratio
            .abs()
            .total_cmp(&a.log10_ratio.abs())
            .then_with(|| a.cue.cmp(&b.cue))
    });
    all.truncate(EVIDENCE_KEPT);
}

/// Judges one input and prints its line: whether it is spun, `None` when
/// it failed (reported on stderr). A binary file found in a folder is
/// skipped, and counts as clean.
fn judge<W: Write>(
    repairer: &Repairer,
    input: &Input,
    args: &ScoreArgs,
    walked: bool,
    out: &mut W,
) -> Result<Option<bool>> {
    let markup = InputFormat::from(args.input_format).markup_of(input.path());
    let verdict = match verdict_of(repairer, input, markup, walked) {
        Ok(Some(verdict)) => verdict,
        Ok(None) => {
            eprintln!("unspin: {}: binary file skipped", input.name());
            return Ok(Some(false));
        }
        Err(err) => {
            out.flush()?;
            eprintln!("unspin: {err}");
            return Ok(None);
        }
    };
    let spun = verdict.spun_probability > args.threshold;
    if !args.check {
        match args.format {
            ScoreFormat::Text => writeln!(out, "{}", text_line(&input.name(), spun, &verdict))?,
            ScoreFormat::Json => {
                writeln!(out, "{}", json_line(&JsonPath::new(input), spun, &verdict))?
            }
        }
    }
    Ok(Some(spun))
}

fn text_line(name: &str, spun: bool, a: &Verdict) -> String {
    let verdict = if spun { "spun" } else { "clean" };
    // A name with a tab or a line break would split its line: quoted.
    let name = if name.contains(char::is_control) {
        format!("{name:?}")
    } else {
        name.to_string()
    };
    let mut line = format!(
        "{name}\t{verdict}\t{:.3}\t{} words",
        a.spun_probability, a.words
    );
    let mut strongest: Vec<_> = a.evidence.iter().collect();
    strongest.sort_by(|x, y| y.score.total_cmp(&x.score));
    let fingerprints = strongest
        .iter()
        .map(|e| format!("{:?} -> {:?}", e.spun, e.restored));
    let cues = a.cues.iter().map(|c| {
        let times = if c.count > 1 {
            format!(" x{}", c.count)
        } else {
            String::new()
        };
        format!("{:?}{times} {:+.2}", c.cue, c.log10_ratio)
    });
    let shown: Vec<String> = fingerprints.chain(cues).collect();
    for (i, item) in shown.iter().take(EVIDENCE_SHOWN).enumerate() {
        line.push_str(if i == 0 { ": " } else { ", " });
        line.push_str(item);
    }
    if shown.len() > EVIDENCE_SHOWN {
        line.push_str(", ...");
    }
    line
}

fn json_line(path: &JsonPath, spun: bool, a: &Verdict) -> String {
    let evidence: Vec<EvidenceRecord> = a.evidence.iter().map(EvidenceRecord::new).collect();
    let cues: Vec<serde_json::Value> = a
        .cues
        .iter()
        .map(|c| {
            serde_json::json!({
                "cue": c.cue,
                "count": c.count,
                "log10_ratio": round_score(c.log10_ratio),
            })
        })
        .collect();
    let mut record = serde_json::json!({
        "path": path.text,
        "spun": spun,
        "spun_probability": round3(a.spun_probability),
        "words": a.words,
        "fingerprints": a.repairs,
        "cues": cues,
        "evidence": evidence,
    });
    if let Some(raw) = &path.base64 {
        record["path_base64"] = raw.as_str().into();
    }
    record.to_string()
}
